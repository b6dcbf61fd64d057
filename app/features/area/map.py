"""The Area page's map: the region's municipalities coloured by their real social-exclusion
index (MMR 2023, the ministry's bands), the town, its localities (the chosen one
highlighted), linked places, drawn areas and services, the fear-hotspot cells coloured by
whether a measure addresses them, a legend, and Leaflet.draw's toolbar to draw a measure's
area (no Streamlit, offline). Illustrative layers say so in their tooltips and the legend."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import Point

from app.ui.i18n import label, number, translate
from app.ui.maps.base import LOCALITY_OUTLINE, town_base_map
from app.ui.maps.draw import DRAW_COLOUR, add_draw_tools
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, swatch
from app.ui.maps.view import UrlView
from layers.exclusion import BAND_COLOURS, BANDS, NO_SCORE_COLOUR
from layers.strategy.area import AreaView
from layers.strategy.report import ADDRESSED_COLOUR, UNADDRESSED_COLOUR

PLACE_COLOUR = "#3182bd"
SERVICE_COLOUR = "#31a354"
CHOSEN_COLOUR = DRAW_COLOUR


class QuietWhileDrawing(MacroElement):
    """Keep the map from reporting clicks while Leaflet.draw draws a shape.

    A click that adds a vertex sometimes lands on the map itself rather than on the drawing
    tool's mouse marker, and the click closing a shape always reaches the map after the shape
    is made; streamlit-folium would report either as a chosen place. Leaflet.draw needs no
    map clicks to draw (it listens to mouse down/up), so the map's own "click" is not fired
    from the start of a drawing until just after its end.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            let drawing = false;
            map.on("draw:drawstart", function () { drawing = true; });
            // the closing click comes right after the shape ends: stay quiet a moment longer
            map.on("draw:drawstop", function () {
                setTimeout(function () { drawing = false; }, 100);
            });
            const fire = map.fire;
            map.fire = function (type, data, propagate) {
                return drawing && type === "click" ? this : fire.call(this, type, data,
                                                                       propagate);
            };
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def build_area_map(view: AreaView, context: gpd.GeoDataFrame, lang: str,
                   chosen: tuple[float, float] | None = None,
                   localities: gpd.GeoDataFrame | None = None,
                   drawn: Mapping[str, Any] | None = None,
                   municipalities: gpd.GeoDataFrame | None = None,
                   illustrative: bool = True) -> folium.Map:
    """A map of ``view`` over the town's ``context`` lines (EPSG:4326) with the ``chosen``
    (lon, lat) place and the ``drawn`` area (a GeoJSON geometry) a new measure will be linked
    to, the town's ``localities`` (name, geometry) outlined so one can be clicked, and the
    region's ``municipalities`` (name, isv, isv_band, isv_year) as the exclusion choropleth.
    ``illustrative``: the localities, services and pins are illustrative data (labelled).
    It starts where the page's address says (``?pohled=``, ``app.ui.maps.view.UrlView``)
    unless a locality is chosen: then fitted to it."""
    focus = view.locality if len(view.locality) else view.boundary
    m = town_base_map(view.boundary, context, focus)
    sections = []
    if municipalities is not None and len(municipalities):
        sections.append(_add_choropleth(m, municipalities, lang))
    mark = (lambda text: translate("map.synthetic_suffix", lang, name=text)) if illustrative \
        else (lambda text: text)
    if localities is not None and len(localities):
        outlines = localities[["name", "geometry"]].assign(name=localities["name"].map(mark))
        folium.GeoJson(outlines,
                       tooltip=folium.GeoJsonTooltip(["name"], labels=False),
                       style_function=lambda f: {"color": LOCALITY_OUTLINE, "weight": 1,
                                                 "dashArray": "4 4", "fillOpacity": 0.02}
                       ).add_to(m)
    if len(view.locality):
        chosen_outline = view.locality[["name", "geometry"]].assign(
            name=view.locality["name"].map(mark))
        folium.GeoJson(chosen_outline,
                       tooltip=folium.GeoJsonTooltip(["name"], labels=False),
                       style_function=lambda f: {"color": LOCALITY_OUTLINE, "weight": 2,
                                                 "fillOpacity": 0.08}).add_to(m)
    for row in view.cells.itertuples():
        addressed = bool(row.addressed)
        text = mark(translate("area.map.addressed", lang, n=row.count, measures=row.measures)
                    if addressed else translate("area.map.unaddressed", lang, n=row.count))
        colour = ADDRESSED_COLOUR if addressed else UNADDRESSED_COLOUR
        folium.GeoJson(row.geometry.__geo_interface__, tooltip=text,
                       style_function=lambda f, c=colour, a=addressed: {
                           "color": c, "weight": 1 if a else 3, "fillColor": c,
                           "fillOpacity": 0.25 if a else 0.5}).add_to(m)
    for row in view.services.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=6, color="#fff", weight=2,
                            fill=True, fill_color=SERVICE_COLOUR, fill_opacity=0.95,
                            tooltip=mark(str(row.name))).add_to(m)
    for row in view.areas.itertuples():
        folium.GeoJson(row.geometry.__geo_interface__,
                       tooltip=translate("area.map.area", lang, measures=row.measures),
                       style_function=lambda f: {"color": PLACE_COLOUR, "weight": 2,
                                                 "fillColor": PLACE_COLOUR,
                                                 "fillOpacity": 0.2}).add_to(m)
    for row in view.places.itertuples():
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=8, color="#fff", weight=2,
                            fill=True, fill_color=PLACE_COLOUR, fill_opacity=0.95,
                            tooltip=f"{row.label} – {row.measures}").add_to(m)
    if chosen is not None:
        folium.CircleMarker([chosen[1], chosen[0]], radius=12, color=CHOSEN_COLOUR, weight=4,
                            fill=True, fill_opacity=0.3,
                            tooltip=translate("area.map.chosen", lang)).add_to(m)
    if drawn is not None:
        folium.GeoJson(dict(drawn), tooltip=translate("area.map.drawn", lang),
                       style_function=lambda f: {"color": CHOSEN_COLOUR, "weight": 3,
                                                 "fillOpacity": 0.15}).add_to(m)
    if sections:
        Legend(translate("map.legend.title", lang), sections).add_to(m)
    add_draw_tools(m)
    QuietWhileDrawing().add_to(m)
    # a chosen locality, which the map centres on, wins over the view in the address
    UrlView({}, restore=not len(view.locality)).add_to(m)
    return finish(m)


