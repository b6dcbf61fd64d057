"""The store contract (``layers.store.base.Store``), run against every backend.

Each test gets an empty store location: a GeoPackage path in a temporary folder, or a fresh
PostgreSQL database with PostGIS (``tests/pg_cluster.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
from shapely.geometry import Point, Polygon

from layers.schema import AUDIT_LOG, CRIME_STATS, LOCALITIES, LOGIN_FAILURES, PINS, SERVICES
from layers.sources.synthetic import write_feeling_map_export
from layers.store import GeoPackageStore, PostGISStore, Store, StoreError, open_store, postgis
from layers.store.base import RowMatch
from layers.store.transfer import copy_store, store_manifest
from tests.layers.store.sample import frames, more_services

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["gpkg", "postgis"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store location of each backend."""
    if request.param == "gpkg":
        return str(tmp_path / "s.gpkg")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(location: str) -> Store:
    return open_store(location)


def _state(store: Store) -> tuple[str, dict[str, Any]]:
    """What must not change after a refused write: the version and every layer's checksum."""
    return store.version(), store_manifest(store)


def test_open_store_picks_the_backend_and_hides_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store(tmp_path / "s.gpkg"), GeoPackageStore)
    secret = "postgresql://mapa:s3cret@db.example:5433/mapa?sslmode=require&password=s3cret"
    pg = open_store(secret)
    assert isinstance(pg, PostGISStore)
    assert "s3cret" not in pg.location
    assert pg.location == "postgresql://mapa@db.example:5433/mapa?sslmode=require"
    # the app reopens stores by their (redacted) location: the password is remembered
    reopened = open_store(pg.location)
    assert isinstance(reopened, PostGISStore) and reopened.url == secret
    monkeypatch.setenv("MAPA_STORE", str(tmp_path / "other.gpkg"))
    monkeypatch.setenv("MAPA_DB_URL", "postgresql://mapa@db.example/mapa")
    assert isinstance(open_store(), PostGISStore)
    monkeypatch.delenv("MAPA_DB_URL")
    assert open_store().location == str(tmp_path / "other.gpkg")


def test_round_trip_keeps_values_and_crs(store: Store) -> None:
    given = frames()
    store.replace_all(given)
    services = store.read(SERVICES)
    assert isinstance(services, gpd.GeoDataFrame)
    assert services.crs is not None and services.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(
        pd.DataFrame(services.drop(columns="geometry")),
        pd.DataFrame(given["services"].drop(columns="geometry")), check_dtype=False)
    assert services.geometry.geom_equals_exact(given["services"].geometry, 1e-9).all()
    stats = store.read(CRIME_STATS)
    assert stats.loc[0, "found"] == 1052.0 and stats.loc[0, "oop_code"] == "040812"
    assert sorted(store.layer_names()) == ["crime_stats", "localities", "services"]
    assert store.counts() == {"services": 2, "localities": 1, "crime_stats": 1}
    assert store.check() == []


def test_backends_read_the_same_dtypes_and_values(demo_store: Store, pg_url: str) -> None:
    """The demo store copied into PostGIS reads back exactly as from the GeoPackage."""
    pg = open_store(pg_url)
    copy_store(demo_store, pg)
    for name in demo_store.layer_names():
        want, got = demo_store.read(name), pg.read(name)
        assert type(got) is type(want), name
        assert dict(got.dtypes.astype(str)) == dict(want.dtypes.astype(str)), name
        pd.testing.assert_frame_equal(pd.DataFrame(got.drop(columns="geometry", errors="ignore")),
                                      pd.DataFrame(want.drop(columns="geometry",
                                                             errors="ignore")))
        if isinstance(want, gpd.GeoDataFrame):
            assert got.geometry.geom_equals_exact(want.geometry, 0).all(), name
    town = pg.read(PINS, "litvinov")
    assert len(town) == (demo_store.read(PINS)["town_id"] == "litvinov").sum() > 0


def test_read_one_town(store: Store) -> None:
    store.replace_all(frames())
    assert list(store.read(SERVICES, "b")["name"]) == ["Škola Ř"]
    assert store.read(SERVICES, "o'hara").empty
    with pytest.raises(StoreError, match="crime_stats"):
        store.read(CRIME_STATS, "a")


def test_unknown_layer_and_missing_store(store: Store) -> None:
    assert not store.exists()
    with pytest.raises(StoreError, match="does not exist"):
        store.read(PINS)
    with pytest.raises(StoreError, match="does not exist"):
        store.append(SERVICES, more_services(1, "x"))
    store.replace_all(frames())
    assert store.exists()
    with pytest.raises(StoreError, match="pins"):
        store.read(PINS)


