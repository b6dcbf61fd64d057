"""The steps of one answer on the kiosk and the public form, and the kiosk's PIN lock
(pure: no Streamlit).

An answer is built one screen at a time, so that every screen fits a tablet or a phone with
Save in view: the place on the map, then one pictogram row per built-in question, then the
session's own questions, then an optional note. Choosing a pictogram moves on to the next
screen.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from layers.mapping.questions import Question
from layers.schema import FEELINGS, PIN_CATEGORIES, SAFETY_ACTIONS, SEEN, TIMES_OF_DAY

#: Where the pictograms are served (``app/static/kiosk``, Tabler Icons, MIT licence).
PICTOGRAM_URL: Final = "app/static/kiosk"
#: Seconds without a touch after which the kiosk returns to its start.
IDLE_S: Final = 60
#: Wrong PINs before the unlock form waits, and how long it waits (seconds).
PIN_TRIES: Final = 5
PIN_WAIT_S: Final = 300.0
PIN_DIGITS: Final = (4, 8)


@dataclass(frozen=True)
class PictogramStep:
    """A screen of pictogram buttons: the answer's ``field``, its ``codes`` and how many
    buttons a row holds."""

    name: str
    field: str
    codes: tuple[Any, ...]
    columns: int


PICTOGRAM_STEPS: Final = (
    PictogramStep("what", "category", PIN_CATEGORIES, 3),
    PictogramStep("feeling", "feeling", FEELINGS, 3),
    PictogramStep("seen", "seen", SEEN, 2),
    PictogramStep("when", "time_of_day", TIMES_OF_DAY, 2),
    PictogramStep("action", "safety_action", SAFETY_ACTIONS, 3),
)
STEP_BY_NAME: Final = {step.name: step for step in PICTOGRAM_STEPS}
PLACE, NOTE, QUESTION_PREFIX = "place", "note", "q:"


def pictogram(field: str, code: object) -> str:
    """The served URL (relative to the app's root page) of the SVG of ``code`` of ``field``."""
    return f"{PICTOGRAM_URL}/{field}-{code}.svg"


def steps(questions: Sequence[Question]) -> list[str]:
    """The answer's screens in order: the place, the pictogram steps, one screen per session
    question (``q:<question id>``) and the note."""
    return [PLACE, *(s.name for s in PICTOGRAM_STEPS),
            *(f"{QUESTION_PREFIX}{q.question_id}" for q in questions), NOTE]


def next_step(order: Sequence[str], current: str) -> str:
    """The screen after ``current`` (the last stays the last)."""
    index = order.index(current) if current in order else 0
    return order[min(index + 1, len(order) - 1)]


def previous_step(order: Sequence[str], current: str) -> str:
    """The screen before ``current`` (the first stays the first)."""
    index = order.index(current) if current in order else 0
    return order[max(index - 1, 0)]


def missing(answer: Mapping[str, Any]) -> list[str]:
    """The screens still needed before the answer can be saved: the place, what and the
    feeling (everything else is optional)."""
    needed = (("place", PLACE), ("category", "what"), ("feeling", "feeling"))
    return [step for field, step in needed if answer.get(field) in (None, "")]


def idle_expired(last_touch: float, now: float, limit: float = IDLE_S) -> bool:
    """True when ``limit`` seconds passed since ``last_touch`` (both in seconds)."""
    return now - last_touch >= limit


def lock_token(pin: str) -> str:
    """A salted hash of the facilitator's ``pin`` (4–8 digits) to keep instead of the PIN.
    Raises ``ValueError`` for another PIN."""
    low, high = PIN_DIGITS
    if not (pin.isdigit() and low <= len(pin) <= high):
        raise ValueError(f"the PIN must be {low} to {high} digits")
    salt = secrets.token_hex(8)
    return f"{salt}${hashlib.sha256(f'{salt}:{pin}'.encode()).hexdigest()}"


def unlocks(token: str, pin: str) -> bool:
    """True when ``pin`` is the PIN ``token`` was made from (compared in constant time)."""
    salt, _, digest = token.partition("$")
    candidate = hashlib.sha256(f"{salt}:{pin}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)


def unlock_wait(failures: Sequence[float], now: float) -> float:
    """Seconds the unlock form still waits after the wrong PINs tried at ``failures``
    (times in seconds): none until :data:`PIN_TRIES` within :data:`PIN_WAIT_S`."""
    recent = [at for at in failures if now - at < PIN_WAIT_S]
    if len(recent) < PIN_TRIES:
        return 0.0
    return PIN_WAIT_S - (now - recent[-PIN_TRIES])
