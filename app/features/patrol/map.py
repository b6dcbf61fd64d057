"""The Patrol planning page's map (no Streamlit, every asset local): the town, its street
lines, the fear hot cells in scope, the cells the round leaves out, the round and its numbered
places."""

from __future__ import annotations

import folium
import geopandas as gpd

from app.ui.i18n import translate
from app.ui.maps.base import icon_marker, town_base_map
from app.ui.maps.contrast import text_colour
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, line_symbol, swatch
from app.ui.maps.view import UrlView
from layers.crs import to_storage
from layers.patrol.plans import PatrolPlan

ROUTE_COLOUR = "#d7301f"
HOT_COLOUR = "#fd8d3c"
LEFT_OUT_COLOUR = "#6a51a3"


def _number_icon(number: int) -> folium.DivIcon:
    return folium.DivIcon(
        html=(f'<div class="mapa-stop" style="width:24px;height:24px;border-radius:50%;'
              f'background:{ROUTE_COLOUR};color:{text_colour(ROUTE_COLOUR)};border:2px solid #fff;'
              f'box-shadow:0 0 3px rgba(0,0,0,.6);font:bold 12px/20px sans-serif;'
              f'text-align:center;box-sizing:border-box">{number}</div>'),
        icon_size=(24, 24), icon_anchor=(12, 12))


def build_patrol_map(plan: PatrolPlan, boundary: gpd.GeoDataFrame,
                     context: gpd.GeoDataFrame, lang: str) -> folium.Map:
    """The plan's map: round, numbered places (tooltip: place name and time window), hot and
    left-out cells; starts where the page's address says (``?pohled=``,
    ``app.ui.maps.view.UrlView``), else fitted to the round."""
    stops = to_storage(plan.stops)
    hot = plan.ranking.cells[plan.ranking.hot_masks()["fear"]]
    m = town_base_map(boundary, context, stops if len(stops) else boundary)
    if len(hot):
        folium.GeoJson(to_storage(hot[["geometry"]]), interactive=False,
                       style_function=lambda f: {"color": HOT_COLOUR, "weight": 0.5,
                                                 "fillColor": HOT_COLOUR,
                                                 "fillOpacity": 0.45}).add_to(m)
    if len(plan.coverage.left_out):
        folium.GeoJson(to_storage(plan.coverage.left_out[["geometry"]]), interactive=False,
                       style_function=lambda f: {"color": LEFT_OUT_COLOUR, "weight": 3,
                                                 "fill": False}).add_to(m)
    route = to_storage(gpd.GeoDataFrame(geometry=[plan.route.line()], crs=plan.stops.crs))
    folium.GeoJson(route, interactive=False,
                   style_function=lambda f: {"color": ROUTE_COLOUR, "weight": 4,
                                             "opacity": 0.9}).add_to(m)
    for row in stops.itertuples():
        icon_marker((row.geometry.y, row.geometry.x), _number_icon(int(row.position)),
                    " · ".join(filter(None, (
                        f"{int(row.position)}. {getattr(row, 'place_name', '')}".strip(),
                        row.time_window or "–")))).add_to(m)
    Legend(translate("patrol.map.legend", lang), [LegendSection("", (
        LegendItem(line_symbol(ROUTE_COLOUR, width=4), translate("patrol.map.route", lang)),
        LegendItem(swatch(HOT_COLOUR, stroke=HOT_COLOUR, opacity=0.6),
                   translate("patrol.map.hot", lang)),
        LegendItem(swatch("#ffffff", stroke=LEFT_OUT_COLOUR, opacity=1),
                   translate("patrol.map.left_out", lang)),
    ))]).add_to(m)
    UrlView({}).add_to(m)
    return finish(m)
