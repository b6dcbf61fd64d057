"""How long a held note is kept: past the retention period its text is deleted.

A comment that screening held (it may hold a phone number, an e-mail address or a name) waits
for a moderator; it must not wait for ever. :func:`apply_retention` empties every held comment
older than the period, keeps the pin and its answers, and records what it did in the audit
log. Run it regularly (``mapa retention``).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pandas as pd

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import MODERATE
from layers.errors import InvalidInput
from layers.schema import PINS
from layers.store import Store

#: Days a held comment is kept for moderation before its text is deleted.
HELD_NOTE_DAYS: Final = 90


def expired_held_notes(pins: pd.DataFrame, days: int, now: dt.datetime) -> pd.Series:
    """Ids of pins whose held, non-empty comment was written more than ``days`` before ``now``
    (an aware UTC datetime). Raises ``ValueError`` for a negative ``days``."""
    if days < 0:
        raise InvalidInput("moderation.negative_retention", days=days)
    created = pd.to_datetime(pins["created_at"], utc=True, errors="coerce", format="ISO8601")
    held = pins["comment_held"].astype(bool) & pins["comment"].fillna("").astype(str).ne("")
    old = created < pd.Timestamp(now) - pd.Timedelta(days=days)
    return pins.loc[held & old, "pin_id"]


def apply_retention(store: Store, principal: Principal, days: int = HELD_NOTE_DAYS,
                    now: dt.datetime | None = None) -> int:
    """Delete the text of held comments older than ``days``; return how many were deleted.

    Needs the right ``moderate`` (raises ``AccessDenied`` before reading anything) and deletes
    in the principal's towns only; raises
    ``ValueError`` for a negative period. The deletion and its audit entry ("apply_retention",
    with the period and the count) are written only when something expired.
    """
    principal.require(MODERATE)
    pins = store.read(PINS)
    if principal.towns is not None:  # a moderator of some towns clears their notes only
        pins = pins[pins["town_id"].astype(str).isin(principal.towns)]
    expired = expired_held_notes(pins, days, now or dt.datetime.now(dt.UTC))
    if expired.empty:
        return 0
    with store.transaction():
        changed = store.update_rows(PINS, "pin_id",
                                    pd.DataFrame({"pin_id": expired, "comment": ""}))
        audit.record(store, principal, "apply_retention", PINS.name, expired,
                     {"days": days, "deleted": changed})
    return changed
