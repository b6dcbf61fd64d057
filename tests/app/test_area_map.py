"""The Area page's map: the chosen place and drawn area, the localities to click, the areas
linked to measures, and the offline drawing toolbar."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
from shapely.geometry import mapping

from app.features.area.map import build_area_map, locality_at
from app.ui.i18n import translate
from app.ui.maps.assets import remote_urls
from app.ui.maps.draw import drawn_geometry
from app.ui.town import load_town
from layers.access.principal import Principal
from layers.area_figures import municipalities_of
from layers.schema import LOCALITIES
from layers.store import Store, open_store
from layers.strategy.area import load_area
from layers.strategy.editing import add_measure, polygon_link

SQUARE = {"type": "Polygon", "coordinates": [[[13.60, 50.60], [13.61, 50.60], [13.61, 50.61],
                                              [13.60, 50.61], [13.60, 50.60]]]}


def test_chosen_place_and_drawn_area_are_drawn_only_when_chosen(demo_store: Store) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    context = load_town(demo_store, "litvinov").context
    plain = build_area_map(view, context, "cs").get_root().render()
    chosen = build_area_map(view, context, "cs", (13.61234, 50.60123),
                            drawn=SQUARE).get_root().render()
    for key in ("area.map.chosen", "area.map.drawn"):
        assert translate(key, "cs") not in plain
        assert translate(key, "cs") in chosen
    assert "[50.60123, 13.61234]" in chosen  # folium wants lat, lon
    assert "[13.61, 50.61]" in chosen  # GeoJSON lon, lat


def test_draw_toolbar_offers_areas_and_loads_offline(demo_store: Store) -> None:
    view = load_area(demo_store, "litvinov")
    html = build_area_map(view, gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"),
                          "cs").get_root().render()
    assert "new L.Control.Draw(" in html
    assert '"polygon": {' in html and '"marker": false' in html
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in html
    assert remote_urls(html) == []
    # clicks made while drawing are not reported as a chosen place
    assert 'map.on("draw:drawstart"' in html and 'drawing && type === "click"' in html


def test_pressing_the_map_scrolls_nothing_around_it(demo_store: Store) -> None:
    # Leaflet focuses the map on a press: in the component's iframe a plain focus() would
    # scroll the page between press and release, and the click land elsewhere on the map
    m = build_area_map(load_area(demo_store, "litvinov"),
                       gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), "cs")
    html = m.get_root().render()
    assert f"}})({m.get_name()}.getContainer());" in html
    assert "container.focus = function" in html and "{preventScroll: true}" in html


def test_localities_are_outlined_with_their_names(demo_store: Store) -> None:
    town = load_town(demo_store, "litvinov")
    view = load_area(demo_store, "litvinov")
    without = build_area_map(view, town.context, "cs").get_root().render()
    html = build_area_map(view, town.context, "cs", localities=town.localities
                          ).get_root().render()
    assert '"dashArray": "4 4"' not in without and '"dashArray": "4 4"' in html
    for name in town.localities["name"]:
        # each outline carries its name for its tooltip, marked as illustrative
        assert f'"name": {json.dumps(f"{name} (ilustrativní data)")}' in html


def test_the_region_is_a_choropleth_of_the_real_exclusion_index(demo_store: Store) -> None:
    town = load_town(demo_store, "litvinov")
    view = load_area(demo_store, "litvinov")
    region = municipalities_of(demo_store, "CZ042")
    assert len(region) > 300 and region["isv"].notna().all()
    html = build_area_map(view, town.context, "cs", municipalities=region).get_root().render()
    assert _js("Litvínov: 19 bodů – 12–30 vysoké (2023)") in html
    # the legend names the layer, its year and source, and the document's bands
    assert _js("Index sociálního vyloučení obcí (2023)") in html
    assert _js("MMR ČR, Index sociálního vyloučení 2023") in html
    for band in ("0–1 žádné či nízké", "2–7 střední", "8–11 zvýšené", "12–30 vysoké"):
        assert _js(band) in html
    without = build_area_map(view, town.context, "cs").get_root().render()
    assert _js("Litvínov: 19 bodů") not in without


def _js(text: str) -> str:
    """``text`` as it appears inside a JSON string of the map's HTML."""
    return json.dumps(text)[1:-1]


def test_an_area_linked_to_a_measure_is_on_the_map(demo_store_path: Path,
                                                    tmp_path: Path) -> None:
    copy = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, copy)
    store = open_store(copy)
    janov = store.read(LOCALITIES, "litvinov")
    inside = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0].representative_point()
    link, _ = polygon_link(mapping(inside.buffer(0.001)), lambda _: "Vnitroblok")
    add_measure(store, Principal("t-coordinator", "strategy_coordinator"), "litvinov-pp9",
                "litvinov-pp9:goal:1.1.1", "Zeleň ve vnitrobloku", [], "planned", "", [link])
    html = build_area_map(load_area(store, "litvinov", "litvinov-1"),
                          gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), "cs"
                          ).get_root().render()
    assert translate("area.map.area", "cs", measures="Zeleň ve vnitrobloku") in html


def test_locality_at_finds_the_clicked_locality(demo_store: Store) -> None:
    localities = demo_store.read(LOCALITIES, "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    point = janov.representative_point()
    assert locality_at(localities, point.x, point.y) == "litvinov-1"
    assert locality_at(localities, 12.0, 49.0) is None


def test_drawn_geometry_takes_the_feature_geometry() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    assert drawn_geometry(feature) == SQUARE
    assert drawn_geometry(SQUARE) == SQUARE
    assert drawn_geometry(None) is None
    assert drawn_geometry({"type": "Feature", "geometry": None}) is None
