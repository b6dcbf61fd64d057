"""Loaders of the shipped real data, and their errors on bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest

from layers.sources.errors import SourceError
from layers.sources.real import (
    REAL_SOURCES,
    SOURCES_DIR,
    clean_police_name,
    load_police,
    load_towns,
    read_vector,
)

POLYGONS = Path("boundaries") / "obce_polygons_KVK_ULK_simplified_datarozhlas.geojson"


@pytest.fixture(scope="module")
def towns() -> gpd.GeoDataFrame:
    return load_towns()


def test_demo_towns_carry_real_figures(towns: gpd.GeoDataFrame) -> None:
    by_id = towns.set_index("town_id")
    assert by_id.loc["litvinov", "kod_obec"] == "567256"
    assert by_id.loc["litvinov", "population"] == 23489
    assert by_id.loc["kraslice", "population"] == 6705
    assert by_id.loc["karlovy-vary", "population"] == 48319
    assert by_id.loc["litvinov", "isv_2023"] == 19
    assert by_id.loc["kraslice", "isv_2023"] == 13
    assert set(by_id["isv_band"]) == {"12-30"}
    assert towns.crs.to_epsg() == 4326
    litvinov = by_id.loc["litvinov"]
    assert litvinov["geometry"].contains(gpd.points_from_xy(
        [litvinov["center_lon"]], [litvinov["center_lat"]])[0])


def test_police_districts_of_the_towns(towns: gpd.GeoDataFrame) -> None:
    districts, stats, reference = load_police(towns)
    codes = districts.groupby("town_id")["oop_code"].apply(set).to_dict()
    assert codes["litvinov"] == {"040812", "040817"}
    assert codes["kraslice"] == {"190914"}
    assert codes["karlovy-vary"] == {"190313", "190314"}
    assert "Karlovy Vary - Rybáře" in set(districts["oop_name"].str.replace("OOP ", ""))
    total = stats[(stats["crime_type"] == "total") & (stats["oop_code"] == "040812")]
    assert total["found"].item() == 1052
    national = reference[reference["area"] == "Česká republika"]
    assert national["per_10k"].item() == 148.6
    regions = reference[reference["year"] == 2013].set_index("area")
    assert 150 < regions.loc["Ústecký kraj", "per_10k"] < 600


@pytest.mark.parametrize(("raw", "clean"), [
    ("OOP A\x9aš", "OOP Aš"), ("OOP Karlovy Vary - RybáŘe", "OOP Karlovy Vary - Rybáře"),
    ("OOP \x8aŠluknov", "OOP Šluknov"), ("ÚO LitoměŘice", "ÚO Litoměřice"),
    ("OOP Litvínov - Hamr", "OOP Litvínov - Hamr"),
])
def test_police_names_repaired(raw: str, clean: str) -> None:
    assert clean_police_name(raw) == clean


def _copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, target)
    return target


def test_corrupt_file_is_named_in_the_error(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    (sources / POLYGONS).write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    with pytest.raises(SourceError, match=r"obce_polygons.*cannot be read"):
        load_towns(sources)


def test_wrong_crs_is_refused(tmp_path: Path) -> None:
    """Coordinates in S-JTSK metres labelled as WGS 84 are refused, naming the file."""
    sources = _copy_sources(tmp_path)
    polygons = gpd.read_file(sources / POLYGONS).to_crs("EPSG:5514").set_crs(
        "EPSG:4326", allow_override=True)
    (sources / POLYGONS).unlink()
    polygons.to_file(sources / POLYGONS, driver="GeoJSON")
    with pytest.raises(SourceError, match=r"obce_polygons.*not in Czechia"):
        load_towns(sources)


def test_missing_column_and_missing_file(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    polygons = gpd.read_file(sources / POLYGONS).drop(columns=["KOD_OBEC"])
    polygons.to_file(sources / POLYGONS, driver="GeoJSON")
    with pytest.raises(SourceError, match=r"missing required columns \[.KOD_OBEC.\]"):
        load_towns(sources)
    with pytest.raises(SourceError, match="file not found"):
        read_vector(sources / "nothing.geojson")


def test_every_real_layer_is_attributed() -> None:
    """The attribution file gives each source its title, licence, attribution and year."""
    fields = {"layer", "title", "licence", "attribution", "vintage"}
    assert all(set(row) == fields and all(row.values()) for row in REAL_SOURCES)
    assert {"towns", "municipalities", "police_districts", "crime_stats", "regions",
            "context_lines"} <= {row["layer"] for row in REAL_SOURCES}