def test_refuses_non_wgs84_and_keeps_old_store(store: Store) -> None:
    store.replace_all(frames())
    before = _state(store)
    given = frames()
    services = given["services"]
    assert isinstance(services, gpd.GeoDataFrame)
    given["services"] = services.to_crs("EPSG:5514")
    with pytest.raises(StoreError, match="EPSG:4326"):
        store.replace_all(given)
    assert _state(store) == before


def test_version_changes_with_every_write(store: Store) -> None:
    assert store.version() == "missing"
    store.replace_all(frames())
    seen = [store.version()]
    store.append(SERVICES, more_services(1, "x"))
    seen.append(store.version())
    store.update_rows(SERVICES, "service_id", pd.DataFrame({"service_id": ["x-0"],
                                                              "name": ["Nová"]}))
    seen.append(store.version())
    store.delete_rows(SERVICES, "service_id", ["x-0"])
    seen.append(store.version())
    assert len(set(seen)) == 4
    assert store.version() == seen[-1]  # reading does not change it


def test_columns_take_their_specs_types_not_the_frames(store: Store) -> None:
    given = frames()
    # a whole number read from a CSV as float, a flag as 0/1: the spec says integer, boolean
    given["localities"] = given["localities"].assign(population_est=[3900.0], synthetic=[1])
    store.replace_all(given)
    localities = store.read(LOCALITIES)
    assert localities["population_est"].dtype == "int64"
    assert localities["synthetic"].dtype == "bool"
    with pytest.raises(StoreError, match="population_est"):
        store.append(LOCALITIES, given["localities"].assign(locality_id=["a-2"],
                                                            population_est=[1.5]))
    with pytest.raises(StoreError, match="locality_id"):  # a key is never empty
        store.append(LOCALITIES, given["localities"].assign(locality_id=[None]))
    assert len(store.read(LOCALITIES)) == 1


def test_transaction_stores_its_writes_together_or_not_at_all(store: Store) -> None:
    store.replace_all(frames())
    before = _state(store)
    log = pd.DataFrame({"at": ["2026-01-01T00:00:00+00:00"], "action": ["test"]})
    with pytest.raises(RuntimeError, match="half-way"), store.transaction():
        store.append(SERVICES, more_services(2, "x"))
        store.update_rows(SERVICES, "service_id", pd.DataFrame({"service_id": ["a-1"],
                                                                  "name": ["Nová"]}))
        with store.transaction():  # a nested block belongs to the outer one
            store.delete_rows(CRIME_STATS, "oop_code", ["040812"])
            store.append(AUDIT_LOG, log)  # a new attribute table
        raise RuntimeError("half-way")
    assert _state(store) == before
    with store.transaction():
        store.append(SERVICES, more_services(2, "x"))
        store.update_rows(SERVICES, "service_id", pd.DataFrame({"service_id": ["a-1"],
                                                                  "name": ["Nová"]}))
        store.delete_rows(CRIME_STATS, "oop_code", ["040812"])
        store.append(AUDIT_LOG, log)
    services = store.read(SERVICES)
    assert len(services) == 4 and "Nová" in set(services["name"])
    assert store.read(CRIME_STATS).empty and len(store.read(AUDIT_LOG)) == 1
    assert store.check() == []


def test_version_of_a_town_changes_only_with_that_towns_rows(store: Store) -> None:
    store.replace_all(frames())

    def tokens() -> dict[str, str]:
        return {name: store.version_of(parts) for name, parts in {
            "a": [("services", "a")], "b": [("services", "b")], "all": [("services", None)],
            "stats": [("crime_stats", None)], "b+stats": [("services", "b"),
                                                          ("crime_stats", "b")]}.items()}

    first = tokens()
    store.append(SERVICES, more_services(2, "x"))  # town a
    second = tokens()
    assert {k for k in first if first[k] != second[k]} == {"a", "all"}
    store.update_rows(SERVICES, "service_id", pd.DataFrame({"service_id": ["b-1"],
                                                              "name": ["Nová"]}))
    third = tokens()
    assert {k for k in first if second[k] != third[k]} == {"b", "all", "b+stats"}
    store.delete_matching([RowMatch("services", prefix=("service_id", "x-"))])
    fourth = tokens()
    assert {k for k in first if third[k] != fourth[k]} == {"a", "all"}
    # rows of no town (crime stats) count for every town
    store.append(CRIME_STATS, frames()["crime_stats"])
    fifth = tokens()
    assert {k for k in first if fourth[k] != fifth[k]} == {"stats", "b+stats"}
    assert tokens() == fifth  # reading does not change them
    store.replace_all(frames())
    assert not set(tokens().values()) & set(fifth.values())


