"""The strategies that apply to an area, as one JSON-able object (``mapa strategy show``).

An *area* is named by a town id (``litvinov``), a region code (``CZ042``, the towns'
``kod_kraj``) or a locality's id or name (``litvinov-1``, ``Janov``; names compare without
case). :func:`resolve_area` finds it in a store; :func:`strategy_show` gathers:

* for a town or a locality, the strategies :func:`layers.strategy.area.load_area` finds (the
  town's own document, its region's, and any linked to the area), with the measures that
  concern the area under their goals;
* for a region, its regional documents and the documents of every town of the region in the
  store, with all their measures.

Each strategy carries its goals (nested, each with its evaluation and measures), measures
(status, evaluation, funding, related goals, indicators of the goals they serve), all its
indicators (direction, baseline and latest value with their dates, change), evaluations of
the strategy itself, its timeline and its source document. A date the document does not give
is null, never assumed.

The area carries the real exclusion index of its town (2023, from the store's ``towns``
table; a locality's own score is not published: null) and the police department that covers
the town or the locality by the police's jurisdiction table (crimes per 10,000 inhabitants of
the latest year in ``crime_stats``, :mod:`layers.area_figures`); each is null where the store
holds nothing for it (and for a region).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from layers.area_figures import department_figure, exclusion_figure
from layers.errors import NotFound
from layers.schema import LOCALITIES, TOWNS
from layers.store import Store
from layers.strategy.area import (
    CHANGE_ARROWS,
    StrategyArea,
    goal_tree,
    indicator_table,
    load_area,
)
from layers.strategy.model import Evaluation, Goal, Measure, Strategy
from layers.strategy.tables import load_strategies


@dataclass(frozen=True)
class AreaRef:
    """A resolved area: ``kind`` "town", "region" or "locality"; ``town_id`` is None for a
    region, ``locality_id`` set only for a locality."""

    kind: str
    area_id: str
    name: str
    region_code: str
    town_id: str | None = None
    locality_id: str | None = None


def resolve_area(store: Store, area: str) -> AreaRef:
    """The area ``area`` names in ``store`` (town id, region code, locality id or name).

    Raises ``NotFound`` ("strategy.unknown_area") when nothing in the store has that name.
    """
    towns = store.read(TOWNS)
    wanted = area.strip()
    town = towns[towns["town_id"].astype(str) == wanted]
    if len(town):
        row = town.iloc[0]
        return AreaRef("town", wanted, str(row["name"]), str(row["kod_kraj"]), wanted)
    region = towns[towns["kod_kraj"].astype(str).str.upper() == wanted.upper()]
    if len(region):
        row = region.iloc[0]
        return AreaRef("region", str(row["kod_kraj"]), str(row["kraj"]), str(row["kod_kraj"]))
    localities = store.read(LOCALITIES)
    match = localities[(localities["locality_id"].astype(str) == wanted)
                       | (localities["name"].astype(str).str.casefold() == wanted.casefold())]
    if len(match):
        row = match.iloc[0]
        town_row = towns[towns["town_id"] == row["town_id"]].iloc[0]
        return AreaRef("locality", str(row["locality_id"]), str(row["name"]),
                       str(town_row["kod_kraj"]), str(row["town_id"]), str(row["locality_id"]))
    raise NotFound("strategy.unknown_area", area=area, location=store.location)


def area_strategies(store: Store, ref: AreaRef) -> list[StrategyArea]:
    """The strategies that apply to ``ref``, each with the measures that concern it."""
    if ref.town_id is not None:
        return list(load_area(store, ref.town_id, ref.locality_id).strategies)
    return region_strategies(load_strategies(store), ref.region_code,
                             region_town_ids(store.read(TOWNS), ref.region_code))


def region_town_ids(towns: pd.DataFrame, region_code: str) -> list[str]:
    """Ids of the towns of ``towns`` that lie in the region ``region_code``."""
    return list(towns.loc[towns["kod_kraj"].astype(str) == region_code, "town_id"].astype(str))


def region_strategies(strategies: Sequence[Strategy], region_code: str,
                      town_ids: Sequence[str]) -> list[StrategyArea]:
    """The region's own documents, then the documents of its towns, all measures included."""
    regional = [s for s in strategies if s.town_id is None and s.region_code == region_code]
    local = [s for s in strategies if s.town_id is not None and s.town_id in town_ids]
    return [goal_tree(s, s.measures) for s in (*regional, *local)]


