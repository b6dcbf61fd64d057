"""The Hotspots page's map, built from a hotspot report (no Streamlit here).

Only cells that say something are drawn (hot/cold cells, cells with a density, cells with a
fear-vs-crime finding), which keeps the map light even at 50 m cells. The legend is the
project's plain-HTML one (``app.ui.maps.legend``) and every asset is local
(``app.ui.maps.finish``), so the page works offline.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element

from app.ui.i18n import label, number, translate
from app.ui.maps.base import MAX_ZOOM
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, line_symbol, swatch
from app.ui.maps.pins import CATEGORY_COLOURS, PinLayer
from app.ui.maps.view import UrlView, fit_data
from layers.catalogue.text import fold
from layers.crs import to_storage
from layers.hotspots.analysis import HotspotReport
from layers.hotspots.emerging import PATTERN_COLOURS
from layers.schema import FEELINGS, PIN_CATEGORIES
from layers.vocabulary import EMERGING_PATTERN

VIEWS: Final = ("classes", "kde", "fear_crime")
#: Keys of the overlays in the page's address (``?vrstvy=bunky,hranice``).
CELLS_KEY: Final = "bunky"
BOUNDARY_KEY: Final = "hranice"
POSITIVE_KEY: Final = "odpovedi"
#: Gi* bins, diverging red–blue (ColorBrewer RdYlBu); not-significant cells are not drawn.
CLASS_COLOURS: Final = {
    "hot_99": "#d7191c", "hot_95": "#fc8d59", "hot_90": "#fee090",
    "cold_90": "#e0f3f8", "cold_95": "#91bfdb", "cold_99": "#4575b4",
}
FEAR_CRIME_COLOURS: Final = {
    "patrol_situational": "#7b3294", "design_communication": "#f1a340",
    "hidden_risk": "#0571b0", "department_only": "#969696", "unknown": "#bdbdbd",
}
#: Density classes, light to dark (ColorBrewer YlOrRd), by quantiles of the drawn cells.
KDE_COLOURS: Final = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: Cells below this share of the highest density are left blank (background noise).
KDE_FLOOR: Final = 0.05
BOUNDARY_COLOUR: Final = "#222222"
def build_hotspot_map(report: HotspotReport, boundary: gpd.GeoDataFrame, view: str,
                      layer: str, lang: str, positive: gpd.GeoDataFrame | None = None,
                      illustrative: bool = False) -> folium.Map:
    """A folium map of one ``view`` ("classes", "kde" or "fear_crime") of ``layer``.

    ``boundary`` is the town in EPSG:4326; ``positive`` the approved answers that are not
    fear (places people feel good at, places to develop; PINS columns, EPSG:4326), drawn as
    layers of their own, one per answer as the source names it (``source_value``, else the
    category's label). ``illustrative`` marks the answers' layers and legend as such.
    Raises ``ValueError`` for an unknown view.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {VIEWS}")
    minx, miny, maxx, maxy = boundary.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   maxZoom=MAX_ZOOM, control_scale=True)
    fit_data(m, [[miny, minx], [maxy, maxx]])
    cells = to_storage(report.cells)
    if view == "classes":
        section = _add_classes(m, cells, layer, lang)
    elif view == "kde":
        section = _add_kde(m, cells, layer, lang)
    else:
        section = _add_fear_crime(m, cells, lang)
    # each overlay by its key in the address: the view's cells (its one GeoJSON layer so
    # far, when it drew any), the boundary, the positive answers
    drawn = [child for child in m._children.values() if isinstance(child, folium.GeoJson)]
    keyed: dict[str, Element] = {CELLS_KEY: drawn[0]} if drawn else {}
    name = translate("hotspots.layer.boundary", lang)
    keyed[BOUNDARY_KEY] = folium.GeoJson(boundary[["geometry"]], name=name, interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False, "dashArray": "10 4 2 4"}).add_to(m)
    boundary_section = LegendSection(name, (LegendItem(line_symbol(BOUNDARY_COLOUR, width=3),
                                                       name),))
    if illustrative:  # the cells are computed from illustrative answers
        section = LegendSection(translate("map.synthetic_suffix", lang, name=section.title),
                                section.items, section.note, section.open)
    sections = [section, boundary_section]
    if positive is not None and len(positive):
        sections.append(_add_positive(m, positive, lang, illustrative, keyed))
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Legend(translate("hotspots.legend", lang), sections).add_to(m)
    UrlView(keyed).add_to(m)
    return finish(m)


