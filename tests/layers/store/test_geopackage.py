"""GeoPackage-only store behaviour: file-level atomicity, R-tree upkeep, integrity check.

The backend-generic contract runs for every backend in ``test_store_contract.py``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from layers.schema import PINS, SERVICES, SESSIONS
from layers.store import StoreError, geopackage, open_store
from layers.store.base import RowMatch
from scripts.mapa import main
from tests.layers.store.sample import frames, more_services, pins


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_write_leaves_store_untouched(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that dies half-way (here: the disk fills after the first layer) changes nothing."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    real_write = geopackage._write_layer
    written: list[str] = []

    def write_then_fail(target: Path, name: str, frame: pd.DataFrame) -> None:
        if written:
            raise OSError("No space left on device")
        real_write(target, name, frame)
        written.append(name)

    monkeypatch.setattr(geopackage, "_write_layer", write_then_fail)
    with pytest.raises(StoreError, match="No space") as caught:
        store.replace_all(frames())
    assert caught.value.code == "store.disk_full"
    assert written == ["services"]
    assert _digest(path) == before
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.endswith("lock")]
    assert leftovers == ["s.gpkg"], "temporary file left behind"


def test_corrupt_store_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    path.write_bytes(b"this is not a geopackage")
    with pytest.raises(StoreError, match="not a readable GeoPackage"):
        open_store(path).layer_names()


def test_spatial_index_follows_updates_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    assert store.delete_rows(SERVICES, "service_id", ["b-1"]) == 1
    # a bbox query (R-tree) no longer finds b-1
    assert len(pyogrio.read_dataframe(path, layer="services", bbox=(12.4, 50.2, 12.6, 50.4))) == 0
    assert len(pyogrio.read_dataframe(path, layer="services", bbox=(13.5, 50.5, 13.7, 50.7))) == 1
    before = _digest(path)
    with pytest.raises(StoreError, match="no columns"):
        store.update_rows(SERVICES, "service_id", pd.DataFrame(
            {"service_id": ["a-1"], "name; DROP TABLE services": ["x"]}))
    assert _digest(path) == before


def test_check_finds_a_broken_spatial_index_and_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    assert store.check() == []
    db = sqlite3.connect(path)
    with db:
        db.execute('DROP TRIGGER "rtree_services_geom_insert"')
        db.execute('DELETE FROM "rtree_services_geom" WHERE id = 1')
    db.close()
    problems = store.check()
    assert any("1 entries for 2 geometries" in p for p in problems), problems
    assert any("not kept current" in p for p in problems), problems
    path.write_bytes(path.read_bytes()[:4096])  # a truncated copy
    assert store.check() != []
    assert open_store(tmp_path / "none.gpkg").check() == [f"store {tmp_path / 'none.gpkg'} "
                                                         "does not exist"]


def test_batched_import_keeps_the_spatial_index_right(tmp_path: Path) -> None:
    """After a multi-chunk append, indexed in bulk with the insert triggers set aside, the
    R-tree finds exactly the new rows, GDAL trusts it and counts the features right."""
    import warnings

    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    n = 2 * geopackage.BULK_ROWS
    far = gpd.GeoDataFrame({"service_id": [f"far-{i}" for i in range(n)], "town_id": "b",
                            "name": "x", "service_type": "school", "synthetic": True},
                           geometry=[Point(17.0 + i * 1e-4, 49.5) for i in range(n)],
                           crs="EPSG:4326")
    half = geopackage.BULK_ROWS
    store.append_batch(iter([("services", far.iloc[:half]), ("services", far.iloc[half:])]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "spatial index is corrupted" warning fails here
        found = pyogrio.read_dataframe(path, layer="services", bbox=(16.9, 49.4, 17.2, 49.6))
        near = pyogrio.read_dataframe(path, layer="services", bbox=(13.5, 50.5, 13.7, 50.7))
    assert sorted(found["service_id"]) == sorted(far["service_id"])
    assert list(near["service_id"]) == ["a-1"]
    info = subprocess.run(["ogrinfo", "-so", str(path), "services"], capture_output=True,
                          text=True, check=True)
    assert f"Feature Count: {n + 2}" in info.stdout
    assert "corrupt" not in info.stderr.lower()
    assert store.check() == []
    # later single writes (triggers back in place) are indexed and counted too
    store.append(SERVICES, more_services(1, "late").set_geometry(
        [Point(18.5, 49.9)], crs="EPSG:4326"))
    late = pyogrio.read_dataframe(path, layer="services", bbox=(18.4, 49.8, 18.6, 50.0))
    assert list(late["service_id"]) == ["late-0"]
    info = subprocess.run(["ogrinfo", "-so", str(path), "services"], capture_output=True,
                          text=True, check=True)
    assert f"Feature Count: {n + 3}" in info.stdout


def test_an_import_writes_in_place_and_a_refused_chunk_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No copy of the store is made (an import costs its rows), and a chunk refused half-way
    after bulk-indexed chunks, one of them creating a new spatial layer, leaves the file
    byte for byte as it was: no layer, no trigger set aside, no row."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    copies: list[object] = []
    monkeypatch.setattr(geopackage.shutil, "copy2", lambda *a, **k: copies.append(a))
    big = geopackage.BULK_ROWS
    pins = gpd.GeoDataFrame({"pin_id": [f"p-{i}" for i in range(big)], "town_id": "a"},
                            geometry=[Point(13.6 + i * 1e-5, 50.6) for i in range(big)],
                            crs="EPSG:4326")

    def chunks() -> Iterator[tuple[str, pd.DataFrame]]:
        yield "services", more_services(big, "ok")
        yield "new_points", pins
        yield "services", more_services(3, "bad").to_crs("EPSG:5514")  # refused: wrong CRS

    with pytest.raises(StoreError, match="EPSG:4326"):
        store.append_batch(chunks())
    assert _digest(path) == before
    assert copies == []
    assert "new_points" not in store.layer_names()
    assert store.check() == []

    def good() -> Iterator[tuple[str, pd.DataFrame]]:
        yield "services", more_services(big, "ok")
        yield "new_points", pins

    assert store.append_batch(good()) == {"services": big, "new_points": big}
    assert copies == []
    assert store.check() == []
    found = pyogrio.read_dataframe(path, layer="new_points", bbox=(13.59, 50.59, 13.61, 50.61))
    assert sorted(found["pin_id"]) == sorted(pins["pin_id"])
    _assert_consistent(path)


def _assert_consistent(path: Path) -> None:
    """SQLite finds the file sound and every R-tree has one entry per non-empty geometry."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        for table, column in db.execute("SELECT table_name, column_name FROM gpkg_extensions "
                                        "WHERE extension_name = 'gpkg_rtree_index'").fetchall():
            rows = db.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL'
                              ).fetchone()[0]
            entries = db.execute(f'SELECT count(*) FROM "rtree_{table}_{column}"').fetchone()[0]
            assert rows == entries, table
            triggers = {r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                (table,))}
            assert f"rtree_{table}_{column}_insert" in triggers, table


