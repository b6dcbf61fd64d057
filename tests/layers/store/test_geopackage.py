"""GeoPackage-only store behaviour: file-level atomicity, R-tree upkeep, integrity check.

The backend-generic contract runs for every backend in ``test_store_contract.py``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from layers.schema import SERVICES, SESSIONS
from layers.store import StoreError, geopackage, open_store
from scripts.mapa import main
from tests.layers.store.sample import frames, more_services


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
    """After a multi-chunk append the R-tree finds exactly the new rows and GDAL trusts it."""
    import warnings

    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    far = gpd.GeoDataFrame({"service_id": [f"far-{i}" for i in range(50)], "town_id": "b",
                            "name": "x", "service_type": "school", "synthetic": True},
                           geometry=[Point(17.0 + i * 1e-3, 49.5) for i in range(50)],
                           crs="EPSG:4326")
    store.append_batch(iter([("services", far.iloc[:20]), ("services", far.iloc[20:])]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "spatial index is corrupted" warning fails here
        found = pyogrio.read_dataframe(path, layer="services", bbox=(16.9, 49.4, 17.2, 49.6))
        near = pyogrio.read_dataframe(path, layer="services", bbox=(13.5, 50.5, 13.7, 50.7))
    assert sorted(found["service_id"]) == sorted(far["service_id"])
    assert list(near["service_id"]) == ["a-1"]
    info = subprocess.run(["ogrinfo", "-so", str(path), "services"], capture_output=True,
                          text=True, check=True)
    assert "Feature Count: 52" in info.stdout
    assert "corrupt" not in info.stderr.lower()
    # later single writes (triggers back in place) are indexed too
    store.append(SERVICES, more_services(1, "late").set_geometry(
        [Point(18.5, 49.9)], crs="EPSG:4326"))
    late = pyogrio.read_dataframe(path, layer="services", bbox=(18.4, 49.8, 18.6, 50.0))
    assert list(late["service_id"]) == ["late-0"]


KILLED_IMPORT = """
import os, signal, sys
from layers.store import open_store
from tests.layers.store.sample import more_services

def chunks():
    yield "services", more_services(50, "kill")
    os.kill(os.getpid(), signal.SIGKILL)  # the import dies half-way, like `kill -9`
    yield "services", more_services(50, "never")

open_store(sys.argv[1]).append_batch(chunks())
"""


def test_next_write_removes_the_copy_a_killed_import_left(tmp_path: Path) -> None:
    """A killed import leaves its private copy behind; the next writer deletes it under the
    writer lock (nobody else can be writing then) and the store itself never changed."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    died = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(path)],
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert died.returncode == -signal.SIGKILL
    stale = sorted(p.name for p in tmp_path.glob(f".s.gpkg.*{geopackage.TEMPORARY_SUFFIX}*"))
    assert stale, "the killed import should have left its copy (else this test tests nothing)"
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
        store.append_batch([("services", more_services(3, "x"))])  # the private-copy path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o640)
        store.append_batch([("services", more_services(3, "y"))])
        store.replace_all(frames())
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg", "s.gpkg.lock",
                                                              "s.gpkg.rlock"]
    finally:
        os.umask(old_umask)

def _killed_import(path: Path) -> list[str]:
    """Run an import that is killed half-way; the names of the copies it left."""
    died = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(path)],
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert died.returncode == -signal.SIGKILL
    return _leftovers(path)


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f".s.gpkg.*{geopackage.TEMPORARY_SUFFIX}*"))


def test_the_copy_a_killed_import_left_is_removed_when_a_command_starts(
        tmp_path: Path) -> None:
    """Not only at the next write: the next ``mapa`` command (and the app's start, both
    through ``remove_leftovers``) removes it, but not while a writer holds the lock."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(frames())
    before = _digest(path)
    assert _killed_import(path), "the killed import should have left its copy"
    assert main(["batches", "--store", str(path), "--json"]) == 0  # a command that only reads
    assert _leftovers(path) == []

    assert _killed_import(path)
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
    died = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(path)],
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert died.returncode == -signal.SIGKILL
    pattern = f".s.gpkg.*{geopackage.TEMPORARY_SUFFIX}*"
    assert list(tmp_path.glob(pattern)), "the killed import should have left its copy"

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
