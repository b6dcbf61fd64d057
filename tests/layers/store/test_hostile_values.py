"""Hostile town ids and names go through the store as data, never as SQL, on both backends.

Every value below would break (or change) a statement that pasted it into SQL text; each must
come back exactly as written, and every table must survive.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, box

from layers.ingest.batches import run_import, undo_batch
from layers.schema import PINS, SERVICES, TOWNS
from layers.store import Store, open_store
from layers.store.base import RowMatch
from layers.store.transfer import copy_store

HOSTILE = (
    "'; DROP TABLE mapa.pins; --",
    "x'); DELETE FROM mapa_meta.layers; --",
    'quo"te"; DROP SCHEMA mapa CASCADE; --',
    "' OR '1'='1",
    "back\\slash\\'",
    "%s %(town)s {} $1 ?",
    "Ústí – „Předlice“ ; 🚨 ř",
    "new\nline\ttab",
)
LITVINOV: tuple[float, float] = (13.615, 50.600)


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "gpkg":
        return open_store(tmp_path / "s.gpkg")
    return open_store(str(request.getfixturevalue("pg_url")))


def _towns() -> gpd.GeoDataFrame:
    """One town per hostile id, all covering Litvínov (so an import accepts its rows)."""
    lon, lat = LITVINOV
    square = MultiPolygon([box(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05)])
    return gpd.GeoDataFrame({"town_id": list(HOSTILE), "name": list(HOSTILE),
                             "kod_obec": "567256", "okres": "", "orp": "", "kraj": "",
                             "kod_kraj": ""},
                            geometry=[square] * len(HOSTILE), crs="EPSG:4326")


def _pins() -> gpd.GeoDataFrame:
    """A pin per hostile town, its id and note hostile too."""
    lon, lat = LITVINOV
    return gpd.GeoDataFrame(
        {"pin_id": [f"{h}#pin" for h in HOSTILE], "town_id": list(HOSTILE),
         "session_id": list(HOSTILE), "category": "dark_place", "feeling": 2,
         "place_note": list(HOSTILE), "comment": list(reversed(HOSTILE))},
        geometry=[Point(lon + i * 1e-4, lat) for i in range(len(HOSTILE))], crs="EPSG:4326")


def _survives(store: Store, layers: set[str]) -> None:
    assert set(store.layer_names()) == layers
    assert store.check() == []


def test_hostile_ids_and_names_round_trip_through_reads_and_writes(store: Store) -> None:
    store.replace_all({TOWNS.name: _towns(), PINS.name: _pins()})
    layers = {TOWNS.name, PINS.name}
    for position, town in enumerate(HOSTILE):
        pins = store.read(PINS, town)
        assert pins["pin_id"].tolist() == [f"{town}#pin"]
        assert pins["place_note"].tolist() == [town]
        assert pins["comment"].tolist() == [HOSTILE[-1 - position]]
        assert store.read(TOWNS, town)["name"].tolist() == [town]
    # a town id that is a prefix or a pattern of another matches nothing
    assert store.read(PINS, "'").empty and store.read(PINS, "%").empty

    changed = store.update_rows(PINS, "pin_id", pd.DataFrame(
        {"pin_id": [f"{h}#pin" for h in HOSTILE], "comment": [h + "!" for h in HOSTILE]}))
    assert changed == len(HOSTILE)
    assert sorted(store.read(PINS)["comment"]) == sorted(h + "!" for h in HOSTILE)

    more = _pins().assign(pin_id=[f"{h}#again" for h in HOSTILE])
    assert store.append_batch([(PINS, more)], unique_keys={PINS.name: "pin_id"}) \
        == {PINS.name: len(HOSTILE)}
    assert store.append_batch([(PINS, more)], unique_keys={PINS.name: "pin_id"}) == {}
    assert len(store.read(PINS, HOSTILE[0])) == 2

    assert store.delete_rows(PINS, "pin_id", [f"{HOSTILE[0]}#again"]) == 1
    deleted = store.delete_matching([RowMatch(PINS.name, equals={"town_id": HOSTILE[1]}),
                                     RowMatch(PINS.name, prefix=("pin_id", HOSTILE[2]))])
    assert deleted == {PINS.name: 4}
    left = store.read(PINS)
    assert len(left) == 2 * len(HOSTILE) - 5
    assert not left["town_id"].isin(HOSTILE[1:3]).any()
    _survives(store, layers)


def test_hostile_town_and_names_round_trip_through_an_import(store: Store, demo_store: Store,
                                                             tmp_path: Path) -> None:
    """A services import into the demo store for a town with a hostile id, then its undo."""
    copy_store(demo_store, store)
    towns = store.read(TOWNS)
    litvinov = towns[towns["town_id"] == "litvinov"]
    store.append(TOWNS, pd.concat([litvinov.assign(town_id=h, name=h) for h in HOSTILE],
                                  ignore_index=True))
    before = store.counts()
    lat, lon = litvinov.iloc[0][["center_lat", "center_lon"]]
    source = tmp_path / "services.csv"
    pd.DataFrame({"name": list(HOSTILE), "type": "school",
                  "lat": [lat + i * 1e-4 for i in range(len(HOSTILE))],
                  "lon": lon}).to_csv(source, index=False)
    town = HOSTILE[0]
    result = run_import(store, "services", source, town_id=town)
    assert result.added == len(HOSTILE)
    assert sorted(store.read(SERVICES, town)["name"]) == sorted(HOSTILE)
    assert store.read(SERVICES, HOSTILE[1]).empty
    assert store.read(TOWNS, town)["name"].tolist() == [town]
    assert store.counts()[PINS.name] == before[PINS.name]  # the DROP TABLE did nothing
    assert store.check() == []

    undone = undo_batch(store, result.batch_id)
    assert undone.get(SERVICES.name) == len(HOSTILE)
    assert store.read(SERVICES, town).empty
    assert {k: v for k, v in store.counts().items() if k != "import_batches"} \
        == {k: v for k, v in before.items() if k != "import_batches"}
    assert store.check() == []
