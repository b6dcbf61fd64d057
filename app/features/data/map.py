"""The Data page's maps: an import preview (the town boundary and the features a file would
add) and a map to draw a locality on (no Streamlit here; every asset local, so they work
offline like the town map)."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import geopandas as gpd
import pandas as pd

from app.ui.maps.base import BOUNDARY_COLOUR, LOCALITY_OUTLINE, MAX_ZOOM
from app.ui.maps.draw import add_draw_tools
from app.ui.maps.finish import finish
from app.ui.maps.view import UrlView

#: Colour of previewed features (not yet stored), distinct from the stored layers'.
PREVIEW_COLOUR = "#1b7837"


def build_preview_map(boundary: gpd.GeoDataFrame, features: Mapping[str, gpd.GeoDataFrame],
                      approximate: str = "") -> folium.Map:
    """``features`` (layer → EPSG:4326 frame) over ``boundary``, fitted to both.

    Every feature carries ``kind`` = "preview" and its ``layer`` in its properties, so a test
    (or a user's click) can tell them from the town's outline. A frame with an ``exact``
    column draws its approximate points (``exact`` false) as larger hollow dashed circles,
    labelled with the text ``approximate``, so they never look like exact ones. The view is
    written to the page's address (``?pohled=``, ``app.ui.maps.view.UrlView``), never
    taken from it: the preview always starts on the file's features.
    """
    frames = [f for f in features.values() if len(f)]
    extent = gpd.GeoDataFrame(geometry=[*boundary.geometry, *(g for f in frames
                                                                for g in f.geometry)],
                              crs="EPSG:4326")
    minx, miny, maxx, maxy = extent.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   control_scale=True, maxZoom=MAX_ZOOM)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    folium.GeoJson(boundary[["geometry"]], interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False, "dashArray": "10 4 2 4"}).add_to(m)
    for layer, frame in features.items():
        label = next((c for c in ("name", "type_name") if c in frame.columns), None)
        texts = frame[label].astype(str) if label else pd.Series(layer, index=frame.index)
        exact = (frame["exact"].fillna(False).astype(bool) if "exact" in frame.columns
                 else pd.Series(True, index=frame.index))
        for precise in (True, False):
            part = exact == precise
            if not part.any():
                continue
            props = gpd.GeoDataFrame(
                {"kind": "preview", "layer": layer, "exact": precise,
                 "label": texts[part] if precise else texts[part] + f" ({approximate})"},
                geometry=frame.geometry[part], crs=frame.crs)
            marker = (folium.CircleMarker(radius=6, color=PREVIEW_COLOUR, fill=True,
                                          fill_opacity=0.8) if precise else
                      folium.CircleMarker(radius=11, color=PREVIEW_COLOUR, weight=2,
                                          dash_array="4 4", fill=False))
            style = ({"color": LOCALITY_OUTLINE, "weight": 2, "fillColor": PREVIEW_COLOUR,
                      "fillOpacity": 0.4} if precise else
                     {"color": PREVIEW_COLOUR, "weight": 2, "dashArray": "4 4", "fill": False})
            folium.GeoJson(
                props, name=layer, style_function=lambda f, style=style: style,
                marker=marker, tooltip=folium.GeoJsonTooltip(["label"], labels=False),
            ).add_to(m)
    # the features of the file just read win over the view in the address
    UrlView({}, restore=False).add_to(m)
    return finish(m)


def build_draw_map(boundary: gpd.GeoDataFrame, localities: gpd.GeoDataFrame) -> folium.Map:
    """The town's ``boundary`` and stored ``localities`` with Leaflet.draw's area tools, to
    draw a new locality (the drawing comes back through st_folium)."""
    minx, miny, maxx, maxy = boundary.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   control_scale=True, maxZoom=MAX_ZOOM)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.GeoJson(boundary[["geometry"]], interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False}).add_to(m)
    if len(localities):
        folium.GeoJson(localities[["name", "geometry"]],
                       tooltip=folium.GeoJsonTooltip(["name"], labels=False),
                       style_function=lambda f: {"color": LOCALITY_OUTLINE, "weight": 2,
                                                 "fillOpacity": 0.1}).add_to(m)
    add_draw_tools(m)
    return finish(m)
