"""The Map page: the town's layers on one folium map, a side panel for the clicked area,
and the sources and licences of every layer."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app.features.map.map import BASEMAPS, MAP_HEIGHT, build_map, default_basemap
from app.features.map.model import figures, public_pin_count, sources_table
from app.features.map.panel import render_area_panel
from app.ui import cache
from app.ui.access import current_principal
from app.ui.cache_keys import cache_key
from app.ui.i18n import number
from app.ui.map_component import show_map
from app.ui.maps.basemaps import BASEMAP_PARAM, basemap_or_none
from app.ui.page import page_head
from app.ui.state import BASEMAP_KEY, count, t
from app.ui.town import TownData, area_at
from layers.access import guarded
from layers.access.roles import VIEW_EXACT_SENSITIVE
from layers.geocode import Place
from layers.store import Store

#: Session-state key of the "exact sensitive pins" toggle.
EXACT_PINS_KEY = "map_exact_pins"
#: Session-state key of the sources expander: open or not.
SOURCES_KEY = "map_sources"
#: What st_folium reports about clicks. A polygon with a popup stops the click reaching the
#: map (Leaflet's bindPopup), so only "last_object_clicked" sees it; a click that lands on the
#: pin layer's canvas above a polygon reaches only the map ("last_clicked").
CLICKS = ("last_object_clicked", "last_clicked")


def render() -> None:
    """The page: title and figures, the base-map and exact-pins toggles, the map with its side
    panel, the sources."""
    head = page_head("map", needs=("localities", "pins", "services", "police_districts"))
    lang, town = head.lang, head.town

    shown = figures(town)
    for column, (key, value) in zip(st.columns(len(shown)), shown.items(), strict=True):
        column.metric(t(key), number(value, lang))
    st.caption(t("map.counts", town=town.name,
                 localities=count("count.localities", len(town.localities)),
                 pins=count("count.public_answers", public_pin_count(town)),
                 services=count("count.services", len(town.services)),
                 districts=count("count.districts", len(town.districts))))

    basemap = basemap_choice()
    # exact sensitive pins for the roles allowed to see them (a toggle, audited); else public
    drawn = map_pins(town, cache.store())
    query = st.text_input(t("map.search"), key=f"map-search-{town.town_id}",
                          placeholder=t("map.search.placeholder"))
    results = cache.search_places(town.town_id, query) if query.strip() else []
    found = results[0] if results else None
    if found is not None:
        st.caption(t("map.search.found", place=found.name))
    elif query.strip():
        st.info(t("map.search.none"))

    map_and_panel(town, lang, basemap, drawn, found)

    # filled only when opened (a rerun): a data grid's scripts, loaded with the page, would
    # hold back the map's component by a third of a second (docs/performance.md)
    sources = st.expander(t("map.sources"), key=SOURCES_KEY, on_change="rerun")
    if sources.open:
        with sources:
            st.dataframe(sources_table(town, lang), hide_index=True, width="stretch")
            if basemap != "none":
                st.caption(t(f"map.sources.{basemap}"))


def basemap_choice() -> str:
    """The base map chosen on the page, remembered in the session and in the URL
    (``?podklad=ztm``, so a shared link opens on the same base): the URL's value first, else
    the session's, else ``MAPA_BASEMAP``. The options are the stable keys, shown translated,
    so a language switch keeps the choice."""
    if BASEMAP_KEY not in st.session_state:
        given = st.query_params.get(BASEMAP_PARAM)
        try:
            st.session_state[BASEMAP_KEY] = (basemap_or_none(given) if given
                                             else default_basemap())
        except ValueError:  # an operator's typo in the setting: say which setting, in words
            st.error(t("map.basemap.bad", allowed=", ".join(BASEMAPS)))
            st.stop()
    # labels looked up now: a format_func that translates when called would speak the
    # language of whoever calls it (AppTest calls it outside the script run)
    labels = {key: t(f"map.basemap.{key}") for key in BASEMAPS}
    chosen = str(st.radio(t("map.basemap"), BASEMAPS, key=BASEMAP_KEY, horizontal=True,
                          format_func=labels.__getitem__,
                          help=t("map.basemap.help")))
    st.query_params[BASEMAP_PARAM] = chosen
    return chosen


def map_pins(town: TownData, store: Store) -> TownData:
    """``town`` with the pins the Map page may draw for the logged-in principal.

    Draws the toggle "exact sensitive pins" (off by default) for a principal with
    ``view_exact_sensitive`` only. Switched on, every approved pin of the town is exact, the
    sensitive ones too, and no cells are drawn; the pins are read through
    ``layers.access.guarded.pins_for``, which checks the right and writes the view to the audit
    log. Anyone else, or the toggle off, gets ``town`` unchanged: the public view.
    """
    principal = current_principal()
    if not principal.can(VIEW_EXACT_SENSITIVE):
        st.session_state.pop(EXACT_PINS_KEY, None)  # a role changed since: no stale "on"
        return town
    if not st.toggle(t("access.exact_pins"), key=EXACT_PINS_KEY,
                     help=t("access.exact_pins.help")):
        return town
    view = guarded.pins_for(principal, store, town.town_id)
    st.warning(t("access.exact_pins.audited"), icon="🔒")
    approved = view.pins[view.pins["status"] == "approved"].reset_index(drop=True)
    return replace(town, pins_exact=approved, pin_cells=town.pin_cells.iloc[0:0])


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
def map_and_panel(town: TownData, lang: str, basemap: str, drawn: TownData,
                  found: Place | None = None) -> None:
    """Map and side panel rerun on their own: a click must not rerun the whole page.
    ``drawn`` is ``town`` with the pins the principal may see on the map; ``found`` a
    searched place to show."""
    map_column, panel_column = st.columns([5, 2], gap="medium")
    # built once per town, version, language, base map and searched place; the exact view
    # of sensitive pins (read with a right check) every time
    view = None if drawn is not town else (
        "map", *cache_key(cache.store(), "town", town.town_id), town.town_id, lang, basemap,
        None if found is None else (found.name, found.lat, found.lon))
    # the view and the shown layers live in the address (app.ui.maps.view.UrlView): a pan
    # or a switched layer reruns nothing, a reload or another base map starts from there
    with map_column:
        clicked = show_map(view, lambda: build_map(drawn, lang, basemap, found),
                           key=f"map-{town.town_id}", height=MAP_HEIGHT,
                           returned_objects=list(CLICKS))
    point = newest_click(clicked, f"map-clicks-{town.town_id}")
    ref = area_at(town, point["lat"], point["lng"]) if point else None
    with panel_column:
        render_area_panel(town, ref, lang, cache.store())


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
