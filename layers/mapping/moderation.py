"""Moderation: pending pins are approved, re-categorised or rejected (with a kept reason).

Only approved pins appear in analyses and public views. All calls take many pin ids at once,
so a moderator can filter by session and approve a whole batch.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from layers.errors import InvalidInput
from layers.schema import PIN_CATEGORIES, PINS
from layers.screening import redact
from layers.store import Store

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


def _set(store: Store, pin_ids: list[str], **values: str) -> int:
    if not pin_ids:
        return 0
    changes = pd.DataFrame({"pin_id": pin_ids, **{k: [v] * len(pin_ids)
                                                   for k, v in values.items()}})
    return store.update_rows(PINS, "pin_id", changes)
