"""The map legend: a Leaflet control holding plain HTML, drawn without any extra library.

branca's colormap legends are avoided on purpose: streamlit-folium loads d3 from a CDN as soon
as one is on the map (see ``app.ui.maps.assets``).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from branca.element import MacroElement
from jinja2 import Template


@dataclass(frozen=True)
class LegendItem:
    """One row: a symbol (trusted HTML made by the builder) and its label (plain text)."""

    symbol_html: str
    label: str


@dataclass(frozen=True)
class LegendSection:
    """A titled group of rows, with an optional note below (plain text)."""

    title: str
    items: tuple[LegendItem, ...]
    note: str = ""
    open: bool = True


def swatch(fill: str, *, stroke: str = "#555", opacity: float = 0.8, dashed: bool = False) -> str:
    """A small filled square, as polygons are drawn."""
    border = "dashed" if dashed else "solid"
    return (f'<span style="display:inline-block;width:14px;height:14px;background:{fill};'
            f'opacity:{opacity};border:2px {border} {stroke};vertical-align:middle"></span>')


def dot(colour: str) -> str:
    """A small disc, as point markers are drawn."""
    return (f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
            f'background:{colour};border:1px solid #fff;box-shadow:0 0 1px #000;'
            f'vertical-align:middle;margin:0 2px"></span>')


def line_symbol(colour: str, *, width: int = 2, dashed: bool = False) -> str:
    """A short line, as context lines are drawn."""
    style = "dashed" if dashed else "solid"
    return (f'<span style="display:inline-block;width:18px;height:0;'
            f'border-top:{width}px {style} {colour};vertical-align:middle"></span>')


class Legend(MacroElement):
    """A legend in a corner of the map (a ``leaflet-control``); it and each of its sections
    fold away with a click, so it need not hide the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "leaflet-control-layers mapa-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str, sections: list[LegendSection],
                 position: str = "bottomright", folded: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.position = position
        self.sections = sections
        self.html = render_legend_html(title, sections, folded)


def render_legend_html(title: str, sections: list[LegendSection], folded: bool = False) -> str:
    """The legend's HTML (only its title shown while ``folded``); every label is escaped."""
    parts = [f'<details{"" if folded else " open"} style="font:12px/1.35 sans-serif;'
             f'padding:6px 8px;'
             f'max-height:320px;overflow-y:auto;max-width:260px;background:#fff">'
             f'<summary style="cursor:pointer;font-weight:bold;margin-bottom:4px">'
             f'{escape(title)}</summary>']
    for section in sections:
        rows = "".join(
            f'<div style="margin:2px 0">{item.symbol_html} {escape(item.label)}</div>'
            for item in section.items)
        note = (f'<div style="color:#555;font-size:11px">{escape(section.note)}</div>'
                if section.note else "")
        if not section.title:  # a fold needs a name to be announced: an untitled one is none
            parts.append(f'<div style="margin-top:4px">{rows}{note}</div>')
            continue
        parts.append(f'<details{" open" if section.open else ""} style="margin-top:4px">'
                     f'<summary style="cursor:pointer;font-weight:600">'
                     f'{escape(section.title)}</summary>{rows}{note}</details>')
    parts.append("</details>")
    return "".join(parts)

