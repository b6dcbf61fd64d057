"""The colours of the pin categories and of the public cells, as the app's legend shows them,
and the same styles for QGIS: QML and SLD documents that a GeoPackage export carries in its
``layer_styles`` table, so the layers open in QGIS coloured and labelled as in the app.

The app's map (``app.ui.maps.pins``, ``app.features.map``) reads its colours from here too:
one table, two renderings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from xml.sax.saxutils import quoteattr

#: Marker and cluster colour of each category (dark enough for white cluster counts).
CATEGORY_COLOURS: Final[Mapping[str, str]] = {
    "drug_dealing": "#b2182b",
    "drunk_drugged": "#b5452f",
    "syringes": "#8e0152",
    "exhibitionist": "#c51b7d",
    "aggressive_groups": "#67001f",
    "racism": "#762a83",
    "dark_place": "#404040",
    "traffic": "#b35806",
    "dogs": "#8c510a",
    "abandoned_building": "#6d5d4b",
    "other": "#5e6a71",
    "feel_good": "#1b7837",
    "develop": "#2166ac",
}
#: Fill and outline of a public grid cell of sensitive answers.
CELL_COLOUR: Final = "#e66101"
#: The colour of a category the table does not know (an imported export's own value).
OTHER_COLOUR: Final = "#555555"
#: Marker diameter in millimetres (QGIS) and pixels (SLD).
MARKER_MM: Final = 2.6
MARKER_PX: Final = 9


def _rgba(colour: str, alpha: int = 255) -> str:
    """``#rrggbb`` as QGIS writes colours: ``r,g,b,a``."""
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5)) + f",{alpha}"


def _options(values: Mapping[str, str]) -> str:
    return "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>'
                   for k, v in values.items())


def _marker(name: str, colour: str) -> str:
    return (f'<symbol type="marker" name={quoteattr(name)} alpha="1" clip_to_extent="1" '
            'force_rhr="0"><layer class="SimpleMarker" enabled="1" locked="0" pass="0">'
            '<Option type="Map">'
            + _options({"color": _rgba(colour), "name": "circle", "size": str(MARKER_MM),
                        "size_unit": "MM", "outline_color": "255,255,255,255",
                        "outline_width": "0.3", "outline_style": "solid"})
            + "</Option></layer></symbol>")


def _fill(name: str, colour: str) -> str:
    return (f'<symbol type="fill" name={quoteattr(name)} alpha="1" clip_to_extent="1" '
            'force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0">'
            '<Option type="Map">'
            + _options({"color": _rgba(colour, 153), "style": "solid",
                        "outline_color": _rgba(colour), "outline_width": "0.4",
                        "outline_style": "solid"})
            + "</Option></layer></symbol>")


def _labeling(field: str) -> str:
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(field)} fontSize="9" textColor="0,0,0,255" '
            'isExpression="0"><text-buffer bufferDraw="1" bufferSize="0.8" '
            'bufferColor="255,255,255,255"/></text-style>'
            '<placement placement="0" dist="1"/><rendering scaleVisibility="0"/>'
            '</settings></labeling>')


_QML_HEAD: Final = ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                    '<qgis version="3.28.0" styleCategories="Symbology|Labeling" '
                    'labelsEnabled="{labels}">')


def category_qml(field: str, labels: Mapping[str, str], label_field: str | None) -> str:
    """A QGIS style (QML) of a point layer: a categorised renderer on ``field`` with the
    category colours and ``labels`` (code → label, in legend order) as the legend, and text
    labels from ``label_field`` (None: no labels)."""
    categories = "".join(
        f'<category symbol="{i}" value={quoteattr(code)} label={quoteattr(label)} '
        'render="true"/>' for i, (code, label) in enumerate(labels.items()))
    symbols = "".join(_marker(str(i), CATEGORY_COLOURS.get(code, OTHER_COLOUR))
                      for i, code in enumerate(labels))
    return (_QML_HEAD.format(labels=int(label_field is not None))
            + f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} '
            'symbollevels="0" enableorderby="0" forceraster="0">'
            f"<categories>{categories}</categories><symbols>{symbols}</symbols>"
            "</renderer-v2>" + (_labeling(label_field) if label_field else "") + "</qgis>\n")


def cells_qml(label_field: str) -> str:
    """A QGIS style (QML) of the public cells: one fill in :data:`CELL_COLOUR`, labelled with
    ``label_field`` (the count)."""
    return (_QML_HEAD.format(labels=1)
            + '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" '
            f'forceraster="0"><symbols>{_fill("0", CELL_COLOUR)}</symbols></renderer-v2>'
            + _labeling(label_field) + "</qgis>\n")


_SLD_HEAD: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" '
    'xmlns:ogc="http://www.opengis.net/ogc" xmlns:se="http://www.opengis.net/se" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<NamedLayer><se:Name>{name}</se:Name><UserStyle><se:Name>{name}</se:Name>"
    "<se:FeatureTypeStyle>")
_SLD_TAIL: Final = "</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>\n"


def _sld_point(colour: str) -> str:
    return ("<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle"
            f'</se:WellKnownName><se:Fill><se:SvgParameter name="fill">{colour}'
            '</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff'
            "</se:SvgParameter></se:Stroke></se:Mark>"
            f"<se:Size>{MARKER_PX}</se:Size></se:Graphic></se:PointSymbolizer>")


def category_sld(layer: str, field: str, labels: Mapping[str, str]) -> str:
    """The style of :func:`category_qml` as an OGC SLD 1.1 document: one rule per category
    (filter ``field`` = code, titled with its label)."""
    rules = "".join(
        f"<se:Rule><se:Name>{_xml(code)}</se:Name><se:Description><se:Title>{_xml(label)}"
        "</se:Title></se:Description><ogc:Filter><ogc:PropertyIsEqualTo>"
        f"<ogc:PropertyName>{_xml(field)}</ogc:PropertyName>"
        f"<ogc:Literal>{_xml(code)}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
        f"{_sld_point(CATEGORY_COLOURS.get(code, OTHER_COLOUR))}</se:Rule>"
        for code, label in labels.items())
    return _SLD_HEAD.format(name=_xml(layer)) + rules + _SLD_TAIL


def cells_sld(layer: str, title: str) -> str:
    """The style of :func:`cells_qml` as an OGC SLD 1.1 document."""
    return (_SLD_HEAD.format(name=_xml(layer))
            + f"<se:Rule><se:Name>{_xml(layer)}</se:Name><se:Description><se:Title>"
            f"{_xml(title)}</se:Title></se:Description><se:PolygonSymbolizer><se:Fill>"
            f'<se:SvgParameter name="fill">{CELL_COLOUR}</se:SvgParameter>'
            '<se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill><se:Stroke>'
            f'<se:SvgParameter name="stroke">{CELL_COLOUR}</se:SvgParameter></se:Stroke>'
            "</se:PolygonSymbolizer></se:Rule>" + _SLD_TAIL)


def _xml(text: str) -> str:
    return quoteattr(text)[1:-1]

