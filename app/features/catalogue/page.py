"""The Catalogue page, public (no login): the services of the town a person can be sent to
(seed 004: the Ústecký kraj catalogue understandable to lay people).

Search by keywords (diacritics do not matter), the tabs seed 004 names (crime prevention,
drug prevention, families with children), type, target group and form, and "near" a
locality, a hot cell or a clicked point within a walking distance (straight line: the store
has no street network to walk). Results as a list and on the map, linked both ways: a choice
in the list rings the service on the map, a click on a service's badge opens its card. The
card shows the measures of the strategies the service takes part in and the services it
works with. Editors (right ``manage_data``) change entries and decide providers' proposals;
anyone may propose a change. Searching runs in ``layers.catalogue``; the index is cached per
town (``app.ui.cache_keys``).
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from shapely.geometry import Point

from app.features.catalogue.map import build_catalogue_map
from app.features.catalogue.model import (
    CLICKED,
    NOWHERE,
    card_lines,
    measure_lines,
    near_places,
    partner_lines,
    results_table,
)
from app.features.public_space.page import hotspot_places
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.i18n import label
from app.ui.map_component import show_map
from app.ui.page import page_head
from app.ui.state import error_text, t
from layers.access.principal import Principal
from layers.access.roles import MANAGE_DATA
from layers.catalogue.detail import Card, service_card
from layers.catalogue.editing import decide_proposal, proposals, propose_change, save_entry
from layers.catalogue.entries import decode, load_catalogue
from layers.catalogue.search import CatalogueIndex, Query
from layers.errors import MapaError
from layers.store import open_store
from layers.vocabulary import CATALOGUE_TAB, SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP

MAP_HEIGHT = 520
ALL = ""
#: Session keys: the chosen entry, the last map click acted on, the clicked point per town.
CHOSEN_KEY = "catalogue_chosen"
LAST_CLICK_KEY = "catalogue_last_click"
POINT_KEY = "catalogue_point"
SAVED_KEY = "catalogue_saved"


@st.cache_data(show_spinner=False, max_entries=8)
def catalogue_index(location: str, version: str, town_id: str) -> CatalogueIndex:
    """The town's catalogue, ready to search."""
    return CatalogueIndex(load_catalogue(open_store(location), town_id))


@st.cache_data(show_spinner=False, max_entries=64)
def catalogue_card(location: str, version: str, town_id: str, service_id: str) -> Card:
    """The card of ``service_id``: read once per change of what it shows, not on every
    rerun of the page (each filter or click reruns it)."""
    store = open_store(location)
    entries = catalogue_index(*cache_key(store, "catalogue", town_id), town_id).entries
    return service_card(store, service_id, entries)


def _choice(title: str, codes: tuple[str, ...], group: str, key: str, lang: str) -> str:
    """A selectbox of a vocabulary's codes with "all" first; returns the code or ""."""
    return str(st.selectbox(title, [ALL, *codes], key=key,
                            format_func=lambda c: t("catalogue.all") if c == ALL
                            else label(group, c, lang)))


