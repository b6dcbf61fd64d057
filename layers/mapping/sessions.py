"""Mapping sessions: who mapped, when, where, how — never participants' names or contacts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

import pandas as pd

from layers.errors import NotFound
from layers.schema import AGE_GROUPS, PINS, SESSION_METHODS, SESSIONS, TOWNS
from layers.store import Store


@dataclass(frozen=True)
class SessionInput:
    """What a facilitator records when a session starts.

    ``organiser`` is an organisation or role (e.g. "NZDM Rybáře"), not a person's name.
    ``consent`` is the consent statement as recorded (required, non-empty).
    """

    town_id: str
    date: str
    place: str
    organiser: str
    age_group: str
    participants: int
    method: str
    consent: str


def validate_session(data: SessionInput) -> list[str]:
    """Problems with ``data`` as human-readable messages (empty when it is valid)."""
    problems = []
    try:
        dt.date.fromisoformat(data.date)
    except ValueError:
        problems.append(f"date {data.date!r} is not a date (YYYY-MM-DD)")
    if data.age_group not in AGE_GROUPS:
        problems.append(f"age group {data.age_group!r} is not one of {list(AGE_GROUPS)}")
    if data.method not in SESSION_METHODS:
        problems.append(f"method {data.method!r} is not one of {list(SESSION_METHODS)}")
    if not 1 <= data.participants <= 10_000:
        problems.append("participants must be between 1 and 10,000")
    if not data.consent.strip():
        problems.append("a consent statement must be recorded")
    if not data.place.strip() or not data.organiser.strip():
        problems.append("place and organiser are required")
    return problems


def create_session(store: Store, data: SessionInput) -> str:
    """Validate and store a new session; return its id (``<town>-<random 8 hex>``).

    Raises ``ValueError`` listing every problem, and ``StoreError`` when the town is unknown.
    """
    problems = validate_session(data)
    if problems:
        raise ValueError("; ".join(problems))
    if store.read(TOWNS, data.town_id).empty:
        raise NotFound("mapping.unknown_town", town=data.town_id)
    session_id = f"{data.town_id}-{uuid.uuid4().hex[:8]}"
    row = pd.DataFrame([{"session_id": session_id, **asdict(data), "synthetic": False}])
    store.append(SESSIONS, row[list(SESSIONS.columns)])
    return session_id


def resolve_town(store: Store, town: str) -> str:
    """The id of the town ``town`` names: its id, or its name (case and diacritics as
    written, surrounding spaces ignored). Raises ``NotFound`` (``mapping.unknown_town``)."""
    towns = store.read_columns(TOWNS, ["town_id", "name"])
    wanted = town.strip()
    for column in ("town_id", "name"):
        match = towns[towns[column].astype(str).str.casefold() == wanted.casefold()]
        if len(match):
            return str(match["town_id"].iloc[0])
    raise NotFound("mapping.unknown_town", town=town)


def list_sessions(store: Store, town_id: str | None = None) -> list[dict[str, object]]:
    """The sessions (of one town, or all), oldest first: ``id``, ``name`` (the place),
    ``town`` (its id), ``town_name``, ``date``, ``organiser``, ``age_group``, ``method``,
    ``participants`` and ``pins`` (how many pins it holds)."""
    sessions = pd.DataFrame(store.read(SESSIONS, town_id))
    pins = pd.DataFrame(store.read(PINS, town_id))
    counts = pins["session_id"].value_counts() if len(pins) else pd.Series(dtype=int)
    towns = store.read_columns(TOWNS, ["town_id", "name"])
    names = dict(zip(towns["town_id"], towns["name"], strict=True))
    return [{"id": row.session_id, "name": row.place, "town": row.town_id,
             "town_name": names.get(row.town_id, row.town_id), "date": row.date,
             "organiser": row.organiser, "age_group": row.age_group, "method": row.method,
             "participants": int(str(row.participants)),
             "pins": int(counts.get(row.session_id, 0))}
            for row in sessions.sort_values(["date", "session_id"]).itertuples()]