KILLED_IMPORT = """
import os, signal, sys
from layers.store import geopackage, open_store
from tests.layers.store.sample import more_services

# a page cache of a few pages: the import's pages go to the store file before the kill,
# so the kill leaves a half-written file and a hot journal, the hardest case
geopackage.WRITER_CACHE_KIB = 64

def chunks():
    for part in range(3):
        yield "services", more_services(2000, f"kill{part}")
    os.kill(os.getpid(), signal.SIGKILL)  # the import dies half-way, like `kill -9`
    yield "services", more_services(50, "never")

open_store(sys.argv[1]).append_batch(chunks())
"""


def test_a_killed_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    """An import killed half-way (SIGKILL, after its rows reached the file) leaves a hot
    journal; the next opener rolls it back: the file is byte for byte the one before, SQLite
    finds it sound, every R-tree matches its table and the next write goes through."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    died = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(path)],
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert died.returncode == -signal.SIGKILL
    journal = path.with_name("s.gpkg-journal")
    assert journal.exists() and journal.stat().st_size > 0, \
        "the killed import should have left a hot journal (else this test tests nothing)"

    # a reader first (GDAL opens read-only and cannot roll the journal back itself)
    assert list(store.read(SERVICES)["service_id"]) == ["a-1", "b-1"]
    assert not journal.exists() or journal.stat().st_size == 0
    assert _digest(path) == before
    reopened = open_store(path)
    assert reopened.check() == []
    _assert_consistent(path)
    reopened.append(SERVICES, more_services(1, "next"))
    assert list(reopened.read(SERVICES)["service_id"]) == ["a-1", "b-1", "next-0"]
    _assert_consistent(path)


KILLED_REBUILD = """
import os, signal, sys
from layers.store import geopackage, open_store
from tests.layers.store.sample import frames

real_write = geopackage._write_layer

def write_then_die(*args, **kwargs):
    real_write(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # the rebuild dies half-way, like `kill -9`

geopackage._write_layer = write_then_die
open_store(sys.argv[1]).replace_all(frames())
"""


def test_next_write_removes_the_copy_a_killed_rebuild_left(tmp_path: Path) -> None:
    """A killed rebuild (``replace_all``) leaves its private copy behind; the next writer
    deletes it under the writer lock (nobody else can be writing then) and the store itself
    never changed."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    stale = _killed_rebuild(path)
    assert stale, "the killed rebuild should have left its copy (else this test tests nothing)"
    assert _digest(path) == before

    store.append(SERVICES, more_services(1, "next"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg", "s.gpkg.lock",
                                                          "s.gpkg.rlock"]
    assert list(store.read(SERVICES)["service_id"]) == ["a-1", "b-1", "next-0"]


def test_a_new_store_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """A new store holds password hashes and the audit log: mode 0600 whatever the umask;
    a mode the operator gave an existing store survives every kind of write."""
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "s.gpkg"
        store = open_store(path)
        store.replace_all(frames())
        assert stat.S_IMODE(path.stat().st_mode) == geopackage.NEW_STORE_MODE == 0o600
        store.append_batch(iter([("services", more_services(3, "x"))]))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o640)
        store.append_batch([("services", more_services(3, "y"))])
        store.replace_all(frames())
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg", "s.gpkg.lock",
                                                              "s.gpkg.rlock"]
    finally:
        os.umask(old_umask)

