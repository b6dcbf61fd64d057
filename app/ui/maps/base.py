"""What every map of the app shares (no Streamlit here): the town's base map for the pages'
working maps, the styles of the town's boundary, localities and context lines, the service
badges (DivIcons: folium's Icon would need a CDN) and the markers that carry them."""

from __future__ import annotations

from html import escape
from typing import Final

import folium
import geopandas as gpd
from folium.template import tojavascript
from folium.utilities import JsCode

from app.ui.maps.contrast import text_colour

MAX_ZOOM: Final = 19
BOUNDARY_COLOUR: Final = "#222222"
LOCALITY_OUTLINE: Final = "#67000d"
CONTEXT_STYLES: Final = {
    "road": {"color": "#9a8f7c", "weight": 2.5, "opacity": 0.9},
    "railway": {"color": "#444444", "weight": 1.5, "opacity": 0.9, "dashArray": "6 3"},
    "river": {"color": "#4a90d9", "weight": 2, "opacity": 0.9},
}
#: Badge per service type: (letters, background colour). Hues after Okabe–Ito, darkened so
#: that the white letters keep a contrast of at least 4.5:1 (tests/app/test_palettes.py).
SERVICE_BADGES: Final = {
    "police": ("P", "#08306b"),
    "municipal_police": ("MP", "#0072b2"),
    "apk": ("APK", "#3b5ba5"),
    "nzdm": ("N", "#00785a"),
    "community_centre": ("KC", "#4d7c0f"),
    "school": ("Š", "#8c6d31"),
    "social_service": ("S", "#7b4173"),
    "addiction_service": ("A", "#a55194"),
    "debt_counselling": ("D", "#545454"),
    "playground": ("H", "#6b6b00"),
}


def town_base_map(boundary: gpd.GeoDataFrame, context: gpd.GeoDataFrame,
                  focus: gpd.GeoDataFrame) -> folium.Map:
    """A tile-less map fitted to ``focus`` with the town's ``context`` lines and ``boundary``
    (all EPSG:4326), for the pages' working maps; the caller adds its layers and finishes
    the map (``app.ui.maps.finish``)."""
    minx, miny, maxx, maxy = focus.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=14, tiles=None,
                   maxZoom=MAX_ZOOM, control_scale=True)
    # not animated: a view from the page's address (``app.ui.maps.view.UrlView``) set right
    # after it would otherwise be undone when the fit's zoom animation ends
    fit = folium.FitBounds([[miny, minx], [maxy, maxx]], padding=(30, 30))
    fit.options["animate"] = False
    m.add_child(fit)
    if len(context):
        folium.GeoJson(context[["kind", "geometry"]], interactive=False,
                       style_function=lambda f: CONTEXT_STYLES.get(f["properties"]["kind"],
                                                                   CONTEXT_STYLES["road"])
                       ).add_to(m)
    folium.GeoJson(boundary[["geometry"]], interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False}).add_to(m)
    return m


def badge_size(service_type: str) -> int:
    """The side in pixels of a service type's badge (wider for three letters)."""
    return 24 if len(SERVICE_BADGES.get(service_type, ("?",))[0]) < 3 else 28


def service_badge(service_type: str) -> str:
    """The inline HTML badge of a service type (letters on a coloured disc)."""
    letters, colour = SERVICE_BADGES.get(service_type, ("?", "#000000"))
    size = badge_size(service_type)
    return (f'<div style="width:{size}px;height:{size}px;border-radius:50%;background:{colour};'
            f'color:{text_colour(colour)};border:2px solid #fff;box-shadow:0 0 3px rgba(0,0,0,.6);'
            f'font:bold {11 if len(letters) < 3 else 9}px/1 sans-serif;display:flex;'
            f'align-items:center;justify-content:center;box-sizing:border-box">'
            f'{escape(letters)}</div>')


def icon_marker(location: tuple[float, float], icon: folium.DivIcon,
                tooltip: str) -> folium.Marker:
    """A marker at ``location`` (lat, lon) made with ``icon`` from the start.

    ``folium.Marker(icon=…)`` adds its marker to the map with Leaflet's default icon and sets
    ``icon`` only after: meanwhile Leaflet fetches the default icon's images from a folder it
    guesses from its stylesheet, relative to the map component's frame (404) whenever the
    stylesheet is not applied yet. Here the icon is in the marker's own options instead."""
    marker = folium.Marker(list(location), tooltip=tooltip)
    # folium's templates write JsCode as code; its option types do not list it
    marker.options["icon"] = JsCode(  # type: ignore[assignment]
        f"L.divIcon({tojavascript(icon.options)})")
    return marker


def service_marker(lat: float, lon: float, service_type: str, tooltip: str) -> folium.Marker:
    """A service's badge (:func:`service_badge`) at (lat, lon), centred on it."""
    size = badge_size(service_type)
    return icon_marker((lat, lon), folium.DivIcon(html=service_badge(service_type),
                                                  icon_size=(size, size),
                                                  icon_anchor=(size // 2, size // 2)),
                       tooltip)
