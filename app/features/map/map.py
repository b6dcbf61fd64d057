"""Build the folium map of one town from its frames (no Streamlit here, so it is testable).

Layers, bottom to top: context lines, police districts (crime-index choropleth), municipality
boundary, excluded localities (by social-exclusion band), aggregated cells of sensitive pins,
the public pins, services. Every asset is served locally (``app.ui.maps.finish``);
services are drawn as DivIcon badges (``app.ui.maps.base``) because folium's Icon needs a CDN.
"""

from __future__ import annotations

import json
import math
import os
from typing import Final

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure

from app.ui.i18n import label, labels, number, translate
from app.ui.maps.base import (
    BOUNDARY_COLOUR,
    CONTEXT_STYLES,
    LOCALITY_OUTLINE,
    MAX_ZOOM,
    badge_size,
    service_badge,
)
from app.ui.maps.basemaps import BASEMAPS as BASEMAP_DEFINITIONS
from app.ui.maps.basemaps import add_basemap
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, dot, line_symbol, swatch
from app.ui.maps.names import add_place_names
from app.ui.maps.pins import CATEGORY_COLOURS, PinLayer
from app.ui.maps.view import UrlView, data_bounds, fit_data
from app.ui.town import CELL_M, PUBLIC_K, TownData
from layers.exclusion import BAND_COLOURS, BANDS, NO_SCORE_COLOUR
from layers.geocode import Place
from layers.mapping.styles import CELL_COLOUR
from layers.schema import (
    CONTEXT_KINDS,
    FEELINGS,
    PIN_CATEGORIES,
    SENSITIVE_CATEGORIES,
    SERVICE_TYPES,
)

BASEMAPS: Final = tuple(BASEMAP_DEFINITIONS)
MAP_HEIGHT: Final = 680

#: Crime-index classes, light to dark (ColorBrewer BuPu), distinct from the exclusion reds.
CRIME_COLOURS: Final = ("#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c")
NO_FIGURE_COLOUR: Final = "#d9d9d9"
#: Class edges of the crime index as shares of the baseline (region) value.
CRIME_RATIOS: Final = (0.75, 1.0, 1.25, 1.5)
#: Compact layer control (folium sets 1rem on the whole map, too big beside the legend).
_CONTROL_CSS: Final = ("<style>.leaflet-control-layers { font-size: 12px; line-height: 1.3; }"
                       "</style>")
_BLANK_BACKGROUND: Final = "<style>.leaflet-container { background: #f4f2ec; }</style>"


#: Each overlay's key in the page's address (``?vrstvy=lokality,sluzby``): stable and readable
#: in every language, unlike the layer's name.
LAYER_KEYS: Final = {
    "context": "kontext", "districts": "obvody", "boundary": "hranice", "localities": "lokality",
    "illustrative_localities": "lokality-ilustrativni", "pin_cells": "bunky",
    "pins": "odpovedi", "services": "sluzby", "streets": "ulice", "stops": "zastavky",
}

#: Style of the town's own streets and colour of the stops.
STREET_COLOUR: Final = "#8c8c8c"
STREET_STYLE: Final = {"color": STREET_COLOUR, "weight": 2, "opacity": 0.9}
STOP_COLOUR: Final = "#0868ac"
#: Ring around a searched place, and the half-size (degrees) of the view fitted around it.
FOUND_COLOUR: Final = "#e7298a"
FOUND_PAD: Final = 0.002


