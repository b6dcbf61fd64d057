"""The map page: the town's layers on one folium map, a side panel for the clicked area,
and the sources and licences of every layer."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app.features.map.map import MAP_HEIGHT, build_map, default_basemap
from app.features.map.panel import render_area_panel
from app.ui import cache
from app.ui.access import map_pins
from app.ui.i18n import label, number
from app.ui.state import BASEMAP_KEY, current_language, page_town, t
from app.ui.town import TownData, area_at

lang = current_language()
town_id = page_town()
town = cache.town_data(town_id)

st.title(t("map.title", town=town.town["name"]))
st.caption(t("map.intro"))

public_pins = len(town.pins_exact) + int(town.pin_cells["count"].sum())
figures = {
    "map.metric.localities": len(town.localities),
    "map.metric.pins": public_pins,
    "map.metric.services": len(town.services),
    "map.metric.districts": len(town.districts),
}
for column, (key, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
    column.metric(t(key), number(value, lang))
st.caption(t("map.counts", town=town.town["name"], localities=len(town.localities),
             pins=public_pins, services=len(town.services), districts=len(town.districts)))

# A toggle, not a radio of translated options: after a language switch Streamlit's radio
# loses its displayed choice when the option labels change.
st.session_state.setdefault(BASEMAP_KEY, default_basemap() == "osm")
basemap = "osm" if st.toggle(t("map.basemap.osm"), key=BASEMAP_KEY,
                             help=t("map.basemap.help")) else "none"
# exact sensitive pins for the roles allowed to see them (a toggle, audited); else public
drawn = map_pins(town, cache.store())


#: What st_folium reports about clicks. A polygon with a popup stops the click reaching the
#: map (Leaflet's bindPopup), so only "last_object_clicked" sees it; a click that lands on the
#: pin layer's canvas above a polygon reaches only the map ("last_clicked").
CLICKS = ("last_object_clicked", "last_clicked")


def newest_click(result: dict | None, state_key: str) -> dict | None:
    """The most recent clicked point ({"lat", "lng"}) of either kind, remembered per town."""
    result = result or {}
    seen = st.session_state.get(state_key, {})
    changed = [result[name] for name in CLICKS
               if result.get(name) and result.get(name) != seen.get(name)]
    point = changed[0] if changed else seen.get("point")
    st.session_state[state_key] = {**{name: result.get(name) for name in CLICKS},
                                   "point": point}
    return point


@st.fragment
def map_and_panel(town: TownData, lang: str, basemap: str, drawn: TownData) -> None:
    """Map and side panel rerun on their own: a click must not rerun the whole page.
    ``drawn`` is ``town`` with the pins the principal may see on the map."""
    map_column, panel_column = st.columns([5, 2], gap="medium")
    with map_column:
        clicked = st_folium(build_map(drawn, lang, basemap), key=f"map-{town.town_id}",
                            height=MAP_HEIGHT, use_container_width=True,
                            returned_objects=list(CLICKS))
    point = newest_click(clicked, f"map-clicks-{town.town_id}")
    ref = area_at(town, point["lat"], point["lng"]) if point else None
    with panel_column:
        render_area_panel(town, ref, lang, cache.store())


map_and_panel(town, lang, basemap, drawn)

with st.expander(t("map.sources")):
    columns = ["layer", "title", "licence", "attribution", "vintage", "synthetic"]
    sources = pd.DataFrame(town.sources[columns]).assign(
        layer=lambda f: [label("layer", code, lang) for code in f["layer"]],
        synthetic=lambda f: [t("common.synthetic") if v else "" for v in f["synthetic"]])
    st.dataframe(sources.rename(columns={c: t(f"map.sources.{c}") for c in columns}),
                 hide_index=True, width="stretch")
    if basemap == "osm":
        st.caption(t("map.sources.osm"))
