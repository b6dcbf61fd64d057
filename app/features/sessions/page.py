"""Mapping sessions: create one, print its gridded paper map, transcribe paper notes, export."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from app.ui import cache
from app.ui.i18n import label
from app.ui.page import page_head
from app.ui.state import (
    CURRENT_SESSION_KEY,
    choose_session,
    error_text,
    t,
)
from layers.access import guarded
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import RUN_SESSIONS
from layers.limits import LIMITS
from layers.mapping.capture import new_pin_id
from layers.mapping.export import FORMATS
from layers.mapping.paper import parse_transcription, town_session_grid
from layers.mapping.print_map import PAPER
from layers.mapping.sessions import SessionInput
from layers.schema import AGE_GROUPS, SESSION_METHODS
from layers.store import Store


def render() -> None:
    """The page: a form for a new session, then for the chosen session its paper map,
    its exports and the transcription of paper notes."""
    head = page_head("sessions", RUN_SESSIONS)
    principal, lang, town_id = head.principal, head.lang, head.town_id
    store = cache.store()

    _new_session(store, principal, town_id, lang)

    sessions = cache.sessions(principal, town_id)
    st.subheader(t("sessions.list"))
    if sessions.empty:
        st.info(t("sessions.none"))
        st.stop()
    st.dataframe(sessions[["session_id", "date", "place", "organiser", "age_group", "participants",
                           "method"]], hide_index=True, width="stretch")
    ids = list(sessions["session_id"])
    session_id = choose_session(st, ids, "sessions_session")

    left, right = st.columns(2)
    with left:
        st.subheader(t("sessions.print"))
        paper = str(st.radio(t("sessions.paper"), list(PAPER), horizontal=True))
        st.download_button(t("sessions.download_pdf"),
                           cache.session_pdf(town_id, session_id, paper, lang),
                           file_name=f"{session_id}-{paper}.pdf", mime="application/pdf")
        st.subheader(t("sessions.export"))
        public = st.toggle(t("sessions.export.public"), value=True)
        for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
            # deferred: an internal export is checked and audited when it is downloaded
            column.download_button(t("sessions.export.download", fmt=fmt.upper()),
                                   partial(cache.pins_export, principal, town_id, session_id,
                                           fmt, public),
                                   file_name=f"{session_id}.{fmt}")

    with right:
        _transcribe(store, principal, town_id, session_id)


def _new_session(store: Store, principal: Principal, town_id: str, lang: str) -> None:
    """A folded form creating a session (for the principal's own centre unless it sees all);
    the new session becomes the chosen one."""
    with st.expander(t("sessions.new"), expanded=False), st.form("new_session"):
        date = st.date_input(t("sessions.date"), value=dt.date.today())
        place = st.text_input(t("sessions.place"))
        if principal.sees_all_centres():
            organiser = st.text_input(t("sessions.organiser"))
        else:
            organiser = principal.centre
            st.caption(t("sessions.organiser.fixed", centre=organiser))
        group = st.selectbox(t("sessions.group"), AGE_GROUPS,
                             format_func=lambda g: label("age", g, lang))
        participants = st.number_input(t("sessions.participants"), 1, 10_000, 10)
        method = st.selectbox(t("sessions.method"), [m for m in SESSION_METHODS if m != "imported"],
                              format_func=lambda m: label("method", m, lang))
        consent = st.text_area(t("sessions.consent"), t("sessions.consent.default"))
        if st.form_submit_button(t("sessions.create"), type="primary"):
            try:
                new_id = guarded.create_session(principal, store, SessionInput(
                    town_id=town_id, date=date.isoformat(), place=place, organiser=organiser,
                    age_group=str(group), participants=int(participants), method=str(method),
                    consent=consent))
            except (ValueError, AccessDenied) as exc:
                st.error(t("sessions.error", problem=error_text(exc)))
            else:
                st.session_state[CURRENT_SESSION_KEY] = new_id
                st.success(t("sessions.created", session=new_id))


def _transcribe(store: Store, principal: Principal, town_id: str, session_id: str) -> None:
    """Rows of a paper map ("cell, feeling, …") saved as transcribed pins of the session;
    nothing is saved while a row is wrong."""
    st.subheader(t("sessions.transcribe"))
    st.caption(t("sessions.transcribe.help"))
    # max_chars binds the browser, and Streamlit cuts a longer (crafted) value on the server
    rows = st.text_area(t("sessions.transcribe.rows"), key="transcription", height=180,
                        max_chars=LIMITS.transcription_chars)
    if st.button(t("sessions.transcribe.save")):
        grid = town_session_grid(store, town_id)
        answers, problems = [], []
        for number, line in enumerate(rows.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                answers.append((new_pin_id(session_id), parse_transcription(line, grid)))
            except ValueError as exc:
                problems.append(t("sessions.transcribe.error", line=number,
                                  problem=error_text(exc)))
        if problems:
            for problem in problems:
                st.error(problem)
            st.warning(t("sessions.transcribe.nothing"))
        elif answers:
            try:
                added = guarded.add_pins(principal, store, session_id, answers,
                                         transcribed=True)
            except (ValueError, AccessDenied) as exc:
                st.error(t("capture.error", problem=error_text(exc)))
            else:
                st.success(t("sessions.transcribe.saved", n=added))


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
