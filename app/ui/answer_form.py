"""One answer, one screen at a time, for a tablet or a phone: the kiosk's and the public
form's shared flow (``app.ui.answer_model`` holds its steps).

Every screen fits 768×1024, 1024×768 and 390×844: the page chrome is hidden, the pictogram
buttons keep their rows on a narrow screen (at least 48 px high, words of 18 px), and Back and
Save sit in a bar fixed to the bottom of the screen, so Save is always in view. A pictogram is
an SVG shipped in ``app/static/kiosk`` with its Czech (or English) word beneath, never an emoji.

The answer's pin id is made when its place is tapped and kept until it is saved: a double tap
or a Save sent again after a dropped connection reuses it, and the store keeps one pin per id.
An answer that could not be saved stays on screen with the reason. While the connection to
the app is down, Streamlit disables every button, Save too; the bar then says in words that the
answer is not saved yet and stays on screen, to be saved once the connection is back; then the
screen is drawn again from the session's state (``RECONNECT_SCRIPT``). After a save the flow
starts again from the map, which says the answer was saved until the next place is tapped; the
notice lives in the session's state, so it is still there when the save's reply was lost and
the browser reconnected to the same session. After ``IDLE_S`` seconds without a touch, the
flow starts again too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from html import escape
from typing import Any, Final

import geopandas as gpd
import streamlit as st

from app.ui import cache
from app.ui.answer_model import (
    IDLE_S,
    NOTE,
    PLACE,
    QUESTION_PREFIX,
    STEP_BY_NAME,
    idle_expired,
    missing,
    next_step,
    pictogram,
    previous_step,
    steps,
)
from app.ui.cache_keys import cache_key
from app.ui.map_component import show_map
from app.ui.maps.capture import build_capture_map
from app.ui.state import error_text, t
from app.ui.town import TownData
from layers.errors import MapaError
from layers.limits import LIMITS
from layers.mapping.capture import PinAnswer, new_pin_id
from layers.mapping.questions import SCALE, Question

ANSWER_KEY: Final = "answer_flow"
LAST_CLICK_KEY: Final = "answer_last_click"
TOUCH_KEY: Final = "answer_touched_at"
MAP_HEIGHT: Final = 400
#: A save: (pin id, the answer, its answers to the session's questions) → None; raises a
#: ``MapaError`` or ``ValueError`` saying why it was not stored.
Save = Callable[[str, PinAnswer, Mapping[str, object]], None]

#: A locked kiosk and the public form: no sidebar, no header, the whole screen for the answer.
NO_CHROME: Final = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem 7rem !important;
  max-width: 100% !important; }
</style>"""
CSS: Final = """<style>
[data-testid="stMainBlockContainer"] { padding-bottom: 7rem !important; }
[data-testid="stMain"] p, [data-testid="stMain"] label, [data-testid="stMain"] input,
[data-testid="stMain"] li { font-size: 18px !important; }
[data-testid="stMain"] h3 { font-size: 22px !important; padding: 0 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { color: #3a3a3a !important;
  opacity: 1 !important; }
[data-testid="stMain"] button { min-height: 48px; min-width: 48px; }
.st-key-kiosk-grid [data-testid="stHorizontalBlock"],
.st-key-kiosk-bar [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important;
  gap: 0.5rem !important; }
.st-key-kiosk-grid [data-testid="stColumn"], .st-key-kiosk-bar [data-testid="stColumn"] {
  min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
.st-key-kiosk-grid { gap: 0.5rem !important; }
.st-key-kiosk-grid button { min-height: 96px; width: 100%; padding: 4px 2px; }
.st-key-kiosk-grid button p { display: flex; flex-direction: column; align-items: center;
  gap: 4px; margin: 0; line-height: 1.15; white-space: normal; }
.st-key-kiosk-grid button img { height: 44px !important; width: 44px !important;
  max-height: none !important; }
.st-key-kiosk-bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: #fff; border-top: 2px solid #ccc; padding: 8px 12px; }
.st-key-kiosk-bar button { min-height: 56px; width: 100%; }
.st-key-kiosk-bar button p { font-size: 20px !important; }
.st-key-kiosk-idle { display: none !important; }
.kiosk-offline { margin: 0; color: #8b0000; font-weight: 700; }
.st-key-kiosk-bar [data-testid="stElementContainer"]:has(.kiosk-offline) { display: none; }
.st-key-kiosk-bar:has(.st-key-kiosk-save button:disabled)
  [data-testid="stElementContainer"]:has(.kiosk-offline) { display: block; }
</style>"""
#: Clicks the hidden idle button once after ``limit`` ms without a touch or a key in the app
#: (set up once per page, whatever the reruns).
IDLE_SCRIPT: Final = """<script>
(() => {
  if (window.__kioskIdle) return;
  const limit = %d, state = window.__kioskIdle = {last: Date.now(), fired: false};
  const touched = () => { state.last = Date.now(); state.fired = false; };
  ['pointerdown', 'keydown', 'touchstart'].forEach(
    kind => document.addEventListener(kind, touched, true));
  window.setInterval(() => {
    if (state.fired || Date.now() - state.last < limit) return;
    const button = document.querySelector('.st-key-kiosk-idle button');
    if (button) { state.fired = true; button.click(); }
  }, 1000);
})();
</script>"""


