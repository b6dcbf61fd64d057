"""Moderation: pending pins are approved, re-categorised or rejected (with a kept reason).

Only approved pins appear in analyses and public views. All calls take many pin ids at once,
so a moderator can filter by session and approve a whole batch.
"""

from __future__ import annotations

import pandas as pd

from layers.schema import PIN_CATEGORIES, PINS
from layers.store import Store


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
    """Reject pins, keeping ``reason`` (required). Raises ``ValueError`` without a reason."""
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    return _set(store, pin_ids, status="rejected", moderation_note=reason.strip())


def recategorise(store: Store, pin_ids: list[str], category: str) -> int:
    """Change the category of pins. Raises ``ValueError`` for an unknown category."""
    if category not in PIN_CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    return _set(store, pin_ids, category=category)


def _set(store: Store, pin_ids: list[str], **values: str) -> int:
    if not pin_ids:
        return 0
    changes = pd.DataFrame({"pin_id": pin_ids, **{k: [v] * len(pin_ids)
                                                   for k, v in values.items()}})
    return store.update_rows(PINS, "pin_id", changes)