def _add_choropleth(m: folium.Map, municipalities: gpd.GeoDataFrame,
                    lang: str) -> LegendSection:
    """The municipalities coloured by their exclusion band, each with its name, score and
    year on hover; return the legend section (bands, source, year)."""
    years = sorted({int(y) for y in municipalities["isv_year"].dropna()})
    year = "/".join(str(y) for y in years)
    props = gpd.GeoDataFrame({
        "band": municipalities["isv_band"].fillna("").astype(str),
        "text": [translate("area.map.isv", lang, name=name, score=number(float(score), lang),
                           band=label("band", band, lang), year=year)
                 if band else translate("area.map.isv_none", lang, name=name)
                 for name, score, band in zip(municipalities["name"], municipalities["isv"],
                                              municipalities["isv_band"].fillna(""),
                                              strict=True)],
    }, geometry=municipalities.geometry, crs=municipalities.crs)
    folium.GeoJson(
        props, name=translate("area.map.isv_layer", lang, year=year),
        style_function=lambda f: {
            "fillColor": BAND_COLOURS.get(f["properties"]["band"], NO_SCORE_COLOUR),
            "fillOpacity": 0.35, "color": "#888", "weight": 0.6},
        tooltip=folium.GeoJsonTooltip(["text"], labels=False)).add_to(m)
    items = tuple(LegendItem(swatch(BAND_COLOURS[code]), label("band", code, lang))
                  for code, _, _ in BANDS)
    return LegendSection(translate("area.map.isv_layer", lang, year=year), items,
                         note=translate("area.map.isv_source", lang))


def locality_at(localities: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """The ``locality_id`` of the locality (EPSG:4326) covering (lon, lat); None outside all
    (the first in order where they overlap)."""
    hits = localities[localities.geometry.covers(Point(lon, lat))]
    return str(hits["locality_id"].iloc[0]) if len(hits) else None
