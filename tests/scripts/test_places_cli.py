"""`mapa import addresses` (RÚIAN CSV as published) and `mapa import stops` (GTFS stops.txt or
the feed's zip) end to end, and the demo store built from the shipped files."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from layers.schema import ADDRESS_POINTS, SERVICES, TOWN_PARTS, TOWNS, TRANSIT_STOPS
from layers.sources.real import DEMO_TOWNS, SOURCES_DIR
from layers.store import Store, open_store
from layers.store.base import RowMatch
from scripts.mapa import main

ADDRESSES = SOURCES_DIR / "addresses"
STOPS = SOURCES_DIR / "transit" / "stops_3_towns.csv"


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def _rows_inside(store: Store, town_id: str, kod_obec: str) -> int:
    """Rows of the shipped RÚIAN file inside the town, counted without the importer: the
    positive S-JTSK Y/X negated to EPSG:5514."""
    rows = pd.read_csv(ADDRESSES / f"20231231_OB_{kod_obec}_ADR.csv", sep=";",
                       encoding="cp1250")
    points = gpd.GeoSeries(shapely.points(-rows["Souřadnice Y"], -rows["Souřadnice X"]),
                           crs="EPSG:5514").to_crs("EPSG:4326")
    return int(store.read(TOWNS, town_id).geometry.iloc[0].covers(points).sum())


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    return path


def test_the_demo_store_holds_every_shipped_address_inside_its_town(demo_store: Store
                                                                     ) -> None:
    for town in DEMO_TOWNS:
        points = demo_store.read(ADDRESS_POINTS, town.town_id)
        assert len(points) == _rows_inside(demo_store, town.town_id, town.kod_obec)
    janov = demo_store.read(ADDRESS_POINTS, "litvinov")
    assert (janov["part"] == "Janov").sum() > 400
    parts = demo_store.read(TOWN_PARTS, "litvinov")
    assert "Janov" in set(parts["name"]) and parts["approximate"].all()
    assert len(demo_store.read(TRANSIT_STOPS, "kraslice")) > 10


def test_addresses_import_count_equals_rows_inside_and_undo(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path)
    store.delete_matching([RowMatch(ADDRESS_POINTS.name, equals={"town_id": "litvinov"})])
    file = ADDRESSES / "20231231_OB_567256_ADR.csv"
    assert main(["import", "addresses", str(file), "--town", "litvinov", "--store",
                 str(store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    inside = _rows_inside(store, "litvinov", "567256")
    assert result["added"] == inside == len(store.read(ADDRESS_POINTS, "litvinov"))
    batch = result["batches"][0]
    assert "positive S-JTSK" in batch["crs_action"] and batch["encoding"] == "cp1250"
    hamerska = store.read(ADDRESS_POINTS, "litvinov").query("street == 'Hamerská'")
    assert len(hamerska) and (hamerska["part"] != "").all()
    # the same file twice is refused, and undo takes the batch away again
    assert main(["import", "addresses", str(file), "--town", "litvinov", "--store",
                 str(store_path)]) == 1
    assert main(["undo", batch["batch_id"], "--store", str(store_path)]) == 0
    assert store.read(ADDRESS_POINTS, "litvinov").empty


def test_an_older_store_gets_the_new_address_columns_on_import(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path)
    store.delete_matching([RowMatch(ADDRESS_POINTS.name, equals={"town_id": "kraslice"})])
    with sqlite3.connect(store_path) as db:
        db.execute("DROP INDEX address_points_batch_id_key")
        for column in ("part", "orientation_number", "batch_id"):
            db.execute(f'ALTER TABLE address_points DROP COLUMN "{column}"')
    assert "part" not in open_store(store_path).read(ADDRESS_POINTS).columns
    assert main(["import", "addresses", str(ADDRESSES / "20231231_OB_560472_ADR.csv"),
                 "--town", "kraslice", "--store", str(store_path), "--json"]) == 0
    points = open_store(store_path).read(ADDRESS_POINTS)
    assert set(points[points["town_id"] == "kraslice"]["part"]) >= {"Kraslice"}
    assert (points[points["town_id"] == "litvinov"]["part"].fillna("") == "").all()


def test_stops_from_a_gtfs_zip_go_to_every_town_they_serve(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path)
    before = {t.town_id: len(store.read(TRANSIT_STOPS, t.town_id)) for t in DEMO_TOWNS}
    store.delete_matching([RowMatch(TRANSIT_STOPS.name, prefix=("stop_id", "demo-"))])
    feed = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(feed, "w") as archive:
        archive.write(STOPS, "stops.txt")
        archive.writestr("agency.txt", "agency_id,agency_name\n1,x\n")
    assert main(["import", "stops", str(feed), "--store", str(store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert sorted(b["town_id"] for b in result["batches"]) == sorted(before)
    assert {t: len(store.read(TRANSIT_STOPS, t)) for t in before} == before
    assert "Janov, konečná" not in set(store.read(TRANSIT_STOPS, "kraslice")["name"])


def test_services_with_street_number_and_town_columns_are_placed_by_address(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path)
    points = store.read(ADDRESS_POINTS, "litvinov")
    named = points[(points["street"] != "") & (points["street"] != "Hamerská")]
    first, second = named.iloc[0], named.iloc[len(named) // 2]
    plain = points[points["street"] == "Hamerská"].iloc[0]
    # columns as people write them: street, č.p., č.o. (empty: Litvínov's RÚIAN file has
    # none), town; a street cell holding its number; no diacritics, capitals; and an
    # address the town does not have
    table = tmp_path / "sluzby.csv"
    table.write_text(
        "name;type;Ulice;Číslo popisné;Číslo orientační;Obec\n"
        f"Klub;nzdm;{first['street']};{first['house_number']};;Litvínov\n"
        f"Poradna;debt_counselling;{second['street']} {second['house_number']};;;\n"
        f"Centrum;nzdm;Hamerska;{plain['house_number']};;LITVINOV\n"
        "Nikde;nzdm;Neexistující;99999;;Litvínov\n", "utf-8")
    assert main(["import", "services", str(table), "--town", "litvinov", "--store",
                 str(store_path), "--json"]) == 0
    batch = _last_json(capsys.readouterr().out)
    assert batch["added"] == 3 and "address points" in batch["crs_action"]
    assert batch["rejected"] == [{
        "where": "line 5",
        "reason": "address 'Neexistující 99999, Litvínov' is not among the town's address "
                  "points"}]
    services = store.read(SERVICES, "litvinov").set_index("name")
    for name, point in (("Klub", first), ("Poradna", second), ("Centrum", plain)):
        assert services.geometry[name].distance(point.geometry) < 1e-9, name
