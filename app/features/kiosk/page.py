"""Kiosk capture for a running session: tap the map, answer with big pictogram buttons.

In a paper session the same page serves the facilitator transcribing notes to the exact
place (pins are then tagged as transcribed).

Each device (browser session) keeps the ids of the pins it placed, so "undo" removes this
device's last pin only. A pin's id is made when its place is tapped and reused if saving is
retried, so a double tap never stores it twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from app.features.kiosk.map import build_capture_map
from app.features.kiosk.pictograms import (
    ACTION_ICONS,
    CATEGORY_ICONS,
    FEELING_ICONS,
    SEEN_ICONS,
    TIME_ICONS,
)
from app.features.map.map import MAP_HEIGHT
from app.ui import cache
from app.ui.access import page_principal
from app.ui.i18n import label
from app.ui.state import choose_session, count, current_language, error_text, page_town, t
from layers.access import guarded
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import RUN_SESSIONS
from layers.limits import LIMITS
from layers.mapping.capture import PinAnswer, new_pin_id
from layers.store import Store

ANSWER_KEY = "capture_answer"
DEVICE_PINS_KEY = "capture_device_pins"
LAST_CLICK_KEY = "capture_last_click"
BIG_BUTTONS = """<style>
div[data-testid="stButton"] button { min-height: 3.4rem; font-size: 1.15rem; }
</style>"""
#: The answer's steps in order: step → (answer field, pictograms, label group, columns).
STEPS: dict[str, tuple[str, Mapping[Any, str], str, int]] = {
    "what": ("category", CATEGORY_ICONS, "pin.category", 2),
    "feeling": ("feeling", FEELING_ICONS, "pin.feeling", 3),
    "seen": ("seen", SEEN_ICONS, "pin.seen", 2),
    "when": ("time_of_day", TIME_ICONS, "pin.time", 2),
    "action": ("safety_action", ACTION_ICONS, "pin.action", 2),
}
KIOSK = """<style>
section[data-testid="stSidebar"], header[data-testid="stHeader"] { display: none; }
</style>"""


def render() -> None:
    """The page: the session, the map to tap a place on and the answer buttons; save
    and undo act on this device's pins."""
    principal = page_principal(RUN_SESSIONS)
    lang = current_language()
    town_id = page_town()
    store = cache.store()
    town = cache.town_data(town_id)
    st.markdown(BIG_BUTTONS, unsafe_allow_html=True)

    sessions = cache.sessions(principal, town_id)
    sessions = sessions[sessions["method"] != "imported"]
    if sessions.empty:
        st.info(t("capture.no_session"))
        st.stop()
    ids = list(sessions["session_id"])
    methods = dict(zip(sessions["session_id"], sessions["method"], strict=True))
    top = st.columns([3, 2])
    session_id = choose_session(top[0], ids, "capture_session")
    if top[1].toggle(t("capture.kiosk"), key="kiosk_mode"):
        st.markdown(KIOSK, unsafe_allow_html=True)
    st.title(t("capture.title"))

    answer: dict[str, Any] = st.session_state.setdefault(ANSWER_KEY, {})
    device_pins: list[str] = st.session_state.setdefault(DEVICE_PINS_KEY, [])
    session_pins = guarded.pins_for(principal, store, town_id, session_id).pins
    placed = gpd.GeoDataFrame(session_pins[session_pins["pin_id"].isin(device_pins)])
    map_column, form_column = st.columns([3, 2])
    with map_column:
        st.markdown(f"**{t('capture.step.place')}**")
        chosen = answer.get("place")
        result = st_folium(build_capture_map(town, placed, chosen), height=MAP_HEIGHT,
                           use_container_width=True, returned_objects=["last_clicked"],
                           key=f"capture-{session_id}")
        # the component keeps reporting its last click; only a different one is a new tap
        click = (result or {}).get("last_clicked")
        if click and click != st.session_state.get(LAST_CLICK_KEY):
            st.session_state[LAST_CLICK_KEY] = click
            answer.update(place=(click["lat"], click["lng"]), pin_id=new_pin_id(session_id))
            st.rerun()
        st.caption(t("capture.count", mine=count("count.pins", len(device_pins)),
                     all=count("count.pins", len(session_pins))))

    with form_column:
        _answer_form(principal, store, session_id, methods[session_id] == "paper", lang)


def _choose(answer: dict[str, Any], field: str, value: object) -> None:
    """A pictogram button's callback: ``value`` becomes the answer's ``field``."""
    answer[field] = value


def _button_row(answer: dict[str, Any], field: str, icons: Mapping[Any, str], group: str,
                columns: int, lang: str) -> None:
    """Big toggle-like buttons; the chosen one is shown as primary."""
    cells = st.columns(columns)
    for index, (code, icon) in enumerate(icons.items()):
        cells[index % columns].button(
            f"{icon} {label(group, code, lang)}", key=f"{field}-{code}",
            type="primary" if answer.get(field) == code else "secondary",
            on_click=_choose, args=(answer, field, code), width="stretch")


def _answer_form(principal: Principal, store: Store, session_id: str, transcribed: bool,
                 lang: str) -> None:
    """The answer's pictogram rows and comment, save (a ``transcribed`` pin in a paper
    session) and undo of this device's last pin."""
    answer: dict[str, Any] = st.session_state[ANSWER_KEY]
    device_pins: list[str] = st.session_state[DEVICE_PINS_KEY]
    if answer.get("place"):
        st.success(t("capture.placed"))
    for step, (field, icons, group, columns) in STEPS.items():
        st.markdown(f"**{t(f'capture.step.{step}')}**")
        _button_row(answer, field, icons, group, columns, lang)
    comment = st.text_input(t("capture.comment"), max_chars=LIMITS.comment_chars,
                            key=f"comment-{answer.get('pin_id', '')}")
    save, undo = st.columns(2)
    if save.button(t("capture.save"), type="primary", width="stretch"):
        if not (answer.get("place") and answer.get("category") and answer.get("feeling")):
            st.warning(t("capture.missing"))
        else:
            lat, lon = answer["place"]
            pin = PinAnswer(lon=lon, lat=lat, category=answer["category"],
                            feeling=int(answer["feeling"]), seen=answer.get("seen", ""),
                            time_of_day=answer.get("time_of_day", ""),
                            safety_action=answer.get("safety_action", ""), comment=comment)
            try:
                # in a paper session the kiosk places transcribed notes precisely
                guarded.add_pins(principal, store, session_id, [(answer["pin_id"], pin)],
                                 transcribed=transcribed)
            except (ValueError, AccessDenied) as exc:
                st.error(t("capture.error", problem=error_text(exc)))
            else:
                device_pins.append(answer["pin_id"])
                answer.clear()
                st.toast(t("capture.saved"))
                st.rerun()
    if undo.button(t("capture.undo"), width="stretch", disabled=not device_pins):
        removed = guarded.undo_pin(principal, store, session_id, device_pins.pop())
        st.toast(t("capture.undone") if removed else t("capture.undo_too_late"))
        st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
