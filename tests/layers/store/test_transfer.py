"""Whole-store copies, backups and restores, verified by row counts and checksums."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from layers.store import Store, geopackage, open_store
from layers.store.transfer import layer_checksum, read_manifest, store_manifest
from scripts.mapa import main
from tests.layers.store.sample import frames


def _mapa(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    """Run ``mapa … --json``: exit status, the JSON result (or {}) and stderr."""
    status = main([*argv, "--json"])
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    return status, (json.loads(lines[-1]) if status == 0 else {}), err


def test_checksum_ignores_row_order_and_dtype_but_sees_every_change() -> None:
    services = frames()["services"]
    assert isinstance(services, gpd.GeoDataFrame)
    base = layer_checksum(services)
    assert layer_checksum(services.iloc[::-1]) == base
    assert layer_checksum(services[["name", "town_id", "service_id", "service_type",
                                    "synthetic", "geometry"]]) == base
    table = frames()["crime_stats"]
    assert layer_checksum(table.astype({"year": "float64"})) == layer_checksum(table)
    moved = services.set_geometry([Point(13.6012346, 50.6054321), Point(12.5, 50.3)],
                                  crs="EPSG:4326")
    renamed = services.assign(name=["Klub", "Škola R"])
    doubled = pd.concat([services, services.iloc[:1]])
    swapped = services.assign(town_id=["b", "a"])
    checksums = {layer_checksum(f) for f in (moved, renamed, doubled, swapped)}
    assert base not in checksums and len(checksums) == 4
    missing = pd.Series([None, "Škola Ř"], index=services.index, dtype=object)
    assert layer_checksum(services.assign(name=missing)) != \
        layer_checksum(services.assign(name=missing.fillna("")))


def test_migrate_round_trip_gpkg_postgis_gpkg(demo_store: Store, demo_store_path: Path,
                                              pg_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    expected = store_manifest(demo_store)
    status, result, _ = _mapa(capsys, "migrate", "--from", str(demo_store_path), "--to", pg_url)
    assert status == 0 and result["verified"] is True
    assert result["layers"] == {name: e["rows"] for name, e in expected.items()}
    assert result["checksums"] == {name: e["checksum"] for name, e in expected.items()}
    back = tmp_path / "back.gpkg"
    status, result, _ = _mapa(capsys, "migrate", "--from", pg_url, "--to", str(back))
    assert status == 0 and result["verified"] is True
    assert store_manifest(open_store(back)) == expected
    assert open_store(back).check() == []
    # --store takes the URL like any path
    status, result, _ = _mapa(capsys, "info", "--store", pg_url)
    assert status == 0 and result["layers"]["pins"] == expected["pins"]["rows"]
    # an existing store is not overwritten by accident
    status, _, err = _mapa(capsys, "migrate", "--from", str(back), "--to", pg_url)
    assert status == 1 and "--force" in err
    status, result, _ = _mapa(capsys, "migrate", "--to", pg_url)
    assert status == 0 and result["migrated"] is True


@pytest.fixture(params=["gpkg", "postgis"])
def filled(request: pytest.FixtureRequest, demo_store_path: Path, tmp_path: Path) -> str:
    """A copy of the demo store in each backend; returns its location."""
    if request.param == "gpkg":
        path = tmp_path / "s.gpkg"
        shutil.copy(demo_store_path, path)
        return str(path)
    url = str(request.getfixturevalue("pg_url"))
    status = main(["migrate", "--from", str(demo_store_path), "--to", url])
    assert status == 0
    return url


def test_backup_and_restore(filled: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(filled)
    expected = store_manifest(store)
    out = tmp_path / "backup.gpkg"
    status, result, _ = _mapa(capsys, "backup", "--store", filled, "--out", str(out))
    assert status == 0 and result["verified"] is True
    assert read_manifest(out) == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []

    store.delete_rows("pins", "status", ["pending", "approved"])
    store.append("pins_extra", gpd.GeoDataFrame({"n": [1]}, geometry=[Point(13.6, 50.6)],
                                                crs="EPSG:4326"))
    assert store_manifest(store) != expected
    status, result, _ = _mapa(capsys, "restore", "--store", filled, "--from", str(out))
    assert status == 0 and result["verified"] is True
    assert store_manifest(store) == expected and store.check() == []

    # a damaged backup is refused before the store is touched
    store.delete_rows("sessions", "session_id", [str(store.read("sessions")["session_id"][0])])
    before = store.version(), store_manifest(store)
    db = sqlite3.connect(out)
    geopackage._register_gpkg_functions(db)  # the R-tree triggers call ST_* functions
    with db:
        db.execute("UPDATE pins SET category = 'dogs' WHERE fid = (SELECT min(fid) FROM pins "
                   "WHERE category != 'dogs')")
    db.close()
    status, _, err = _mapa(capsys, "restore", "--store", filled, "--from", str(out))
    assert status == 1 and "damaged" in err and "'pins'" in err
    assert (store.version(), store_manifest(store)) == before
    status, _, err = _mapa(capsys, "restore", "--store", filled, "--from", str(tmp_path / "x"))
    assert status == 1 and "does not exist" in err