def build_map(data: TownData, lang: str, basemap: str = "none",
              found: Place | None = None) -> folium.Map:
    """The town's map with all layers, a folded layer control and a folded legend, every asset
    local. It starts fitted to the town's data (localities, services, pins; the boundary when
    there are none), or where the page's address says (``?pohled=``, ``?vrstvy=`` with the
    keys of :data:`LAYER_KEYS`; ``app.ui.maps.view.UrlView``); zoomed to ``found`` (a
    searched place, marked with its name) when given, whatever the address says.

    ``basemap`` is "none" (the town's own vector base on a blank background, works offline)
    or one of the online tile services of ``app.ui.maps.basemaps`` ("osm", "ztm", "orto"),
    with its attribution. Raises ``ValueError`` for another basemap.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")
    minx, miny, maxx, maxy = data.boundary.total_bounds
    # folium's max_zoom only reaches a tile layer; markercluster needs the map's own maxZoom,
    # which without tiles is otherwise unset
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13,
                   tiles=None, control_scale=True, maxZoom=MAX_ZOOM)
    root = m.get_root()
    assert isinstance(root, Figure)
    if BASEMAP_DEFINITIONS[basemap].online:
        add_basemap(m, basemap, translate(f"map.basemap.{basemap}", lang), MAX_ZOOM)
    else:
        root.header.add_child(Element(_BLANK_BACKGROUND))
    root.header.add_child(Element(_CONTROL_CSS))
    fit_data(m, data_bounds([data.localities, data.services, data.pins_exact, data.pin_cells],
                            data.boundary))

    keyed: dict[str, Element] = {}  # each overlay by its key in the address
    sections = [
        _add_context(m, data, lang, keyed),
        _add_districts(m, data, lang, keyed),
        _add_boundary(m, data, lang, keyed),
        _add_localities(m, data, lang, keyed),
        _add_pins(m, data, lang, keyed),
        _add_services(m, data, lang, keyed),
        *_add_streets_and_stops(m, data, lang, keyed),
    ]
    if not BASEMAP_DEFINITIONS[basemap].online:  # tiles name the streets themselves
        # addresses only around a searched place: never a whole town's in one map
        near = None if found is None else (found.lon - 2 * FOUND_PAD, found.lat - 2 * FOUND_PAD,
                                           found.lon + 2 * FOUND_PAD, found.lat + 2 * FOUND_PAD)
        add_place_names(m, data.addresses, data.stops, data.streets, near)
    if found is not None:
        folium.CircleMarker([found.lat, found.lon], radius=9, weight=3, color=FOUND_COLOUR,
                            fill=False, tooltip=folium.Tooltip(found.name, permanent=True)
                            ).add_to(m)
        m.fit_bounds([[found.lat - FOUND_PAD, found.lon - FOUND_PAD],
                      [found.lat + FOUND_PAD, found.lon + FOUND_PAD]])
    # both fold away (a button each) so that they never cover the data
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    Legend(translate("map.legend.title", lang), sections, folded=True).add_to(m)
    # a searched place wins over the view in the address
    UrlView(keyed, restore=found is None).add_to(m)
    return finish(m)


def default_basemap() -> str:
    """The base map to start with: ``MAPA_BASEMAP`` (a key of :data:`BASEMAPS`), else "none".

    "none" is the default because the app must work without internet (a community centre).
    Raises ``ValueError`` for another value of ``MAPA_BASEMAP``: a typo should not silently
    make the map depend on the internet or hide it.
    """
    value = os.environ.get("MAPA_BASEMAP", "none").strip().lower() or "none"
    if value not in BASEMAPS:
        raise ValueError(f"MAPA_BASEMAP must be one of {BASEMAPS}, got {value!r}")
    return value


def layer_name(data: TownData, key: str, store_layer: str, lang: str) -> str:
    """The display name of a map layer; illustrative layers say so plainly."""
    name = translate(key, lang)
    if data.is_synthetic(store_layer):
        return translate("map.synthetic_suffix", lang, name=name)
    return name


def _add_context(m: folium.Map, data: TownData, lang: str,
                 keyed: dict[str, Element]) -> LegendSection:
    name = layer_name(data, "map.layer.context", "context_lines", lang)
    frame = data.context[["kind", "label", "geometry"]].fillna({"label": ""})
    keyed[LAYER_KEYS["context"]] = folium.GeoJson(
        frame, name=name, interactive=False,
        style_function=lambda f: CONTEXT_STYLES.get(f["properties"]["kind"],
                                                    CONTEXT_STYLES["road"]),
    ).add_to(m)
    items = tuple(LegendItem(line_symbol(CONTEXT_STYLES[kind]["color"],  # type: ignore[arg-type]
                                         dashed="dashArray" in CONTEXT_STYLES[kind]),
                             label("context.kind", kind, lang)) for kind in CONTEXT_KINDS)
    return LegendSection(name, items, open=False)


def crime_edges(values: list[float], baseline: float | None) -> list[float]:
    """Inner class edges of the crime index: shares of ``baseline`` when known, else four
    equal-width steps between the lowest and highest finite value (empty when none)."""
    if baseline is not None and math.isfinite(baseline) and baseline > 0:
        return [baseline * r for r in CRIME_RATIOS]
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return []
    low, high = min(finite), max(finite)
    step = (high - low) / len(CRIME_COLOURS)
    return [low + step * i for i in range(1, len(CRIME_COLOURS))]


def crime_colour(value: float, edges: list[float]) -> str:
    """The fill colour of one index value (grey when there is no figure)."""
    if not math.isfinite(value) or not edges:
        return NO_FIGURE_COLOUR
    return CRIME_COLOURS[sum(value >= edge for edge in edges)]


def _add_districts(m: folium.Map, data: TownData, lang: str,
                   keyed: dict[str, Element]) -> LegendSection:
    crime = data.crime
    frame = data.districts.merge(crime.table[["oop_code", "found", "per_10k"]], on="oop_code",
                                 how="left")
    edges = crime_edges(frame["per_10k"].astype(float).tolist(),
                        crime.baseline.per_10k if crime.baseline else None)
    year = crime.year if crime.year is not None else "–"
    props = gpd.GeoDataFrame({
        "kind": "district",
        "area_id": frame["oop_code"].astype(str),
        "name": frame["oop_name"].astype(str),
        "population": [number(v, lang) for v in frame["population"].astype(float)],
        "found": [number(v, lang) for v in frame["found"].astype(float)],
        "per_10k_text": [number(v, lang, 1) for v in frame["per_10k"].astype(float)],
        "fill": [crime_colour(v, edges) for v in frame["per_10k"].astype(float)],
    }, geometry=frame.geometry, crs=frame.crs)
    name = layer_name(data, "map.layer.districts", "police_districts", lang)
    fields = ["name", "population", "found", "per_10k_text"]
    aliases = [translate("map.popup.district", lang),
               translate("map.popup.district_population", lang),
               translate("map.popup.crimes", lang, year=year),
               translate("map.popup.per_10k", lang)]
    keyed[LAYER_KEYS["districts"]] = folium.GeoJson(
        props, name=name,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.3,
                                  "color": "#54278f", "weight": 1.5, "dashArray": "5 4"},
        highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(["name", "per_10k_text"],
                                      aliases=[aliases[0], aliases[3]]),
        popup=folium.GeoJsonPopup(fields, aliases=aliases),
    ).add_to(m)

    bounds = [-math.inf, *edges, math.inf]
    items = [LegendItem(swatch(colour, stroke="#54278f", opacity=0.7),
                        _range_text(bounds[i], bounds[i + 1], lang))
             for i, colour in enumerate(CRIME_COLOURS) if edges]
    if not edges or frame["per_10k"].isna().any():
        items.append(LegendItem(swatch(NO_FIGURE_COLOUR, stroke="#54278f"),
                                translate("map.legend.no_figure", lang)))
    note = (translate("map.legend.crime_baseline", lang, area=crime.baseline.area,
                      year=crime.baseline.year, value=number(crime.baseline.per_10k, lang, 1))
            if crime.baseline else translate("map.legend.crime_equal", lang))
    return LegendSection(translate("map.legend.crime", lang, year=year), tuple(items), note)


def _range_text(low: float, high: float, lang: str) -> str:
    if not math.isfinite(low):
        return f"< {number(high, lang)}"
    if not math.isfinite(high):
        return f"≥ {number(low, lang)}"
    return f"{number(low, lang)} – {number(high, lang)}"


def _add_boundary(m: folium.Map, data: TownData, lang: str,
                  keyed: dict[str, Element]) -> LegendSection:
    name = layer_name(data, "map.layer.boundary", "towns", lang)
    keyed[LAYER_KEYS["boundary"]] = folium.GeoJson(
        data.boundary[["name", "geometry"]], name=name, interactive=False,
        style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3, "fill": False,
                                  "dashArray": "10 4 2 4"},
    ).add_to(m)
    return LegendSection(name, (LegendItem(line_symbol(BOUNDARY_COLOUR, width=3),
                                           str(data.town["name"])),), open=False)


def _add_localities(m: folium.Map, data: TownData, lang: str,
                    keyed: dict[str, Element]) -> LegendSection:
    """The localities in two layers: imported real ones, and the illustrative ones named so
    (a real locality is never listed as illustrative because the demo's are)."""
    synthetic = data.localities["synthetic"].fillna(False).astype(bool)
    for illustrative in (False, True):
        part = data.localities[synthetic == illustrative]
        if len(part) or (not illustrative and synthetic.empty):
            key = "illustrative_localities" if illustrative else "localities"
            keyed[LAYER_KEYS[key]] = _add_locality_layer(m, part, illustrative, lang)
    items = tuple(LegendItem(swatch(BAND_COLOURS[code], stroke=LOCALITY_OUTLINE),
                             label("band", code, lang)) for code, _, _ in BANDS)
    if data.localities["isv"].isna().any():
        items += (LegendItem(swatch(NO_SCORE_COLOUR, stroke=LOCALITY_OUTLINE),
                             translate("isv.not_published", lang)),)
    title = translate("map.legend.isv", lang)
    if len(synthetic) and synthetic.all():
        title = translate("map.synthetic_suffix", lang, name=title)
    return LegendSection(title, items)


def _add_locality_layer(m: folium.Map, frame: gpd.GeoDataFrame, illustrative: bool,
                        lang: str) -> Element:
    props = gpd.GeoDataFrame({
        "kind": "locality",
        "area_id": frame["locality_id"].astype(str),
        "name": frame["name"].astype(str),
        "population": [number(v, lang) for v in frame["population_est"].astype(float)],
        "isv": [translate("isv.not_published", lang) if pd.isna(v) else number(v, lang)
                for v in frame["isv"].astype(float)],
        "band": frame["isv_band"].fillna("").astype(str),
        "band_label": [label("band", b, lang) if isinstance(b, str) and b else "–"
                       for b in frame["isv_band"]],
    }, geometry=frame.geometry, crs=frame.crs)
    name = translate("map.layer.localities", lang)
    if illustrative:
        name = translate("map.synthetic_suffix", lang, name=name)
    fields = ["name", "population", "isv", "band_label"]
    aliases = [translate(f"map.popup.{key}", lang)
               for key in ("name", "population", "isv", "band")]
    return folium.GeoJson(
        props, name=name,
        # a locality without a published score is grey, not coloured as if it had one
        style_function=lambda f: {"fillColor": BAND_COLOURS.get(f["properties"]["band"],
                                                                NO_SCORE_COLOUR),
                                  "fillOpacity": 0.6, "color": LOCALITY_OUTLINE, "weight": 2},
        highlight_function=lambda f: {"weight": 4, "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
        popup=folium.GeoJsonPopup(fields, aliases=aliases),
    ).add_to(m)


def _add_pins(m: folium.Map, data: TownData, lang: str,
              keyed: dict[str, Element]) -> LegendSection:
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    cells = data.pin_cells
    cell_name = layer_name(data, "map.layer.pin_cells", "pins", lang)
    cell_props = gpd.GeoDataFrame({
        "count": cells["count"].astype(int),
        "categories": [_category_text(text, category_labels, lang) for text in
                       cells["category_counts"]],
    }, geometry=cells.geometry, crs=cells.crs)
    if len(cell_props):  # none in an exact view (.page.map_pins); a popup needs fields
        keyed[LAYER_KEYS["pin_cells"]] = folium.GeoJson(
            cell_props, name=cell_name,
            style_function=lambda f: {"fillColor": CELL_COLOUR, "fillOpacity": 0.45,
                                      "color": CELL_COLOUR, "weight": 1},
            popup=folium.GeoJsonPopup(["count", "categories"],
                                      aliases=[translate("map.popup.count", lang),
                                               translate("map.popup.categories", lang)]),
        ).add_to(m)
    pins_name = layer_name(data, "map.layer.pins", "pins", lang)
    keyed[LAYER_KEYS["pins"]] = PinLayer(
        data.pins_exact, name=pins_name, category_labels=category_labels,
        feeling_labels={f: translate(f"pin.feeling.{f}", lang) for f in FEELINGS},
    ).add_to(m)
    present = set(data.pins_exact["category"])
    items = tuple(LegendItem(dot(CATEGORY_COLOURS[code]), category_labels[code])
                  for code in PIN_CATEGORIES if code in present)
    if present & SENSITIVE_CATEGORIES:  # the exact view of .page.map_pins: no cells
        return LegendSection(pins_name, items, translate("map.legend.pins_note_exact", lang))
    cells_item = LegendItem(swatch(CELL_COLOUR, stroke=CELL_COLOUR, opacity=0.6),
                            translate("map.legend.cells", lang, k=PUBLIC_K, cell=CELL_M))
    return LegendSection(pins_name, (*items, cells_item),
                         translate("map.legend.pins_note", lang))


def _category_text(category_counts: str, category_labels: dict[str, str], lang: str) -> str:
    """A cell's answers by category; a category with fewer than k answers is not counted
    exactly, as in the side panel (an exact 1 or 2 could point at a person)."""
    counts: dict[str, int] = json.loads(category_counts) if category_counts else {}
    fewer = translate("map.popup.fewer", lang, k=PUBLIC_K)
    return ", ".join(f"{category_labels.get(code, code)}: {n if n >= PUBLIC_K else fewer}"
                     for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _service_icon(feature: dict) -> dict:
    """DivIcon options of one service (folium merges a marker's style into its icon options)."""
    kind = feature["properties"]["service_type"]
    size = badge_size(kind)
    return {"html": service_badge(kind), "className": f"mapa-service mapa-service-{kind}",
            "iconSize": [size, size], "iconAnchor": [size // 2, size // 2]}


def _add_services(m: folium.Map, data: TownData, lang: str,
                  keyed: dict[str, Element]) -> LegendSection:
    """Services as one GeoJSON layer of DivIcon badges; popups without jQuery (folium.Popup
    would need it)."""
    name = layer_name(data, "map.layer.services", "services", lang)
    columns = ["name", "type_label", "operator", "target_groups", "opening_hours", "address"]
    props = data.services.assign(
        type_label=[label("service.type", kind, lang) for kind in data.services["service_type"]],
        kind="service",
    )[["kind", "service_type", *columns, "geometry"]].fillna("")
    aliases = [translate("map.popup.name", lang), translate("map.popup.type", lang)] + [
        translate(f"map.popup.{column}", lang) for column in columns[2:]]
    keyed[LAYER_KEYS["services"]] = folium.GeoJson(
        props, name=name, marker=folium.Marker(icon=folium.DivIcon()),
        style_function=_service_icon,
        tooltip=folium.GeoJsonTooltip(["name"], labels=False),
        popup=folium.GeoJsonPopup(columns, aliases=aliases),
    ).add_to(m)
    present = [kind for kind in SERVICE_TYPES if kind in set(data.services["service_type"])]
    items = tuple(LegendItem(f'<span style="display:inline-block;vertical-align:middle">'
                             f'{service_badge(kind)}</span>', label("service.type", kind, lang))
                  for kind in present)
    return LegendSection(name, items, open=False)


def _add_streets_and_stops(m: folium.Map, data: TownData, lang: str,
                           keyed: dict[str, Element]) -> list[LegendSection]:
    """The town's own streets (names as tooltips) and its public-transport stops, each a
    layer of its own, when the store has them; so a child at the kiosk and an officer on
    patrol find the streets and stops they know."""
    sections = []
    if len(data.streets):
        name = translate("map.layer.streets", lang)
        keyed[LAYER_KEYS["streets"]] = folium.GeoJson(
            data.streets[["name", "geometry"]].fillna({"name": ""}), name=name,
            style_function=lambda f: STREET_STYLE,
            tooltip=folium.GeoJsonTooltip(["name"], labels=False)).add_to(m)
        sections.append(LegendSection(name, (LegendItem(line_symbol(STREET_COLOUR),
                                                        name),), open=False))
    if len(data.stops):
        name = translate("map.layer.stops", lang)
        keyed[LAYER_KEYS["stops"]] = folium.GeoJson(
            data.stops[["name", "geometry"]], name=name,
            marker=folium.CircleMarker(radius=4, weight=1, color="#ffffff", fill=True,
                                       fill_color=STOP_COLOUR, fill_opacity=1.0),
            tooltip=folium.GeoJsonTooltip(["name"], labels=False)).add_to(m)
        sections.append(LegendSection(name, (LegendItem(dot(STOP_COLOUR), name),),
                                      open=False))
    return sections
