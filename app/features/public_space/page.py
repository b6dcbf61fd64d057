"""The Public space page for urbanists and the city architect's office: service accessibility
and white spots, safety audits of hotspot places (CPTED), the system of services and their
links (seed 000), and every layer of the view as a GeoPackage for QGIS.

Computed in ``layers.urban`` (accessibility from the public hotspot view) and cached by the
town's key (``app.ui.cache_keys``), so a recorded link or audit shows at once. Writes go through
``layers.urban`` with the logged-in principal, which checks the right again and audits. An
audit's place is a hotspot from the list or a point clicked on the map.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import streamlit as st
from shapely.geometry import Point

from app.features.public_space.map import build_urban_map
from app.features.public_space.model import (
    access_table,
    audits_table,
    graph_figure,
    partners_table,
)
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.i18n import label
from app.ui.map_component import show_map
from app.ui.page import page_head
from app.ui.state import error_text, t
from app.ui.town import TownData
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import EDIT_URBAN
from layers.crs import to_storage
from layers.geocode import place_labels
from layers.patrol.ranking import RankingError, RankingRequest, rank_places
from layers.schema import AUDIT_ASPECTS, MEASURES, SERVICE_LINK_KINDS
from layers.store import Store, open_store
from layers.strategy.editing import now
from layers.urban.accessibility import SERVICE_GROUPS, Accessibility, town_accessibility
from layers.urban.audits import Audit, add_audit, load_audits
from layers.urban.export import export_bytes, illustrative_metadata, mark_illustrative
from layers.urban.service_links import (
    add_service_link,
    load_links,
    service_graph,
    system_summary,
)

MAP_HEIGHT = 520
SAVED_KEY = "urban_saved"
AUDIT_PLACES = 15
#: Session keys: the last map click acted on (st_folium reports it again on every rerun),
#: and per town the clicked (lon, lat) and the audit form's place choice.
LAST_CLICK_KEY = "urban_last_click"
POINT_KEY = "urban_audit_point"
PLACE_KEY = "urban_audit_place"
#: The place choice meaning "the point clicked on the map".
CLICKED = "clicked"


@st.cache_data(show_spinner=False, max_entries=16)
def access(location: str, version: str, town_id: str, distance: float) -> Accessibility:
    """Accessibility of the town's localities and hot cells."""
    return town_accessibility(open_store(location), town_id, distance)


@st.cache_data(show_spinner=False, max_entries=16)
def hotspot_places(location: str, version: str, town_id: str) -> gpd.GeoDataFrame:
    """The town's most exposed places (EPSG:4326) to audit; empty without fear pins."""
    try:
        store = open_store(location)
        places = rank_places(store, RankingRequest(town_id)).places.head(AUDIT_PLACES)
    except RankingError:
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    places = places.assign(place_name=place_labels(
        store, town_id, np.column_stack([places.geometry.x, places.geometry.y])))
    return to_storage(places)


def _saved(message: str, *forget: str) -> None:
    st.session_state[SAVED_KEY] = message
    for key in forget:
        st.session_state.pop(key, None)
    st.rerun()


def render() -> None:
    """The page: accessibility and white spots with the map, the service links, the safety
    audits."""
    head = page_head("urban", EDIT_URBAN, ("services", "localities", "pins"))
    principal, lang, town_id, town = head.principal, head.lang, head.town_id, head.town
    store = cache.store()
    if SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(SAVED_KEY))
    saved_as = t("urban.as", user=principal.username, role=t(f"role.{principal.role}"))

    distance = st.select_slider(t("urban.distance"), options=list(range(100, 1501, 100)),
                                value=500, key="urban_distance")
    result = access(*cache_key(store, "access", town_id), town_id, float(distance))
    links = load_links(store, town_id)
    audits = load_audits(store, town_id)
    _access(result, town, links, audits, distance, lang)
    _links(store, principal, town, links, saved_as, lang)
    _audits(store, principal, town, audits, saved_as, lang)


