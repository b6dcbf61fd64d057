"""Leaflet.draw on the pages' working maps: the tools offered (areas only, a place is chosen
by a plain click) and the shape a drawing brings back through ``st_folium`` (no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
from folium.plugins import Draw

#: Colour of a shape being drawn (and of the place or area it will be linked to).
DRAW_COLOUR = "#ff7f00"
#: Leaflet.draw tools offered: areas only (a place is chosen by a plain click).
DRAW_OPTIONS: dict[str, Any] = {
    "polygon": {"allowIntersection": False, "showArea": False,
                "shapeOptions": {"color": DRAW_COLOUR}},
    "rectangle": {"shapeOptions": {"color": DRAW_COLOUR}},
    "polyline": False, "circle": False, "circlemarker": False, "marker": False}


def add_draw_tools(m: folium.Map) -> None:
    """Add Leaflet.draw's toolbar with :data:`DRAW_OPTIONS` to ``m`` (no editing or removing
    of stored shapes)."""
    Draw(draw_options=DRAW_OPTIONS, edit_options={"edit": False, "remove": False},
         show_geometry_on_click=False).add_to(m)


def drawn_geometry(drawing: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The GeoJSON geometry of a shape Leaflet.draw drew (a Feature, or a bare geometry);
    None for nothing. Whether it is a usable area is ``layers.strategy.editing``'s to judge."""
    if not drawing:
        return None
    geometry = drawing.get("geometry") if drawing.get("type") == "Feature" else drawing
    return dict(geometry) if isinstance(geometry, Mapping) else None