def build_emerging_map(cells: gpd.GeoDataFrame, boundary: gpd.GeoDataFrame, lang: str
                       ) -> folium.Map:
    """The emerging-hot-spot pattern of each cell (``cells``: hexagons with ``pattern``, any
    CRS) over the town ``boundary`` (EPSG:4326); cells only, never single offences. Cells
    without a pattern are not drawn; the legend lists the patterns shown."""
    minx, miny, maxx, maxy = boundary.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=13, tiles=None,
                   control_scale=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    shown = to_storage(cells[cells["pattern"].isin(list(PATTERN_COLOURS))])
    shown = shown.assign(fill=shown["pattern"].map(PATTERN_COLOURS),
                         text=[EMERGING_PATTERN.label(code, lang) for code in shown["pattern"]])
    name = translate("hotspots.emerging.title", lang)
    _draw(m, shown, name, translate("hotspots.emerging.pattern", lang))
    items = tuple(LegendItem(swatch(colour), EMERGING_PATTERN.label(code, lang))
                  for code, colour in PATTERN_COLOURS.items()
                  if code in set(shown["pattern"]))
    boundary_name = translate("hotspots.layer.boundary", lang)
    folium.GeoJson(boundary[["geometry"]], name=boundary_name, interactive=False,
                   style_function=lambda f: {"color": BOUNDARY_COLOUR, "weight": 3,
                                             "fill": False, "dashArray": "10 4 2 4"}).add_to(m)
    sections = [LegendSection(name, items or (LegendItem(
                    swatch("#ffffff"), EMERGING_PATTERN.label("no_pattern", lang)),)),
                LegendSection(boundary_name, (LegendItem(line_symbol(BOUNDARY_COLOUR, width=3),
                                                         boundary_name),))]
    Legend(translate("hotspots.legend", lang), sections).add_to(m)
    return finish(m)


