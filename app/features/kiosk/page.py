"""Kiosk capture for a running session: a child taps the map and answers with big pictogram
buttons, one screen at a time (``app.ui.answer_form``).

The facilitator chooses the session and locks the kiosk with a PIN: a locked kiosk has no
sidebar, no session picker and no navigation (``app/main.py`` offers this page alone), and
only the PIN unlocks it. Unlocked, the same page serves the facilitator, e.g. transcribing
paper notes to the exact place in a paper session (pins are then tagged as transcribed), and
undoes this device's last pin.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from app.ui import cache
from app.ui.access import page_principal
from app.ui.answer_form import NO_CHROME, answer_flow, restart
from app.ui.answer_model import lock_token, pictogram, unlock_wait, unlocks
from app.ui.focus import KIOSK_LOCK_KEY
from app.ui.state import choose_session, count, page_town, t
from layers.access import guarded
from layers.access.principal import Principal
from layers.access.roles import RUN_SESSIONS
from layers.mapping.capture import PinAnswer, load_session
from layers.mapping.questions import session_questions
from layers.store import Store

DEVICE_PINS_KEY = "capture_device_pins"
LEAVING_KEY = "kiosk_leaving"
FAILURES_KEY = "kiosk_pin_failures"


def render() -> None:
    """The page: unlocked, the session, the lock form and the answer flow; locked, the answer
    flow alone with a way out through the PIN."""
    principal = page_principal(RUN_SESSIONS)
    store = cache.store()
    lock: dict[str, str] | None = st.session_state.get(KIOSK_LOCK_KEY)
    if lock is not None:
        st.markdown(NO_CHROME, unsafe_allow_html=True)
        if st.session_state.get(LEAVING_KEY):
            _leave_form(lock)
            st.stop()
        town_id, session_id = lock["town_id"], lock["session_id"]
    else:
        town_id = page_town()
        st.title(t("capture.title"))
        sessions = cache.sessions(principal, town_id)
        sessions = sessions[sessions["method"] != "imported"]
        if sessions.empty:
            st.info(t("capture.no_session"))
            st.stop()
        session_id = choose_session(st, list(sessions["session_id"]), "capture_session")
        _lock_form(town_id, session_id)
    method = str(load_session(store, session_id)["method"])
    device_pins: list[str] = st.session_state.setdefault(DEVICE_PINS_KEY, [])
    session_pins = guarded.pins_for(principal, store, town_id, session_id).pins
    placed = gpd.GeoDataFrame(session_pins[session_pins["pin_id"].isin(device_pins)])

    def save(pin_id: str, pin: PinAnswer, answers: Mapping[str, object]) -> None:
        # in a paper session the kiosk places transcribed notes precisely
        guarded.add_pins(principal, store, session_id, [(pin_id, pin)],
                         transcribed=method == "paper", questions={pin_id: answers})
        if pin_id not in device_pins:  # a resent answer is one pin
            device_pins.append(pin_id)

    def below_map() -> None:
        st.caption(t("capture.count", mine=count("count.pins", len(device_pins)),
                     all=count("count.pins", len(session_pins))))
        if lock is None:
            _undo(principal, store, session_id, device_pins)
        else:
            st.button(f"![{t('kiosk.leave')}]({pictogram('ui', 'lock')}) {t('kiosk.leave')}",
                      key="kiosk-leave", on_click=st.session_state.__setitem__,
                      args=(LEAVING_KEY, True))

    answer_flow(cache.town_data(town_id), session_id, session_questions(store, session_id),
                placed, save, t("capture.saved"), extra=below_map)


def _lock_form(town_id: str, session_id: str) -> None:
    """The facilitator's form locking the kiosk on ``session_id`` with a PIN."""
    with st.expander(t("kiosk.lock.title")), st.form("kiosk-lock"):
        st.caption(t("kiosk.lock.help"))
        pin = st.text_input(t("kiosk.lock.pin"), type="password", max_chars=8)
        if st.form_submit_button(t("kiosk.lock.start"), type="primary"):
            try:
                token = lock_token(pin)
            except ValueError:
                st.error(t("kiosk.lock.bad_pin"))
            else:
                st.session_state[KIOSK_LOCK_KEY] = {"town_id": town_id,
                                                    "session_id": session_id, "pin": token}
                restart()
                st.rerun()


def _leave_form(lock: Mapping[str, str]) -> None:
    """Leaving a locked kiosk: only the PIN unlocks it; after five wrong PINs the form waits."""
    failures: list[float] = st.session_state.setdefault(FAILURES_KEY, [])
    wait = unlock_wait(failures, time.time())
    with st.form("kiosk-unlock"):
        pin = st.text_input(t("kiosk.leave.pin"), type="password", max_chars=8)
        unlock = st.form_submit_button(t("kiosk.leave.submit"), type="primary")
        stay = st.form_submit_button(t("kiosk.leave.cancel"))
    if stay:
        st.session_state[LEAVING_KEY] = False
        st.rerun()
    if not unlock:
        return
    if wait > 0:
        st.error(t("kiosk.leave.wait", seconds=int(wait) + 1))
    elif unlocks(lock["pin"], pin):
        for key in (KIOSK_LOCK_KEY, LEAVING_KEY, FAILURES_KEY):
            st.session_state.pop(key, None)
        st.rerun()
    else:
        failures.append(time.time())
        st.error(t("kiosk.leave.wrong"))


def _undo(principal: Principal, store: Store, session_id: str, device_pins: list[str]) -> None:
    """Undo this device's last pin (while it is pending)."""
    if st.button(t("capture.undo"), disabled=not device_pins):
        removed = guarded.undo_pin(principal, store, session_id, device_pins.pop())
        st.toast(t("capture.undone") if removed else t("capture.undo_too_late"))
        st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
