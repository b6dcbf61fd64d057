"""Mapping sessions: create one, print its gridded paper map, transcribe paper notes, export."""

from __future__ import annotations

import datetime as dt
import os
from functools import partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app.features.sessions.map import build_results_map
from app.features.sessions.model import summary_html, summary_sections
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.i18n import label
from app.ui.map_component import show_map
from app.ui.page import page_head
from app.ui.state import (
    CURRENT_SESSION_KEY,
    choose_session,
    count,
    error_text,
    t,
)
from layers.access import guarded
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import RUN_SESSIONS
from layers.limits import LIMITS
from layers.mapping import links
from layers.mapping.capture import load_session, new_pin_id
from layers.mapping.export import FORMATS
from layers.mapping.paper import parse_transcription, town_session_grid
from layers.mapping.print_map import PAPER
from layers.mapping.qr import qr_bytes
from layers.mapping.questions import session_questions
from layers.mapping.results import CELL_M, SessionResults
from layers.mapping.results_sheet import Section, results_pdf
from layers.mapping.sessions import SessionInput
from layers.schema import AGE_GROUPS, QUESTION_KINDS, SESSION_METHODS
from layers.store import Store
from layers.vocabulary import PUBLIC_K

#: Where residents reach the app (a public link's address), when not where it was opened.
BASE_URL_SETTING = "MAPA_BASE_URL"