def test_append_batch_adds_all_rows(store: Store) -> None:
    store.replace_all(frames())
    added = store.append_batch([("services", more_services(3, "x")),
                                ("services", more_services(2, "y")),
                                ("crime_stats", frames()["crime_stats"])])
    assert added == {"services": 5, "crime_stats": 1}
    assert len(store.read(SERVICES)) == 7
    store.append("offences_like", gpd.GeoDataFrame(
        {"town_id": ["a"]}, geometry=[Point(13.6, 50.6)], crs="EPSG:4326"))
    assert "offences_like" in store.layer_names()
    assert store.check() == []


def test_polygons_are_stored_as_multipolygons(store: Store) -> None:
    given = frames()
    given["localities"] = gpd.GeoDataFrame(
        given["localities"].drop(columns="geometry"),
        geometry=[Polygon([(13.6, 50.6), (13.62, 50.6), (13.62, 50.62)])], crs="EPSG:4326")
    store.replace_all(given)
    assert list(store.read(LOCALITIES).geom_type) == ["MultiPolygon"]


def test_failing_chunk_stream_leaves_store_untouched(store: Store) -> None:
    store.replace_all(frames())
    before = _state(store)

    def chunks():
        yield "crime_stats", frames()["crime_stats"]
        yield "services", more_services(3, "x")
        yield "brand_new", more_services(1, "n")
        raise ValueError("file truncated at line 40")

    with pytest.raises(ValueError, match="truncated"):
        store.append_batch(chunks())
    with pytest.raises(StoreError, match="columns"):
        store.append_batch([("services", more_services(1, "z").drop(columns="name"))])
    with pytest.raises(StoreError, match="EPSG:4326"):
        store.append_batch([("services", more_services(1, "z").to_crs("EPSG:5514"))])
    assert _state(store) == before
    assert "brand_new" not in store.layer_names()


def test_unique_keys_make_appends_idempotent(store: Store) -> None:
    store.replace_all(frames())
    batch = [("services", more_services(3, "x")), ("services", more_services(3, "x"))]
    assert store.append_batch(batch, unique_keys={"services": "service_id"}) == {"services": 3}
    assert store.append_batch(batch, unique_keys={"services": "service_id"}) == {}
    assert len(store.read(SERVICES)) == 5


def test_update_and_delete_rows(store: Store) -> None:
    store.replace_all(frames())
    changed = store.update_rows(SERVICES, "service_id", pd.DataFrame(
        {"service_id": ["a-1", "nope"], "name": ["Klub Nový", "x"], "synthetic": [False, True]}))
    assert changed == 1
    services = store.read(SERVICES).set_index("service_id")
    assert services.loc["a-1", "name"] == "Klub Nový"
    assert not services.loc["a-1", "synthetic"]
    assert services.loc["b-1", "name"] == "Škola Ř"
    assert store.delete_rows(SERVICES, "service_id", ["b-1", "zzz"]) == 1
    assert list(store.read(SERVICES)["service_id"]) == ["a-1"]
    before = _state(store)
    with pytest.raises(StoreError, match="no columns"):
        store.update_rows(SERVICES, "service_id", pd.DataFrame(
            {"service_id": ["a-1"], "name; DROP TABLE services": ["x"]}))
    assert _state(store) == before
    assert store.check() == []


def test_delete_matching_is_one_transaction(store: Store) -> None:
    store.replace_all(frames())
    store.append_batch([("services", more_services(4, "batch7")),
                        ("services", more_services(2, "other"))])
    before = _state(store)
    with pytest.raises(StoreError):
        store.delete_matching([RowMatch("services", prefix=("service_id", "batch7-")),
                               RowMatch("services", equals={"no_such_column": "x"})])
    assert _state(store) == before
    deleted = store.delete_matching([
        RowMatch("services", prefix=("service_id", "batch7-")),
        RowMatch("crime_stats", equals={"oop_code": "040812", "year": 2013}),
        RowMatch("services", equals={"town_id": "nowhere"})])
    assert deleted == {"services": 4, "crime_stats": 1}
    assert sorted(store.read(SERVICES)["service_id"]) == ["a-1", "b-1", "other-0", "other-1"]
    # a prefix is matched literally: SQL wildcards in it match nothing
    assert store.delete_matching([RowMatch("services", prefix=("service_id", "%"))]) \
        == {"services": 0}



