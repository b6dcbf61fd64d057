"""Any Czech municipality by its RÚIAN code: shipped or given boundary, index and population
joined by code, one undoable batch."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pytest

from layers.ingest.batches import ImportRefused, list_batches, run_import, undo_batch
from layers.ingest.towns import POLYGONS, import_town
from layers.schema import TOWNS
from layers.sources.real import SOURCES_DIR
from layers.store import Store
from tests.layers.ingest.conftest import FIXTURES, digest


def test_a_shipped_municipality_with_joins(store: Store) -> None:
    result = import_town(store, "567027", town_id="most")
    town = store.read(TOWNS, "most").iloc[0]
    assert (town["name"], town["okres"], town["kraj"]) == ("Most", "Most", "Ústecký kraj")
    assert (town["population"], town["population_year"]) == (65341, 2020)
    assert (town["isv_2023"], town["isv_band"]) == (21.0, "12-30")
    assert any("shipped MMR table" in n for n in result.report.notes)
    # the new town takes imports at once, and undo removes the town again
    services = run_import(store, "services", FIXTURES / "services_osm.geojson", town_id="most")
    assert services.report.counts["flagged"] == 3  # Litvínov's services lie outside Most
    undo_batch(store, services.batch_id)
    assert undo_batch(store, result.batch_id) == {"towns": 1, "sources": 1}
    assert store.read(TOWNS, "most").empty


def test_a_boundary_file_in_sjtsk_and_an_imported_index_edition(store: Store,
                                                                tmp_path: Path) -> None:
    polygons = gpd.read_file(SOURCES_DIR / POLYGONS)
    two = polygons[polygons["KOD_OBEC"].isin(["567027", "567256"])].to_crs("EPSG:5514")
    path = tmp_path / "obce.gpkg"
    two[["KOD_OBEC", "NAZ_OBEC", "geometry"]].to_file(path, driver="GPKG")
    run_import(store, "exclusion-index", FIXTURES / "exclusion_index.xlsx", town_id="litvinov")
    result = import_town(store, "567256", town_id="litvinov-2", boundary=path)
    assert "EPSG:5514 read from the file" in result.report.crs_action
    town = store.read(TOWNS, "litvinov-2").iloc[0]
    assert town["name"] == "Litvínov" and town["isv_2023"] == 18.0  # the 2025 edition
    shipped = polygons[polygons["KOD_OBEC"] == "567256"].geometry.iloc[0]
    stored = store.read(TOWNS, "litvinov-2").geometry.iloc[0]
    assert math.isclose(stored.area, shipped.area, rel_tol=1e-3)
    assert list(list_batches(store, "litvinov-2")["kind"]) == ["town"]


@pytest.mark.parametrize(("code", "town_id", "message"), [
    ("56702", "x", "6 digits"),
    ("500000", "x", "not among the shipped boundaries"),
    ("567027", "litvinov", "already in the store"),
])
def test_refusals_change_nothing(store: Store, code: str, town_id: str, message: str) -> None:
    before = digest(store)
    with pytest.raises(ImportRefused, match=message):
        import_town(store, code, town_id=town_id)
    assert digest(store) == before


def test_dry_run_writes_nothing(store: Store) -> None:
    before = digest(store)
    result = import_town(store, "560286", town_id="sokolov", dry_run=True)
    assert result.preview["towns"]["name"].iloc[0] == "Sokolov"
    assert digest(store) == before


def test_any_municipality_of_czechia_by_its_code_alone(store: Store) -> None:
    result = import_town(store, "554821", town_id="ostrava")
    town = store.read(TOWNS, "ostrava").iloc[0]
    assert (town["name"], town["okres"], town["kraj"]) == (
        "Ostrava", "Ostrava-město", "Moravskoslezský kraj")
    assert (town["population"], town["population_year"]) == (284982, 2020)
    # Ostrava is about 214 km² in the register; the simplified outline keeps that
    area_km2 = gpd.GeoSeries([store.read(TOWNS, "ostrava").geometry.iloc[0]],
                             crs="EPSG:4326").to_crs("EPSG:5514").area.iloc[0] / 1e6
    assert 200 < area_km2 < 230
    assert any("obce_polygons_CZ" in n for n in result.report.notes)