def render() -> None:
    """The page: filters, results list and map, the chosen service's card, proposals and
    (for editors) editing."""
    head = page_head("catalogue", shows=("services",))
    principal, lang, town_id, town = head.principal, head.lang, head.town_id, head.town
    store = cache.store()
    if SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(SAVED_KEY))
    index = catalogue_index(*cache_key(store, "catalogue", town_id), town_id)

    tab = str(st.radio(t("catalogue.tab"), [ALL, *CATALOGUE_TAB.codes], horizontal=True,
                       key="catalogue_tab",
                       format_func=lambda c: t("catalogue.all") if c == ALL
                       else label("catalogue.tab", c, lang)))
    text = st.text_input(t("catalogue.query"), key="catalogue_query",
                         placeholder=t("catalogue.query.hint"))
    columns = st.columns(3)
    with columns[0]:
        kind = _choice(t("catalogue.type"), SERVICE_TYPE.codes, "service.type",
                       "catalogue_type", lang)
    with columns[1]:
        group = _choice(t("catalogue.target"), TARGET_GROUP.codes, "catalogue.target",
                        "catalogue_target", lang)
    with columns[2]:
        form = _choice(t("catalogue.form"), SERVICE_FORM.codes, "catalogue.form",
                       "catalogue_form", lang)
    clicked = st.session_state.get(f"{POINT_KEY}_{town_id}")
    hot = hotspot_places(*cache_key(store, "places", town_id), town_id)
    clicked_name = cache.place_names(town_id, gpd.GeoSeries(
        [Point(clicked)], crs="EPSG:4326"))[0] if clicked is not None else ""
    places = {p.key: p for p in near_places(town.localities, hot, clicked, lang, clicked_name)}
    near_columns = st.columns([3, 1])
    with near_columns[0]:
        near_key = str(st.selectbox(t("catalogue.near"), [NOWHERE, *places],
                                    key="catalogue_near",
                                    format_func=lambda k: t("catalogue.near.none")
                                    if k == NOWHERE else places[k].label))
    with near_columns[1]:
        distance = float(st.number_input(t("catalogue.distance"), min_value=100,
                                         max_value=20_000, value=1000, step=100,
                                         key="catalogue_distance"))
    place = places.get(near_key)
    st.caption(t("catalogue.distance.note"))
    query = Query(text, None, kind or None, group or None, form or None, tab or None,
                  place.geometry if place else None, distance if place else None)
    found = index.search(query)
    ids = list(found["service_id"])
    names = dict(zip(found["service_id"], found["name"], strict=True))
    st.subheader(t("catalogue.found", count=len(found)))
    with st.container(key="catalogue-results"):
        if found.empty:
            st.info(t("catalogue.none"))
        else:
            table = results_table(found, lang)
            st.table(table.set_index(table.columns[0]))
    if st.session_state.get(CHOSEN_KEY) not in ids:
        st.session_state[CHOSEN_KEY] = ids[0] if ids else None
    chosen = st.session_state.get(CHOSEN_KEY)
    # the map shows the services the filters find, the place they are near (a locality, a
    # hot place or the clicked point, named) and the chosen one
    view = ("catalogue", *cache_key(store, "catalogue", town_id),
            cache_key(store, "town", town_id)[1], cache_key(store, "places", town_id)[1],
            cache_key(store, "names", town_id)[1], town_id, lang, tab, text, kind, group, form,
            near_key, distance if place else None, tuple(clicked) if clicked else None, chosen)
    clicks = show_map(view, lambda: build_catalogue_map(
        found, town.boundary, town.context, chosen,
        (place.label, place.geometry) if place else None, distance if place else None),
        key=f"catalogue-{town_id}", height=MAP_HEIGHT,
        returned_objects=["last_clicked", "last_object_clicked_tooltip"]) or {}
    _follow_click(clicks, town_id, ids, names)
    if ids:
        st.selectbox(t("catalogue.card"), ids, key=CHOSEN_KEY, format_func=names.__getitem__)
        _card(str(st.session_state[CHOSEN_KEY]), town_id, lang)
        _propose(principal, town_id, index, str(st.session_state[CHOSEN_KEY]), lang)
    if principal.can(MANAGE_DATA):
        _editor(principal, town_id, index, st.session_state.get(CHOSEN_KEY), lang)


def _follow_click(clicks: dict[str, object], town_id: str, ids: list[str],
                  names: dict[str, str]) -> None:
    """A click on a service's badge chooses it; a click elsewhere is a place to search
    near. Each click is acted on once (the component reports it on every rerun)."""
    click = clicks.get("last_clicked")
    if not click or click == st.session_state.get(LAST_CLICK_KEY):
        return
    st.session_state[LAST_CLICK_KEY] = click
    tooltip = clicks.get("last_object_clicked_tooltip")
    by_name = {name: sid for sid, name in names.items()}
    if tooltip in by_name:
        st.session_state[CHOSEN_KEY] = by_name[str(tooltip)]
    elif isinstance(click, dict):
        st.session_state[f"{POINT_KEY}_{town_id}"] = (float(click["lng"]), float(click["lat"]))
        st.session_state["catalogue_near"] = CLICKED
    st.rerun()


def _card(service_id: str, town_id: str, lang: str) -> None:
    """The detail card of ``service_id``."""
    store = cache.store()
    card = catalogue_card(*cache_key(store, "catalogue_card", town_id), town_id, service_id)
    entry = card.entry
    with st.container(border=True, key="catalogue-card"):
        st.markdown(f"### {entry['name']}")
        if entry["svi_contact"]:
            st.info(t("catalogue.card.svi"))
        for title, value in card_lines(card, lang):
            st.markdown(f"**{title}:** {value}")
        if card.position is None:
            st.caption(t("catalogue.card.no_position"))
        if entry["photo_url"]:
            st.image(str(entry["photo_url"]),
                     caption=t("catalogue.card.photo", licence=entry["photo_licence"]))
        st.markdown(f"**{t('catalogue.card.measures')}**")
        for line in measure_lines(card, lang) or [t("catalogue.card.no_measures")]:
            st.markdown(f"- {line}")
        st.markdown(f"**{t('catalogue.card.partners')}**")
        for line in partner_lines(card, lang) or [t("catalogue.card.no_partners")]:
            st.markdown(f"- {line}")


