"""Held notes are deleted after the retention period, and the deletion is audited."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from layers.access.audit import read_log
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import FACILITATOR, MODERATOR
from layers.mapping.retention import apply_retention, expired_held_notes
from layers.schema import PINS
from layers.store import Store

NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)


def _pins() -> pd.DataFrame:
    return pd.DataFrame({
        "pin_id": ["old-held", "new-held", "old-clear", "old-empty"],
        "created_at": ["2026-08-01T10:00:00+00:00", "2026-11-30T10:00:00+00:00",
                       "2026-08-01T10:00:00+00:00", "2026-08-01T10:00:00+00:00"],
        "comment_held": [True, True, False, True],
        "comment": ["volej 604 123 456", "volej 777 111 222", "tma", ""],
    })


def test_only_old_non_empty_held_notes_expire() -> None:
    assert list(expired_held_notes(_pins(), 90, NOW)) == ["old-held"]
    assert list(expired_held_notes(_pins(), 0, NOW)) == ["old-held", "new-held"]
    with pytest.raises(ValueError, match="negative"):
        expired_held_notes(_pins(), -1, NOW)


def test_retention_deletes_held_text_keeps_the_pin_and_is_audited(demo_store_copy: Store
                                                                  ) -> None:
    pins = demo_store_copy.read(PINS, "litvinov")
    target = pins["pin_id"].iloc[0]
    demo_store_copy.update_rows(PINS, "pin_id", pd.DataFrame({
        "pin_id": [target], "comment": ["volej 604 123 456"], "comment_held": [True],
        "created_at": ["2020-01-01T00:00:00+00:00"]}))
    moderator = Principal("t-moderator", MODERATOR)
    with pytest.raises(AccessDenied):
        apply_retention(demo_store_copy, Principal("t-nzdm", FACILITATOR, "NZDM Rybáře"))
    assert apply_retention(demo_store_copy, moderator, now=NOW) >= 1
    after = demo_store_copy.read(PINS, "litvinov").set_index("pin_id")
    assert after.loc[target, "comment"] == "" and len(after) == len(pins)
    entry = read_log(demo_store_copy).iloc[-1]
    assert entry["action"] == "apply_retention" and target in entry["object_ids"]
    assert apply_retention(demo_store_copy, moderator, now=NOW) == 0
