"""Moderation of pending pins: filter by session, category and day, see them on a map beside
the list, select many and approve (with or without their note), reject or re-categorise; or
decide a whole session or import batch at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import streamlit as st

from app.features.moderation.map import build_moderation_map
from app.features.moderation.model import (
    filter_pending,
    local_days,
    pending_table,
    session_names,
)
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.i18n import labels
from app.ui.map_component import show_map
from app.ui.page import page_head
from app.ui.state import count, error_text, t
from app.ui.town import TownData
from layers.access.guarded import (
    approve,
    approve_selection,
    approve_without_note,
    recategorise,
    reject,
    reject_selection,
)
from layers.access.principal import Principal
from layers.access.roles import MODERATE
from layers.errors import MapaError
from layers.ingest.batches import list_batches
from layers.mapping import moderation
from layers.schema import PIN_CATEGORIES, PINS
from layers.store import Store

#: Pending pins drawn on the map at most (the first of the list; filters narrow it down).
MAP_PINS = 2_000


def render() -> None:
    """The page: filters, the filtered pending pins in a list beside a map, the actions on
    the selection, and the decision on a whole session or import batch."""
    head = page_head("moderation", MODERATE, shows=("pins",))
    principal, lang, town_id, town = head.principal, head.lang, head.town_id, head.town
    store = cache.store()

    pins = cache.pins(principal, town_id)
    pending = pins[pins["status"] == "pending"].sort_values("created_at")
    sessions = cache.sessions(principal, town_id)
    names = session_names(sessions)
    shown = _filtered(pending, names, lang)
    st.subheader(t("moderation.pending", n=len(shown)))
    if shown.empty:
        st.info(t("moderation.none"))
    else:
        chosen = _list_and_map(town, shown, names, lang)
        if st.button(t("moderation.approve_all", n=len(shown)), key="approve-all"):
            st.toast(count("moderation.done", approve(principal, store, list(shown["pin_id"]))))
            st.rerun()
        _actions(principal, store, chosen, lang)
    _bulk(principal, store, town_id, pending, names)


def _filtered(pending: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The filters (session, categories, days added) and the pending pins they keep."""
    session_col, category_col, day_col = st.columns(3)
    # every session of the town stays listed, so the filter holds after its last pin is handled
    session = session_col.selectbox(
        t("moderation.session"), [None, *names], key="moderation_session",
        format_func=lambda s: t("moderation.all_sessions") if s is None else names[s])
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    categories = category_col.multiselect(
        t("moderation.categories"), list(PIN_CATEGORIES), key="moderation_categories",
        format_func=category_labels.__getitem__, placeholder=t("moderation.all_categories"))
    days = local_days(pending["created_at"]).dropna()
    chosen_days: tuple[dt.date, dt.date] | None = None
    if len(days):
        first, last = min(days), max(days)
        picked = day_col.date_input(t("moderation.days"), value=(first, last),
                                    key="moderation_days", format="DD.MM.YYYY")
        # a range being picked has one day so far: filter by it alone
        if isinstance(picked, tuple) and picked:
            chosen_days = (picked[0], picked[-1])
    return filter_pending(pending, session, categories or PIN_CATEGORIES, chosen_days)


def _list_and_map(town: TownData, shown: pd.DataFrame, names: dict[str, str],
                  lang: str) -> list[str]:
    """The pins in a table to select from beside their map; returns the selected pin ids."""
    table = pending_table(shown, lang, names, cache.place_names(town.town_id, shown.geometry))
    listed, mapped = st.columns([3, 2])
    with listed:
        edited = st.data_editor(
            table, hide_index=True, width="stretch", key="moderation-list",
            disabled=[c for c in table.columns if c != "select"],
            column_order=["select", "number", "place", "category", "feeling", "comment",
                          "session", "created"],
            column_config={
                "select": st.column_config.CheckboxColumn(t("moderation.select")),
                "number": t("moderation.col.number"), "place": t("moderation.col.place"),
                "category": t("moderation.col.category"), "feeling": t("moderation.col.feeling"),
                "comment": t("moderation.col.comment"), "session": t("moderation.col.session"),
                "created": t("moderation.col.created"),
            })
    with mapped, st.container(key="moderation-map"):
        # a whole imported export waits at once: the map shows the start of the list
        first = gpd.GeoDataFrame(shown.head(MAP_PINS))
        # the map shows the town's layers (its pins' version among them) and these pins
        view = ("moderation", *cache_key(cache.store(), "town", town.town_id), town.town_id,
                tuple(first["pin_id"]), lang)
        show_map(view, lambda: build_moderation_map(town, first, lang),
                 key="moderation-map-view", height=420, returned_objects=[])
        if len(shown) > MAP_PINS:
            st.caption(t("moderation.map.first", shown=MAP_PINS, n=len(shown)))
    return list(edited.loc[edited["select"], "pin_id"])


