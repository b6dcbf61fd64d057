"""A map that takes the keyboard focus without scrolling the page around it.

Leaflet focuses the map's container when it is pressed (its keyboard handler) and then
restores the scroll of the map's own window only. In ``st_folium`` that window is an iframe:
the focus scrolls the Streamlit page to bring the whole map into view, between the press and
the release of the button, so the click lands on another point of the map than the one
pressed (a map half below the fold took clicks hundreds of metres south of the pointer).
:class:`FocusInPlace` makes every focus of the container keep the page where it is.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class FocusInPlace(MacroElement):
    """Every ``focus()`` of the parent map's container scrolls nothing (``preventScroll``);
    keyboard focus by Tab is the browser's own and unchanged."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (container) {
            var focus = container.focus;
            container.focus = function (options) {
                return focus.call(this, Object.assign({}, options, {preventScroll: true}));
            };
        })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusInPlace"
