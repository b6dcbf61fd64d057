"""The answer's screens and the kiosk's PIN lock (pure functions of ``app.ui.answer_model``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ui.answer_model import (
    PICTOGRAM_STEPS,
    PIN_TRIES,
    PIN_WAIT_S,
    idle_expired,
    lock_token,
    missing,
    next_step,
    pictogram,
    previous_step,
    steps,
    unlock_wait,
    unlocks,
)
from layers.mapping.questions import Question

STATIC = Path(__file__).resolve().parents[2]


def test_screens_in_order_with_the_sessions_questions() -> None:
    question = Question("s-q1", "s", 1, "scale", "Jak moc?")
    order = steps([question])
    assert order == ["place", "what", "feeling", "seen", "when", "action", "q:s-q1", "note"]
    assert next_step(order, "action") == "q:s-q1" and next_step(order, "note") == "note"
    assert previous_step(order, "place") == "place" and previous_step(order, "what") == "place"
    assert missing({}) == ["place", "what", "feeling"]
    assert missing({"place": (50.6, 13.6), "category": "dogs", "feeling": 3}) == []


def test_every_pictogram_is_a_shipped_svg() -> None:
    for step in PICTOGRAM_STEPS:
        for code in step.codes:
            path = STATIC / pictogram(step.field, code)
            assert path.is_file() and path.read_text().lstrip().startswith("<svg"), path


def test_the_pin_lock() -> None:
    token = lock_token("2468")
    assert "2468" not in token and token != lock_token("2468")  # salted
    assert unlocks(token, "2468") and not unlocks(token, "2469")
    for bad in ("123", "123456789", "12a4"):
        with pytest.raises(ValueError):
            lock_token(bad)
    tries = [100.0 + i for i in range(PIN_TRIES)]
    assert unlock_wait(tries[:-1], 110.0) == 0.0
    assert unlock_wait(tries, 110.0) == pytest.approx(PIN_WAIT_S - 10.0)
    assert unlock_wait(tries, 100.0 + PIN_WAIT_S) == 0.0
    assert idle_expired(0.0, 60.0) and not idle_expired(0.0, 59.0)
