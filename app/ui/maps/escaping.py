"""Make every text on a folium map inert: names from imported files show as text, never run.

Leaflet inserts tooltips, popups and layer-control names as HTML (``innerHTML``), and folium's
``Tooltip`` puts its text inside a JavaScript template literal. A locality, service or measure
named ``<img src=x onerror=…>`` or ``${…}`` would therefore run as script in the map's frame,
which can reach the page of a logged-in user. :func:`escape_text` escapes, in one pass over the
finished map, every value that reaches such a place:

* the string properties of every GeoJSON feature (what ``GeoJsonTooltip`` and ``GeoJsonPopup``
  show), and their field aliases;
* the text of every ``Tooltip`` and ``Popup`` (``folium.Marker(tooltip="…")`` and
  ``folium.GeoJson(tooltip="…")`` make one);
* the name every layer shows in the layer control.

Builders therefore pass plain text everywhere and never escape by themselves (a value escaped
twice would show ``&amp;lt;``). Markup the builders make on purpose (legend symbols, service
badges in DivIcons) does not travel through these places; the legend escapes its own labels.
"""

from __future__ import annotations

from html import escape
from typing import Any, Final

import folium

from app.ui.maps.assets import walk

#: Beyond HTML's five: a backtick ends folium's template literal, ``${`` opens an expression in
#: it, and a backslash escapes the character after it. As character references they show as
#: themselves in the HTML the literal becomes.
_LITERAL_CHARACTERS: Final = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def inert(text: str) -> str:
    """``text`` escaped for HTML and for a JavaScript template literal: it shows literally."""
    return escape(text, quote=True).translate(_LITERAL_CHARACTERS)


def escape_text(m: folium.Map) -> folium.Map:
    """Escape every user-visible text of ``m`` and its children in place; return ``m``.

    Call it once, after the last element is added and before the first render (rendering
    copies the texts into the page). Idempotence is not a goal: calling it twice escapes twice.
    """
    for element in walk(m):
        if isinstance(element, folium.GeoJson):
            for feature in element.data.get("features", ()):
                if feature.get("properties"):
                    feature["properties"] = _inert_value(feature["properties"])
        if isinstance(element, (folium.GeoJsonTooltip, folium.GeoJsonPopup)):
            element.aliases = [inert(str(alias)) for alias in element.aliases]
        if isinstance(element, folium.Tooltip):
            element.text = inert(element.text)
        if isinstance(element, folium.Popup):
            _escape_popup(element)
        if isinstance(element, folium.map.Layer) and isinstance(element.layer_name, str):
            element.layer_name = inert(element.layer_name)
    return m


def _inert_value(value: Any) -> Any:
    """Strings escaped at any depth (a tooltip shows a nested value as JSON text)."""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, dict):
        return {key: _inert_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_inert_value(item) for item in value]
    return value


def _escape_popup(popup: folium.Popup) -> None:
    """A popup holds its text in ``Html`` children: their text is made inert and then inserted
    as it is (``script``), so that neither folium's nor Jinja's escaping applies twice."""
    for child in popup.html._children.values():
        if isinstance(child, folium.Html):
            child.data = inert(child.data)
            child.script = True