def _killed_rebuild(path: Path) -> list[str]:
    """Run a store rebuild that is killed half-way; the names of the copies it left."""
    died = subprocess.run([sys.executable, "-c", KILLED_REBUILD, str(path)],
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert died.returncode == -signal.SIGKILL
    return _leftovers(path)


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f".s.gpkg.*{geopackage.TEMPORARY_SUFFIX}*"))


def test_the_copy_a_killed_rebuild_left_is_removed_when_a_command_starts(
        tmp_path: Path) -> None:
    """Not only at the next write: the next ``mapa`` command (and the app's start, both
    through ``remove_leftovers``) removes it, but not while a writer holds the lock."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    assert _killed_rebuild(path), "the killed rebuild should have left its copy"
    assert main(["batches", "--store", str(path), "--json"]) == 0  # a command that only reads
    assert _leftovers(path) == []

    assert _killed_rebuild(path)
    with open(path.with_name("s.gpkg.lock"), "a") as held:  # a writer at work
        fcntl.flock(held, fcntl.LOCK_EX)
        assert store.remove_leftovers() == 0
        assert _leftovers(path), "a working writer's copy was removed"
    assert store.remove_leftovers() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg", "s.gpkg.lock",
                                                          "s.gpkg.rlock"]
    assert _digest(path) == before


def test_next_reader_removes_the_copy_unless_a_writer_is_at_work(tmp_path: Path) -> None:
    """The next process to open the store (a map page's read) removes a killed import's
    copy too, but not while some writer holds the writer lock (the copy may be its own)."""
    path = tmp_path / "s.gpkg"
    open_store(path).replace_all(frames())
    pattern = f".s.gpkg.*{geopackage.TEMPORARY_SUFFIX}*"
    assert _killed_rebuild(path), "the killed rebuild should have left its copy"

    with open(tmp_path / "s.gpkg.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a writer at work
        assert len(open_store(path).read(SERVICES)) == 2
        assert list(tmp_path.glob(pattern)), "a live writer's copy must not be removed"
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert len(open_store(path).read(SERVICES)) == 2
    assert not list(tmp_path.glob(pattern))


def test_a_new_table_without_geometry_is_registered_and_takes_more_rows(tmp_path: Path) -> None:
    """The first write of a layer without geometry into a store that already counts its
    writes creates a registered attribute table, so the next write appends to it."""
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(frames())  # the write counters exist from now on
    row = pd.DataFrame([{"session_id": "s1", "town_id": "a", "date": "2026-01-01",
                         "place": "Janov", "organiser": "KC", "age_group": "13-18",
                         "participants": 5, "method": "tablet", "consent": "ano",
                         "synthetic": False}])
    store.append(SESSIONS, row)
    with sqlite3.connect(store.location) as db:
        assert db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'sessions'"
                          ).fetchall() == [("attributes",)]
    store.append(SESSIONS, row.assign(session_id="s2"))
    assert store.read(SESSIONS)["session_id"].tolist() == ["s1", "s2"]


def test_per_row_updates_find_their_rows_through_an_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Moderating one pin, a session or an import batch, and undoing a batch, run set-based
    statements that SQLite answers through the layer's B-tree indexes, never a scan."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all({**frames(), "pins": pins(300, "imp-1")})
    store.append(PINS, pins(5, "tab", session="s2"))
    statements: list[str] = []
    real = geopackage._connected

    @contextlib.contextmanager
    def traced(target: Path) -> Iterator[sqlite3.Connection]:
        with real(target) as db:
            db.set_trace_callback(statements.append)
            yield db

    monkeypatch.setattr(geopackage, "_connected", traced)
    assert store.update_rows(PINS, "pin_id", pd.DataFrame(
        {"pin_id": ["tab-0", "tab-1"], "status": ["approved", "rejected"]})) == 2
    assert store.update_matching(RowMatch("pins", equals={"session_id": "s2",
                                                          "status": "pending"}),
                                 {"status": "approved"}) == 3
    batch = RowMatch("pins", equals={"status": "pending"}, prefix=("pin_id", "imp-1-"))
    assert store.update_matching(batch, {"status": "approved"}) == 300
    assert store.delete_matching([RowMatch("pins", prefix=("pin_id", "imp-1-"))]) == {
        "pins": 300}
    # each once (SQLite traces a statement again for every trigger program it runs)
    writes = list(dict.fromkeys(s for s in statements
                                if s.startswith(('UPDATE "pins"', 'DELETE FROM "pins"'))))
    assert len(writes) == 5, writes  # two keys (one executemany), session, batch, undo
    with contextlib.closing(sqlite3.connect(path)) as db:
        geopackage._register_gpkg_functions(db)
        for statement in writes:
            plan = " | ".join(r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {statement}"))
            assert "INDEX" in plan and "SCAN" not in plan, (statement, plan)
    assert sorted(store.read(PINS)["status"]) == ["approved"] * 4 + ["rejected"]