def test_read_columns_gives_the_columns_asked_for_without_geometry(store: Store) -> None:
    store.replace_all(frames())
    whole = store.read(SERVICES)
    table = store.read_columns(SERVICES, ["name", "service_id"])
    assert type(table) is pd.DataFrame and list(table.columns) == ["name", "service_id"]
    pd.testing.assert_frame_equal(table, pd.DataFrame(whole[["name", "service_id"]]))
    with pytest.raises(StoreError):
        store.read_columns(SERVICES, ["name", "no_such_column"])
    with pytest.raises(StoreError):
        store.read_columns("no_such_layer", ["name"])


def test_read_where_finds_rows_by_an_indexed_column_and_before_prunes_by_text(
        store: Store) -> None:
    """``read_where`` selects by a column's values (quotes and SQL in them are data);
    ``RowMatch.before`` deletes rows whose text sorts before a value, byte by byte."""
    store.replace_all(frames())
    rows = pd.DataFrame({"account": ["pol", "pol", "o'neil", "x') OR ('1'='1"],
                         "client": ["a", "b", "a", "a"],
                         "at": ["2026-12-04T09:00:00+00:00", "2026-12-05T10:00:00+00:00",
                                "2026-12-05T11:00:00+00:00", "2026-12-05T12:00:00+00:00"]})
    store.append_batch([(LOGIN_FAILURES, rows)])
    found = store.read_where(LOGIN_FAILURES, "account", ["pol"])
    assert list(found["client"]) == ["a", "b"]
    assert list(store.read_where(LOGIN_FAILURES, "account", ["o'neil"])["client"]) == ["a"]
    assert store.read_where(LOGIN_FAILURES, "account", ["x') OR ('1'='1", "nobody"]
                            )["account"].tolist() == ["x') OR ('1'='1"]
    assert store.read_where(LOGIN_FAILURES, "account", []).empty
    assert list(store.read_where(SERVICES, "service_id", ["b-1"])["name"]) == \
        list(store.read(SERVICES).query("service_id == 'b-1'")["name"])
    before = _state(store)
    with pytest.raises(StoreError):
        store.read_where(LOGIN_FAILURES, "no_such_column", ["x"])
    with pytest.raises(StoreError):  # a match naming no column would delete every row
        store.delete_matching([RowMatch(LOGIN_FAILURES.name)])
    assert _state(store) == before
    assert store.delete_matching([RowMatch(LOGIN_FAILURES.name,
                                           before=("at", "2026-12-05T11:00:00+00:00"))]) \
        == {LOGIN_FAILURES.name: 2}
    assert sorted(store.read(LOGIN_FAILURES)["account"]) == ["o'neil", "x') OR ('1'='1"]
    assert store.check() == []



def test_update_matching_is_one_checked_statement(store: Store) -> None:
    store.replace_all(frames())
    store.append_batch([("services", more_services(4, "batch7")),
                        ("services", more_services(2, "other"))])
    before = _state(store)
    with pytest.raises(StoreError):
        store.update_matching(RowMatch("services", prefix=("service_id", "batch7-")),
                              {"no_such_column": "x"})
    with pytest.raises(StoreError):
        store.update_matching(RowMatch("services", equals={"no_such_column": "x"}),
                              {"name": "x"})
    assert _state(store) == before
    assert store.update_matching(RowMatch("services", prefix=("service_id", "batch7-")),
                                 {"name": "renamed; DROP TABLE services", "synthetic": False}) == 4
    services = pd.DataFrame(store.read(SERVICES)).set_index("service_id")
    assert (services.loc[[f"batch7-{i}" for i in range(4)], "name"]
            == "renamed; DROP TABLE services").all()
    assert not services.loc[[f"batch7-{i}" for i in range(4)], "synthetic"].astype(bool).any()
    assert services.loc[["other-0", "other-1"], "name"].tolist() == ["Služba 0", "Služba 1"]
    assert store.version() != before[0]
    assert store.update_matching(RowMatch("services", equals={"town_id": "nowhere"}),
                                 {"name": "x"}) == 0
    assert store.check() == []

