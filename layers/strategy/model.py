"""Strategy documents, their goals, measures and indicators, and the history of every change.

A :class:`Strategy` (a town's or region's document: title, issuer, period, source) holds goals
nested as in the document (``1`` → ``1.1`` → ``1.1.1``), measures that serve goals and are linked
to places on the map, indicators with a baseline and dated observations, evaluations, and the
history of changes. Instances are immutable and validated on construction: every constructor
raises ``ValueError`` with a message naming the offending id and value.

Dates are ISO strings of the precision the source gives: ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` (a report dated "červen 2024" is ``2024-06``); where a document dates nothing
(a baseline, a final state, an evaluation) the date is left empty or None, never assumed.
History timestamps are ISO dates or date-times. Drawn polygons are WKT in EPSG:4326 (lon, lat).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidInput
from layers.schema import (
    ANO_CASTECNE_NE,
    GOAL_LEVELS,
    INDICATOR_CHANGES,
    INDICATOR_DIRECTIONS,
    INDICATOR_KINDS,
    LINK_KINDS,
    MEASURE_STATUSES,
    STRATEGY_ENTITIES,
    TIMELINE_KINDS,
)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NUMBER_PART = re.compile(r"^[0-9A-Za-z]+$")


def check_date(value: str, what: str) -> str:
    """Return ``value`` when it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; else ``ValueError``."""
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise InvalidInput("strategy.not_date", what=what, value=value)
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("strategy.not_calendar_date", what=what, value=value,
                           reason=str(exc)) from None
    return value


def check_timestamp(value: str, what: str) -> str:
    """Return ``value`` when it is an ISO date or date-time; else ``ValueError``."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("strategy.not_timestamp", what=what, value=value) from None
    return value


def check_numbering(parent_number: str, number: str, what: str) -> None:
    """Require ``number`` to extend ``parent_number`` by one part ("1.1.1" under "1.1").

    An unnumbered parent (``""``) constrains nothing: documents often leave the long-term
    goal unnumbered. Raises ``ValueError`` naming both numbers.
    """
    if not number:
        if parent_number:
            raise ValueError(f"{what}: has no number but its parent is {parent_number!r}")
        return
    if not parent_number:
        return
    prefix, _, last = number.rpartition(".")
    if prefix != parent_number or not _NUMBER_PART.match(last):
        raise ValueError(
            f"{what}: number {number!r} does not continue its parent's number "
            f"{parent_number!r} (expected {parent_number}.<part>)")


def _require(value: str, what: str) -> None:
    if not value or not value.strip():
        raise InvalidInput("strategy.empty", what=what)


