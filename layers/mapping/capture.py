"""Placing pins during a session (tablet kiosk, transcription) and undoing them.

A pin is written with an id made when the answer was started on the device, and the store
skips ids it already has: a double tap or a retried submission never duplicates a pin, and
several devices writing at once are serialised by the store, so none is lost.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from layers.crs import STORAGE_CRS
from layers.errors import InvalidInput, NotFound
from layers.limits import LIMITS, check
from layers.mapping.questions import answers_frame, session_questions
from layers.schema import (
    FEELINGS,
    PIN_ANSWERS,
    PIN_CATEGORIES,
    PINS,
    SAFETY_ACTIONS,
    SEEN,
    SESSIONS,
    TIMES_OF_DAY,
    TOWNS,
    LayerSpec,
)
from layers.screening import screen_comment
from layers.store import Store


@dataclass(frozen=True)
class PinAnswer:
    """One answer: where (WGS 84 lon/lat) and the pictogram choices; comment optional."""

    lon: float
    lat: float
    category: str
    feeling: int
    seen: str = ""
    time_of_day: str = ""
    safety_action: str = ""
    comment: str = ""
    place_note: str = ""


def new_pin_id(session_id: str) -> str:
    """A fresh pin id for ``session_id``; make it when the answer starts, reuse it on retry."""
    return f"{session_id}-{uuid.uuid4().hex[:12]}"


def validate_answer(answer: PinAnswer) -> list[str]:
    """Problems with ``answer`` as messages (empty when valid). A comment over the limit
    (``layers.limits``: a short note, not a story that could identify someone) raises
    ``LimitExceeded`` first: it is not even screened."""
    check("comment_chars", len(answer.comment), LIMITS.comment_chars, "comment")
    problems = []
    if answer.category not in PIN_CATEGORIES:
        problems.append(f"unknown category {answer.category!r}")
    if answer.feeling not in FEELINGS:
        problems.append(f"feeling must be one of {list(FEELINGS)}")
    for value, allowed, name in ((answer.seen, SEEN, "seen"),
                                 (answer.time_of_day, TIMES_OF_DAY, "time of day"),
                                 (answer.safety_action, SAFETY_ACTIONS, "safety action")):
        if value and value not in allowed:
            problems.append(f"{name} {value!r} is not one of {list(allowed)}")
    return problems


def pins_frame(session: dict[str, object], answers: list[tuple[str, PinAnswer]],
               transcribed: bool = False) -> gpd.GeoDataFrame:
    """Pins (PINS schema, EPSG:4326, pending) for ``(pin_id, answer)`` pairs of a session.

    ``session`` is a row of the sessions layer. Comments are screened; a held comment stays
    for moderators only. Raises ``ValueError`` for an invalid answer (``LimitExceeded``, also
    a ``ValueError``, for a comment over the limit).
    """
    rows = []
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for pin_id, answer in answers:
        problems = validate_answer(answer)
        if problems:
            raise ValueError("; ".join(problems))
        comment = answer.comment.strip()
        rows.append({
            "pin_id": pin_id, "town_id": session["town_id"],
            "session_id": session["session_id"], "category": answer.category,
            "feeling": int(answer.feeling), "seen": answer.seen,
            "time_of_day": answer.time_of_day, "safety_action": answer.safety_action,
            "age_group": session["age_group"], "place_note": answer.place_note,
            "status": "pending", "transcribed": transcribed, "created_at": now,
            "synthetic": False, "comment": comment,
            "comment_held": screen_comment(comment).held, "source_value": "",
            "moderation_note": "", "geometry": shapely.Point(answer.lon, answer.lat),
        })
    return gpd.GeoDataFrame(rows, columns=[*PINS.columns, "geometry"], geometry="geometry",
                            crs=STORAGE_CRS)


def add_pins(store: Store, session_id: str, answers: list[tuple[str, PinAnswer]],
             transcribed: bool = False,
             questions: Mapping[str, Mapping[str, object]] | None = None) -> int:
    """Store answers of session ``session_id``; return how many pins were new.

    ``questions`` holds the answers to the session's own questions (pin id → question id →
    value, ``layers.mapping.questions``), written with their pins in the same batch; a pin
    id or answer already stored is skipped, so a retried submission adds nothing.
    Every point must lie inside the session's town. Raises ``ValueError`` for an unknown
    session, an invalid answer or a point outside the town (nothing is written then).
    """
    session = load_session(store, session_id)
    town = store.read(TOWNS, str(session["town_id"]))
    boundary = shapely.union_all(town.geometry.to_numpy())
    outside = [pid for pid, a in answers if not shapely.contains_xy(boundary, a.lon, a.lat)]
    if outside:
        raise InvalidInput("mapping.pins_outside", n=len(outside), town=town["name"].iloc[0])
    frame = pins_frame(session, answers, transcribed)
    batch: list[tuple[LayerSpec, pd.DataFrame]] = [(PINS, frame)]
    if questions:
        batch.append((PIN_ANSWERS, answers_frame(session_questions(store, session_id),
                                                 session, questions)))
    added = store.append_batch(batch, unique_keys={PINS.name: "pin_id",
                                                   PIN_ANSWERS.name: "answer_id"})
    return added.get(PINS.name, 0)


def undo_pin(store: Store, pin_id: str) -> bool:
    """Remove a pin placed by mistake; only a pending pin can be undone. True if removed."""
    pins = store.read(PINS)
    match = pins[(pins["pin_id"] == pin_id) & (pins["status"] == "pending")]
    if match.empty:
        return False
    with store.transaction():
        if PIN_ANSWERS.name in store.layer_names():
            store.delete_rows(PIN_ANSWERS, "pin_id", [pin_id])
        return store.delete_rows(PINS, "pin_id", [pin_id]) == 1


def load_session(store: Store, session_id: str) -> dict[str, object]:
    """The sessions row of ``session_id`` as a dict. Raises ``ValueError`` when unknown."""
    sessions = store.read(SESSIONS)
    row = sessions[sessions["session_id"] == session_id]
    if row.empty:
        raise NotFound("mapping.unknown_session", session=session_id)
    return {str(k): v for k, v in row.iloc[0].to_dict().items()}
