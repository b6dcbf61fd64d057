"""PostGIS-only store behaviour: migrations, spatial indexes, locking, errors without secrets.

The backend-generic contract runs for PostGIS too, in ``test_store_contract.py``.
"""

from __future__ import annotations

import threading
import time

import geopandas as gpd
import psycopg
import pytest
from shapely.geometry import Point

from layers.schema import ADDRESS_POINTS, PINS, SERVICES
from layers.store import StoreError, migrations, open_store, postgis
from layers.store.base import RowMatch
from layers.store.postgis import PostGISStore
from tests.layers.store.sample import frames, more_services, pins


def _pg(url: str) -> PostGISStore:
    store = open_store(url)
    assert isinstance(store, PostGISStore)
    return store


def test_head_revision_matches_the_migration_scripts() -> None:
    assert migrations.script_head() == migrations.HEAD


def test_migrate_creates_the_schema_once(pg_url: str) -> None:
    store = _pg(pg_url)
    assert not store.exists() and store.version() == "missing"
    store.migrate()
    store.migrate()  # idempotent
    assert store.exists() and store.layer_names() == [] and store.check() == []
    with psycopg.connect(pg_url) as conn:
        assert migrations.current_revision(conn) == migrations.HEAD
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert {"mapa", "mapa_meta"} <= schemas


def test_spatial_index_is_used_and_checked(pg_url: str) -> None:
    store = _pg(pg_url)
    store.replace_all(frames())
    with psycopg.connect(pg_url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT fid FROM mapa.services "
            "WHERE geom && ST_MakeEnvelope(13.5, 50.5, 13.7, 50.7, 4326)"))
        assert "services_geom_idx" in plan, plan
        found = conn.execute("SELECT service_id FROM mapa.services "
                             "WHERE geom && ST_MakeEnvelope(13.5, 50.5, 13.7, 50.7, 4326)"
                             ).fetchall()
        assert found == [("a-1",)]
        conn.execute("DROP INDEX mapa.services_geom_idx")
        conn.commit()
    assert store.check() == ["layer 'services' has no spatial (GiST) index"]


def test_replace_all_failing_half_way_leaves_the_store_as_it_was(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _pg(pg_url)
    store.replace_all(frames())
    before = store.version(), {n: store.read(n).to_json() for n in store.layer_names()}
    real_copy = postgis._copy_rows
    calls: list[str] = []

    def copy_then_fail(conn: psycopg.Connection, info: postgis._Layer, frame: object) -> None:
        if calls:
            raise OSError("connection lost")
        real_copy(conn, info, frame)  # type: ignore[arg-type]
        calls.append(info.name)

    monkeypatch.setattr(postgis, "_copy_rows", copy_then_fail)
    given = frames()
    given["services"] = more_services(5, "new")
    with pytest.raises(OSError, match="connection lost"):
        store.replace_all(given)
    assert calls == ["services"]
    assert (store.version(), {n: store.read(n).to_json() for n in store.layer_names()}) == before


def _lock_waiters(pg_url: str) -> int:
    """Sessions of this database waiting for an advisory lock."""
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).fetchone()
    return int(row[0]) if row else 0


def test_readers_do_not_wait_for_a_writer(pg_url: str) -> None:
    """While one writer holds the write lock, reads answer and a second writer queues."""
    store = _pg(pg_url)
    store.replace_all(frames())
    holder = psycopg.connect(pg_url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (postgis.WRITE_LOCK,))
    done: list[float] = []

    def write() -> None:
        store.append(SERVICES, more_services(1, "q"))
        done.append(time.monotonic())

    writer = threading.Thread(target=write)
    writer.start()
    # wait until the writer queues for the lock, or ends (which it must not)
    deadline = time.monotonic() + 30
    while not _lock_waiters(pg_url):
        writer.join(timeout=0.05)
        assert not done, "the second writer did not wait for the lock"
        assert time.monotonic() < deadline, "the second writer never asked for the lock"
    assert len(store.read(SERVICES)) == 2
    assert not done, "the second writer did not wait for the lock"
    released = time.monotonic()
    holder.rollback()
    writer.join(timeout=30)
    assert done and done[0] >= released
    assert len(store.read(SERVICES)) == 3
    holder.close()


def test_connection_errors_name_the_store_without_its_password() -> None:
    store = open_store("postgresql://mapa:VerySecret@/mapa?host=/nonexistent-dir&port=5999")
    with pytest.raises(StoreError) as caught:
        store.layer_names()
    assert "VerySecret" not in str(caught.value)
    assert "postgresql://mapa@/mapa" in str(caught.value)


def test_migration_0004_gives_older_address_points_their_new_columns(pg_url: str) -> None:
    old = {"kod_adm": "1", "town_id": "t", "kod_obec": "567256", "street": "Hamerská",
           "house_number": "130", "postcode": "43542"}
    store = open_store(pg_url)
    store.replace_all({ADDRESS_POINTS.name: gpd.GeoDataFrame(
        [old], geometry=[Point(13.58, 50.59)], crs="EPSG:4326")})
    with psycopg.connect(pg_url) as conn:  # as a store left at the revision before them
        conn.execute(f"UPDATE {migrations.META_SCHEMA}.{migrations.VERSION_TABLE} "
                     "SET version_num = '0003'")
    migrations.upgrade(pg_url)
    reopened = open_store(pg_url)
    assert reopened.check() == []
    points = reopened.read(ADDRESS_POINTS)
    assert list(points.columns[:-1]) == list(ADDRESS_POINTS.columns)
    assert points["part"].isna().all() and points["street"].tolist() == ["Hamerská"]
    reopened.append(ADDRESS_POINTS, gpd.GeoDataFrame(
        [{**old, "kod_adm": "2", "part": "Hamr", "orientation_number": "",
          "batch_id": "b"}], geometry=[Point(13.58, 50.59)], crs="EPSG:4326"))
    assert len(reopened.read(ADDRESS_POINTS)) == 2


def test_per_row_updates_find_their_rows_through_an_index(pg_url: str) -> None:
    """Moderating one pin, a session or an import batch (an id prefix, whatever the
    database's collation), and undoing a batch, select their rows through B-tree indexes."""
    store = _pg(pg_url)
    store.replace_all({**frames(), "pins": pins(300, "imp-1")})
    batch = RowMatch("pins", equals={"status": "pending"}, prefix=("pin_id", "imp-1-"))
    with psycopg.connect(pg_url) as conn:
        catalog = store._catalog(conn)
        conditions = [postgis._match_where(catalog, match) for match in (
            RowMatch("pins", equals={"pin_id": "imp-1-7"}),
            RowMatch("pins", equals={"session_id": "s1", "status": "pending"}),
            batch, RowMatch("pins", prefix=("pin_id", "imp-1-")))]
        conn.execute("SET enable_seqscan = off")  # a table this small is scanned otherwise
        for _, where, values in conditions:
            plan = "\n".join(r[0] for r in conn.execute(
                psycopg.sql.SQL("EXPLAIN UPDATE mapa.pins SET status = 'x' WHERE {}").format(
                    where), values))
            assert "Index" in plan and "Seq Scan" not in plan, plan
    assert store.update_matching(batch, {"status": "approved"}) == 300
    assert store.delete_matching([RowMatch("pins", prefix=("pin_id", "imp-1-"))]) == {
        "pins": 300}
    assert PINS.name in store.layer_names() and store.read(PINS).empty
