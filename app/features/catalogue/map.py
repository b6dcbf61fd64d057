"""The Catalogue page's map (no Streamlit, every asset local): the results with a position
as service badges (tooltip: the name), the chosen one ringed, and the place searched near
with the area within the distance (straight line, drawn in EPSG:5514)."""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from app.ui.maps.base import service_marker, town_base_map
from app.ui.maps.finish import finish
from app.ui.maps.view import UrlView
from layers.crs import METRIC_CRS, STORAGE_CRS

NEAR_COLOUR = "#7a0177"
CHOSEN_COLOUR = "#e31a1c"


def build_catalogue_map(found: gpd.GeoDataFrame, boundary: gpd.GeoDataFrame,
                        context: gpd.GeoDataFrame, chosen: str | None = None,
                        near: tuple[str, BaseGeometry] | None = None,
                        distance_m: float | None = None) -> folium.Map:
    """Results (EPSG:4326; those without a position are left out), the ``chosen`` service
    id ringed, and ``near`` (label, geometry in EPSG:4326) with the area within
    ``distance_m`` metres of it. It starts where the page's address says (``?pohled=``,
    ``app.ui.maps.view.UrlView``) unless a place is searched near: then fitted to the
    results."""
    placed = found[found["positioned"]]
    focus = placed if len(placed) else boundary
    m = town_base_map(boundary, context, focus)
    if near is not None:
        name, geometry = near
        place = gpd.GeoSeries([geometry], crs=STORAGE_CRS)
        if distance_m:
            reach = place.to_crs(METRIC_CRS).buffer(distance_m).to_crs(STORAGE_CRS)
            folium.GeoJson(reach.iloc[0].__geo_interface__, interactive=False,
                           style_function=lambda f: {"color": NEAR_COLOUR, "weight": 1,
                                                     "dashArray": "6 4", "fillOpacity": 0.05}
                           ).add_to(m)
        folium.GeoJson(geometry.__geo_interface__, tooltip=name,
                       marker=folium.CircleMarker(radius=8, color=NEAR_COLOUR),
                       style_function=lambda f: {"color": NEAR_COLOUR, "weight": 3,
                                                 "fillOpacity": 0.15}).add_to(m)
    for row in placed.itertuples():
        if row.service_id == chosen:
            folium.CircleMarker([row.lat, row.lon], radius=18, color=CHOSEN_COLOUR, weight=4,
                                fill=False, interactive=False,
                                class_name="mapa-chosen").add_to(m)
        service_marker(row.lat, row.lon, str(row.service_type), str(row.name)).add_to(m)
    # a place searched near, which the results gather around, wins over the address's view
    UrlView({}, restore=near is None).add_to(m)
    return finish(m)
