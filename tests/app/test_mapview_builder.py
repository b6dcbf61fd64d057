"""The folium map of a town: its layers, their features, and offline assets."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import folium
import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from app.features.map.map import (
    CRIME_COLOURS,
    LAYER_KEYS,
    NO_FIGURE_COLOUR,
    build_map,
    crime_colour,
    crime_edges,
)
from app.ui.i18n import translate
from app.ui.maps.assets import remote_urls
from app.ui.maps.basemaps import BASEMAPS as BASEMAP_DEFINITIONS
from app.ui.maps.basemaps import basemap_or_none
from app.ui.maps.legend import Legend
from app.ui.maps.pins import PinLayer
from app.ui.maps.view import UrlView, data_bounds
from app.ui.town import AreaRef, TownData, area_at, load_town
from layers.exclusion import BAND_COLOURS
from layers.geocode import Place
from layers.ingest.streets import walking_edges
from layers.schema import SENSITIVE_CATEGORIES
from layers.store import open_store


@pytest.fixture(scope="module")
def litvinov(demo_store_path: Path) -> TownData:
    return load_town(open_store(demo_store_path), "litvinov")


def _layers(m: folium.Map) -> dict[str, Any]:
    return {child.layer_name: child for child in m._children.values()
            if isinstance(child, folium.map.Layer) and child.control}


def _features(layer: folium.map.Layer) -> int:
    assert isinstance(layer, folium.GeoJson)
    return len(layer.data["features"])


def test_town_map_has_every_layer_with_its_features(litvinov: TownData) -> None:
    layers = _layers(build_map(litvinov, "cs"))
    synthetic = translate("map.synthetic_suffix", "cs", name="{}")
    assert list(layers) == [
        "Silnice, železnice, řeky",
        "Index kriminality (obvody PČR)",
        "Hranice obce",
        synthetic.format("Sociálně vyloučené lokality"),
        synthetic.format("Pocitová mapa: citlivá místa (souhrnně)"),
        synthetic.format("Pocitová mapa"),
        synthetic.format("Služby"),
        "Zastávky veřejné dopravy",  # the demo has stops, and no street network of its own
    ]
    by_kind = dict(zip(["context", "districts", "boundary", "localities", "cells", "pins",
                        "services", "stops"], layers.values(), strict=True))
    assert _features(by_kind["stops"]) == len(litvinov.stops) > 10
    assert _features(by_kind["localities"]) == len(litvinov.localities) == 1
    assert _features(by_kind["districts"]) == len(litvinov.districts) == 2
    assert _features(by_kind["services"]) == len(litvinov.services) == 14
    assert _features(by_kind["boundary"]) == 1
    assert _features(by_kind["context"]) == len(litvinov.context)
    assert _features(by_kind["cells"]) == len(litvinov.pin_cells) > 0
    pins = by_kind["pins"]
    assert isinstance(pins, PinLayer)
    assert pins.data["n"] == len(litvinov.pins_exact) > 0


def test_public_map_carries_no_sensitive_exact_pin(litvinov: TownData) -> None:
    pins = _layers(build_map(litvinov, "cs"))[
        translate("map.synthetic_suffix", "cs", name="Pocitová mapa")]
    assert pins.data["n"] == len(litvinov.pins_exact)
    assert len(litvinov.pins_exact) < len(litvinov.pins_approved)


def test_cell_popups_do_not_count_small_categories_exactly(litvinov: TownData) -> None:
    cells = list(_layers(build_map(litvinov, "cs")).values())[4]
    texts = [f["properties"]["categories"] for f in cells.data["features"]]
    assert any("méně než 5" in text for text in texts)
    for feature, raw in zip(cells.data["features"], litvinov.pin_cells["category_counts"],
                            strict=True):
        for code, n in json.loads(raw).items():
            shown = f"{translate(f'pin.category.{code}', 'cs')}: {n if n >= 5 else 'méně než 5'}"
            assert shown in feature["properties"]["categories"]


def test_locality_features_carry_band_and_id(litvinov: TownData) -> None:
    layer = list(_layers(build_map(litvinov, "en")).values())[3]
    properties = layer.data["features"][0]["properties"]
    assert properties["kind"] == "locality"
    assert properties["name"] == "Janov"
    # no score is published for a locality: none is invented
    assert properties["band"] == "" and properties["band_label"] == "–"
    assert properties["isv"].startswith("not published")
    scored = replace(litvinov, localities=litvinov.localities.assign(isv=24.0, isv_band="12-30"))
    properties = list(_layers(build_map(scored, "en")).values())[3].data["features"][0][
        "properties"]
    assert (properties["band"], properties["band_label"]) == ("12-30", "12–30 high")


def test_english_names_and_real_layers_without_label(litvinov: TownData) -> None:
    names = list(_layers(build_map(litvinov, "en")))
    assert names[0] == "Roads, railways, rivers"
    assert "Socially excluded localities (illustrative data)" in names
    real = replace(litvinov, sources=litvinov.sources.assign(synthetic=False),
                   localities=litvinov.localities.assign(synthetic=False))
    assert "Socially excluded localities" in list(_layers(build_map(real, "en")))


def test_default_map_is_offline(litvinov: TownData) -> None:
    m = build_map(litvinov, "cs")
    html = m.get_root().render()
    assert remote_urls(html) == []
    assert "/app/static/vendor/leaflet/leaflet.min.js" in html
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert not any(isinstance(child, folium.TileLayer) for child in m._children.values())
    assert "mapa-legend" in html


def test_legend_explains_colours_and_marks_illustrative_data(litvinov: TownData) -> None:
    legends = [c for c in build_map(litvinov, "cs")._children.values() if isinstance(c, Legend)]
    assert len(legends) == 1
    html = legends[0].html
    for text in ("Legenda", "Index sociálního vyloučení (body) (ilustrativní data)",
                 "12–30 vysoké", BAND_COLOURS["12-30"], "Trestné činy na 10 000 obyvatel (2013)",
                 "Ústecký kraj 2013", CRIME_COLOURS[4], "Policie ČR", "Železnice"):
        assert text in html, text


def _legend_html(town: TownData) -> str:
    legends = [c for c in build_map(town, "cs")._children.values() if isinstance(c, Legend)]
    return str(legends[0].html)


def test_the_legend_says_which_pin_view_is_shown(litvinov: TownData,
                                                demo_store_path: Path) -> None:
    public = _legend_html(litvinov)
    assert translate("map.legend.pins_note", "cs") in public
    assert translate("map.legend.pins_note_exact", "cs") not in public
    pins = open_store(demo_store_path).read("pins", "litvinov")
    approved = pins[pins["status"] == "approved"].reset_index(drop=True)
    assert approved["category"].isin(SENSITIVE_CATEGORIES).any()
    exact = _legend_html(replace(litvinov, pins_exact=approved,
                                 pin_cells=litvinov.pin_cells.iloc[0:0]))
    assert translate("map.legend.pins_note_exact", "cs") in exact
    assert translate("map.legend.pins_note", "cs") not in exact


def test_osm_basemap_is_the_only_remote_resource(litvinov: TownData) -> None:
    html = build_map(litvinov, "cs", basemap="osm").get_root().render()
    remote = remote_urls(html)
    assert remote and all("openstreetmap" in url for url in remote)


@pytest.mark.parametrize("key,host,credit", [
    ("osm", "openstreetmap.org", "OpenStreetMap"),
    ("ztm", "cuzk.gov.cz", "ČÚZK"), ("orto", "cuzk.gov.cz", "ČÚZK")])
def test_each_online_basemap_fetches_only_its_service_and_credits_it(
        litvinov: TownData, key: str, host: str, credit: str) -> None:
    m = build_map(litvinov, "cs", basemap=key)
    html = m.get_root().render()
    remote = remote_urls(html)
    # the tiles and the attribution's link: nothing from anyone else
    hosts = {str(urlparse(url.rstrip("\\")).hostname) for url in remote}
    assert hosts and all(h.endswith(host) for h in hosts), hosts
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1  # the attribution the licence asks for, shown on the map
    assert credit in tiles[0].options["attribution"]
    base = BASEMAP_DEFINITIONS[key]
    assert base.online and base.tiles is not None and "{z}" in base.tiles
    if key != "osm":  # the ČÚZK WMTS in Web Mercator, addressed by KVP
        assert "TileMatrixSet=googlemapscompatibleext2:epsg:3857" in base.tiles
        assert "TileMatrix={z}&TileRow={y}&TileCol={x}" in base.tiles


def test_the_offline_base_fetches_nothing_and_draws_the_town_lines(litvinov: TownData) -> None:
    html = build_map(litvinov, "cs", basemap="none").get_root().render()
    assert remote_urls(html) == []
    assert not BASEMAP_DEFINITIONS["none"].online
    assert '"kind": "road"' in html or '"kind":"road"' in html  # the own vector base


def test_a_url_value_names_a_basemap_or_falls_back_offline() -> None:
    assert basemap_or_none("ZTM ") == "ztm" and basemap_or_none("google") == "none"
    assert basemap_or_none(None) == "none"


def test_unknown_basemap_raises(litvinov: TownData) -> None:
    with pytest.raises(ValueError, match="basemap"):
        build_map(litvinov, "cs", basemap="satellite")


def test_crime_classes_follow_the_baseline() -> None:
    edges = crime_edges([100.0, 500.0], baseline=200.0)
    assert edges == [150.0, 200.0, 250.0, 300.0]
    assert crime_colour(149.9, edges) == CRIME_COLOURS[0]
    assert crime_colour(200.0, edges) == CRIME_COLOURS[2]
    assert crime_colour(301.0, edges) == CRIME_COLOURS[4]
    assert crime_colour(math.nan, edges) == NO_FIGURE_COLOUR


def test_crime_classes_without_baseline_are_equal_width() -> None:
    assert crime_edges([100.0, math.nan, 600.0], baseline=None) == [200.0, 300.0, 400.0, 500.0]
    assert crime_edges([math.nan], baseline=None) == []
    assert crime_colour(300.0, []) == NO_FIGURE_COLOUR


def test_area_at_prefers_localities_then_districts(litvinov: TownData) -> None:
    janov = litvinov.localities.geometry.iloc[0].representative_point()
    assert area_at(litvinov, janov.y, janov.x) == AreaRef("locality", "litvinov-1")
    outside_janov = litvinov.districts.geometry.iloc[0].difference(
        litvinov.localities.union_all()).representative_point()
    ref = area_at(litvinov, outside_janov.y, outside_janov.x)
    assert ref == AreaRef("district", str(litvinov.districts["oop_code"].iloc[0]))
    assert area_at(litvinov, 0.0, 0.0) is None


def test_an_imported_real_locality_is_not_listed_as_illustrative(litvinov: TownData) -> None:
    real = litvinov.localities.assign(locality_id="imported-1", name="Skutečná lokalita",
                                      synthetic=False)
    both = pd.concat([real, litvinov.localities], ignore_index=True)
    data = replace(litvinov, localities=gpd.GeoDataFrame(both, crs=litvinov.localities.crs))
    layers = _layers(build_map(data, "cs"))
    name = "Sociálně vyloučené lokality"
    illustrative = translate("map.synthetic_suffix", "cs", name=name)
    names = [f["properties"]["name"] for f in layers[name].data["features"]]
    assert names == ["Skutečná lokalita"]
    assert _features(layers[illustrative]) == len(litvinov.localities)


def test_the_map_starts_on_the_towns_data_with_folded_controls(litvinov: TownData) -> None:
    m = build_map(litvinov, "cs")
    assert m.control_scale  # a scale bar
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    assert control.options["collapsed"] is True
    legend = next(c for c in m._children.values() if isinstance(c, Legend))
    assert legend.html.startswith("<details style")  # folded: no "open"
    (south, west), (north, east) = data_bounds(
        [litvinov.localities, litvinov.services, litvinov.pins_exact, litvinov.pin_cells],
        litvinov.boundary)
    town = litvinov.boundary.total_bounds
    assert town[0] <= west < east <= town[2] and town[1] <= south < north <= town[3]
    fitted = next(c for c in m._children.values() if isinstance(c, folium.FitBounds))
    assert fitted.bounds == [[south, west], [north, east]]
    kept = next(c for c in m._children.values() if isinstance(c, UrlView))
    assert kept.restore


def test_without_data_the_view_fits_the_boundary(litvinov: TownData) -> None:
    empty = litvinov.localities.iloc[0:0]
    bounds = data_bounds([empty], litvinov.boundary)
    minx, miny, maxx, maxy = litvinov.boundary.total_bounds
    assert bounds == [[miny, minx], [maxy, maxx]]


def test_every_overlay_has_its_own_readable_key_in_the_address(litvinov: TownData) -> None:
    m = build_map(litvinov, "cs")
    kept = next(c for c in m._children.values() if isinstance(c, UrlView))
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    overlays = [c for c in m._children.values()
                if isinstance(c, folium.map.Layer) and c.control and c.overlay]
    # one key per overlay of the layer control, from the fixed list, the same in English
    assert sorted(map(id, kept.layers.values())) == sorted(map(id, overlays))
    assert set(kept.layers) <= set(LAYER_KEYS.values())
    assert {"lokality-ilustrativni", "sluzby", "obvody"} <= set(kept.layers)
    assert control.options["collapsed"] is True
    english = next(c for c in build_map(litvinov, "en")._children.values()
                   if isinstance(c, UrlView))
    assert list(english.layers) == list(kept.layers)


def test_a_layer_key_must_be_readable() -> None:
    with pytest.raises(ValueError, match="layer keys"):
        UrlView({"Lokality": folium.FeatureGroup()})


def test_a_searched_place_wins_over_the_view_in_the_address(litvinov: TownData) -> None:
    found = Place("Hamerská 130", 13.5777, 50.5943, "address", "litvinov")
    m = build_map(litvinov, "cs", found=found)
    assert not next(c for c in m._children.values() if isinstance(c, UrlView)).restore


def test_a_towns_own_streets_are_drawn_with_their_names(litvinov: TownData) -> None:
    extract = Path(__file__).resolve().parents[1] / "fixtures" / "streets" / "janov.osm"
    ways = pyogrio.read_dataframe(extract, layer="lines")[["name", "highway", "geometry"]]
    streets = walking_edges(ways.fillna({"name": ""})).to_crs("EPSG:4326")
    layer = _layers(build_map(replace(litvinov, streets=streets), "cs"))[
        "Ulice (vlastní síť obce)"]
    assert _features(layer) == len(streets)
    names = {f["properties"]["name"] for f in layer.data["features"]}
    assert {"Albrechtická", "Nad Tratí"} <= names


def test_a_searched_place_is_marked_and_the_map_zoomed_to_it(litvinov: TownData) -> None:
    found = Place("Hamerská 130", 13.5777, 50.5943, "address", "litvinov")
    m = build_map(litvinov, "cs", found=found)
    rings = [c for c in m._children.values() if isinstance(c, folium.CircleMarker)]
    assert [r.location for r in rings] == [[50.5943, 13.5777]]
    html = m.get_root().render()
    assert "Hamersk" in html and "50.5923" in html  # the view fitted around it