def _fields(prefix: str, entry: dict[str, object] | None, lang: str) -> dict[str, object]:
    """The editable fields of an entry as form widgets (inside a form)."""
    entry = entry or {}
    values: dict[str, object] = {
        "name": st.text_input(t("catalogue.col.name"), str(entry.get("name", "")),
                              key=f"{prefix}_name"),
        "service_type": st.selectbox(
            t("catalogue.type"), SERVICE_TYPE.codes, key=f"{prefix}_type",
            index=SERVICE_TYPE.codes.index(str(entry.get("service_type", "social_service"))),
            format_func=lambda c: label("service.type", c, lang)),
        "target_groups": st.multiselect(
            t("catalogue.target"), TARGET_GROUP.codes, key=f"{prefix}_target",
            default=[c for c in decode(entry.get("target_groups", "[]"))],
            format_func=lambda c: label("catalogue.target", c, lang)),
        "forms": st.multiselect(t("catalogue.form"), SERVICE_FORM.codes, key=f"{prefix}_form",
                                default=decode(entry.get("forms", "[]")),
                                format_func=lambda c: label("catalogue.form", c, lang)),
    }
    for name in ("provider", "address", "opening_hours", "phone", "email", "web",
                 "area_note", "description", "photo_url", "photo_licence"):
        values[name] = st.text_input(t(f"catalogue.edit.{name}"), str(entry.get(name, "")),
                                     key=f"{prefix}_{name}")
    return values


def _propose(principal: Principal, town_id: str, index: CatalogueIndex, service_id: str,
             lang: str) -> None:
    """Anyone (a provider) proposes a change of the chosen entry; an editor decides."""
    rows = index.entries[index.entries["service_id"] == service_id]
    entry = rows.iloc[0].to_dict() if len(rows) else None
    with st.expander(t("catalogue.propose")), st.form("catalogue_propose"):
        st.caption(t("catalogue.propose.note"))
        proposer = st.text_input(t("catalogue.propose.who"), key="catalogue_proposer")
        values = _fields("propose", entry, lang)
        if st.form_submit_button(t("catalogue.propose.send")):
            changed = {k: v for k, v in values.items() if entry is None
                       or _differs(entry.get(k), v)}
            try:
                propose_change(cache.store(), principal, town_id, proposer, changed, service_id)
            except MapaError as exc:
                st.error(error_text(exc))
            else:
                st.session_state[SAVED_KEY] = t("catalogue.propose.saved")
                st.rerun()


def _differs(old: object, new: object) -> bool:
    if isinstance(new, list):
        return decode(str(old or "[]")) != new
    return str(old or "") != str(new or "")


def _editor(principal: Principal, town_id: str, index: CatalogueIndex, service_id: str | None,
            lang: str) -> None:
    """Editors: change the chosen entry or add one, and decide pending proposals."""
    st.header(t("catalogue.edit"))
    rows = index.entries[index.entries["service_id"] == service_id]
    entry = rows.iloc[0].to_dict() if len(rows) else None
    new = st.toggle(t("catalogue.edit.new"), key="catalogue_edit_new") or entry is None
    with st.form("catalogue_edit"):
        values = _fields("edit", None if new else entry, lang)
        if st.form_submit_button(t("catalogue.edit.save")):
            changed = values if new else {k: v for k, v in values.items()
                                          if _differs(entry.get(k) if entry else None, v)}
            try:
                saved = save_entry(cache.store(), principal, town_id, changed,
                                   None if new else service_id)
            except MapaError as exc:
                st.error(error_text(exc))
            else:
                st.session_state[CHOSEN_KEY] = saved
                st.session_state[SAVED_KEY] = t("catalogue.edit.saved")
                st.rerun()
    pending = proposals(cache.store(), town_id)
    st.subheader(t("catalogue.proposals", count=len(pending)))
    for row in pending.itertuples():
        with st.container(border=True):
            about = str(row.service_id) or t("catalogue.edit.new")
            st.markdown(f"**{row.proposer!s}** – {about}")
            st.code(str(row.changes), language="json")
            approve, reject = st.columns(2)
            for column, verdict, key in ((approve, True, "approve"), (reject, False, "reject")):
                if column.button(t(f"catalogue.proposals.{key}"),
                                 key=f"catalogue_{key}_{row.proposal_id}"):
                    try:
                        decide_proposal(cache.store(), principal, str(row.proposal_id), verdict)
                    except MapaError as exc:
                        st.error(error_text(exc))
                    else:
                        st.session_state[SAVED_KEY] = t(f"catalogue.proposals.{key}d")
                        st.rerun()


if __name__ == "__main__":
    render()
