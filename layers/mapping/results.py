"""A session's or a round's results: its answers counted by category, feeling, time of day,
seen/heard and age group, its own questions' answers, a map of its answers fit for the public,
and the change against the previous round of the same place.

Two scopes:

* a *session*: its own answers; the previous one is the latest earlier session of the same
  place (place names compared without case and surrounding spaces);
* a *round*: every session of the same place in the same calendar year (a yearly mapping
  round, as community centres repeat them); the previous round is the same place's latest
  earlier year with a session.

Counts are of the pins a caller may see (``layers.access.guarded.pins_for``) in the sessions
a caller may see; rejected pins do not count. The change is counted per category (every
answer not rejected) and per cell: the hotspot analysis's comparison of two mapping rounds
(:func:`layers.hotspots.analysis.town_change`: Gi* per round on the town's hexagons, the
change class of each cell and the permutation test of the whole pattern), which reads the
approved answers only, as every hotspot analysis does.

The map for the public (``cells``) is :func:`layers.privacy.public_pin_view` of the scope's
pins, its exact (approved, not sensitive) answers then counted in the same 200 m grid cells
and kept only where a cell holds at least ``PUBLIC_K`` of them: no single answer, and no
sensitive one, can be placed from it.

``illustrative`` says whether any answer counted is generated (marked synthetic): the page, its
PDF and its HTML then say so at the top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from layers.crs import to_metric
from layers.hotspots.analysis import HotspotInputError, town_change
from layers.hotspots.change import PERMUTATIONS, PatternChange
from layers.hotspots.filters import PinFilter
from layers.mapping.export import any_generated
from layers.mapping.questions import answers_for, session_questions
from layers.privacy import grid_cells, public_pin_view
from layers.store import Store
from layers.vocabulary import PUBLIC_K

#: The pin columns the results count, in the order shown.
COUNTED = ("category", "feeling", "time_of_day", "seen", "age_group")
#: The side of the public map's grid cells, metres (as the Map page's public pin cells).
CELL_M = 200.0


@dataclass(frozen=True)
class SessionResults:
    """``sessions``: the session ids counted (one, or a round's); ``counts``: column → frame
    (``value``, ``count``), most first; ``questions``: question text → frame (``value``,
    ``count``); ``previous``: the previous round's session ids (empty when there is none);
    ``change``: per category ``now``, ``before``, ``change``; ``cells``: the public map
    (EPSG:4326 squares with ``count``); ``cell_change``: the hotspot comparison with the
    previous round (None without one, or when a round has no approved answer in the town or
    its counts do not vary); ``illustrative``: some answer counted is generated."""

    pins: int
    counts: dict[str, pd.DataFrame]
    questions: dict[str, pd.DataFrame]
    previous: tuple[str, ...]
    change: pd.DataFrame
    sessions: tuple[str, ...] = ()
    cells: gpd.GeoDataFrame | None = None
    cell_change: PatternChange | None = None
    illustrative: bool = False


def _counted(values: pd.Series) -> pd.DataFrame:
    values = values.astype(str).replace({"": pd.NA, "nan": pd.NA}).dropna()
    table = values.value_counts().rename_axis("value").reset_index(name="count")
    return table.astype({"value": str, "count": int})


def rounds(sessions: pd.DataFrame, session_id: str, per_round: bool
           ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The session ids counted and those of the previous round, from ``sessions`` (the
    SESSIONS rows a caller may see, holding ``session_id``): per session or per yearly round
    (see the module). Raises ``KeyError`` when ``session_id`` is not among ``sessions``."""
    rows = pd.DataFrame(sessions).reset_index(drop=True)
    found = rows[rows["session_id"].astype(str) == session_id]
    if found.empty:
        raise KeyError(session_id)
    session = found.iloc[0]
    place = rows["place"].astype(str).str.strip().str.casefold()
    same = rows[place == str(session["place"]).strip().casefold()]
    dates = same["date"].astype(str)
    if not per_round:
        earlier = same[dates < str(session["date"])].sort_values(["date", "session_id"])
        return (session_id,), tuple(earlier["session_id"].iloc[-1:])
    years = dates.str[:4]
    year = str(session["date"])[:4]
    now = same[years == year]
    before = years[years < year]
    previous = same[years == before.max()] if len(before) else same.iloc[0:0]
    return tuple(sorted(now["session_id"])), tuple(sorted(previous["session_id"]))


def public_cells(pins: gpd.GeoDataFrame, k: int = PUBLIC_K, cell_m: float = CELL_M
                 ) -> gpd.GeoDataFrame:
    """The answers of ``pins`` a public map may show, as counts in grid cells (EPSG:4326
    squares with ``count``): the approved, not sensitive ones, only in cells holding at
    least ``k`` of them. Raises ``ValueError`` as :func:`layers.privacy.public_pin_view`."""
    exact, _ = public_pin_view(pins, k=k, cell_m=cell_m)
    if exact.empty:
        return gpd.GeoDataFrame({"count": pd.Series(dtype=int)}, geometry=[], crs=exact.crs)
    return grid_cells(to_metric(exact), k, cell_m)[["count", "geometry"]]


def session_results(store: Store, session_id: str, pins: gpd.GeoDataFrame,
                    sessions: pd.DataFrame, *, per_round: bool = False,
                    permutations: int = PERMUTATIONS) -> SessionResults:
    """The results of ``session_id`` (or of its round, ``per_round``) from ``pins`` (the
    town's pins the caller may see) and ``sessions`` (the town's sessions the caller may
    see). Raises ``KeyError`` for a session not among ``sessions``."""
    counted, previous = rounds(sessions, session_id, per_round)
    pins = pins[pins["status"] != "rejected"]
    mine = pins[pins["session_id"].isin(counted)]
    counts = {column: _counted(mine[column]) for column in COUNTED}
    answers = answers_for(store, list(counted))
    answers = answers[answers["pin_id"].isin(mine["pin_id"]) & ~answers["held"].astype(bool)]
    asked: dict[str, pd.DataFrame] = {}
    for one in counted:
        for question in session_questions(store, one):
            if question.kind == "text":
                continue  # free text is read in moderation, not counted
            values = answers[answers["question_id"] == question.question_id]["value"]
            if question.kind == "multiple":
                values = pd.Series([v for value in values for v in json.loads(str(value))])
            table = _counted(values)
            if question.text in asked:  # the same question asked again in the round
                table = (pd.concat([asked[question.text], table]).groupby("value", sort=False)
                         ["count"].sum().reset_index()
                         .sort_values("count", ascending=False, kind="stable"))
            asked[question.text] = table.reset_index(drop=True)
    before = pins[pins["session_id"].isin(previous)]
    change = pd.concat([mine["category"].value_counts().rename("now"),
                        before["category"].value_counts().rename("before")], axis=1)
    change = change.fillna(0).astype(int).rename_axis("category").reset_index()
    change["change"] = change["now"] - change["before"]
    cell_change = None
    if previous:
        town_id = str(sessions.loc[sessions["session_id"] == session_id, "town_id"].iloc[0])
        try:
            cell_change = town_change(store, town_id, PinFilter(sessions=previous),
                                      PinFilter(sessions=counted), permutations=permutations)
        except HotspotInputError:
            cell_change = None  # too few approved answers to compare cells: said on the page
    return SessionResults(len(mine), counts, asked, previous,
                          change.sort_values(["now", "category"], ascending=[False, True])
                          .reset_index(drop=True),
                          sessions=counted, cells=public_cells(gpd.GeoDataFrame(mine)),
                          cell_change=cell_change,
                          illustrative="synthetic" in mine.columns and any_generated(mine))
