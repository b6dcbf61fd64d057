"""The fixed answer selections of public hotspot views, safe against differencing.

A public view that applied the k-rule after free filters could be beaten by subtraction: a
cell of 6 sensitive answers shows 6 for "all sessions" and 5 for "all but one session", so
the difference points at a single answer. Two rules close that (Sweeney's k-anonymity does
not survive free queries; small-cell suppression in official statistics fixes the tables
first — Hundepool et al. (2012), *Statistical Disclosure Control*, ch. 5 on linked tables):

* sensitive answers (:data:`layers.schema.SENSITIVE_CATEGORIES`) enter a public view only in
  the unrestricted selection, all approved answers; every narrower selection (a time of day,
  an age group, a session, dates, feelings…) holds non-sensitive answers only
  (:func:`public_selection`);
* which sensitive answers may count is decided on the unfiltered approved answers of the town
  (a cell of the analysis grid with fewer than k of them is suppressed in every public view;
  :mod:`layers.hotspots.analysis`).

So for one grid, the sensitive answers of any cell differ between two public views by either
nothing or all of them, which is 0 or at least k. :func:`public_filter_sets` lists the fixed
selections the public page offers; sessions in them are named by place and date, never by id.
Staff views (logged in) keep free filters with the k-rule after them: they see more by right.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

import pandas as pd

from layers.hotspots.filters import PinFilter
from layers.schema import AGE_GROUPS, PIN_CATEGORIES, SENSITIVE_CATEGORIES, TIMES_OF_DAY

#: The categories a restricted public selection may hold.
NON_SENSITIVE: Final = tuple(c for c in PIN_CATEGORIES if c not in SENSITIVE_CATEGORIES)
#: The unrestricted selection: every approved answer, sensitive ones under the k-rule.
ALL: Final = PinFilter()


def public_selection(selection: PinFilter) -> PinFilter | None:
    """``selection`` as a public view may use it: unchanged when it is the unrestricted
    selection, else narrowed to non-sensitive categories (the chosen ones among them, or all
    of them); None when it chose sensitive categories only (a public view shows nothing of
    it)."""
    if selection == ALL:
        return selection
    wanted = selection.categories or NON_SENSITIVE
    kept = tuple(c for c in wanted if c not in SENSITIVE_CATEGORIES)
    return replace(selection, categories=kept) if kept else None


@dataclass(frozen=True)
class PublicSet:
    """One fixed public selection: ``key`` ("all", "everyday", "time:evening", "age:13-18",
    "session:3" — the third session shown, never its id), its ``kind`` and ``value`` (the
    code, or for a session its place and date as text) and the filter."""

    key: str
    kind: str
    value: tuple[str, ...]
    pins: PinFilter


def public_filter_sets(sessions: pd.DataFrame, approved_sessions: set[str]) -> list[PublicSet]:
    """The selections a public hotspot page offers, in this order: all approved answers;
    non-sensitive answers only; then by time of day, by age group and by session (sessions of
    ``sessions`` holding an approved answer, ``approved_sessions``, oldest first), each of
    non-sensitive answers only."""
    sets = [PublicSet("all", "all", (), ALL),
            PublicSet("everyday", "everyday", (), PinFilter(categories=NON_SENSITIVE))]
    sets += [PublicSet(f"time:{code}", "time", (code,),
                       PinFilter(categories=NON_SENSITIVE, times_of_day=(code,)))
             for code in TIMES_OF_DAY]
    sets += [PublicSet(f"age:{code}", "age", (code,),
                       PinFilter(categories=NON_SENSITIVE, age_groups=(code,)))
             for code in AGE_GROUPS]
    shown = sessions[sessions["session_id"].astype(str).isin(approved_sessions)]
    ordered = shown.sort_values(["date", "session_id"]).itertuples(index=False)
    for number, row in enumerate(ordered, start=1):
        sets.append(PublicSet(f"session:{number}", "session",
                              (str(row.place or ""), str(row.date or "")),
                              PinFilter(categories=NON_SENSITIVE,
                                        sessions=(str(row.session_id),))))
    return sets