def render() -> None:
    """The page: a form for a new session, then for the chosen session its paper map,
    its exports and the transcription of paper notes."""
    head = page_head("sessions", RUN_SESSIONS, shows=("pins",))
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
        link = _open_link_url(store, session_id)
        if link is not None:
            st.caption(t("sessions.link.on_sheet"))
        st.download_button(t("sessions.download_pdf"),
                           cache.session_pdf(town_id, session_id, paper, lang, link),
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

    left, right = st.columns(2)
    with left:
        _public_link(store, principal, session_id)
    with right:
        _questions(store, principal, session_id, lang)
    _results(principal, town_id, session_id, lang)


#: The vocabulary group of each counted pin column of the results.
RESULT_GROUPS = {"category": "pin.category", "feeling": "pin.feeling", "time_of_day": "pin.time",
                 "seen": "pin.seen", "age_group": "age"}


def _results(principal: Principal, town_id: str, session_id: str, lang: str) -> None:
    """The answers of the session, or of its yearly round, counted (category, feeling, time of
    day, seen/heard, age group, its own questions), their map as the public may see it, and
    the change against the previous round per category and per cell, with the one-page
    summary (PDF for the wall, HTML). The counting is cached (``app.ui.cache``); reading
    the pins checks and audits on every run."""
    per_round = st.radio(t("sessions.results.scope"), (False, True), horizontal=True,
                         key="sessions_results_scope",
                         format_func=lambda r: t(f"sessions.results.scope.{int(r)}")) is True
    results = cache.session_results(principal, town_id, session_id, per_round)
    st.subheader(t("sessions.results", n=results.pins, sessions=len(results.sessions)))
    columns = st.columns(len(RESULT_GROUPS))
    for column, (field, group) in zip(columns, RESULT_GROUPS.items(), strict=True):
        counted = results.counts[field]
        table = counted.assign(value=[label(group, v, lang) for v in counted["value"]])
        column.markdown(f"**{t(f'sessions.results.{field}')}**")
        column.dataframe(table.rename(columns={"value": " ", "count": t("sessions.results.n")}),
                         hide_index=True, width="stretch")
    for text, table in results.questions.items():
        st.markdown(f"**{text}**")
        st.bar_chart(table.set_index("value")["count"], horizontal=True)
    town = cache.town_data(town_id)
    st.caption(t("sessions.results.map.caption", k=PUBLIC_K, cell=int(CELL_M)))
    change = results.cell_change
    store = cache.store()
    # the map shows the counted results (of the principal's scope) on the town's boundary
    view = ("session_results", *cache_key(store, "session_results", town_id),
            cache_key(store, "town", town_id)[1], town_id, session_id, per_round,
            principal.role, principal.centre, principal.covers(town_id), lang)
    show_map(view, lambda: build_results_map(
        results.cells, None if change is None else change.cells, town.boundary, lang),
        key=f"sessions-results-{session_id}-{int(per_round)}", height=420, returned_objects=[])
    sections = _sections(results, lang)
    title = t("sessions.results.print_title", town=town.name)
    subtitle = _subtitle(session_id, results, lang)
    # the page's own note says so on screen; the files carry it themselves
    note = t("sessions.results.illustrative") if results.illustrative else ""
    pdf, html = st.columns(2)
    # deferred: the PDF is drawn when it is asked for, not on every run of the page
    pdf.download_button(t("sessions.results.pdf"), partial(
        results_pdf, title, subtitle, sections, town.boundary, results.cells,
        t("sessions.results.map.caption", k=PUBLIC_K, cell=int(CELL_M)), note),
        file_name="vysledky-setkani.pdf", mime="application/pdf", key="sessions-results-pdf")
    html.download_button(t("sessions.results.print"),
                         summary_html(sections, title, subtitle, note),
                         file_name="vysledky-setkani.html", mime="text/html",
                         key="sessions-results-html")
    if not results.previous:
        st.caption(t("sessions.results.no_previous"))
        return
    st.markdown(f"**{t('sessions.results.change')}**")
    by_category = results.change.assign(category=[label("pin.category", c, lang)
                                                  for c in results.change["category"]])
    st.dataframe(by_category.rename(columns={"category": t("sessions.results.category"),
                                             "now": t("sessions.results.now"),
                                             "before": t("sessions.results.before"),
                                             "change": t("sessions.results.diff")}),
                 hide_index=True, width="stretch")
    st.markdown(f"**{t('sessions.results.cells')}**")
    cells = sections[-1]
    if change is not None:
        st.dataframe(pd.DataFrame(cells.rows[1:-1], columns=[" ", t("sessions.results.n")])
                     .astype({t("sessions.results.n"): int}), hide_index=True)
    st.caption(cells.rows[-1][0])


def _texts() -> dict[str, str]:
    """The summary's words in the page's language (``summary_sections``'s ``texts``)."""
    return {"count": t("sessions.results.n"), "change": t("sessions.results.change"),
            "now": t("sessions.results.now"), "before": t("sessions.results.before"),
            "diff": t("sessions.results.diff"),
            "no_previous": t("sessions.results.no_previous"),
            "cells": t("sessions.results.cells"), "cells_test": t("sessions.results.cells.test"),
            "cells_none": t("sessions.results.cells.none")}


def _sections(results: SessionResults, lang: str) -> list[Section]:
    """The summary's tables, labelled in ``lang``."""
    groups = {**RESULT_GROUPS, "change": "hotspots.change"}
    return summary_sections(results, {f: t(f"sessions.results.{f}") for f in RESULT_GROUPS},
                            lambda field, value: label(groups[field], value, lang), _texts())


def _subtitle(session_id: str, results: SessionResults, lang: str) -> str:
    """The place, the date (or the round's dates) and the age group, for the summary."""
    session = load_session(cache.store(), session_id)
    dates = sorted(str(load_session(cache.store(), s)["date"]) for s in results.sessions)
    when = dates[0] if len(set(dates)) == 1 else f"{dates[0]} – {dates[-1]}"
    return f"{session['place']} · {when} · {label('age', session['age_group'], lang)}"


def _base_url() -> str:
    """Where residents reach the app: ``MAPA_BASE_URL`` when set (behind a proxy), else the
    address this browser opened it at."""
    configured = os.environ.get(BASE_URL_SETTING, "").strip()
    if configured:
        return configured
    opened = urlsplit(str(st.context.url or links.DEFAULT_BASE_URL))
    return f"{opened.scheme}://{opened.netloc}"


def _open_link_url(store: Store, session_id: str) -> str | None:
    """The address of the session's newest link still open, if any."""
    now = dt.datetime.now(dt.UTC)
    open_now = [link for link in links.session_links(store, session_id)
                if link.starts_at <= now < link.until and link.closed_at is None]
    return links.link_url(_base_url(), open_now[-1].link_id) if open_now else None


def _public_link(store: Store, principal: Principal, session_id: str) -> None:
    """Residents' own phones: open a link with a start and an end, show it with its QR code
    (downloads as SVG and PNG), close it."""
    st.subheader(t("sessions.link"))
    st.caption(t("sessions.link.help"))
    url = _open_link_url(store, session_id)
    if url is not None:
        st.code(url, language=None)
        st.image(qr_bytes(url, "png", scale=6), width=220, caption=t("sessions.link.qr"))
        svg, png, close = st.columns(3)
        svg.download_button(t("sessions.link.svg"), qr_bytes(url, "svg"),
                            file_name="odkaz-qr.svg", mime="image/svg+xml")
        png.download_button(t("sessions.link.png"), qr_bytes(url, "png"),
                            file_name="odkaz-qr.png", mime="image/png")
        if close.button(t("sessions.link.close")):
            for link in links.session_links(store, session_id):
                links.close_link(store, link.link_id)
            st.rerun()
    # times as the facilitator's browser reads them; the link opens now unless changed
    zone = ZoneInfo(str(st.context.timezone or "Europe/Prague"))
    now = dt.datetime.now(zone).replace(second=0, microsecond=0, tzinfo=None)
    with st.form("session_link"):
        today = now.date()
        start_day, start_time = st.columns(2)
        start = dt.datetime.combine(start_day.date_input(t("sessions.link.start"), today),
                                    start_time.time_input(t("sessions.link.start_time"),
                                                          now.time()))
        end_day, end_time = st.columns(2)
        end = dt.datetime.combine(end_day.date_input(t("sessions.link.end"),
                                                     today + dt.timedelta(days=14)),
                                  end_time.time_input(t("sessions.link.end_time"),
                                                      dt.time(20, 0)))
        if st.form_submit_button(t("sessions.link.create"), type="primary"):
            try:
                guarded.create_link(principal, store, session_id,
                                    starts_at=start.replace(tzinfo=zone),
                                    until=end.replace(tzinfo=zone))
            except (ValueError, AccessDenied) as exc:
                st.error(t("sessions.error", problem=error_text(exc)))
            else:
                st.rerun()


def _questions(store: Store, principal: Principal, session_id: str, lang: str) -> None:
    """The session's own questions and a form adding one."""
    st.subheader(t("sessions.questions"))
    current = session_questions(store, session_id)
    for question in current:
        options = f" ({', '.join(question.options)})" if question.options else ""
        st.markdown(f"{question.position}. {question.text} · "
                    f"*{label('question.kind', question.kind, lang)}*{options}")
    if not current:
        st.caption(t("sessions.questions.none"))
    with st.form("session_question", clear_on_submit=True):
        text = st.text_input(t("sessions.questions.text"), max_chars=LIMITS.question_chars)
        kind = st.selectbox(t("sessions.questions.kind"), QUESTION_KINDS,
                            format_func=lambda k: label("question.kind", k, lang))
        options = st.text_area(t("sessions.questions.options"), height=100)
        if st.form_submit_button(t("sessions.questions.add")):
            lines = [line.strip() for line in options.splitlines() if line.strip()]
            try:
                guarded.add_question(principal, store, session_id, str(kind), text, lines)
            except (ValueError, AccessDenied) as exc:
                st.error(t("sessions.error", problem=error_text(exc)))
            else:
                st.rerun()


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
                st.success(t("sessions.transcribe.saved", n=count("count.pins", added)))



if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
