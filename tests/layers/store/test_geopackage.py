"""GeoPackage store: round trip, CRS, per-town reads, atomic replacement."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from layers.store import StoreError, geopackage, open_store


def _frames() -> dict[str, pd.DataFrame]:
    square = MultiPolygon([Polygon([(13.6, 50.6), (13.61, 50.6), (13.61, 50.61), (13.6, 50.6)])])
    services = gpd.GeoDataFrame(
        {"service_id": ["a-1", "b-1"], "town_id": ["a", "b"], "name": ["Klub", "Škola Ř"],
         "service_type": ["nzdm", "school"], "synthetic": [True, False]},
        geometry=[Point(13.6012345, 50.6054321), Point(12.5, 50.3)], crs="EPSG:4326")
    localities = gpd.GeoDataFrame({"locality_id": ["a-1"], "town_id": ["a"], "name": ["Janov"],
                                   "population_est": [3900]}, geometry=[square], crs="EPSG:4326")
    table = pd.DataFrame({"oop_code": ["040812"], "year": [2013], "crime_type": ["total"],
                          "found": [1052.0], "solved": [500.0]})
    return {"services": services, "localities": localities, "crime_stats": table}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_keeps_values_and_crs(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    frames = _frames()
    store.replace_all(frames)
    services = store.read("services")
    assert isinstance(services, gpd.GeoDataFrame)
    assert services.crs is not None and services.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(
        pd.DataFrame(services.drop(columns="geometry")),
        pd.DataFrame(frames["services"].drop(columns="geometry")), check_dtype=False)
    assert services.geometry.geom_equals_exact(frames["services"].geometry, 1e-9).all()
    stats = store.read("crime_stats")
    assert stats.loc[0, "found"] == 1052.0 and stats.loc[0, "oop_code"] == "040812"
    assert sorted(store.layer_names()) == ["crime_stats", "localities", "services"]


def test_read_one_town(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(_frames())
    assert list(store.read("services", "b")["name"]) == ["Škola Ř"]
    assert store.read("services", "o'hara").empty


def test_unknown_layer_and_missing_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "none.gpkg")
    with pytest.raises(StoreError, match="does not exist"):
        store.read("pins")
    store.replace_all(_frames())
    with pytest.raises(StoreError, match="pins"):
        store.read("pins")


def test_refuses_non_wgs84_and_keeps_old_store(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(_frames())
    before = _digest(path)
    frames = _frames()
    frames["services"] = frames["services"].to_crs("EPSG:5514")
    with pytest.raises(StoreError, match="EPSG:4326"):
        store.replace_all(frames)
    assert _digest(path) == before


def test_failed_write_leaves_store_untouched(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that dies half-way (here: the disk fills after the first layer) changes nothing."""
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(_frames())
    before = _digest(path)
    real_write = geopackage._write_layer
    written: list[str] = []

    def write_then_fail(target: Path, name: str, frame: pd.DataFrame) -> None:
        if written:
            raise OSError("No space left on device")
        real_write(target, name, frame)
        written.append(name)

    monkeypatch.setattr(geopackage, "_write_layer", write_then_fail)
    with pytest.raises(OSError, match="No space"):
        store.replace_all(_frames())
    assert written == ["services"]
    assert _digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.gpkg"], "temporary file left behind"


def test_version_changes_with_data(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    assert store.version() == "missing"
    store.replace_all(_frames())
    first = store.version()
    frames = _frames()
    frames["services"] = frames["services"].iloc[:1]
    store.replace_all(frames)
    assert store.version() != first


def test_corrupt_store_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    path.write_bytes(b"this is not a geopackage")
    with pytest.raises(StoreError, match="not a readable GeoPackage"):
        open_store(path).layer_names()


def test_postgres_url_is_refused_clearly() -> None:
    with pytest.raises(StoreError, match="PostGIS"):
        open_store("postgresql://localhost/mapa")
