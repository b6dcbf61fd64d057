"""A session's results: its answers counted by category, feeling, time of day, seen/heard and
age group, its own questions' answers, and the change against the previous round of the same
place (the town's last earlier session with the same place).

Counts are of the pins a caller may see (``layers.access.guarded.pins_for``); rejected pins
do not count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from layers.mapping.capture import load_session
from layers.mapping.questions import answers_for, session_questions
from layers.schema import SESSIONS
from layers.store import Store

#: The pin columns a session's results count, in the order shown.
COUNTED = ("category", "feeling", "time_of_day", "seen", "age_group")


@dataclass(frozen=True)
class SessionResults:
    """``counts``: column → frame (``value``, ``count``), most first; ``questions``: question
    text → frame (``value``, ``count``); ``previous``: the previous round's session id (None
    when there is none) and ``change``: per category ``now``, ``before``, ``change``."""

    pins: int
    counts: dict[str, pd.DataFrame]
    questions: dict[str, pd.DataFrame]
    previous: str | None
    change: pd.DataFrame


def _counted(values: pd.Series) -> pd.DataFrame:
    values = values.astype(str).replace({"": pd.NA, "nan": pd.NA}).dropna()
    table = values.value_counts().rename_axis("value").reset_index(name="count")
    return table.astype({"value": str, "count": int})


def previous_round(store: Store, session_id: str) -> str | None:
    """The town's latest session before ``session_id`` with the same place, if any."""
    session = load_session(store, session_id)
    sessions = pd.DataFrame(store.read(SESSIONS, str(session["town_id"])))
    same = sessions[(sessions["place"].astype(str).str.strip().str.casefold()
                     == str(session["place"]).strip().casefold())
                    & (sessions["date"].astype(str) < str(session["date"]))]
    return str(same.sort_values(["date", "session_id"])["session_id"].iloc[-1]) \
        if len(same) else None


def session_results(store: Store, session_id: str, pins: pd.DataFrame) -> SessionResults:
    """The results of ``session_id`` from ``pins`` (the town's pins the caller may see)."""
    pins = pins[pins["status"] != "rejected"]
    mine = pins[pins["session_id"] == session_id]
    counts = {column: _counted(mine[column]) for column in COUNTED}
    answers = answers_for(store, [session_id])
    answers = answers[answers["pin_id"].isin(mine["pin_id"]) & ~answers["held"].astype(bool)]
    asked: dict[str, pd.DataFrame] = {}
    for question in session_questions(store, session_id):
        if question.kind == "text":
            continue  # free text is read in moderation, not counted
        values = answers[answers["question_id"] == question.question_id]["value"]
        if question.kind == "multiple":
            values = pd.Series([v for value in values for v in json.loads(str(value))])
        asked[question.text] = _counted(values)
    previous = previous_round(store, session_id)
    before = pins[pins["session_id"] == previous] if previous else pins.iloc[0:0]
    change = pd.concat([mine["category"].value_counts().rename("now"),
                        before["category"].value_counts().rename("before")], axis=1)
    change = change.fillna(0).astype(int).rename_axis("category").reset_index()
    change["change"] = change["now"] - change["before"]
    return SessionResults(len(mine), counts, asked, previous,
                          change.sort_values(["now", "category"], ascending=[False, True])
                          .reset_index(drop=True))
