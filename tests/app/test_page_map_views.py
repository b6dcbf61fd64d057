"""Every page's map keeps its view (and the overlays of its layer control) in the page's
address (``app.ui.maps.view.UrlView``): the rendered map carries UrlView's script once, with
the map's overlay keys, and starts at the address's view unless the page centres it on
something chosen or searched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import folium
import geopandas as gpd
import pytest
import shapely

from app.features.area.map import build_area_map
from app.features.catalogue.map import build_catalogue_map
from app.features.data.map import build_preview_map
from app.features.map.map import LAYER_KEYS as MAP_LAYER_KEYS
from app.features.map.map import build_map
from app.features.moderation.map import build_moderation_map
from app.features.patrol.map import build_patrol_map
from app.features.public_space.map import build_urban_map
from app.features.sessions.map import LAYER_KEYS as SESSION_LAYER_KEYS
from app.features.sessions.map import build_results_map
from app.ui.maps.view import LAYERS_PARAM, VIEW_PARAM
from app.ui.town import load_town
from layers.geocode import Place
from layers.patrol.plans import build_plan
from layers.patrol.ranking import RankingRequest
from layers.store import Store
from layers.strategy.area import load_area

TOWN = "litvinov"
EMPTY = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
#: UrlView's overlays by key, and whether it starts at the address's view.
_LAYERS = re.compile(r"var layers = \{(?P<body>[^}]*)\};")
_RESTORE = re.compile(r"if \((?P<restore>true|false) && view\.length === 3")


def _area(store: Store) -> folium.Map:
    return build_area_map(load_area(store, TOWN), load_town(store, TOWN).context, "cs")


def _area_locality(store: Store) -> folium.Map:
    locality = str(load_town(store, TOWN).localities["locality_id"].iloc[0])
    return build_area_map(load_area(store, TOWN, locality), EMPTY, "cs")


def _patrol(store: Store) -> folium.Map:
    town = load_town(store, TOWN)
    plan = build_plan(store, RankingRequest(TOWN), 3, 150.0, "straight")
    return build_patrol_map(plan, town.boundary, town.context, "cs")


def _urban(store: Store) -> folium.Map:
    town = load_town(store, TOWN)
    origins = gpd.GeoDataFrame({"origin_kind": ["cell"], "place_cs": ["U zastávky"],
                                "white": ["seniors"]},
                               geometry=[shapely.Point(13.61, 50.60)], crs="EPSG:4326")
    return build_urban_map(origins, town.services, EMPTY.assign(kind=[]),
                           EMPTY.assign(mean=[], place_label=[]), town.boundary, town.context,
                           "cs", chosen=(13.612, 50.601))


def _preview(store: Store) -> folium.Map:
    town = load_town(store, TOWN)
    return build_preview_map(town.boundary, {"services": town.services}, "přibližně")


def _moderation(store: Store) -> folium.Map:
    town = load_town(store, TOWN)
    pending = gpd.GeoDataFrame({"category": ["dark_place", "feel_good"]},
                               geometry=[shapely.Point(13.61, 50.60),
                                         shapely.Point(13.62, 50.61)], crs="EPSG:4326")
    return build_moderation_map(town, pending, "cs")


def _results(store: Store) -> folium.Map:
    boundary = load_town(store, TOWN).boundary
    public = gpd.GeoDataFrame({"count": [7]}, geometry=[shapely.box(13.62, 50.60, 13.623,
                                                                    50.602)], crs="EPSG:4326")
    change = gpd.GeoDataFrame({"change": ["new"], "count_a": [0], "count_b": [9]},
                              geometry=[shapely.Point(13.61, 50.60).buffer(0.002, 3)],
                              crs="EPSG:4326")
    return build_results_map(public, change, boundary, "cs")


def _catalogue_frame(store: Store) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    town = load_town(store, TOWN)
    services = town.services
    found = gpd.GeoDataFrame({
        "service_id": services["service_id"].astype(str),
        "service_type": services["service_type"].astype(str),
        "name": services["name"].astype(str), "positioned": True,
        "lon": services.geometry.x, "lat": services.geometry.y}, geometry=services.geometry,
        crs="EPSG:4326")
    return found, town.boundary


def _catalogue(store: Store) -> folium.Map:
    found, boundary = _catalogue_frame(store)
    return build_catalogue_map(found, boundary, EMPTY, chosen=str(found["service_id"].iloc[0]))


def _catalogue_near(store: Store) -> folium.Map:
    found, boundary = _catalogue_frame(store)
    return build_catalogue_map(found, boundary, EMPTY,
                               near=("Náměstí Míru", shapely.Point(13.61, 50.60)),
                               distance_m=500.0)


def _town_map(store: Store) -> folium.Map:
    return build_map(load_town(store, TOWN), "cs")


def _town_map_found(store: Store) -> folium.Map:
    return build_map(load_town(store, TOWN), "cs", found=Place("Hamerská 130", 13.5777, 50.5943,
                                                              "address", TOWN))


_PLAIN: frozenset[str] = frozenset()


@pytest.mark.parametrize(("build", "keys", "restore"), [
    (_area, _PLAIN, True),
    (_area_locality, _PLAIN, False),  # the chosen locality wins over the address
    (_patrol, _PLAIN, True),
    (_urban, _PLAIN, True),  # a clicked audit place is marked, not centred on
    (_preview, _PLAIN, False),  # the file just read wins
    (_moderation, _PLAIN, True),
    (_results, frozenset(SESSION_LAYER_KEYS.values()), True),
    (_catalogue, _PLAIN, True),  # a chosen service is ringed, not centred on
    (_catalogue_near, _PLAIN, False),  # the place searched near wins
    (_town_map, None, True),
    (_town_map_found, None, False),
], ids=lambda value: getattr(value, "__name__", "").lstrip("_") or None)
def test_every_page_map_keeps_its_view_in_the_address(
        demo_store: Store, build: Callable[[Store], folium.Map],
        keys: frozenset[str] | None, restore: bool) -> None:
    html = build(demo_store).get_root().render()
    assert html.count(f"var names = [{json.dumps(VIEW_PARAM)}, {json.dumps(LAYERS_PARAM)}];") \
        == 1
    layers = _LAYERS.search(html)
    assert layers is not None
    shown = set(re.findall(r'"([a-z0-9-]+)":', layers["body"]))
    if keys is None:  # the town map: whichever of its overlays the demo town has
        assert shown and shown <= set(MAP_LAYER_KEYS.values())
    else:
        assert shown == keys
    found = _RESTORE.search(html)
    assert found is not None and found["restore"] == json.dumps(restore)
