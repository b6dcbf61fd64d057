"""The map of a session's or a round's results: the answers as the public may see them (counts
in grid cells) and, against the previous round, how each hexagon of the town changed."""

from __future__ import annotations

from typing import Final

import folium
import geopandas as gpd
from branca.element import Element

from app.ui.i18n import label, translate
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, line_symbol, swatch
from app.ui.maps.view import UrlView, fit_data
from layers.crs import to_storage

PUBLIC_COLOUR: Final = "#e6550d"
BOUNDARY_COLOUR: Final = "#222222"
#: Change classes of a cell (as the hotspot page's reds: darker = hotter now); "none" and
#: cells without answers in either round are not drawn.
CHANGE_COLOURS: Final = {"new": "#fb6a4a", "intensifying": "#a50f15", "persistent": "#de2d26",
                         "diminishing": "#9ecae1"}
#: Each overlay's key in the page's address (``?vrstvy=hranice,bunky``): stable and readable
#: in every language, unlike the layer's name.
LAYER_KEYS: Final = {"boundary": "hranice", "change": "zmena", "public": "bunky"}


def build_results_map(public: gpd.GeoDataFrame, change: gpd.GeoDataFrame | None,
                      boundary: gpd.GeoDataFrame, lang: str) -> folium.Map:
    """``public``: the public cells (with ``count``, any CRS); ``change``: the town's
    hexagons with ``change``, ``count_a`` (previous round), ``count_b`` (this one), any CRS,
    or None; ``boundary``: the town (EPSG:4326). It starts where the page's address says
    (``?pohled=``, ``?vrstvy=`` with the keys of :data:`LAYER_KEYS`;
    ``app.ui.maps.view.UrlView``), else fitted to the town."""
    minx, miny, maxx, maxy = boundary.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   control_scale=True)
    fit_data(m, [[miny, minx], [maxy, maxx]])
    boundary_name = translate("sessions.results.map.boundary", lang)
    keyed: dict[str, Element] = {}  # each overlay by its key in the address
    keyed[LAYER_KEYS["boundary"]] = folium.GeoJson(
        boundary[["geometry"]], name=boundary_name, interactive=False,
        style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                  "fill": False}).add_to(m)
    sections = [LegendSection(boundary_name, (LegendItem(line_symbol(BOUNDARY_COLOUR, width=3),
                                                         boundary_name),))]
    if change is not None:
        shown = to_storage(change[change["change"].isin(list(CHANGE_COLOURS))])
        shown = shown.assign(
            fill=shown["change"].map(CHANGE_COLOURS),
            text=[f"{label('hotspots.change', c, lang)}: "
                  + translate("sessions.results.map.counts", lang, before=int(a), now=int(b))
                  for c, a, b in zip(shown["change"], shown["count_a"], shown["count_b"],
                                     strict=True)])
        name = translate("sessions.results.map.change", lang)
        if len(shown):
            keyed[LAYER_KEYS["change"]] = folium.GeoJson(
                shown[["fill", "text", "geometry"]], name=name,
                style_function=lambda f: {"fillColor": f["properties"]["fill"],
                                          "fillOpacity": 0.6, "color": "#555555",
                                          "weight": 0.4},
                tooltip=folium.GeoJsonTooltip(["text"], labels=False),
            ).add_to(m)
        sections.append(LegendSection(name, tuple(
            LegendItem(swatch(colour), label("hotspots.change", code, lang))
            for code, colour in CHANGE_COLOURS.items())))
    name = translate("sessions.results.map.public", lang)
    cells = to_storage(public)
    if len(cells):
        keyed[LAYER_KEYS["public"]] = folium.GeoJson(
            cells[["count", "geometry"]], name=name,
            style_function=lambda f: {"fillColor": PUBLIC_COLOUR, "fillOpacity": 0.45,
                                      "color": PUBLIC_COLOUR, "weight": 1},
            tooltip=folium.GeoJsonTooltip(["count"],
                                          aliases=[translate("sessions.results.n", lang)]),
        ).add_to(m)
    sections.append(LegendSection(name, (LegendItem(swatch(PUBLIC_COLOUR, stroke=PUBLIC_COLOUR),
                                                    name),)))
    Legend(translate("sessions.results.map.legend", lang), sections).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    UrlView(keyed).add_to(m)
    return finish(m)
