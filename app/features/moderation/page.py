"""Moderation of pending pins: filter by session, select many, approve / reject / re-categorise."""

from __future__ import annotations

import streamlit as st

from app.features.moderation.model import pending_table
from app.ui import cache
from app.ui.i18n import labels
from app.ui.page import page_head
from app.ui.state import t
from layers.access.guarded import approve, recategorise, reject
from layers.access.principal import Principal
from layers.access.roles import MODERATE
from layers.schema import PIN_CATEGORIES
from layers.store import Store


def render() -> None:
    """The page: the pending pins of the town (of one session or all) in a table to select
    from, and the actions on the selection."""
    head = page_head("moderation", MODERATE)
    principal, lang, town_id = head.principal, head.lang, head.town_id
    store = cache.store()

    pins = cache.pins(principal, town_id)
    pending = pins[pins["status"] == "pending"].sort_values("created_at")
    # every session of the town stays listed, so the filter holds after its last pin is handled
    sessions = [None, *cache.sessions(principal, town_id)["session_id"]]
    session = st.selectbox(t("moderation.session"), sessions,
                           format_func=lambda s: t("moderation.all_sessions") if s is None
                           else s)
    if session is not None:
        pending = pending[pending["session_id"] == session]
    st.subheader(t("moderation.pending", n=len(pending)))
    if pending.empty:
        st.info(t("moderation.none"))
        st.stop()

    table = pending_table(pending, cache.place_names(town_id, pending.geometry), lang)
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"moderation-{session}",
        disabled=[c for c in table.columns if c != "select"],
        column_config={
            "select": st.column_config.CheckboxColumn(t("moderation.select")),
            "pin_id": None, "place": t("moderation.col.place"),
            "category": t("moderation.col.category"), "feeling": t("moderation.col.feeling"),
            "comment": t("moderation.col.comment"), "session": t("moderation.col.session"),
            "created": t("moderation.col.created"),
        })
    chosen = list(edited.loc[edited["select"], "pin_id"])

    if st.button(t("moderation.approve_all", n=len(pending)), key="approve-all"):
        st.toast(t("moderation.done", n=approve(principal, store, list(pending["pin_id"]))))
        st.rerun()
    _actions(principal, store, chosen, lang)


def _actions(principal: Principal, store: Store, chosen: list[str], lang: str) -> None:
    """Approve, reject (with a reason) or re-categorise the ``chosen`` pins."""
    approve_col, reject_col, category_col = st.columns(3)
    if approve_col.button(t("moderation.approve"), type="primary", width="stretch"):
        if chosen:
            st.toast(t("moderation.done", n=approve(principal, store, chosen)))
            st.rerun()
        st.warning(t("moderation.nothing_selected"))
    with reject_col:
        reason = st.text_input(t("moderation.reason"))
        if st.button(t("moderation.reject"), width="stretch"):
            if not chosen:
                st.warning(t("moderation.nothing_selected"))
            elif not reason.strip():
                st.warning(t("moderation.need_reason"))
            else:
                st.toast(t("moderation.done", n=reject(principal, store, chosen, reason)))
                st.rerun()
    with category_col:
        category_labels = labels("pin.category", PIN_CATEGORIES, lang)
        new_category = st.selectbox(t("moderation.recategorise"), PIN_CATEGORIES,
                                    format_func=category_labels.__getitem__)
        if st.button(t("moderation.apply_category"), width="stretch"):
            if chosen:
                st.toast(t("moderation.done", n=recategorise(principal, store, chosen,
                                                             str(new_category))))
                st.rerun()
            st.warning(t("moderation.nothing_selected"))


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