def _one_of(value: str, allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise InvalidInput("strategy.not_one_of", what=what, value=value,
                           allowed=", ".join(allowed))


@dataclass(frozen=True)
class Goal:
    """A goal of a strategy; ``parent_id`` is the goal it refines (None at the top)."""

    goal_id: str
    strategy_id: str
    number: str
    text: str
    level: str
    parent_id: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        _require(self.goal_id, "goal id")
        _require(self.text, f"goal {self.goal_id}: text")
        _one_of(self.level, GOAL_LEVELS, f"goal {self.goal_id}: level")


#: Link kinds carrying WKT, and the geometry types their WKT may hold.
_WKT_KINDS: dict[str, tuple[type[BaseGeometry], ...]] = {
    "polygon": (Polygon, MultiPolygon), "point": (Point,)}


@dataclass(frozen=True)
class Link:
    """A measure's link to a place on the map.

    ``target_id`` is a store id (town, locality, police district ``oop_code``, pin, H3 cell,
    service) or, for ``place``, a hotspot's label. A ``polygon`` link carries its drawn area as
    ``wkt`` (Polygon or MultiPolygon, EPSG:4326), a ``point`` link its clicked place (Point,
    EPSG:4326), each naming it in ``target_id``; other kinds carry no WKT.
    """

    measure_id: str
    target_kind: str
    target_id: str
    wkt: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        what = f"link of measure {self.measure_id} to {self.target_id!r}"
        _one_of(self.target_kind, LINK_KINDS, f"{what}: target kind")
        _require(self.target_id, f"{what}: target id")
        if self.target_kind not in _WKT_KINDS:
            if self.wkt is not None:
                raise ValueError(f"{what}: only a polygon or point link carries WKT")
            return
        if self.wkt is None:
            raise ValueError(f"{what}: a {self.target_kind} link needs its WKT")
        try:
            shape = shapely.from_wkt(self.wkt)
        except shapely.errors.ShapelyError as exc:
            raise ValueError(f"{what}: unreadable WKT ({exc})") from None
        if not isinstance(shape, _WKT_KINDS[self.target_kind]) or shape.is_empty:
            raise ValueError(f"{what}: WKT of a {self.target_kind} link must be a non-empty "
                             + " or ".join(t.__name__ for t in _WKT_KINDS[self.target_kind]))
        if not shape.is_valid:
            raise ValueError(f"{what}: invalid polygon ({shapely.is_valid_reason(shape)})")
        west, south, east, north = shape.bounds
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError(f"{what}: coordinates are not lon/lat (EPSG:4326)")


@dataclass(frozen=True)
class Measure:
    """A measure (opatření, aktivita, výstup) serving goals of its strategy.

    List fields are tuples of the document's wording. ``budget_czk`` is set only when the
    source gives an amount; ``budget_note`` keeps what it says otherwise. ``results`` is what
    the document reports as done for the measure (its "plnění"), one item per point of the
    document, figures included, verbatim; empty when the document reports nothing.
    ``funding`` names the sources the document gives for the measure (a programme, a fund, a
    grant title), verbatim. ``goal_ids`` are the goals the measure serves (it sits under them);
    ``related_goal_ids`` the goals of other parts of the strategy it only relates to (a
    document's "Vazba na cíle"), shown as links, not as parents.
    """

    measure_id: str
    strategy_id: str
    title: str
    text: str = ""
    number: str = ""
    goal_ids: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    time_frame: str = ""
    status: str = "planned"
    status_note: str = ""
    budget_czk: float | None = None
    budget_note: str = ""
    activities: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    obstacles: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    related_documents: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    results: tuple[str, ...] = ()
    funding: tuple[str, ...] = ()
    related_goal_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require(self.measure_id, "measure id")
        _require(self.title, f"measure {self.measure_id}: title")
        _one_of(self.status, MEASURE_STATUSES, f"measure {self.measure_id}: status")
        if self.budget_czk is not None and not self.budget_czk >= 0:
            raise ValueError(f"measure {self.measure_id}: budget {self.budget_czk!r} CZK "
                             "must be a non-negative amount")
        for link in self.links:
            if link.measure_id != self.measure_id:
                raise ValueError(f"measure {self.measure_id}: holds a link of measure "
                                 f"{link.measure_id}")


def check_value(kind: str, value: str, what: str) -> None:
    """Require ``value`` to fit an indicator ``kind`` (ANO/ČÁSTEČNĚ/NE, a number, or prose)."""
    if kind == "ano_castecne_ne":
        _one_of(value, ANO_CASTECNE_NE, what)
    elif kind == "numeric":
        try:
            float(value)
        except ValueError:
            raise InvalidInput("strategy.not_number", what=what, value=value) from None
    else:
        _require(value, what)


@dataclass(frozen=True)
class Observation:
    """A reading of an indicator; ``value`` is text (a number for numeric indicators).

    ``date`` is empty when the document does not date the reading (a final report's "final
    state"). ``assessed_change`` ("better", "worse", "same" or empty) is, for a prose indicator
    that no number or answer can compare, how the reading moved from the baseline as the
    document's wording of the two states reads; empty where the wording does not say.
    """

    indicator_id: str
    date: str
    value: str
    note: str = ""
    assessed_change: str = ""

    def __post_init__(self) -> None:
        if self.date:
            check_date(self.date, f"observation of {self.indicator_id}: date")
        if self.assessed_change:
            _one_of(self.assessed_change, INDICATOR_CHANGES[:3],
                    f"observation of {self.indicator_id}: assessed change")


@dataclass(frozen=True)
class Band:
    """A class of a numeric indicator: values ``low``–``high`` (inclusive) and their meaning."""

    low: float
    high: float
    label: str
    description: str = ""
    municipalities: int | None = None

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"band {self.label!r}: low {self.low} exceeds high {self.high}")


