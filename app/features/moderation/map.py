"""The Moderation page's map: the pending pins of the list, numbered as in the list and
coloured by category, over the town (no Streamlit here)."""

from __future__ import annotations

import folium
import geopandas as gpd

from app.ui.i18n import labels, translate
from app.ui.maps.base import town_base_map
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, dot
from app.ui.maps.pins import CATEGORY_COLOURS
from app.ui.maps.view import UrlView
from app.ui.town import TownData
from layers.schema import PIN_CATEGORIES

#: Radius of a pending pin's marker (pixels): big enough to click on a tablet.
MARKER_RADIUS = 8


def build_moderation_map(town: TownData, pending: gpd.GeoDataFrame, lang: str) -> folium.Map:
    """``pending`` pins (EPSG:4326, in the list's order) over ``town``, fitted to them (to the
    town when fewer than two). Each marker's properties: ``kind`` = "pending", its
    ``number`` in the list and its category; the tooltip says both. It starts where the
    page's address says (``?pohled=``, ``app.ui.maps.view.UrlView``) when it says."""
    focus = pending if len(pending) > 1 else town.boundary
    m = town_base_map(town.boundary, town.context, focus)
    names = labels("pin.category", PIN_CATEGORIES, lang)
    props = gpd.GeoDataFrame({
        "kind": "pending",
        "number": range(1, len(pending) + 1),
        "category": pending["category"].astype(str).to_numpy(),
        "label": [f"{n}. {names.get(c, c)}" for n, c in
                  enumerate(pending["category"].astype(str), start=1)],
    }, geometry=pending.geometry.to_numpy(), crs="EPSG:4326")
    folium.GeoJson(
        props, name=translate("moderation.map.layer", lang),
        marker=folium.CircleMarker(radius=MARKER_RADIUS, weight=2, color="#ffffff", fill=True,
                                   fill_opacity=0.9),
        style_function=lambda f: {"fillColor": CATEGORY_COLOURS.get(
            f["properties"]["category"], "#000000")},
        tooltip=folium.GeoJsonTooltip(["label"], labels=False),
    ).add_to(m)
    shown = [c for c in PIN_CATEGORIES if c in set(props["category"])]
    Legend(translate("moderation.map.legend", lang), [LegendSection(
        translate("moderation.col.category", lang),
        tuple(LegendItem(dot(CATEGORY_COLOURS[c]), names[c]) for c in shown))]
    ).add_to(m)
    UrlView({}).add_to(m)
    return finish(m)

