"""GeoPackage store: round trip, CRS, per-town reads, atomic replacement."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
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
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.endswith("lock")]
    assert leftovers == ["s.gpkg"], "temporary file left behind"


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


def _more_services(n: int, prefix: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"service_id": [f"{prefix}-{i}" for i in range(n)], "town_id": "a",
         "name": [f"Služba {i}" for i in range(n)], "service_type": "school",
         "synthetic": True},
        geometry=[Point(13.6 + i * 1e-4, 50.6) for i in range(n)], crs="EPSG:4326")


def test_append_batch_adds_all_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(_frames())
    added = store.append_batch([("services", _more_services(3, "x")),
                                ("services", _more_services(2, "y")),
                                ("crime_stats", _frames()["crime_stats"])])
    assert added == {"services": 5, "crime_stats": 1}
    assert len(store.read("services")) == 7
    store.append("offences_like", gpd.GeoDataFrame(
        {"town_id": ["a"]}, geometry=[Point(13.6, 50.6)], crs="EPSG:4326"))
    assert "offences_like" in store.layer_names()


def test_failing_chunk_stream_leaves_store_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(_frames())
    before = _digest(path)

    def chunks():
        yield "crime_stats", _frames()["crime_stats"]
        yield "services", _more_services(3, "x")
        raise ValueError("file truncated at line 40")

    with pytest.raises(ValueError, match="truncated"):
        store.append_batch(chunks())
    with pytest.raises(StoreError, match="columns"):
        store.append_batch([("services", _more_services(1, "z").drop(columns="name"))])
    with pytest.raises(StoreError, match="EPSG:4326"):
        store.append_batch([("services", _more_services(1, "z").to_crs("EPSG:5514"))])
    assert _digest(path) == before


WRITER = """
import sys
import geopandas as gpd
from shapely.geometry import Point
from layers.store import open_store
store = open_store(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.append("services", gpd.GeoDataFrame(
        {"service_id": [f"w{sys.argv[2]}-{i}"], "town_id": ["a"], "name": ["x"],
         "service_type": ["school"], "synthetic": [True]},
        geometry=[Point(13.6, 50.6)], crs="EPSG:4326"))
"""


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    """Processes appending at once all land: 4 writers × 10 appends → 40 new rows, no dupes."""
    path = tmp_path / "s.gpkg"
    open_store(path).replace_all(_frames())
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(w), "10"])
               for w in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    services = open_store(path).read("services")
    assert len(services) == 2 + 40
    assert services["service_id"].is_unique


def test_unique_keys_make_appends_idempotent(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(_frames())
    batch = [("services", _more_services(3, "x")), ("services", _more_services(3, "x"))]
    assert store.append_batch(batch, unique_keys={"services": "service_id"}) == {"services": 3}
    assert store.append_batch(batch, unique_keys={"services": "service_id"}) == {}
    assert len(store.read("services")) == 5


def test_update_and_delete_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(_frames())
    changed = store.update_rows("services", "service_id", pd.DataFrame(
        {"service_id": ["a-1", "nope"], "name": ["Klub Nový", "x"], "synthetic": [False, True]}))
    assert changed == 1
    services = store.read("services").set_index("service_id")
    assert services.loc["a-1", "name"] == "Klub Nový"
    assert not services.loc["a-1", "synthetic"]
    assert services.loc["b-1", "name"] == "Škola Ř"
    assert store.delete_rows("services", "service_id", ["b-1", "zzz"]) == 1
    assert list(store.read("services")["service_id"]) == ["a-1"]
    # the spatial index followed the delete: a bbox query (R-tree) no longer finds b-1
    assert len(pyogrio.read_dataframe(path, layer="services", bbox=(12.4, 50.2, 12.6, 50.4))) == 0
    assert len(pyogrio.read_dataframe(path, layer="services", bbox=(13.5, 50.5, 13.7, 50.7))) == 1
    before = _digest(path)
    with pytest.raises(StoreError, match="no columns"):
        store.update_rows("services", "service_id", pd.DataFrame(
            {"service_id": ["a-1"], "name; DROP TABLE services": ["x"]}))
    assert _digest(path) == before


def test_batched_import_keeps_the_spatial_index_right(tmp_path: Path) -> None:
    """After a multi-chunk append the R-tree finds exactly the new rows and GDAL trusts it."""
    import warnings

    path = tmp_path / "s.gpkg"
    store = open_store(path)
    store.replace_all(_frames())
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
    store.append("services", _more_services(1, "late").set_geometry(
        [Point(18.5, 49.9)], crs="EPSG:4326"))
    late = pyogrio.read_dataframe(path, layer="services", bbox=(18.4, 49.8, 18.6, 50.0))
    assert list(late["service_id"]) == ["late-0"]