#: Once the connection is back after a drop (Save, disabled while it was down, is enabled
#: again), clicks the hidden refresh button: the screen is drawn again from the session's state,
#: which may have moved on (a save whose reply was lost).
RECONNECT_SCRIPT: Final = """<script>
(() => {
  if (window.__kioskReconnect) return;
  const state = window.__kioskReconnect = {down: false, redrawn: 0};
  window.setInterval(() => {
    const save = document.querySelector('.st-key-kiosk-save button');
    if (!save) return;
    if (save.disabled) { state.down = true; return; }
    const refresh = document.querySelector('.st-key-kiosk-refresh button');
    if (state.down && refresh) { state.down = false; state.redrawn += 1; refresh.click(); }
  }, 250);
})();
</script>"""


def _answer() -> dict[str, Any]:
    answer: dict[str, Any] = st.session_state.setdefault(ANSWER_KEY, {"step": PLACE})
    return answer


def restart(saved: str = "") -> None:
    """Forget the answer in progress: the flow starts again from the map, saying ``saved``
    (the previous answer was stored) until the next place is tapped."""
    st.session_state[ANSWER_KEY] = {"step": PLACE, "saved": saved}


def _idle() -> None:
    """The idle button's callback: back to the start when the answer has been left alone."""
    if idle_expired(float(st.session_state.get(TOUCH_KEY, 0.0)), time.time()):
        restart()


def _choose(field: str, value: object, order: list[str]) -> None:
    """A pictogram's callback: ``value`` answers ``field``; on to the next screen."""
    answer = _answer()
    answer[field] = value
    answer["step"] = next_step(order, answer["step"])


def _move(order: list[str], forward: bool) -> None:
    answer = _answer()
    answer["step"] = (next_step if forward else previous_step)(order, answer["step"])