@dataclass(frozen=True)
class Indicator:
    """An indicator: kind, unit, baseline (value, note, date), target and observations.

    ``direction`` says which way it improves ("higher_better": a larger number, or ANO over
    ČÁSTEČNĚ over NE, or more of what a prose criterion asks for; "lower_better"): taken from
    the document's wording. Dates are None where the document gives none.
    """

    indicator_id: str
    strategy_id: str
    name: str
    kind: str
    unit: str = ""
    criterion: str = ""
    goal_id: str | None = None
    baseline_value: str | None = None
    baseline_note: str = ""
    baseline_date: str | None = None
    target_value: str | None = None
    target_date: str | None = None
    observations: tuple[Observation, ...] = ()
    bands: tuple[Band, ...] = ()
    direction: str = "higher_better"

    def __post_init__(self) -> None:
        what = f"indicator {self.indicator_id}"
        _require(self.indicator_id, "indicator id")
        _require(self.name, f"{what}: name")
        _one_of(self.kind, INDICATOR_KINDS, f"{what}: kind")
        _one_of(self.direction, INDICATOR_DIRECTIONS, f"{what}: direction")
        if self.baseline_value is not None:
            check_value(self.kind, self.baseline_value, f"{what}: baseline")
        if self.target_value is not None:
            check_value(self.kind, self.target_value, f"{what}: target")
        for stamp, label in ((self.baseline_date, "baseline date"),
                             (self.target_date, "target date")):
            if stamp is not None:
                check_date(stamp, f"{what}: {label}")
        for obs in self.observations:
            if obs.indicator_id != self.indicator_id:
                raise ValueError(f"{what}: holds an observation of {obs.indicator_id}")
            check_value(self.kind, obs.value, f"{what}: observation of {obs.date}")
        if self.bands and self.kind != "numeric":
            raise ValueError(f"{what}: only numeric indicators have bands")


@dataclass(frozen=True)
class Evaluation:
    """An evaluation of the strategy, a goal, a measure or an indicator, by a role.

    ``date`` and ``author_role`` are empty when the source document gives neither (an
    evaluation transcribed from an undated, unsigned document); otherwise ``date`` is a date
    of the precision the source gives. ``source`` says where in the strategy's document the
    evaluation stands (a section or page), empty for one entered in the app.
    """

    evaluation_id: str
    strategy_id: str
    target_kind: str
    target_id: str
    date: str
    author_role: str
    text: str
    source: str = ""

    def __post_init__(self) -> None:
        what = f"evaluation {self.evaluation_id}"
        _one_of(self.target_kind, STRATEGY_ENTITIES, f"{what}: target kind")
        if self.date:
            check_date(self.date, f"{what}: date")
        _require(self.text, f"{what}: text")


@dataclass(frozen=True)
class TimelineEntry:
    """One entry of a programme's timeline, as its document gives it.

    ``kind`` is one of ``TIMELINE_KINDS``; ``when`` the document's wording of the time
    ("04-05/2023", "průběžně", "2.11.2023"; empty where it gives none); ``start`` and ``end``
    the partial ISO dates that wording reads as (empty where it names no date, never assumed).
    """

    strategy_id: str
    kind: str
    when: str
    text: str
    start: str = ""
    end: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        what = f"timeline entry {self.text[:40]!r} of {self.strategy_id}"
        _one_of(self.kind, TIMELINE_KINDS, f"{what}: kind")
        _require(self.text, f"{what}: text")
        for stamp, label in ((self.start, "start"), (self.end, "end")):
            if stamp:
                check_date(stamp, f"{what}: {label}")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"{what}: ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class HistoryEntry:
    """One change: which entity, when, by which role, and what (JSON-able ``{field: {old,
    new}}`` or any JSON object describing the change)."""

    entity: str
    entity_id: str
    at: str
    who_role: str
    change: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        what = f"history of {self.entity} {self.entity_id}"
        _one_of(self.entity, STRATEGY_ENTITIES, f"{what}: entity")
        check_timestamp(self.at, f"{what}: time")
        _require(self.who_role, f"{what}: role")
        try:
            json.dumps(self.change)
        except TypeError as exc:
            raise ValueError(f"{what}: change is not JSON ({exc})") from None


