"""The answer map of the kiosk and the public form: the town, its localities and the pins
this device placed (no Streamlit).

Deliberately plain for a tablet in children's hands: the boundary, the localities, the main
roads, the pins just placed and the place tapped now, on a blank offline background; zoomed
in, the names of streets, addresses and stops (``app.ui.maps.names``).
"""

from __future__ import annotations

import folium
import geopandas as gpd

from app.ui.maps.base import BOUNDARY_COLOUR, CONTEXT_STYLES, LOCALITY_OUTLINE, MAX_ZOOM
from app.ui.maps.finish import finish
from app.ui.maps.names import add_place_names
from app.ui.maps.pins import CATEGORY_COLOURS
from app.ui.town import TownData

CHOSEN_COLOUR = "#ff00aa"


def build_capture_map(data: TownData, placed: gpd.GeoDataFrame,
                      chosen: tuple[float, float] | None) -> folium.Map:
    """A map of ``data``'s town with ``placed`` pins (EPSG:4326) and the ``chosen`` lat/lon."""
    focus = data.localities if len(data.localities) else data.boundary
    minx, miny, maxx, maxy = focus.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=15, tiles=None,
                   maxZoom=MAX_ZOOM, control_scale=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(40, 40))
    folium.GeoJson(data.context[["kind", "geometry"]], interactive=False,
                   style_function=lambda f: CONTEXT_STYLES.get(f["properties"]["kind"],
                                                               CONTEXT_STYLES["road"])).add_to(m)
    folium.GeoJson(data.boundary[["geometry"]], interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False}).add_to(m)
    folium.GeoJson(data.localities[["name", "geometry"]], interactive=False,
                   style_function=lambda f: {"color": LOCALITY_OUTLINE, "weight": 2,
                                             "fillOpacity": 0.08}).add_to(m)
    for row in placed.itertuples():
        colour = CATEGORY_COLOURS.get(str(row.category), "#555")
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=9, color="#fff",
                            weight=2, fill=True, fill_color=colour, fill_opacity=0.95,
                            interactive=False).add_to(m)
    # the addresses of the area the children map (none when it is too large to ship)
    add_place_names(m, data.addresses, data.stops, data.streets,
                    (float(minx), float(miny), float(maxx), float(maxy)))
    if chosen is not None:
        folium.CircleMarker(list(chosen), radius=14, color=CHOSEN_COLOUR, weight=4,
                            fill=True, fill_opacity=0.3, interactive=False).add_to(m)
    return finish(m)