def answer_flow(town: TownData, session_id: str, questions: list[Question],
                placed: gpd.GeoDataFrame, save: Save, saved_text: str,
                extra: Callable[[], None] | None = None) -> None:
    """Draw the current screen of the answer for ``session_id`` and the bar with Back and
    Save; ``save`` stores a complete answer (then ``saved_text`` is shown and the flow starts
    again). ``placed`` (EPSG:4326) are the pins to show on the map; ``extra`` draws more
    below the map of the first screen (a count, an undo)."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.session_state[TOUCH_KEY] = time.time()
    with st.container(key="kiosk-idle"):
        st.button(t("kiosk.idle_reset"), key="kiosk-idle-reset", on_click=_idle)
        st.html(IDLE_SCRIPT % (IDLE_S * 1000), unsafe_allow_javascript=True)
        st.button(t("kiosk.refresh"), key="kiosk-refresh")  # a rerun: the screen redrawn
        st.html(RECONNECT_SCRIPT, unsafe_allow_javascript=True)
    answer = _answer()
    order = steps(questions)
    step = answer["step"] if answer["step"] in order else PLACE
    status = t("kiosk.step", n=order.index(step) + 1, of=len(order))
    if answer.get("place"):
        status += f" · {t('capture.placed')}"
    st.caption(status)
    if step == PLACE:
        _place(town, session_id, placed, order)
        if extra is not None:
            extra()
    elif step in STEP_BY_NAME:
        _pictograms(step, order)
    elif step.startswith(QUESTION_PREFIX):
        by_id = {q.question_id: q for q in questions}
        _question(by_id[step.removeprefix(QUESTION_PREFIX)], order)
    else:
        st.subheader(t("kiosk.step.note"))
        answer["comment"] = st.text_input(t("capture.comment"), value=answer.get("comment", ""),
                                          max_chars=LIMITS.comment_chars,
                                          label_visibility="collapsed",
                                          key=f"note-{answer.get('pin_id', '')}")
    _bar(order, step, save, saved_text)


def _place(town: TownData, session_id: str, placed: gpd.GeoDataFrame,
           order: list[str]) -> None:
    answer = _answer()
    st.subheader(t("capture.step.place"))
    if answer.get("saved"):
        st.success(answer["saved"])
    chosen = answer.get("place")
    # the map shows the town's layers, the pins placed (category and place) and the tap
    pins = () if placed.empty else tuple(zip(
        placed["category"].astype(str), placed.geometry.x.round(7), placed.geometry.y.round(7),
        strict=True))
    view = ("capture", *cache_key(cache.store(), "town", town.town_id), town.town_id, pins,
            tuple(chosen) if chosen else None)
    result = show_map(view, lambda: build_capture_map(town, placed, chosen), height=MAP_HEIGHT,
                      returned_objects=["last_clicked"], key=f"capture-{session_id}")
    # the component keeps reporting its last click; only a different one is a new tap
    click = (result or {}).get("last_clicked")
    if click and click != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = click
        answer["place"] = (click["lat"], click["lng"])
        answer["saved"] = ""
        answer.setdefault("pin_id", new_pin_id(session_id))
        answer["step"] = next_step(order, PLACE)
        st.rerun()


def _pictograms(name: str, order: list[str]) -> None:
    """The buttons of a pictogram step, ``columns`` a row, the chosen one primary."""
    step = STEP_BY_NAME[name]
    answer = _answer()
    st.subheader(t(f"capture.step.{name}"))
    with st.container(key="kiosk-grid"):
        for start in range(0, len(step.codes), step.columns):
            cells = st.columns(step.columns)
            for cell, code in zip(cells, step.codes[start:start + step.columns], strict=False):
                word = t(f"kiosk.word.{step.field}.{code}")
                cell.button(f"![]({pictogram(step.field, code)}) {word}",
                            key=f"{step.field}-{code}",
                            type="primary" if answer.get(step.field) == code else "secondary",
                            on_click=_choose, args=(step.field, code, order), width="stretch")


def _choose_question(question_id: str, value: object, order: list[str]) -> None:
    answer = _answer()
    answer.setdefault("questions", {})[question_id] = value
    answer["step"] = next_step(order, answer["step"])


def _question(question: Question, order: list[str]) -> None:
    """A session question: buttons for a single choice or the scale (a tap moves on),
    checkboxes or a short text otherwise (Next moves on)."""
    given: dict[str, object] = _answer().setdefault("questions", {})
    st.subheader(question.text)
    if question.kind in ("single", "scale"):
        options: tuple[object, ...] = question.options if question.kind == "single" else SCALE
        if question.kind == "scale":
            st.caption(f"{t('kiosk.scale.low')} · {t('kiosk.scale.high')}")
        columns = 5 if question.kind == "scale" else 2
        with st.container(key="kiosk-grid"):
            for start in range(0, len(options), columns):
                cells = st.columns(columns)
                for index, (cell, option) in enumerate(
                        zip(cells, options[start:start + columns], strict=False), start=start):
                    cell.button(str(option), key=f"{question.question_id}-{index}",
                                type="primary" if given.get(question.question_id) == option
                                else "secondary", width="stretch",
                                on_click=_choose_question,
                                args=(question.question_id, option, order))
    elif question.kind == "multiple":
        before = given.get(question.question_id)
        chosen = set(before) if isinstance(before, list) else set()
        picked = [option for index, option in enumerate(question.options)
                  if st.checkbox(option, value=option in chosen,
                                 key=f"{question.question_id}-{index}")]
        given[question.question_id] = picked
    else:
        given[question.question_id] = st.text_input(
            question.text, value=str(given.get(question.question_id, "")),
            max_chars=LIMITS.comment_chars, label_visibility="collapsed",
            key=f"{question.question_id}-text")


def _bar(order: list[str], step: str, save: Save, saved_text: str) -> None:
    """The bottom bar: Back, Next (the place must be tapped first) and Save."""
    with st.container(key="kiosk-bar"):
        # shown by CSS only while Save is disabled: the connection to the app is down
        st.markdown(f'<p class="kiosk-offline" role="status">{escape(t("kiosk.offline"))}</p>',
                    unsafe_allow_html=True)
        back, forward, store = st.columns(3)
        back.button(f"![]({pictogram('ui', 'back')}) {t('kiosk.back')}", key="kiosk-back",
                    disabled=step == PLACE, on_click=_move, args=(order, False),
                    width="stretch")
        # every question but the place may be skipped
        forward.button(t("kiosk.next"), key="kiosk-next", on_click=_move, args=(order, True),
                       disabled=step == NOTE or (step == PLACE and not _answer().get("place")),
                       width="stretch")
        pressed = store.button(t("capture.save"), key="kiosk-save", type="primary",
                               width="stretch")
    if pressed:
        _save(save, saved_text)


def _save(save: Save, saved_text: str) -> None:
    """Save the answer once complete; a refused or failed save keeps it, with the reason."""
    answer = _answer()
    lacking = missing(answer)
    if lacking:
        st.warning(t("kiosk.missing", steps=", ".join(t(f"kiosk.missing.{s}")
                                                     for s in lacking)))
        return
    lat, lon = answer["place"]
    pin = PinAnswer(lon=lon, lat=lat, category=answer["category"],
                    feeling=int(answer["feeling"]), seen=answer.get("seen", ""),
                    time_of_day=answer.get("time_of_day", ""),
                    safety_action=answer.get("safety_action", ""),
                    comment=answer.get("comment", ""))
    try:
        save(answer["pin_id"], pin, answer.get("questions", {}))
    except (MapaError, ValueError) as exc:
        st.error(t("kiosk.not_saved", problem=error_text(exc)))
        return
    restart(saved_text)
    st.rerun()
