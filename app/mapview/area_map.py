"""The Area page's map: the town, the chosen locality, linked places and services, and the
fear-hotspot cells coloured by whether a measure addresses them (no Streamlit, offline)."""

from __future__ import annotations

import folium
import geopandas as gpd

from app.i18n import translate
from app.mapview.assets import localize
from app.mapview.builder import BOUNDARY_COLOUR, CONTEXT_STYLES, LOCALITY_OUTLINE, MAX_ZOOM
from layers.strategy.area import AreaView
from layers.strategy.report import ADDRESSED_COLOUR, UNADDRESSED_COLOUR

PLACE_COLOUR = "#3182bd"
SERVICE_COLOUR = "#31a354"
CHOSEN_COLOUR = "#ff7f00"


def build_area_map(view: AreaView, context: gpd.GeoDataFrame, lang: str,
                   chosen: tuple[float, float] | None = None) -> folium.Map:
    """A map of ``view`` over the town's ``context`` lines (EPSG:4326) with the ``chosen``
    (lon, lat) place a new measure will be linked to."""
    focus = view.locality if len(view.locality) else view.boundary
    minx, miny, maxx, maxy = focus.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=14, tiles=None,
                   maxZoom=MAX_ZOOM, control_scale=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(30, 30))
    if len(context):
        folium.GeoJson(context[["kind", "geometry"]], interactive=False,
                       style_function=lambda f: CONTEXT_STYLES.get(f["properties"]["kind"],
                                                                   CONTEXT_STYLES["road"])
                       ).add_to(m)
    folium.GeoJson(view.boundary[["geometry"]], interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False}).add_to(m)
    if len(view.locality):
        folium.GeoJson(view.locality[["name", "geometry"]],
                       tooltip=folium.GeoJsonTooltip(["name"], labels=False),
                       style_function=lambda f: {"color": LOCALITY_OUTLINE, "weight": 2,
                                                 "fillOpacity": 0.08}).add_to(m)
    for row in view.cells.itertuples():
        addressed = bool(row.addressed)
        text = (translate("area.map.addressed", lang, n=row.count, measures=row.measures)
                if addressed else translate("area.map.unaddressed", lang, n=row.count))
        colour = ADDRESSED_COLOUR if addressed else UNADDRESSED_COLOUR
        folium.GeoJson(row.geometry.__geo_interface__, tooltip=text,
                       style_function=lambda f, c=colour, a=addressed: {
                           "color": c, "weight": 1 if a else 3, "fillColor": c,
                           "fillOpacity": 0.25 if a else 0.5}).add_to(m)
    for row in view.services.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=6, color="#fff", weight=2,
                            fill=True, fill_color=SERVICE_COLOUR, fill_opacity=0.95,
                            tooltip=str(row.name)).add_to(m)
    for row in view.places.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=8, color="#fff", weight=2,
                            fill=True, fill_color=PLACE_COLOUR, fill_opacity=0.95,
                            tooltip=f"{row.label} – {row.measures}").add_to(m)
    if chosen is not None:
        folium.CircleMarker([chosen[1], chosen[0]], radius=12, color=CHOSEN_COLOUR, weight=4,
                            fill=True, fill_opacity=0.3,
                            tooltip=translate("area.map.chosen", lang)).add_to(m)
    return localize(m)
