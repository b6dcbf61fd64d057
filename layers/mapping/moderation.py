"""Moderation: pending pins are approved, re-categorised or rejected (with a kept reason).

Only approved pins appear in analyses and public views. All calls take many pin ids at once,
so a moderator can filter by session and approve a whole batch; a whole session or import
batch is decided with one set-based update (:func:`approve_selection`,
:func:`reject_selection`): an open-data export its publisher already moderated needs one
decision, not 24,000.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

import pandas as pd

from layers.errors import InvalidInput, NotFound
from layers.ingest.batches import list_batches
from layers.schema import PIN_CATEGORIES, PINS, SESSIONS
from layers.screening import redact
from layers.store import Store
from layers.store.base import RowMatch

#: Free-text columns of a pin that may hold personal data.
REDACTED_COLUMNS: Final = ("comment", "place_note")


def pending_pins(store: Store, town_id: str, session_id: str | None = None) -> pd.DataFrame:
    """Pending pins of a town (optionally one session), oldest first."""
    pins = store.read(PINS, town_id)
    chosen = pins[pins["status"] == "pending"]
    if session_id is not None:
        chosen = chosen[chosen["session_id"] == session_id]
    return chosen.sort_values("created_at")


def approve(store: Store, pin_ids: list[str]) -> int:
    """Approve pins; return how many changed."""
    return _set(store, pin_ids, status="approved", moderation_note="")


def approve_without_note(store: Store, pin_ids: list[str]) -> int:
    """Approve pins and, in the same write, remove their free-text notes (comment and place
    note): one step for an answer whose place and category are sound but whose note is not
    fit to publish (a name, a phone number, an insult). Returns how many changed."""
    return _set(store, pin_ids, status="approved", moderation_note="",
                **{column: "" for column in REDACTED_COLUMNS}, comment_held=False)


def reject(store: Store, pin_ids: list[str], reason: str) -> int:
    """Reject pins, keeping ``reason`` (required); return how many changed.

    A rejected pin keeps no personal data: phone numbers, e-mail addresses and names in its
    comment and place note are redacted (``layers.screening.redact``) in the same write.
    Raises ``ValueError`` without a reason.
    """
    if not reason.strip():
        raise InvalidInput("moderation.no_reason")
    if not pin_ids:
        return 0
    pins = store.read(PINS)
    chosen = pins[pins["pin_id"].isin(pin_ids)]
    changes = pd.DataFrame({
        "pin_id": chosen["pin_id"], "status": "rejected", "moderation_note": reason.strip(),
        **{column: [redact(text) if isinstance(text, str) else text
                    for text in chosen[column]] for column in REDACTED_COLUMNS},
    })
    return store.update_rows(PINS, "pin_id", changes)


def recategorise(store: Store, pin_ids: list[str], category: str) -> int:
    """Change the category of pins. Raises ``ValueError`` for an unknown category."""
    if category not in PIN_CATEGORIES:
        raise InvalidInput("moderation.unknown_category", category=category)
    return _set(store, pin_ids, category=category)


def _set(store: Store, pin_ids: list[str], **values: str | bool) -> int:
    if not pin_ids:
        return 0
    changes = pd.DataFrame({"pin_id": pin_ids, **{k: [v] * len(pin_ids)
                                                   for k, v in values.items()}})
    return store.update_rows(PINS, "pin_id", changes)


@dataclass(frozen=True)
class Selection:
    """The pending pins of one mapping session or of one import batch (as ``mapa batches``
    lists it), with what the moderator sees of it: the session's or batch's ``label``, and
    the town they are of (``town_id``; the rights check takes it)."""

    match: RowMatch
    label: str
    detail: dict[str, str]
    town_id: str


def select_session(store: Store, session_id: str) -> Selection:
    """The pending pins of session ``session_id``; ``NotFound`` for an unknown session."""
    sessions = store.read(SESSIONS)
    row = sessions[sessions["session_id"] == session_id]
    if row.empty:
        raise NotFound("moderation.no_session", session=session_id)
    label = f"{row['place'].iloc[0]} ({row['date'].iloc[0]})"
    return Selection(RowMatch(PINS.name, equals={"session_id": session_id, "status": "pending"}),
                     label, {"session_id": session_id}, str(row["town_id"].iloc[0]))


def select_batch(store: Store, batch_id: str) -> Selection:
    """The pending pins an import batch added; ``NotFound`` for an unknown batch or one that
    added no pins."""
    batches = list_batches(store)
    row = batches[batches["batch_id"] == batch_id]
    matches = [m for m in json.loads(str(row["undo"].iloc[0]))
               if m["layer"] == PINS.name] if len(row) else []
    if not matches:
        raise NotFound("moderation.no_batch", batch=batch_id)
    match = matches[0]
    prefix = tuple(match["prefix"]) if match.get("prefix") else None
    return Selection(
        RowMatch(PINS.name, equals={**(match.get("equals") or {}), "status": "pending"},
                 prefix=prefix),
        str(row["source_name"].iloc[0]), {"batch_id": batch_id}, str(row["town_id"].iloc[0]))


def selected_pins(store: Store, selection: Selection) -> pd.DataFrame:
    """The pins ``selection`` describes (pending ones), without geometry, oldest first."""
    session = selection.match.equals.get("session_id")
    # a session's pins through the index, not the whole layer
    pins = pd.DataFrame(store.read(PINS) if session is None
                        else store.read_where(PINS, "session_id", [str(session)]))
    chosen = pins
    for column, value in selection.match.equals.items():
        chosen = chosen[chosen[column] == value]
    if selection.match.prefix:
        column, text = selection.match.prefix
        chosen = chosen[chosen[column].astype(str).str.startswith(text)]
    return chosen.drop(columns="geometry", errors="ignore").sort_values("created_at")


def approve_selection(store: Store, selection: Selection) -> int:
    """Approve every pending pin of ``selection`` in one update; return how many changed."""
    return store.update_matching(selection.match,
                                 {"status": "approved", "moderation_note": ""})


def reject_selection(store: Store, selection: Selection, reason: str) -> int:
    """Reject every pending pin of ``selection``, keeping ``reason`` (required), in one
    transaction: the few pins with a note lose its personal data (as :func:`reject`), then
    one update decides them all. Returns how many changed."""
    if not reason.strip():
        raise InvalidInput("moderation.no_reason")
    with store.transaction():
        pins = selected_pins(store, selection)
        notes = pins[list(REDACTED_COLUMNS)].fillna("").astype(str)
        redacted = notes.map(redact)
        changed = (redacted != notes).any(axis=1)  # only notes that held personal data
        if changed.any():
            store.update_rows(PINS, "pin_id", pd.DataFrame(
                {"pin_id": pins.loc[changed, "pin_id"], **redacted[changed]}))
        return store.update_matching(selection.match, {"status": "rejected",
                                                       "moderation_note": reason.strip()})