@dataclass(frozen=True)
class Strategy:
    """A strategy document and everything it holds; cross-references are checked.

    ``source`` names the document the content was transcribed from (e.g. the seed file);
    ``town_id`` is set for a town's document, ``region_code`` (``kod_kraj``) for a region's.
    """

    strategy_id: str
    title: str
    issuer: str
    period: str
    source: str
    town_id: str | None = None
    region_code: str | None = None
    goals: tuple[Goal, ...] = ()
    measures: tuple[Measure, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()

    def __post_init__(self) -> None:
        _require(self.strategy_id, "strategy id")
        _require(self.title, f"strategy {self.strategy_id}: title")
        _require(self.source, f"strategy {self.strategy_id}: source")
        goals = _index(self.strategy_id, "goal", ((g.goal_id, g) for g in self.goals))
        measures = _index(self.strategy_id, "measure",
                          ((m.measure_id, m) for m in self.measures))
        indicators = _index(self.strategy_id, "indicator",
                            ((i.indicator_id, i) for i in self.indicators))
        _index(self.strategy_id, "evaluation", ((e.evaluation_id, e) for e in self.evaluations))
        items: tuple[Goal | Measure | Indicator | Evaluation, ...] = (
            *self.goals, *self.measures, *self.indicators, *self.evaluations)
        for item in items:
            if item.strategy_id != self.strategy_id:
                raise ValueError(f"strategy {self.strategy_id}: holds {item!r:.80} of strategy "
                                 f"{item.strategy_id}")
        for goal in self.goals:
            if goal.parent_id is None:
                continue
            parent = goals.get(goal.parent_id)
            if parent is None:
                raise ValueError(f"goal {goal.goal_id}: parent {goal.parent_id!r} is not a goal "
                                 f"of {self.strategy_id}")
            check_numbering(parent.number, goal.number, f"goal {goal.goal_id}")
        _check_acyclic(goals)
        for step in self.timeline:
            if step.strategy_id != self.strategy_id:
                raise ValueError(f"strategy {self.strategy_id}: holds a timeline entry of "
                                 f"{step.strategy_id}")
        for measure in self.measures:
            for goal_id in (*measure.goal_ids, *measure.related_goal_ids):
                if goal_id not in goals:
                    raise ValueError(f"measure {measure.measure_id}: goal {goal_id!r} is not a "
                                     f"goal of {self.strategy_id}")
        for indicator in self.indicators:
            if indicator.goal_id is not None and indicator.goal_id not in goals:
                raise ValueError(f"indicator {indicator.indicator_id}: goal "
                                 f"{indicator.goal_id!r} is not a goal of {self.strategy_id}")
        known: dict[str, Mapping[str, object]] = {
            "strategy": {self.strategy_id: self}, "goal": goals, "measure": measures,
            "indicator": indicators}
        for evaluation in self.evaluations:
            if evaluation.target_id not in known[evaluation.target_kind]:
                raise ValueError(f"evaluation {evaluation.evaluation_id}: no "
                                 f"{evaluation.target_kind} {evaluation.target_id!r}")
        for entry in self.history:
            if entry.entity_id not in known[entry.entity]:
                raise ValueError(f"history entry at {entry.at}: no {entry.entity} "
                                 f"{entry.entity_id!r} in {self.strategy_id}")

    def goal(self, goal_id: str) -> Goal:
        """The goal ``goal_id``; ``KeyError`` when there is none."""
        return _find(self.goals, "goal_id", goal_id)

    def measure(self, measure_id: str) -> Measure:
        """The measure ``measure_id``; ``KeyError`` when there is none."""
        return _find(self.measures, "measure_id", measure_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id``; ``KeyError`` when there is none."""
        return _find(self.indicators, "indicator_id", indicator_id)


def _index(strategy_id: str, kind: str, items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in items:
        if key in out:
            raise ValueError(f"strategy {strategy_id}: {kind} id {key!r} is used twice")
        out[key] = item
    return out


def _check_acyclic(goals: Mapping[str, Goal]) -> None:
    for start in goals.values():
        seen = {start.goal_id}
        parent = start.parent_id
        while parent is not None:
            if parent in seen:
                raise ValueError(f"goal {start.goal_id}: its parents form a cycle")
            seen.add(parent)
            parent = goals[parent].parent_id


def _find(items: tuple[Any, ...], attribute: str, key: str) -> Any:
    for item in items:
        if getattr(item, attribute) == key:
            return item
    raise KeyError(key)


# --- changes: every change returns a new Strategy with one more history entry -------------

_COLLECTIONS = {"goal": ("goals", "goal_id"), "measure": ("measures", "measure_id"),
                "indicator": ("indicators", "indicator_id")}
#: Fields a change may not touch: identities, and nested items that have their own functions.
_FIXED_FIELDS = frozenset({"goal_id", "measure_id", "indicator_id", "strategy_id", "links",
                           "observations", "bands", "goals", "measures", "indicators",
                           "evaluations", "history", "timeline"})


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def apply_change(strategy: Strategy, entity: str, entity_id: str,
                 changes: Mapping[str, object], who_role: str, at: str) -> Strategy:
    """Return ``strategy`` with fields of one entity changed and the change kept in history.

    ``entity`` is "strategy", "goal", "measure" or "indicator"; ``changes`` maps field names to
    new values (lists for tuple fields). The history entry records ``{field: {"old", "new"}}``
    for the fields whose value actually changes; with no real change the strategy comes back
    unchanged. Raises ``ValueError`` for an unknown entity, id or field, a fixed field (ids,
    nested items), or a new value the model rejects (e.g. an unknown status).
    """
    _one_of(entity, STRATEGY_ENTITIES, "changed entity")
    if entity == "strategy":
        if entity_id != strategy.strategy_id:
            raise ValueError(f"no strategy {entity_id!r} (this is {strategy.strategy_id})")
        target: Any = strategy
    else:
        try:
            target = _find(getattr(strategy, _COLLECTIONS[entity][0]),
                           _COLLECTIONS[entity][1], entity_id)
        except KeyError:
            raise ValueError(f"no {entity} {entity_id!r} in {strategy.strategy_id}") from None
    names = {f.name for f in dataclasses.fields(target)}
    updates: dict[str, object] = {}
    record: dict[str, object] = {}
    for name, value in changes.items():
        if name not in names or name in _FIXED_FIELDS:
            raise ValueError(f"{entity} field {name!r} cannot be changed")
        new = tuple(value) if isinstance(value, list) else value
        old = getattr(target, name)
        if new != old:
            updates[name] = new
            record[name] = {"old": _jsonable(old), "new": _jsonable(new)}
    if not updates:
        return strategy
    entry = HistoryEntry(entity, entity_id, at, who_role, record)
    changed = dataclasses.replace(target, **updates)
    if entity == "strategy":
        return dataclasses.replace(changed, history=(*strategy.history, entry))
    collection, key = _COLLECTIONS[entity]
    replaced: dict[str, Any] = {collection: tuple(
        changed if getattr(item, key) == entity_id else item
        for item in getattr(strategy, collection))}
    return dataclasses.replace(strategy, **replaced, history=(*strategy.history, entry))


def add_observation(strategy: Strategy, observation: Observation, who_role: str,
                    at: str) -> Strategy:
    """Return ``strategy`` with ``observation`` appended to its indicator, kept in history.

    Raises ``ValueError`` for an unknown indicator or a value that does not fit its kind.
    """
    try:
        indicator = strategy.indicator(observation.indicator_id)
    except KeyError:
        raise ValueError(f"no indicator {observation.indicator_id!r} in "
                         f"{strategy.strategy_id}") from None
    updated = dataclasses.replace(indicator,
                                  observations=(*indicator.observations, observation))
    entry = HistoryEntry("indicator", indicator.indicator_id, at, who_role,
                         {"observation_added": dataclasses.asdict(observation)})
    items = tuple(updated if i.indicator_id == indicator.indicator_id else i
                  for i in strategy.indicators)
    return dataclasses.replace(strategy, indicators=items, history=(*strategy.history, entry))


def add_evaluation(strategy: Strategy, evaluation: Evaluation, at: str) -> Strategy:
    """Return ``strategy`` with ``evaluation`` added, kept in history under its target.

    Raises ``ValueError`` when the evaluation's id is taken or its target does not exist.
    """
    entry = HistoryEntry(evaluation.target_kind, evaluation.target_id, at,
                         evaluation.author_role,
                         {"evaluation_added": dataclasses.asdict(evaluation)})
    return dataclasses.replace(strategy, evaluations=(*strategy.evaluations, evaluation),
                               history=(*strategy.history, entry))
