"""What the offline base map may write (``app.ui.maps.names``): street and stop names always,
addresses only of the area a map is about, never a whole town's."""

from __future__ import annotations

import json

import geopandas as gpd
import shapely

from app.ui.maps.names import MAX_ADDRESSES, place_names
from layers.schema import ADDRESS_POINTS, TRANSIT_STOPS
from layers.store import Store

NO_STREETS = gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")


def test_streets_and_stops_are_named_and_addresses_only_near(demo_store: Store) -> None:
    addresses = demo_store.read(ADDRESS_POINTS, "litvinov")
    stops = demo_store.read(TRANSIT_STOPS, "litvinov")
    whole = place_names(addresses, stops, NO_STREETS)
    assert whole["addresses"] == []  # never a whole town's addresses
    assert {s[0] for s in whole["stops"]} == set(stops["name"])
    assert {s[0] for s in whole["streets"]} == set(addresses["street"]) - {""}
    point = addresses.geometry.iloc[0]
    box = (point.x - 0.003, point.y - 0.003, point.x + 0.003, point.y + 0.003)
    near = place_names(addresses, stops, NO_STREETS, box)
    inside = addresses[addresses.geometry.within(shapely.box(*box))]
    written = {f"{street} {p[2]}" for street, points in near["addresses"] for p in points}
    assert 0 < len(written) <= len(inside) <= MAX_ADDRESSES
    first = inside.iloc[0]
    assert f"{first['street']} {first['house_number']}" in written
    for _, points in near["addresses"]:
        assert all(box[1] <= lat <= box[3] and box[0] <= lon <= box[2] for lat, lon, _ in points)
    assert len(json.dumps(near)) < len(json.dumps(whole)) + 60 * len(inside)
    # a box holding more than MAX_ADDRESSES ships none
    assert len(addresses) > MAX_ADDRESSES
    assert place_names(addresses, stops, NO_STREETS, tuple(addresses.total_bounds)
                       )["addresses"] == []


def test_a_street_network_names_each_street_once_on_its_longest_piece() -> None:
    streets = gpd.GeoDataFrame(
        {"name": ["Hlavní", "Hlavní", "", "Krátká"]},
        geometry=[shapely.LineString([(13.60, 50.59), (13.61, 50.59)]),
                  shapely.LineString([(13.61, 50.59), (13.611, 50.59)]),
                  shapely.LineString([(13.62, 50.59), (13.63, 50.59)]),
                  shapely.LineString([(13.60, 50.60), (13.60, 50.601)])], crs="EPSG:4326")
    names = place_names(gpd.GeoDataFrame({"street": [], "part": []}, geometry=[],
                                         crs="EPSG:4326"), NO_STREETS, streets)
    assert names["streets"] == [["Hlavní", 50.59, 13.605], ["Krátká", 50.6005, 13.6]]
