"""The Moderation page's filters and table of pending pins (no Streamlit here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Final
from zoneinfo import ZoneInfo

import pandas as pd

from app.ui.i18n import label, labels, translate
from layers.schema import PIN_CATEGORIES

#: The town's time zone: a pin's day is the day it was added there.
LOCAL_TIME: Final = ZoneInfo("Europe/Prague")


def local_days(created_at: pd.Series) -> pd.Series:
    """The local (Europe/Prague) day of each ISO ``created_at`` time (NaT where unreadable);
    a time without a zone is taken as UTC, as the store writes it."""
    times = pd.to_datetime(created_at, utc=True, errors="coerce", format="ISO8601")
    return times.dt.tz_convert(LOCAL_TIME).dt.date


def filter_pending(pending: pd.DataFrame, session: str | None, categories: Collection[str],
                   days: tuple[dt.date, dt.date] | None) -> pd.DataFrame:
    """The pending pins of ``session`` (None: every session) whose category is one of
    ``categories`` and that were added within ``days`` (first and last local day, both
    included; None: any day; a pin whose time cannot be read stays), in the order given."""
    chosen = pending["category"].isin(list(categories))
    if session is not None:
        chosen &= pending["session_id"] == session
    if days is not None:
        day = local_days(pending["created_at"])
        # a pin without a readable time is never hidden by a day filter
        chosen &= day.isna() | ((day >= days[0]) & (day <= days[1]))
    return pending[chosen.to_numpy(dtype=bool)]


def session_names(sessions: pd.DataFrame) -> dict[str, str]:
    """Each session's name as a moderator knows it: its place and date."""
    return {str(row.session_id): f"{row.place} ({row.date})" for row in sessions.itertuples()}


def pending_table(pending: pd.DataFrame, lang: str, names: dict[str, str],
                  places: list[str] | None = None) -> pd.DataFrame:
    """One row per pending pin, unselected: its number (as on the map), id (hidden by the
    page), its place (``places``, one name per pin, "" where unnamed; None: none named),
    category and feeling in ``lang``, its comment (a held one marked as held), session by
    ``names`` and creation time."""
    if places is None:
        places = [""] * len(pending)
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    held = translate("moderation.held", lang)
    return pd.DataFrame({
        "select": False,
        "number": range(1, len(pending) + 1),
        "pin_id": pending["pin_id"].to_numpy(),
        "place": [p or "–" for p in places],
        "category": [category_labels.get(c, c) for c in pending["category"]],
        "feeling": [label("pin.feeling", f, lang) for f in pending["feeling"]],
        "comment": [f"⚠ {held}: {c}" if is_held else c
                    for c, is_held in zip(pending["comment"].fillna(""),
                                          pending["comment_held"].astype(bool), strict=True)],
        "session": [names.get(s, s) for s in pending["session_id"]],
        "created": pending["created_at"].to_numpy(),
    })