def strategy_show(store: Store, area: str | None = None) -> dict[str, Any]:
    """The object ``mapa strategy show --json`` prints (see the module docstring); without
    ``area`` every strategy in the store with all its measures, and ``"area": null``.

    Raises ``NotFound`` for an unknown area.
    """
    if area is None:
        items = [goal_tree(s, s.measures) for s in load_strategies(store)]
        return {"area": None, "strategies": [strategy_json(item) for item in items]}
    ref = resolve_area(store, area)
    return {"area": area_json(store, ref),
            "strategies": [strategy_json(item) for item in area_strategies(store, ref)]}


def area_json(store: Store, ref: AreaRef) -> dict[str, Any]:
    """``{"id", "name", "kind", "exclusion_index": {"score", "year", "source"},
    "police_department": {"code", "name", "crimes_per_10k", "year"}}`` of ``ref``; a
    locality's score is null (not published), a region has neither."""
    out: dict[str, Any] = {"id": ref.area_id, "name": ref.name, "kind": ref.kind,
                           "exclusion_index": None, "police_department": None}
    if ref.town_id is None:
        return out
    index = exclusion_figure(store, ref.town_id, locality=ref.locality_id is not None)
    if index is not None:
        out["exclusion_index"] = {"score": index.score, "year": index.year,
                                  "source": index.source}
    department = department_figure(store, ref.town_id, ref.locality_id)
    if department is not None:
        out["police_department"] = {"code": department.code, "name": department.name,
                                     "crimes_per_10k": department.crimes_per_10k,
                                     "year": department.year}
    return out


def evaluation_json(evaluation: Evaluation | None, document: str) -> dict[str, Any] | None:
    """An evaluation's text, date (null when the document gives none), author and source."""
    if evaluation is None:
        return None
    return {"text": evaluation.text, "date": evaluation.date or None,
            "author_role": evaluation.author_role or None,
            "source": f"{document}, {evaluation.source}" if evaluation.source else document}


def evaluation_of(strategy: Strategy, kind: str, target_id: str) -> Evaluation | None:
    """The last evaluation of ``strategy`` about the ``kind`` ``target_id``, or None."""
    found = [e for e in strategy.evaluations
             if e.target_kind == kind and e.target_id == target_id]
    return found[-1] if found else None


def strategy_json(item: StrategyArea) -> dict[str, Any]:
    """One strategy of the area as ``mapa strategy show --json`` prints it."""
    strategy = item.strategy
    table = indicator_table([strategy])
    indicators = {str(row["indicator_id"]): _indicator_json({str(k): v for k, v in row.items()})
                  for row in table.to_dict("records")}
    goal_numbers = {g.goal_id: g.number for g in strategy.goals}

    def measure_json(measure: Measure) -> dict[str, Any]:
        return {
            "number": measure.number, "text": measure.title, "status": measure.status,
            "evaluation": evaluation_json(
                evaluation_of(strategy, "measure", measure.measure_id), strategy.source),
            "funding": list(measure.funding),
            "related_goals": [goal_numbers[g] for g in measure.related_goal_ids],
            "time_frame": measure.time_frame or None,
            "indicators": [indicators[i.indicator_id] for i in strategy.indicators
                           if i.goal_id is not None and i.goal_id in measure.goal_ids]}

    def goal_json(goal: Goal, measures: Sequence[Measure],
                  children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"number": goal.number, "text": goal.text,
                "evaluation": evaluation_json(evaluation_of(strategy, "goal", goal.goal_id),
                                              strategy.source),
                "goals": children, "measures": [measure_json(m) for m in measures]}

    def walk(node: Any) -> dict[str, Any]:
        return goal_json(node.goal, node.measures, [walk(child) for child in node.children])

    return {
        "id": strategy.strategy_id, "title": strategy.title, "issuer": strategy.issuer,
        "period": strategy.period or None, "source": strategy.source,
        "region_code": strategy.region_code, "town_id": strategy.town_id,
        "goals": [walk(root) for root in item.roots],
        "measures": [measure_json(m) for m in item.loose_measures],
        "indicators": list(indicators.values()),
        "evaluations": [evaluation_json(e, strategy.source) for e in strategy.evaluations
                        if e.target_kind == "strategy"],
        "timeline": [{"kind": t.kind, "when": t.when or None, "start": t.start or None,
                      "end": t.end or None, "text": t.text, "note": t.note or None}
                     for t in strategy.timeline]}


def _indicator_json(row: dict[str, Any]) -> dict[str, Any]:
    def value(key: str) -> dict[str, Any]:
        raw, date = row[key], row[f"{key}_date"]
        return {"value": None if _missing(raw) else raw,
                "date": None if _missing(date) else date}

    return {"name": row["name"], "kind": row["kind"], "direction": row["direction"],
            "baseline": value("baseline"), "latest": value("latest"), "change": row["change"],
            "arrow": CHANGE_ARROWS[row["change"]]}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
