"""Forms of the Area page that add and edit goals, edit measures and their status, link a
drawn area to a measure and record an indicator's value (Streamlit). Each form's choice of goal
or measure sits outside the ``st.form`` so the fields below it are filled with what is stored; a
refused save shows why in the page's language (``layers.strategy.editing.EditRefused``, or
``AccessDenied`` when the logged-in principal lost its right) and keeps what was typed. Every
save acts as the logged-in principal, whose role the history records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import streamlit as st

from app.features.area.model import shorten
from app.ui.i18n import label
from app.ui.state import error_text, t
from layers.access.principal import AccessDenied, Principal
from layers.schema import MEASURE_STATUSES
from layers.store import Store
from layers.strategy.area import StrategyArea
from layers.strategy.editing import (
    add_goal,
    add_indicator_observation,
    add_measure_link,
    edit_goal,
    edit_measure,
    next_goal_number,
    parse_budget,
    update_measure_status,
)
from layers.strategy.model import Goal, Link, Measure

#: Session keys: a message to show after the rerun that follows a save, and a counter
#: renewing the forms after a save.
SAVED_KEY = "area_saved"
FORMS_KEY = "area_forms"
#: What a save may be refused with (shown by :func:`refused`).
REFUSALS = (ValueError, AccessDenied)


def saved(message: str) -> None:
    """Show ``message`` after a rerun with fresh data and empty forms."""
    st.session_state[SAVED_KEY] = message
    st.session_state[FORMS_KEY] = st.session_state.get(FORMS_KEY, 0) + 1
    st.rerun()


def refused(exc: ValueError | AccessDenied) -> None:
    """Say why a save was refused: a coded refusal in the page's words, else the message."""
    problem = t("area.refused.access") if isinstance(exc, AccessDenied) else error_text(exc)
    st.error(t("area.form.error", problem=problem))


def _save_edit(edit: Callable[[], bool], edited_key: str) -> None:
    """Run ``edit`` (True when it changed something): say it was saved (``edited_key``), that
    nothing changed, or why it was refused."""
    try:
        changed = edit()
    except REFUSALS as exc:
        refused(exc)
    else:
        if changed:
            saved(t(edited_key))
        st.info(t("area.form.nothing_changed"))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _goal_label(goal: Goal) -> str:
    return shorten(f"{goal.number} {goal.text}".strip())


def goal_forms(store: Store, principal: Principal, strategies: Sequence[StrategyArea],
               form_id: str) -> None:
    """Add a goal under a chosen parent (or at a strategy's top level); edit a goal."""
    by_id = {item.strategy.strategy_id: item.strategy for item in strategies}
    goals = {g.goal_id: g for s in by_id.values() for g in s.goals}
    parents = {f"s:{sid}": t("area.form.top_level", strategy=shorten(s.title, 60))
               for sid, s in by_id.items()}
    parents.update((f"g:{gid}", _goal_label(g)) for gid, g in goals.items())

    st.subheader(t("area.form.goal_add_title"))
    parent = st.selectbox(t("area.form.parent"), list(parents), format_func=parents.__getitem__,
                          key=f"area_goal_parent_{form_id}")
    parent_id = parent[2:] if parent.startswith("g:") else None
    strategy = by_id[goals[parent_id].strategy_id if parent_id else parent[2:]]
    suggested = next_goal_number(strategy, parent_id)
    with st.form(f"area_goal_add_{form_id}_{parent}"):
        number = st.text_input(t("area.form.number", example=suggested), value=suggested)
        text = st.text_area(t("area.form.goal_text"))
        description = st.text_input(t("area.form.description"))
        add = st.form_submit_button(t("area.form.goal_add"))
    if add:
        try:
            add_goal(store, principal, strategy.strategy_id, parent_id, number, text,
                     description)
        except REFUSALS as exc:
            refused(exc)
        else:
            saved(t("area.form.goal_added"))

    st.subheader(t("area.form.goal_edit_title"))
    goal_id = st.selectbox(t("area.form.goal_to_edit"), list(goals),
                           format_func=lambda gid: _goal_label(goals[gid]),
                           key=f"area_goal_edit_{form_id}")
    goal = goals[goal_id]
    with st.form(f"area_goal_edit_{form_id}_{goal_id}"):
        number = st.text_input(t("area.form.number", example=goal.number or suggested),
                               value=goal.number)
        text = st.text_area(t("area.form.goal_text"), value=goal.text)
        description = st.text_input(t("area.form.description"), value=goal.description)
        save = st.form_submit_button(t("area.form.goal_edit"))
    if save:
        _save_edit(lambda: edit_goal(store, principal, goal_id, number, text, description),
                   "area.form.goal_edited")