WRITER = """
import sys
import geopandas as gpd
from shapely.geometry import Point
from layers.store import open_store
store, writer, pins, per_write = open_store(sys.argv[1]), sys.argv[2], int(sys.argv[3]), 10
def pins_from(start):
    ids = range(start, start + per_write)
    return gpd.GeoDataFrame({"pin_id": [f"w{writer}-{i}" for i in ids], "town_id": "a"},
                            geometry=[Point(13.6 + i * 1e-5, 50.6) for i in ids],
                            crs="EPSG:4326")
for start in range(0, pins, per_write):
    store.append_batch([("pins", pins_from(start))], unique_keys={"pins": "pin_id"})
# a tablet retrying its first submission adds nothing
assert store.append_batch([("pins", pins_from(0))], unique_keys={"pins": "pin_id"}) == {}
"""


def test_concurrent_writers_lose_nothing(store: Store, location: str) -> None:
    """20 writer processes × 100 pins (10 writes of 10) at once: exactly 2,000 pins land."""
    store.replace_all({"pins": gpd.GeoDataFrame(
        {"pin_id": ["seed"], "town_id": ["a"]}, geometry=[Point(13.6, 50.6)], crs="EPSG:4326")})
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, location, str(w), "100"],
                                cwd=ROOT) for w in range(20)]
    assert [w.wait(timeout=240) for w in writers] == [0] * 20
    pins = store.read(PINS)
    assert len(pins) == 1 + 2000
    assert pins["pin_id"].is_unique
    assert store.check() == []


def test_killed_import_leaves_all_or_nothing(demo_store: Store, location: str,
                                             tmp_path: Path) -> None:
    """SIGKILL a feeling-map import half-way: the store opens, checks clean, pins unchanged."""
    store = open_store(location)
    copy_store(demo_store, store)
    before = _state(store)
    export = tmp_path / "export.csv"
    write_feeling_map_export(export, 40_000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "scripts.mapa", "import", "feeling-map", str(export),
         "--town", "litvinov", "--chunk-rows", "4000", "--store", location],
        cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert importer.stderr is not None
    progress = [importer.stderr.readline() for _ in range(3)]
    assert all("rows read" in line for line in progress), progress
    os.kill(importer.pid, signal.SIGKILL)
    assert importer.wait(timeout=30) == -signal.SIGKILL
    if isinstance(store, PostGISStore):
        # the server notices the dropped connection and rolls back, releasing the write lock:
        # wait for that lock
        with psycopg.connect(location) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (postgis.WRITE_LOCK,))
    reopened = open_store(location)
    assert reopened.check() == []
    assert _state(reopened)[1] == before[1]
    # and the same import run to the end lands whole
    done = subprocess.run(
        [sys.executable, "-m", "scripts.mapa", "import", "feeling-map", str(export),
         "--town", "litvinov", "--store", location, "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    assert '"imported"' in done.stdout
    assert reopened.counts()["pins"] > before[1]["pins"]["rows"]
    assert reopened.check() == []


def _odd_values() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "pin_id": ["p1", "p2", "p3"],
        "comment": ['line one\nline "two", with comma', "", None],
        "feeling": [1, 5, 3],
        "score": [0.5, float("nan"), -1e-9],
        "held": [True, False, True],
        "at": pd.to_datetime(["2026-11-23 10:15:00", "2026-01-01 00:00:00",
                              "1999-12-31 23:59:59"]),
    }, geometry=[Point(13.6, 50.6), None, Point(12.5, 50.3)], crs="EPSG:4326")


def test_odd_values_round_trip(store: Store) -> None:
    store.replace_all({"odd": _odd_values()})
    got = store.read("odd")
    assert got["comment"].tolist()[:2] == ['line one\nline "two", with comma', ""]
    assert pd.isna(got["comment"].iloc[2])
    assert got["feeling"].tolist() == [1, 5, 3]
    assert got["score"].iloc[0] == 0.5 and pd.isna(got["score"].iloc[1])
    assert got["held"].tolist() == [True, False, True]
    assert got["at"].tolist() == _odd_values()["at"].tolist()
    assert got.geometry.iloc[1] is None and got.geometry.iloc[2].equals(Point(12.5, 50.3))
    assert store.read("odd").shape == (3, 7)


def test_backends_agree_on_odd_values(tmp_path: Path, pg_url: str) -> None:
    gpkg, pg = open_store(tmp_path / "s.gpkg"), open_store(pg_url)
    for store in (gpkg, pg):
        store.replace_all({"odd": _odd_values()})
    pd.testing.assert_frame_equal(pd.DataFrame(pg.read("odd").drop(columns="geometry")),
                                  pd.DataFrame(gpkg.read("odd").drop(columns="geometry")))
    assert store_manifest(pg) == store_manifest(gpkg)