def _access(result: Accessibility, town: TownData, links: gpd.GeoDataFrame,
            audits: gpd.GeoDataFrame, distance: int, lang: str) -> None:
    """White spots, the map (a click chooses the place of a new audit), the accessibility
    table and the GeoPackage of the whole view."""
    town_id = town.town_id
    point_key, place_key = f"{POINT_KEY}_{town_id}", f"{PLACE_KEY}_{town_id}"
    clicked: tuple[float, float] | None = st.session_state.get(point_key)
    st.header(t("urban.access"))
    white = result.white_spots
    columns = st.columns(1 + len(SERVICE_GROUPS))
    columns[0].metric(t("urban.white.count"), len(white))
    for column, group in zip(columns[1:], SERVICE_GROUPS, strict=True):
        column.metric(label("urban.group", group, lang), int(result.table[f"white_{group}"].sum()))
    st.caption(t("urban.white.note", m=distance))
    if white.empty:
        st.success(t("urban.white.none", m=distance))

    store = cache.store()
    # the map shows the accessibility at this distance, the town's layers, the links and
    # audits recorded, and the clicked place
    view = ("urban", *cache_key(store, "access", town_id), cache_key(store, "town", town_id)[1],
            cache_key(store, "public_space", town_id)[1], town_id, distance, lang,
            tuple(clicked) if clicked else None)
    clicks = show_map(view, lambda: build_urban_map(result.table, town.services, links, audits,
                                                    town.boundary, town.context, lang, clicked),
                      key=f"urban-{town_id}", height=MAP_HEIGHT,
                      returned_objects=["last_clicked"]) or {}
    click = clicks.get("last_clicked")
    if click and click != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = click
        st.session_state[point_key] = (float(click["lng"]), float(click["lat"]))
        st.session_state[place_key] = CLICKED
        st.rerun()

    st.dataframe(access_table(result.table, lang), hide_index=True, width="stretch")

    # links and audits are recorded by people, never generated: they carry no mark
    layers = {**mark_illustrative({**result.layers(), "services": town.services},
                                  result.illustrative),
              "service_links": links, "safety_audits": audits}
    if not any(len(frame) for frame in layers.values()):
        st.info(t("urban.download.nothing"))
        return
    st.download_button(
        t("urban.download.gpkg"),
        # deferred: the GeoPackage is written when it is downloaded, not on every rerun
        partial(export_bytes, layers, illustrative_metadata(result.illustrative)),
        file_name=f"verejny-prostor-{town_id}.gpkg", mime="application/geopackage+sqlite3",
        key="urban_gpkg")


def _links(store: Store, principal: Principal, town: TownData, links: gpd.GeoDataFrame,
           saved_as: str, lang: str) -> None:
    """The services as a network with their partners, and a form to record a link."""
    town_id = town.town_id
    st.header(t("urban.links"))
    services = town.services
    service_names = dict(zip(services["service_id"].astype(str), services["name"].astype(str),
                             strict=True))
    graph = service_graph(services, links)
    summary = system_summary(graph)
    if links.empty:
        st.info(t("urban.links.none"))
    else:
        graph_column, table_column = st.columns([3, 2])
        figure = graph_figure(graph)
        graph_column.pyplot(figure)
        plt.close(figure)
        table_column.dataframe(partners_table(summary, lang), hide_index=True, width="stretch")
    alone = summary[summary["partners"] == 0]["name"].tolist()
    if alone:
        st.caption(t("urban.links.alone", names=", ".join(alone)))
    with st.form(f"urban_link_{town_id}"):
        a, b, c = st.columns(3)
        first = a.selectbox(t("urban.links.from"), list(service_names),
                            format_func=service_names.__getitem__)
        second = b.selectbox(t("urban.links.to"), list(service_names),
                             format_func=service_names.__getitem__,
                             index=min(1, len(service_names) - 1))
        kind = c.selectbox(t("urban.links.kind"), SERVICE_LINK_KINDS,
                           format_func=lambda k: label("urban.links.kind", k, lang))
        note = st.text_input(t("urban.links.note"))
        st.caption(saved_as)
        record_link = st.form_submit_button(t("urban.links.submit"))
    if record_link:
        try:
            add_service_link(store, principal, town_id, first, second, kind, now(), note)
        except (ValueError, AccessDenied) as exc:
            st.error(t("urban.error", problem=error_text(exc)))
        else:
            _saved(t("urban.links.done"))