def measure_form(store: Store, principal: Principal, measures: Mapping[str, Measure],
                 form_id: str) -> None:
    """Edit a measure's text, owners, partners, target groups, time frame and budget."""
    st.subheader(t("area.form.measure_edit_title"))
    measure_id = st.selectbox(
        t("area.form.measure_to_edit"), list(measures),
        format_func=lambda mid: shorten(f"{measures[mid].number} {measures[mid].title}".strip()),
        key=f"area_measure_edit_{form_id}")
    measure = measures[measure_id]
    budget = measure.budget_czk
    with st.form(f"area_measure_edit_{form_id}_{measure_id}"):
        title = st.text_area(t("area.form.text"), value=measure.title)
        owners = st.text_area(t("area.form.owners"), value="\n".join(measure.owners))
        partners = st.text_area(t("area.form.partners"), value="\n".join(measure.partners))
        groups = st.text_area(t("area.form.target_groups"),
                              value="\n".join(measure.target_groups))
        time_frame = st.text_input(t("area.form.time_frame"), value=measure.time_frame)
        budget_text = st.text_input(t("area.form.budget"),
                                    value="" if budget is None else f"{budget:g}")
        budget_note = st.text_input(t("area.form.budget_note"), value=measure.budget_note)
        save = st.form_submit_button(t("area.form.measure_edit"))
    if save:
        _save_edit(lambda: edit_measure(store, principal, measure_id, {
            "title": title, "owners": _lines(owners), "partners": _lines(partners),
            "target_groups": _lines(groups), "time_frame": time_frame,
            "budget_czk": parse_budget(budget_text), "budget_note": budget_note}),
            "area.form.measure_edited")


def status_form(store: Store, principal: Principal, measures: Mapping[str, Measure],
                form_id: str, lang: str) -> None:
    """Change a measure's status."""
    st.subheader(t("area.form.status_title"))
    with st.form(f"area_status_{form_id}"):
        measure_id = st.selectbox(
            t("area.form.measure"), list(measures),
            format_func=lambda mid: shorten(
                f"{measures[mid].number} {measures[mid].title} "
                f"({label('area.status', measures[mid].status, lang)})".strip()))
        new_status = st.selectbox(t("area.form.new_status"), MEASURE_STATUSES,
                                  format_func=lambda code: label("area.status", code, lang))
        change = st.form_submit_button(t("area.form.change"))
    if change:
        try:
            changed = update_measure_status(store, principal, measure_id, new_status)
        except REFUSALS as exc:
            refused(exc)
        else:
            if not changed:
                st.info(t("area.form.unchanged"))
            else:
                saved(t("area.form.changed"))


def observation_form(store: Store, principal: Principal, indicators: pd.DataFrame,
                     form_id: str) -> None:
    """Record a value of one of ``indicators`` (numbered as in the indicator table)."""
    st.subheader(t("area.form.observation_title"))
    # numbered as in the table above: long names can share their shortened beginning
    indicator_names = {iid: f"{n}. {name}" for n, (iid, name) in enumerate(
        zip(indicators["indicator_id"], indicators["name"], strict=True), start=1)}
    with st.form(f"area_observation_{form_id}"):
        indicator_id = st.selectbox(t("area.form.indicator"), list(indicator_names),
                                    format_func=lambda i: shorten(str(indicator_names[i])))
        value = st.text_input(t("area.form.value"))
        observed = st.text_input(t("area.form.date"), value=date.today().isoformat())
        record = st.form_submit_button(t("area.form.record"))
    if record:
        try:
            add_indicator_observation(store, principal, indicator_id, value, observed)
        except REFUSALS as exc:
            refused(exc)
        else:
            saved(t("area.form.recorded"))


def link_form(store: Store, principal: Principal, measures: Mapping[str, Measure], link: Link,
              form_id: str) -> bool:
    """Link the drawn area ``link`` to a chosen measure; True once saved."""
    st.subheader(t("area.form.link_title"))
    with st.form(f"area_link_{form_id}"):
        measure_id = st.selectbox(
            t("area.form.measure"), list(measures),
            format_func=lambda mid: shorten(
                f"{measures[mid].number} {measures[mid].title}".strip()))
        submit = st.form_submit_button(t("area.form.link"))
    if not submit:
        return False
    try:
        add_measure_link(store, principal, measure_id, link)
    except REFUSALS as exc:
        refused(exc)
        return False
    return True