def positive_layer_names(positive: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Per answer, the name of its layer: the source's own answer where it has one (an
    imported feeling map's "Místo, které doporučím návštěvníkům"), else the category's label."""
    own = positive["source_value"].fillna("").astype(str).str.strip()
    labelled = positive["category"].map(lambda code: label("pin.category", code, lang))
    return own.where(own != "", labelled)


def positive_key(part: gpd.GeoDataFrame, taken: Collection[str]) -> str:
    """The key in the address (``?vrstvy=``) of the layer of the positive answers ``part``
    (one layer of :func:`positive_layer_names`), the same in every language: ``odpovedi-``
    and the words of the source's own answer without diacritics ("Místo, které doporučím" →
    "odpovedi-misto-ktere-doporucim"), else of the category's code; numbered on when
    ``taken`` has it already."""
    own = part["source_value"].fillna("").astype(str).str.strip()
    text = own.iloc[0] if own.iloc[0] else str(part["category"].iloc[0])
    base = "-".join([POSITIVE_KEY, *re.findall(r"[a-z0-9]+", fold(text))])
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def _add_positive(m: folium.Map, positive: gpd.GeoDataFrame, lang: str,
                  illustrative: bool, keyed: dict[str, Element]) -> LegendSection:
    """One clustered pin layer per positive answer name, off at first, each in ``keyed``
    under :func:`positive_key`; its legend section."""
    names = positive_layer_names(positive, lang)
    category_labels = {code: label("pin.category", code, lang) for code in PIN_CATEGORIES}
    feeling_labels = {f: translate(f"pin.feeling.{f}", lang) for f in FEELINGS}
    items = []
    for name, part in positive.groupby(names, sort=True):
        shown = translate("map.synthetic_suffix", lang, name=str(name)) if illustrative \
            else str(name)
        codes = set(part["category"])
        keyed[positive_key(part, keyed)] = PinLayer(
            part, name=f"{shown} ({len(part)})",
            category_labels={**category_labels, **{c: str(name) for c in codes}},
            feeling_labels=feeling_labels, show=False).add_to(m)
        colour = CATEGORY_COLOURS[sorted(codes)[0]]
        items.append(LegendItem(swatch(colour), f"{shown} ({len(part)})"))
    return LegendSection(translate("hotspots.positive", lang), tuple(items),
                         note=translate("hotspots.positive.note", lang))


def _draw(m: folium.Map, cells: gpd.GeoDataFrame, name: str, tooltip: str) -> None:
    if cells.empty:
        return
    folium.GeoJson(
        cells[["fill", "text", "geometry"]], name=name,
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.65,
                                  "color": "#555555", "weight": 0.4},
        tooltip=folium.GeoJsonTooltip(["text"], aliases=[tooltip]),
    ).add_to(m)


def _add_classes(m: folium.Map, cells: gpd.GeoDataFrame, layer: str,
                 lang: str) -> LegendSection:
    title = translate("hotspots.view.classes", lang)
    column = f"{layer}_class"
    if column in cells:
        shown = cells[cells[column].isin(list(CLASS_COLOURS))].copy()
        shown["fill"] = shown[column].map(CLASS_COLOURS)
        shown["text"] = [label("hotspots.class", c, lang) for c in shown[column]]
        _draw(m, shown, title, translate(f"hotspots.layer.{layer}", lang))
    items = tuple(LegendItem(swatch(colour), label("hotspots.class", code, lang))
                  for code, colour in CLASS_COLOURS.items())
    return LegendSection(f"{title}: {translate(f'hotspots.layer.{layer}', lang)}", items)


def _add_kde(m: folium.Map, cells: gpd.GeoDataFrame, layer: str, lang: str) -> LegendSection:
    title = translate("hotspots.legend.kde", lang)
    column = f"{layer}_kde"
    if column not in cells or not np.nanmax(cells[column].to_numpy(dtype=float), initial=0) > 0:
        return LegendSection(title, ())
    values = cells[column].to_numpy(dtype=float)
    shown = cells[values >= KDE_FLOOR * np.nanmax(values)].copy()
    edges = np.quantile(shown[column], np.linspace(0, 1, len(KDE_COLOURS) + 1)[1:-1])
    shown["fill"] = [KDE_COLOURS[int(np.searchsorted(edges, v, side="right"))]
                     for v in shown[column]]
    shown["text"] = [number(v, lang, 1) for v in shown[column]]
    _draw(m, shown, title, title)
    bounds = [float(shown[column].min()), *edges.tolist(), float(shown[column].max())]
    items = tuple(LegendItem(swatch(colour), f"{number(bounds[i], lang, 1)} – "
                                             f"{number(bounds[i + 1], lang, 1)}")
                  for i, colour in enumerate(KDE_COLOURS))
    return LegendSection(f"{title}: {translate(f'hotspots.layer.{layer}', lang)}", items)


def _add_fear_crime(m: folium.Map, cells: gpd.GeoDataFrame, lang: str) -> LegendSection:
    title = translate("hotspots.view.fear_crime", lang)
    shown = cells[cells["fear_crime"].isin(list(FEAR_CRIME_COLOURS))]
    # crime known per department only: fear alone, its hot cells, in one colour
    alone = shown["fear_crime"] == "department_only"
    shown = shown[~alone | shown["fear_hot"].astype(bool)].copy()
    shown["fill"] = shown["fear_crime"].map(FEAR_CRIME_COLOURS)
    shown["text"] = [label("hotspots.fc", c, lang) for c in shown["fear_crime"]]
    _draw(m, shown, title, title)
    items = tuple(LegendItem(swatch(colour), label("hotspots.fc", code, lang))
                  for code, colour in FEAR_CRIME_COLOURS.items())
    return LegendSection(title, items)
