"""Layers without features on a folium map: drawn empty, without tooltip or popup.

A town added with ``mapa import town`` has no localities, services or police districts yet.
folium refuses to render a ``GeoJsonTooltip`` or ``GeoJsonPopup`` whose fields are not in the
data, and an empty layer has no fields at all (``AssertionError: The field name is not
available in the data``). :func:`unbind_empty` removes them, in one place for every map
builder, so builders add their layers the same way whether a town has data or not; the pages
say in words what is missing.
"""

from __future__ import annotations

import folium

from app.ui.maps.assets import walk


def unbind_empty(m: folium.Map) -> folium.Map:
    """Remove the tooltip and popup of every GeoJSON layer of ``m`` holding no feature, in
    place; return ``m``. Layers with features keep theirs."""
    for element in list(walk(m)):
        if not isinstance(element, folium.GeoJson) or element.data.get("features"):
            continue
        for name, child in list(element._children.items()):
            if isinstance(child, (folium.GeoJsonTooltip, folium.GeoJsonPopup)):
                del element._children[name]
    return m
