"""The offline geocoder over the demo store's real RÚIAN address points, stops and parts of
town: search without diacritics and with typos, reverse geocoding, and `mapa geocode`."""

from __future__ import annotations

import json

import pytest

from layers.geocode import ADDRESS_RADIUS_M, Gazetteer
from layers.store import Store
from scripts.mapa import main


@pytest.fixture(scope="module")
def gazetteer(demo_store: Store) -> Gazetteer:
    return Gazetteer.from_store(demo_store)


@pytest.mark.parametrize("query", ["Hamerská 130, Litvínov", "hamerska 130 litvinov",
                                   "Litvinov, Hamreska 130", "HAMERSKÁ 130"])
def test_an_address_is_found_however_it_is_typed(gazetteer: Gazetteer, query: str) -> None:
    best = gazetteer.search(query)[0]
    assert (best.name, best.kind, best.town_id) == ("Hamerská 130", "address", "litvinov")
    assert 13.5 < best.lon < 13.7 and 50.5 < best.lat < 50.7


def test_part_of_town_first_and_a_street_without_the_number(gazetteer: Gazetteer) -> None:
    best = gazetteer.search("Janov, Albrechticka 257")[0]
    assert best.name == "Albrechtická 257"
    # no such number: the street itself, never another street's house
    missing = gazetteer.search("Hamerska 9999, Litvinov")
    assert (missing[0].name, missing[0].kind) == ("Hamerská", "street")
    assert gazetteer.search("Janov")[0].kind == "part"
    assert gazetteer.search("Kraslice")[0].kind == "town"
    assert gazetteer.search("xqzw vvv") == []


def test_reverse_names_the_nearest_address_then_a_stop_then_the_part(
        gazetteer: Gazetteer) -> None:
    house = gazetteer.search("Hamerská 130, Litvínov")[0]
    named = gazetteer.name(house.lon + 0.0002, house.lat)  # about 14 m east
    assert named is not None and named.kind == "address"
    assert 5 < (named.distance_m or 0) < ADDRESS_RADIUS_M
    assert named.label() == f"{named.name} ({named.distance_m:.0f} m)"
    stop = gazetteer.stops.iloc[0]
    far_from_houses = [p for p in gazetteer.names(gazetteer._xy["stops"]) if p is not None]
    assert {p.kind for p in far_from_houses} <= {"address", "stop"}
    assert gazetteer.name(float(stop.geometry.x), float(stop.geometry.y)) is not None
    assert gazetteer.name(14.42, 50.08) is None  # Prague: nothing of the store is near


def test_cli_search_and_reverse(demo_store_path: object,
                                capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(demo_store_path), "--json"]
    assert main(["geocode", "Hamerska 130, Litvinov", *store]) == 0
    found = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["results"][0]
    assert found["name"] == "Hamerská 130" and {"lon", "lat"} <= set(found)
    assert main(["geocode", "--reverse", f"{found['lon']},{found['lat']}", *store]) == 0
    reverse = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert reverse["name"] == "Hamerská 130" and reverse["distance_m"] < 1
    assert main(["geocode", *store]) == 1
    assert "error" in capsys.readouterr().out