def _actions(principal: Principal, store: Store, chosen: list[str], lang: str) -> None:
    """Approve (keeping or removing the notes), reject (with a reason) or re-categorise the
    ``chosen`` pins."""
    approve_col, strip_col, reject_col, category_col = st.columns(4)
    if approve_col.button(t("moderation.approve"), type="primary", width="stretch"):
        _decided(chosen, lambda: approve(principal, store, chosen))
    if strip_col.button(t("moderation.approve_without_note"), width="stretch",
                        key="moderation_strip", help=t("moderation.approve_without_note.help")):
        _decided(chosen, lambda: approve_without_note(principal, store, chosen))
    with reject_col:
        reason = st.text_input(t("moderation.reason"))
        if st.button(t("moderation.reject"), width="stretch"):
            if chosen and not reason.strip():
                st.warning(t("moderation.need_reason"))
            else:
                _decided(chosen, lambda: reject(principal, store, chosen, reason))
    with category_col:
        category_labels = labels("pin.category", PIN_CATEGORIES, lang)
        new_category = st.selectbox(t("moderation.recategorise"), PIN_CATEGORIES,
                                    format_func=category_labels.__getitem__)
        if st.button(t("moderation.apply_category"), width="stretch"):
            _decided(chosen, lambda: recategorise(principal, store, chosen, str(new_category)))


def _decided(chosen: list[str], decide: Callable[[], int]) -> None:
    """Run ``decide`` on the selection and show how many pins it changed; without a
    selection, ask for one."""
    if not chosen:
        st.warning(t("moderation.nothing_selected"))
        return
    st.toast(count("moderation.done", decide()))
    st.rerun()


def _bulk(principal: Principal, store: Store, town_id: str, pending: pd.DataFrame,
          names: dict[str, str]) -> None:
    """One decision for every pending pin of a session or an import batch (an export its
    publisher already moderated), each one indexed update and one audit entry."""
    batches = list_batches(store, town_id)
    batches = batches[(batches["status"] == "committed")
                      & batches["layers"].str.contains(f'"{PINS.name}"', regex=False)]
    options = {("session", s): names[s] for s in pending["session_id"].unique() if s in names}
    options |= {("batch", str(b)): str(n) for b, n in
                zip(batches["batch_id"], batches["source_name"], strict=True)}
    with st.container(key="moderation-bulk", border=True):
        st.subheader(t("moderation.bulk"))
        st.caption(t("moderation.bulk.intro"))
        if not options:
            st.caption(t("moderation.bulk.none"))
            return
        picked = st.selectbox(t("moderation.bulk.choose"), list(options),
                              format_func=lambda o: t(f"moderation.bulk.{o[0]}",
                                                      name=options[o]),
                              key="moderation_bulk_choice")
        kind, ident = picked
        try:
            selection = (moderation.select_session(store, ident) if kind == "session"
                         else moderation.select_batch(store, ident))
        except MapaError as exc:
            st.error(error_text(exc))
            return
        selected = len(moderation.selected_pins(store, selection))
        st.write(t("moderation.bulk.count", n=selected))
        approve_col, reject_col = st.columns(2)
        if approve_col.button(t("moderation.bulk.approve", n=selected), type="primary",
                              disabled=not selected, key="moderation_bulk_approve"):
            st.toast(count("moderation.done", approve_selection(principal, store, selection)))
            st.rerun()
        with reject_col:
            reason = st.text_input(t("moderation.reason"), key="moderation_bulk_reason")
            if st.button(t("moderation.bulk.reject", n=selected), disabled=not selected,
                         key="moderation_bulk_reject"):
                if not reason.strip():
                    st.warning(t("moderation.need_reason"))
                else:
                    st.toast(count("moderation.done", reject_selection(principal, store,
                                                                     selection, reason)))
                    st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
