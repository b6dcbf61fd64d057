"""Which pins (or offences) go into a hotspot analysis.

A :class:`PinFilter` selects approved pins by category, feeling, own/heard, time of day, age
band, session and date range; an :class:`OffenceFilter` selects offences by type and date.
Empty tuples mean "no restriction". Vocabularies are those of :mod:`layers.schema`; unknown
codes raise ``ValueError`` (a typo must not silently select nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from layers.schema import (
    AGE_GROUPS,
    FEELINGS,
    PIN_CATEGORIES,
    SEEN,
    SENSITIVE_CATEGORIES,
    TIMES_OF_DAY,
)

APPROVED = "approved"


@dataclass(frozen=True)
class PinFilter:
    """A selection of fear pins. Dates are inclusive; ``created_at`` is compared by day."""

    categories: tuple[str, ...] = ()
    feelings: tuple[int, ...] = ()
    seen: tuple[str, ...] = ()
    times_of_day: tuple[str, ...] = ()
    age_groups: tuple[str, ...] = ()
    sessions: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        _check("category", self.categories, PIN_CATEGORIES)
        _check("feeling", self.feelings, FEELINGS)
        _check("seen", self.seen, SEEN)
        _check("time of day", self.times_of_day, TIMES_OF_DAY)
        _check("age group", self.age_groups, AGE_GROUPS)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date range is empty: {self.date_from} is after {self.date_to}")

    def apply(self, pins: pd.DataFrame) -> pd.DataFrame:
        """Approved pins matching every given criterion (a copy; index kept)."""
        keep = pins["status"].astype(str) == APPROVED
        for column, wanted in (("category", self.categories), ("seen", self.seen),
                               ("time_of_day", self.times_of_day),
                               ("age_group", self.age_groups), ("session_id", self.sessions)):
            if wanted:
                keep &= pins[column].astype(str).isin([str(w) for w in wanted])
        if self.feelings:
            feeling = pd.to_numeric(pins["feeling"], errors="coerce")
            keep &= feeling.isin([int(f) for f in self.feelings])
        keep &= _in_dates(pins["created_at"], self.date_from, self.date_to)
        return pins.loc[keep].copy()

    def touches_sensitive(self) -> bool:
        """True when the selection can contain sensitive categories (privacy rule applies)."""
        return not self.categories or bool(set(self.categories) & SENSITIVE_CATEGORIES)


@dataclass(frozen=True)
class OffenceFilter:
    """A selection of offences by type (free codes from the source) and inclusive dates."""

    types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def apply(self, offences: pd.DataFrame) -> pd.DataFrame:
        keep = pd.Series(True, index=offences.index)
        if self.types:
            keep &= offences["offence_type"].astype(str).isin(self.types)
        keep &= _in_dates(offences["date"], self.date_from, self.date_to)
        return offences.loc[keep].copy()


def _in_dates(values: pd.Series, start: date | None, end: date | None) -> pd.Series:
    keep = pd.Series(True, index=values.index)
    if start is None and end is None:
        return keep
    stamps = pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
    if start is not None:
        keep &= stamps >= pd.Timestamp(start, tz="UTC")
    if end is not None:
        keep &= stamps < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    return keep.astype(bool)


def _check(what: str, given: Iterable[Any], allowed: Iterable[Any]) -> None:
    allowed_set = set(allowed)
    unknown = [g for g in given if g not in allowed_set]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(map(str, unknown))} "
                         f"(allowed: {', '.join(map(str, allowed))})")
