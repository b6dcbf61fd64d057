"""Every fixture of tests/fixtures/ingest gives the right result or a clear error, and a
failed import leaves the store byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from layers.ingest.batches import ImportRefused, run_import, undo_batch
from layers.ingest.pipeline import address_texts
from layers.schema import (
    ADDRESS_POINTS,
    CRIME_STATS,
    EXCLUSION_INDEX,
    LOCALITIES,
    OFFENCES,
    POLICE_DISTRICTS,
    SERVICE_TAGS,
    SERVICES,
    TOWNS,
)
from layers.sources.errors import SourceError
from layers.sources.real import SOURCES_DIR
from layers.store import Store
from layers.store.base import RowMatch
from tests.layers.ingest.conftest import FIXTURES, digest

TOWN = "litvinov"


def _town(store: Store) -> shapely.Geometry:
    return store.read(TOWNS, TOWN).geometry.iloc[0]


def test_localities_geojson_4326(store: Store) -> None:
    result = run_import(store, "localities", FIXTURES / "localities_4326.geojson", town_id=TOWN)
    report = result.report
    assert report.added == {"localities": 2} and report.rows == 3
    assert [(p.where, p.reason) for p in report.rejected] == [
        ("feature 3", "outside the boundary of litvinov")]
    assert "as declared" in report.crs_action
    stored = store.read(LOCALITIES, TOWN)
    new = stored[stored["locality_id"].str.startswith(result.batch_id)]
    assert sorted(new["name"]) == ["Janov – sídliště", "Šířava"]
    assert sorted(new["source"]) == ["OSPOD (2026-09-15)", "terénní šetření (2026-10-01)"]
    assert set(new["population_est"]) == {1500, 320}
    assert _town(store).covers(shapely.union_all(new.geometry.to_numpy()))


@pytest.mark.parametrize(("name", "names", "encoding"), [
    ("localities_5514.gpkg", ["Janov – sídliště", "Šířava"], ""),
    ("localities_5514_cp1250.zip", ["Luční", "Žižkova – ubytovna"], "cp1250"),
])
def test_localities_in_sjtsk(store: Store, name: str, names: list[str], encoding: str) -> None:
    result = run_import(store, "localities", FIXTURES / name, town_id=TOWN)
    assert result.report.crs_action.startswith("EPSG:5514 read from the file")
    assert result.report.encoding == encoding
    new = store.read(LOCALITIES, TOWN)
    new = new[new["locality_id"].str.startswith(result.batch_id)]
    assert sorted(new["name"]) == names
    assert _town(store).covers(shapely.union_all(new.geometry.to_numpy()))


def test_invalid_polygon_is_repaired_and_reported(store: Store) -> None:
    result = run_import(store, "localities", FIXTURES / "invalid_polygon.geojson", town_id=TOWN)
    assert result.report.counts["repaired"] == 1
    assert "Self-intersection" in result.report.repaired[0].reason
    new = store.read(LOCALITIES, TOWN)
    geom = new[new["locality_id"].str.startswith(result.batch_id)].geometry.iloc[0]
    assert geom.is_valid and geom.area > 0


def test_services_csv_with_positive_sjtsk_in_windows_1250(store: Store) -> None:
    result = run_import(store, "services", FIXTURES / "services_sjtsk_positive.csv",
                        town_id=TOWN)
    report = result.report
    assert report.encoding == "cp1250" and "positive S-JTSK" in report.crs_action
    new = store.read(SERVICES, TOWN)
    new = new[new["service_id"].str.startswith(result.batch_id)]
    assert list(new["name"]) == ["Obvodní oddělení PČR", "Městská policie", "Klub Áčko",
                                 "Hřiště Šumná"]
    assert list(new["service_type"]) == ["police", "municipal_police", "nzdm", "playground"]
    assert _town(store).covers(shapely.union_all(new.geometry.to_numpy()))


def test_services_csv_with_swapped_lat_lon(store: Store) -> None:
    result = run_import(store, "services", FIXTURES / "services_latlon_swapped.csv",
                        town_id=TOWN)
    assert "latitude and longitude swapped" in result.report.crs_action
    assert result.report.added == {"services": 3}
    new = store.read(SERVICES, TOWN)
    new = new[new["service_id"].str.startswith(result.batch_id)]
    assert _town(store).covers(shapely.union_all(new.geometry.to_numpy()))


def test_osm_services_are_typed_and_keep_their_tags(store: Store) -> None:
    result = run_import(store, "services", FIXTURES / "services_osm.geojson", town_id=TOWN)
    report = result.report
    assert report.added == {"services": 3, "service_tags": 3} and result.added == 3
    assert [p.where for p in report.rejected] == ["feature 4", "feature 5"]
    assert "amenity=bench" in report.rejected[0].reason
    assert "duplicate" in report.rejected[1].reason
    assert [p.where for p in report.repaired] == ["feature 3"]  # a playground outline
    services = store.read(SERVICES, TOWN)
    new = services[services["service_id"].str.startswith(result.batch_id)]
    assert list(new["service_type"]) == ["police", "addiction_service", "playground"]
    tags = store.read(SERVICE_TAGS, TOWN)
    first = json.loads(tags[tags["service_id"] == new["service_id"].iloc[1]]["tags"].iloc[0])
    assert first["social_facility:for"] == "drug_addicted" and first["@id"] == "node/2"


def test_offences_csv(store: Store) -> None:
    result = run_import(store, "offences", FIXTURES / "offences.csv", town_id=TOWN)
    assert result.report.added == {"offences": 3}
    assert [(p.where, p.reason) for p in result.report.rejected] == [
        ("line 4", "date missing or not a date")]
    assert sorted(store.read(OFFENCES, TOWN)["date"]) == ["2026-01-05", "2026-02-11",
                                                            "2026-03-01"]


def test_police_statistics(store: Store) -> None:
    result = run_import(store, "police-stats", FIXTURES / "police_stats.csv", town_id=TOWN)
    report = result.report
    assert report.added == {"crime_stats": 3}
    assert [(p.where, p.reason) for p in report.rejected] == [
        ("line 4", "more solved than found"), ("line 6", "department code must have 6 digits")]
    assert [p.where for p in report.repaired] == ["line 2"]
    stats = store.read(CRIME_STATS)
    new = stats[stats["year"] == 2025].sort_values(["oop_code", "crime_type"])
    assert list(zip(new["oop_code"], new["crime_type"], new["found"], strict=True)) == [
        ("040812", "total", 900), ("040812", "violent", 60), ("040817", "violent", 50)]


def test_exclusion_index_from_the_ministry_xlsx(store: Store) -> None:
    result = run_import(store, "exclusion-index", FIXTURES / "exclusion_index.xlsx",
                        town_id=TOWN)
    assert [(p.where, p.reason) for p in result.report.rejected] == [
        ("row 6", "municipality code (RÚIAN) must have 6 digits"),
        ("row 7", "category does not match the points")]
    table = store.read(EXCLUSION_INDEX).sort_values("kod_obec")
    assert list(table["kod_obec"]) == ["554961", "560472", "567256"]
    assert list(table["year"]) == [2025] * 3
    assert list(table["isv_band"]) == ["8-11", "12-30", "12-30"]
    assert table["population_15"].tolist() == [41000, 5800, 20100]


@pytest.mark.parametrize(("kind", "name", "error", "message"), [
    ("localities", "empty.csv", SourceError, "is empty"),
    ("localities", "empty.geojson", ImportRefused, "holds no rows or features"),
    ("localities", "truncated.geojson", SourceError, "damaged or truncated"),
    ("services", "services_address_only.csv", ImportRefused,
     "line 2: address 'Mostecká 5, Litvínov' is not among the town's address points"),
    ("exclusion-index", "localities_4326.geojson", SourceError, "is a table"),
    ("offences", "police_stats.csv", SourceError, "missing required column.*date"),
    ("localities", "offences.csv", SourceError, "need polygons"),
])
def test_bad_files_fail_clearly_and_change_nothing(store: Store, kind: str, name: str,
                                                   error: type[Exception], message: str
                                                   ) -> None:
    before = digest(store)
    with pytest.raises(error, match=message):
        run_import(store, kind, FIXTURES / name, town_id=TOWN)
    assert digest(store) == before


def test_police_department_polygons(store: Store, tmp_path: Path) -> None:
    shipped = gpd.read_file(SOURCES_DIR / "police_crime"
                            / "police_oop_districts_2013_KVK_ULK_mapakriminality.geojson")
    litvinov = shipped[shipped["oop_code"].isin(["040812", "040817"])].to_crs("EPSG:5514")
    litvinov = litvinov.assign(oop_code=["040812", "49991"])[["oop_code", "oop_name",
                                                               "geometry"]]
    path = tmp_path / "oop.gpkg"
    litvinov.to_file(path, driver="GPKG")
    result = run_import(store, "police-stats", path, town_id=TOWN)
    report = result.report
    assert report.added == {"police_districts": 1}
    assert "already stored for litvinov" in report.rejected[0].reason
    assert [(p.where, p.reason) for p in report.repaired] == [
        ("feature 2", "leading zero of department code 049991 restored")]
    districts = store.read(POLICE_DISTRICTS, TOWN)
    new = districts[districts["oop_code"] == "049991"]
    assert len(new) == 1 and new["area_km2"].iloc[0] > 1
    assert undo_batch(store, result.batch_id) == {"police_districts": 1, "sources": 1}
    assert "049991" not in set(store.read(POLICE_DISTRICTS, TOWN)["oop_code"])


def test_address_only_rows_are_placed_at_the_towns_address_points(store: Store,
                                                                  tmp_path: Path) -> None:
    table = tmp_path / "sluzby.csv"
    table.write_text("name,type,address\nKlub,nzdm,\"Hamerska 130, Litvinov\"\n"
                     "Poradna,debt_counselling,Mostecká 5\n", "utf-8")
    result = run_import(store, "services", table, town_id=TOWN)
    assert result.added == 1 and "address points" in result.report.crs_action
    assert result.report.rejected[0].where == "line 3"
    points = store.read(ADDRESS_POINTS, TOWN)
    house = points[(points["street"] == "Hamerská") & (points["house_number"] == "130")]
    placed = store.read(SERVICES, TOWN).query("name == 'Klub'").geometry.iloc[0]
    assert placed.distance(house.geometry.iloc[0]) < 1e-9


def test_without_address_points_address_only_rows_are_refused(store: Store) -> None:
    store.delete_matching([RowMatch(ADDRESS_POINTS.name, equals={"town_id": TOWN})])
    with pytest.raises(SourceError, match=r"cannot be geocoded offline.*line 2 'Mostecká 5"):
        run_import(store, "services", FIXTURES / "services_address_only.csv", town_id=TOWN)


def test_address_texts_join_the_columns_people_write() -> None:
    frame = pd.DataFrame({
        "Ulice": ["Hamerská", "Ruská 12/3", "", "Podkrušnohorská"],
        "č. p.": ["12", "", "5", "130"], "Č.o.": ["3", "", "", ""],
        "Město": ["Litvínov", "Litvínov", "Litvínov", ""]})
    assert address_texts(frame).tolist() == [
        "Hamerská 12/3, Litvínov", "Ruská 12/3, Litvínov", "", "Podkrušnohorská 130"]
    whole = pd.DataFrame({"Adresa": ["Janov, Albrechtická 257"], "obec": ["Litvínov"]})
    assert address_texts(whole).tolist() == ["Janov, Albrechtická 257"]
    assert address_texts(pd.DataFrame({"name": ["Klub"], "obec": ["Litvínov"]})) is None


def test_an_address_not_found_is_said_in_czech_and_english(store: Store, tmp_path: Path
                                                         ) -> None:
    table = tmp_path / "sluzby.csv"
    table.write_text("name,type,ulice,cislo,obec\nKlub,nzdm,Hamerská,130,Litvínov\n"
                     "Poradna,nzdm,Mostecká,5,Litvínov\n", "utf-8")
    result = run_import(store, "services", table, town_id=TOWN)
    problem = result.report.rejected[0]
    assert (result.added, problem.where) == (1, "line 3")
    assert problem.text("en") == problem.reason == (
        "address 'Mostecká 5, Litvínov' is not among the town's address points")
    assert problem.text("cs").startswith("adresa „Mostecká 5, Litvínov“ není mezi adresními")