def _audits(store: Store, principal: Principal, town: TownData, audits: gpd.GeoDataFrame,
            saved_as: str, lang: str) -> None:
    """A form to record a safety audit of a hotspot place or the clicked point, and the
    audits so far."""
    town_id = town.town_id
    point_key, place_key = f"{POINT_KEY}_{town_id}", f"{PLACE_KEY}_{town_id}"
    clicked: tuple[float, float] | None = st.session_state.get(point_key)
    st.header(t("urban.audit"))
    places = hotspot_places(*cache_key(store, "places", town_id), town_id)
    place_names = {str(r.place_id): f"#{r.rank} {r.place_name or r.locality or town.name}"
                   for r in places.itertuples()}
    points = {str(r.place_id): (r.geometry.x, r.geometry.y) for r in places.itertuples()}
    if clicked is not None:
        named = cache.place_names(town_id, gpd.GeoSeries([Point(clicked)], crs="EPSG:4326"))
        place_names = {CLICKED: t("urban.audit.clicked", place=named[0] or "–"), **place_names}
        points[CLICKED] = clicked
    if not points:
        st.info(t("urban.audit.no_place"))
    else:
        st.caption(t("urban.audit.click_help"))
        measures = store.read(MEASURES, town_id)
        measure_names = dict(zip(measures["measure_id"].astype(str),
                                 (f"{n} {title}".strip()[:80] for n, title in
                                  zip(measures["number"].fillna(""), measures["title"],
                                      strict=True)), strict=True))
        with st.form(f"urban_audit_{town_id}"):
            place = st.selectbox(t("urban.audit.place"), list(place_names),
                                 format_func=place_names.__getitem__, key=place_key)
            place_label = st.text_input(t("urban.audit.label"))
            st.caption(t("urban.audit.scale"))
            score_columns = st.columns(len(AUDIT_ASPECTS))
            scores = {aspect: column.select_slider(label("urban.aspect", aspect, lang),
                                                   options=[1, 2, 3, 4, 5], value=3,
                                                   key=f"urban_score_{aspect}")
                      for aspect, column in zip(AUDIT_ASPECTS, score_columns, strict=True)}
            audit_date = st.date_input(t("urban.audit.date"), value=date.today())
            audit_note = st.text_input(t("urban.audit.note"))
            linked = st.multiselect(t("urban.audit.measures"), list(measure_names),
                                    format_func=measure_names.__getitem__)
            st.caption(saved_as)
            record_audit = st.form_submit_button(t("urban.audit.submit"))
        if record_audit:
            lon, lat = points[place]
            # a clicked point is named by the nearest address, stop or part of town; only
            # where the town has none near do its coordinates stand in for a name
            fallback = place_names[place]
            if place == CLICKED:
                fallback = cache.place_names(town_id, gpd.GeoSeries(
                    [Point(lon, lat)], crs="EPSG:4326"))[0] or f"{lat:.5f}, {lon:.5f}"
            try:
                add_audit(store, principal, Audit(town_id, place_label or fallback,
                                                  audit_date.isoformat(), lon, lat, scores,
                                                  audit_note, tuple(linked)), now())
            except (ValueError, AccessDenied) as exc:
                st.error(t("urban.error", problem=error_text(exc)))
            else:
                _saved(t("urban.audit.done"), point_key, place_key)
    if audits.empty:
        st.info(t("urban.audit.none"))
    else:
        st.dataframe(audits_table(audits, lang), hide_index=True, width="stretch")


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
