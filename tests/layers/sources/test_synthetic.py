"""The illustrative generator: deterministic, inside the towns, in the schema's vocabulary."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from layers.places import NAMED_PLACES
from layers.schema import AGE_GROUPS, FEELINGS, PIN_CATEGORIES, PIN_STATUSES, PINS, TIMES_OF_DAY
from layers.sources.real import load_towns
from layers.sources.synthetic import (
    TOWN_SEEDS,
    load_town_seeds,
    make_localities,
    make_pins,
    make_services,
)


@pytest.fixture(scope="module")
def towns() -> gpd.GeoDataFrame:
    return load_towns()


def test_pins_are_deterministic_and_in_vocabulary(towns: gpd.GeoDataFrame) -> None:
    first, again = make_pins(towns, seed=7), make_pins(towns, seed=7)
    assert first.equals(again)
    assert not first.equals(make_pins(towns, seed=8))
    assert list(first.columns) == [*PINS.columns, "geometry"]
    assert set(first["category"]) <= set(PIN_CATEGORIES)
    assert set(first["feeling"]) <= set(FEELINGS)
    assert set(first["time_of_day"]) <= set(TIMES_OF_DAY)
    assert set(first["age_group"]) <= set(AGE_GROUPS)
    assert set(first["status"]) <= set(PIN_STATUSES)
    assert first["synthetic"].all()
    assert first["pin_id"].is_unique
    assert (first["place_note"] == "").all(), "illustrative pins carry no free text"


def test_everything_lies_inside_its_town(towns: gpd.GeoDataFrame) -> None:
    by_town = towns.set_index("town_id").geometry
    for frame in (make_pins(towns), make_services(towns), make_localities(towns)):
        for town_id, part in frame.groupby("town_id"):
            assert part.within(by_town[town_id].buffer(1e-9)).all(), town_id


def test_named_places_of_the_seeds(towns: gpd.GeoDataFrame) -> None:
    localities = make_localities(towns)
    janov = localities[localities["name"] == "Janov"].iloc[0]
    assert janov["population_est"] == 3900 and janov["town_id"] == "litvinov"
    kraslice = localities[localities["town_id"] == "kraslice"]
    assert kraslice["population_est"].sum() == 600
    services = make_services(towns)
    assert "Sousedský dům Libuše (MY Litvínov)" in set(services["name"])
    assert janov["geometry"].contains(
        services.set_index("name").geometry["Sousedský dům Libuše (MY Litvínov)"])


def test_hotspots_are_the_named_places_of_their_towns(towns: gpd.GeoDataFrame) -> None:
    """The generator centres its hotspots on ``layers.places`` and names no other place."""
    hotspots = [(t.town_id, h.label, h.lon, h.lat) for t in TOWN_SEEDS for h in t.hotspots]
    assert hotspots == [(p.town_id, p.label, p.lon, p.lat) for p in NAMED_PLACES]
    by_town = towns.set_index("town_id").geometry
    for place in NAMED_PLACES:
        assert by_town[place.town_id].contains(gpd.points_from_xy([place.lon], [place.lat])[0])


def test_scale_multiplies_pins(towns: gpd.GeoDataFrame) -> None:
    assert len(make_pins(towns, scale=4)) > 3.5 * len(make_pins(towns))


def test_seeds_are_read_from_their_data_file(tmp_path: Path) -> None:
    """A town of the seeds file becomes typed seeds; a field the seeds do not know is refused."""
    path = tmp_path / "towns.toml"
    path.write_text('[[town]]\ntown_id = "x"\nbackground_pins = 3\nbackground_radius_m = 50\n'
                    '[[town.hotspot]]\nlabel = "Náměstí"\nspread_m = 20\npins = 4\n'
                    'categories = [["dogs", 0.5], ["traffic", 0.5]]\n')
    (town,) = load_town_seeds(path)
    assert (town.town_id, town.background_pins, town.localities) == ("x", 3, ())
    assert town.hotspots[0].categories == (("dogs", 0.5), ("traffic", 0.5))
    assert town.hotspots[0].evening_bias == 0.6
    path.write_text(path.read_text() + "colour = 'red'\n")
    with pytest.raises(TypeError, match="colour"):
        load_town_seeds(path)
