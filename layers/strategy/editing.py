"""Writing to the strategies in a store: add and edit goals, add and edit measures (and link
them to clicked points or drawn areas), change a measure's status, record an indicator.

Each write takes the :class:`~layers.access.principal.Principal` making it and first checks its
right ``edit_strategy`` (``AccessDenied`` before anything is read or written). It then reads the
strategies (``load_strategies``), applies the change through the model
(``layers.strategy.model``, which validates it and adds a :class:`HistoryEntry` with the
principal's role, the UTC time and what changed), and writes, in one store transaction, only
the new or changed rows, the history entry and an entry of the audit log
(``layers.access.audit``: who by username, what, which ids). The three are stored together or
not at all: when any write fails (the audit entry included) the store is left as it was and
the error (``StoreError`` for a refused write) propagates. The derived tables of a strategy
(``strategy_frames``) are built once per change.

Everything is validated before the first write; ``ValueError`` names what is wrong (unknown
strategy, goal, measure or indicator, a status outside ``MEASURE_STATUSES``, empty text, a value
that does not fit the indicator, a link outside the strategy's area). The area of a town's
strategy is the town's boundary; of a region's strategy, the boundaries of the store's towns in
that region. Town, locality, service, place, point and polygon links are checked against it (a
drawn polygon must be valid and lie wholly inside); pin, cell and police-district links name ids
only and are taken as given.

The goal and measure editors and the link functions raise :class:`EditRefused`, a
``ValueError`` whose ``code`` and ``params`` let a user interface say why in its own language.
A refusal writes nothing: the store stays byte-identical.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
import shapely.validation
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import EDIT_STRATEGY, PROPOSE_MEASURES
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.errors import InvalidInput, NotFound
from layers.places import place_points
from layers.schema import (
    GOALS,
    HISTORY,
    LOCALITIES,
    MEASURE_LINKS,
    MEASURES,
    OBSERVATIONS,
    SERVICES,
    TOWNS,
)
from layers.store import Store
from layers.strategy.area import link_point
from layers.strategy.model import (
    Goal,
    HistoryEntry,
    Link,
    Measure,
    Observation,
    Strategy,
    add_observation,
    apply_change,
    check_date,
)
from layers.strategy.tables import load_strategies, strategy_frames

#: Link kinds naming a row of a per-town layer (``<kind>_id``), and that layer.
_ID_LAYERS: Final = {"locality": LOCALITIES, "service": SERVICES}
#: A goal number: parts of letters or digits joined by dots ("1.1.1", "A1.2", "2.C").
GOAL_NUMBER: Final = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*$")


class EditRefused(InvalidInput):
    """A change refused before anything was written.

    ``code`` names the reason (``empty_text``, ``bad_number``, ``number_taken``, ...), ``params``
    the values its message needs.
    """


def now() -> str:
    """The current UTC time as an ISO date-time (seconds), as history entries record it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def point_link(lon: float, lat: float, name: str, note: str = "") -> Link:
    """A ``point`` link to a clicked place (EPSG:4326) called ``name`` as people say it (its
    nearest address, stop or part of town, ``layers.geocode``), never by its coordinates;
    its ``measure_id`` is left empty for :func:`add_measure` to fill in."""
    return Link("", "point", name, Point(lon, lat).wkt, note)


def add_measure(store: Store, principal: Principal, strategy_id: str, goal_id: str, text: str,
                owners: Sequence[str], status: str, time_frame: str, links: Sequence[Link],
                at: str | None = None) -> str:
    """Add a measure serving ``goal_id`` of ``strategy_id``; return its new id.

    ``text`` is the measure's wording (its title); ``links``' ``measure_id`` is ignored (the
    new id is set). ``at`` defaults to :func:`now`. A measure in status "planned" needs the
    right ``propose_measures`` (police propose a patrol measure), any other status
    ``edit_strategy``. Raises ``AccessDenied`` and ``ValueError`` before writing anything (see
    the module docstring), ``StoreError`` when the store refuses a write (the store is then
    unchanged).
    """
    if status == "planned" and principal.can(PROPOSE_MEASURES):
        who_role = principal.role
    else:
        who_role = _author(principal)
    strategy = _strategy(store, strategy_id)
    _require_area(principal, store, strategy)
    if goal_id not in {g.goal_id for g in strategy.goals}:
        raise NotFound("strategy.no_goal", goal=goal_id, strategy=strategy_id)
    if not text.strip():
        raise EditRefused("empty_text")
    measure_id = f"{strategy_id}:measure:{uuid.uuid4().hex[:8]}"
    bound = tuple(dataclasses.replace(link, measure_id=measure_id) for link in links)
    _check_links(store, strategy, bound)
    measure = Measure(measure_id, strategy_id, text.strip(), goal_ids=(goal_id,),
                      owners=tuple(o.strip() for o in owners if o.strip()),
                      time_frame=time_frame.strip(), status=status, links=bound)
    entry = HistoryEntry("measure", measure_id, at or now(), who_role, {"measure_added": {
        "goal_id": goal_id, "text": measure.title, "owners": list(measure.owners),
        "status": status, "time_frame": measure.time_frame,
        "links": [{"kind": k.target_kind, "target": k.target_id, "wkt": k.wkt} for k in bound]}})
    changed = dataclasses.replace(strategy, measures=(*strategy.measures, measure),
                                  history=(*strategy.history, entry))
    frames = strategy_frames([changed])
    with store.transaction():
        store.append_batch([
            (MEASURES, frames["measures"][frames["measures"]["measure_id"] == measure_id]),
            (MEASURE_LINKS,
             frames["measure_links"][frames["measure_links"]["measure_id"] == measure_id]),
            (HISTORY, frames["history"].tail(1))])
        audit.record(store, principal, "add_measure", MEASURES.name, [measure_id], {
            "strategy_id": strategy_id, "goal_id": goal_id, "status": status,
            "links": [k.target_kind for k in bound]}, town_id=_town(strategy))
    return measure_id


def update_measure_status(store: Store, principal: Principal, measure_id: str, status: str,
                          at: str | None = None) -> bool:
    """Set the status of ``measure_id``; return False (writing nothing) when it already has it.

    Raises ``AccessDenied``, ``ValueError`` for an unknown measure or status, ``StoreError``
    when a write fails (nothing is then stored).
    """
    who_role = _author(principal)
    strategy = _owner(store, "measure", measure_id)
    _require_area(principal, store, strategy)
    old = strategy.measure(measure_id).status
    changed = apply_change(strategy, "measure", measure_id, {"status": status}, who_role,
                           at or now())
    if changed is strategy:
        return False
    with store.transaction():
        store.update_rows(MEASURES, "measure_id",
                          pd.DataFrame({"measure_id": [measure_id], "status": [status]}))
        store.append(HISTORY, strategy_frames([changed])["history"].tail(1))
        audit.record(store, principal, "change_measure_status", MEASURES.name, [measure_id],
                     {"old": old, "new": status}, town_id=_town(strategy))
    return True


def add_indicator_observation(store: Store, principal: Principal, indicator_id: str,
                              value: str, date: str, note: str = "",
                              at: str | None = None) -> None:
    """Record ``value`` of ``indicator_id`` observed on ``date`` (``YYYY[-MM[-DD]]``).

    Raises ``AccessDenied``, ``ValueError`` for an unknown indicator, a bad date or a value
    that does not fit the indicator's kind; the observation, its history entry and the audit
    entry are written in one transaction.
    """
    who_role = _author(principal)
    # a document may leave a reading undated; a reading recorded in the app always has one
    check_date(date.strip(), f"observation of {indicator_id}: date")
    strategy = _owner(store, "indicator", indicator_id)
    _require_area(principal, store, strategy)
    observation = Observation(indicator_id, date.strip(), value.strip(), note.strip())
    changed = add_observation(strategy, observation, who_role, at or now())
    frames = strategy_frames([changed])
    observations = frames["observations"]
    mine = observations[observations["indicator_id"] == indicator_id]
    with store.transaction():
        store.append_batch([(OBSERVATIONS, mine.tail(1)), (HISTORY, frames["history"].tail(1))])
        audit.record(store, principal, "add_observation", OBSERVATIONS.name, [indicator_id],
                     {"date": observation.date, "value": observation.value},
                     town_id=_town(strategy))


def add_goal(store: Store, principal: Principal, strategy_id: str, parent_id: str | None,
             number: str, text: str, description: str = "", at: str | None = None) -> str:
    """Add a goal to ``strategy_id`` under ``parent_id`` (None: a top-level goal); return its id.

    ``number`` must be a goal number (:data:`GOAL_NUMBER`) not yet used in the strategy and,
    under a numbered parent, continue the parent's number by one part ("1.1.6" under "1.1").
    The goal is ``specific`` under a parent, ``long_term`` at the top. It, its history entry
    and the audit entry are written in one transaction. Raises ``AccessDenied`` or
    :class:`EditRefused` (nothing written).
    """
    who_role = _author(principal)
    strategy = _strategy(store, strategy_id)
    _require_area(principal, store, strategy)
    parent = None
    if parent_id is not None:
        try:
            parent = strategy.goal(parent_id)
        except KeyError:
            raise EditRefused("no_parent", parent=parent_id, strategy=strategy_id) from None
    _require_text(text)
    goal_id = f"{strategy_id}:goal:{uuid.uuid4().hex[:8]}"
    number = _check_number(strategy, goal_id, number.strip(), parent)
    goal = Goal(goal_id, strategy_id, number, text.strip(),
                "specific" if parent else "long_term", parent_id, description.strip())
    entry = HistoryEntry("goal", goal_id, at or now(), who_role, {"goal_added": {
        "parent_id": parent_id, "number": number, "text": goal.text,
        "description": goal.description}})
    changed = dataclasses.replace(strategy, goals=(*strategy.goals, goal),
                                  history=(*strategy.history, entry))
    frames = strategy_frames([changed])
    with store.transaction():
        store.append_batch([(GOALS, frames["goals"].tail(1)),
                            (HISTORY, frames["history"].tail(1))])
        audit.record(store, principal, "add_goal", GOALS.name, [goal_id],
                     {"strategy_id": strategy_id, "parent_id": parent_id, "number": number},
                     town_id=_town(strategy))
    return goal_id


def edit_goal(store: Store, principal: Principal, goal_id: str, number: str, text: str,
              description: str, at: str | None = None) -> bool:
    """Set the number, text and description of ``goal_id``; return False (writing nothing)
    when nothing changes.

    A new number follows the rules of :func:`add_goal`; the sub-goals are renumbered with it
    ("1.1" → "1.2" makes "1.1.3" "1.2.3"), all kept in the one history entry of the goal.
    Raises ``AccessDenied`` or :class:`EditRefused` (nothing written), ``StoreError`` when a
    write fails (nothing is then stored).
    """
    who_role = _author(principal)
    strategy = _owner(store, "goal", goal_id)
    _require_area(principal, store, strategy)
    goal = strategy.goal(goal_id)
    parent = strategy.goal(goal.parent_id) if goal.parent_id else None
    _require_text(text)
    # a goal the document left unnumbered (often the long-term one) may stay so
    number = _check_number(strategy, goal_id, number.strip(), parent,
                           allow_empty=not goal.number)
    new = {goal_id: dataclasses.replace(goal, number=number, text=text.strip(),
                                        description=description.strip())}
    if number != goal.number:
        for descendant in _descendants(strategy, goal_id):
            if goal.number and descendant.number.startswith(goal.number + "."):
                new[descendant.goal_id] = dataclasses.replace(
                    descendant, number=number + descendant.number[len(goal.number):])
    record: dict[str, object] = {
        name: {"old": getattr(goal, name), "new": getattr(new[goal_id], name)}
        for name in ("number", "text", "description")
        if getattr(goal, name) != getattr(new[goal_id], name)}
    if not record:
        return False
    renumbered = {gid: {"old": strategy.goal(gid).number, "new": g.number}
                  for gid, g in new.items() if gid != goal_id}
    if renumbered:
        record["renumbered"] = renumbered
    entry = HistoryEntry("goal", goal_id, at or now(), who_role, record)
    try:
        changed = dataclasses.replace(
            strategy, goals=tuple(new.get(g.goal_id, g) for g in strategy.goals),
            history=(*strategy.history, entry))
    except ValueError as exc:  # sub-goals whose numbers cannot follow the new one
        raise EditRefused("inconsistent", problem=str(exc)) from None
    frames = strategy_frames([changed])
    goals = frames["goals"]
    with store.transaction():
        store.update_rows(GOALS, "goal_id", goals[goals["goal_id"].isin(list(new))][
            ["goal_id", "number", "text", "description"]])
        store.append(HISTORY, frames["history"].tail(1))
        audit.record(store, principal, "edit_goal", GOALS.name, list(new),
                     {"fields": sorted(set(record) - {"renumbered"})}, town_id=_town(strategy))
    return True


def next_goal_number(strategy: Strategy, parent_id: str | None) -> str:
    """A free number for a new goal under ``parent_id`` (None: the top level): one after the
    highest numeric last part among its siblings ("1.1.6" after "1.1.5"), under the parent's
    number or, for an unnumbered parent, the siblings' common beginning. Raises ``KeyError``
    for an unknown parent."""
    siblings = [g.number for g in strategy.goals if g.parent_id == parent_id and g.number]
    base = strategy.goal(parent_id).number if parent_id else ""
    if not base and siblings:
        base = siblings[-1].rpartition(".")[0]
    last = max((int(n.rpartition(".")[2]) for n in siblings
                if n.rpartition(".")[2].isdigit()), default=0)
    taken = {g.number for g in strategy.goals}
    while True:
        last += 1
        number = f"{base}.{last}" if base else str(last)
        if number not in taken:
            return number


#: Measure fields :func:`edit_measure` sets (``title`` is the measure's wording).
MEASURE_FIELDS: Final = ("title", "owners", "partners", "target_groups", "time_frame",
                         "budget_czk", "budget_note")


def edit_measure(store: Store, principal: Principal, measure_id: str,
                 changes: Mapping[str, Any], at: str | None = None) -> bool:
    """Set fields of ``measure_id`` (names in :data:`MEASURE_FIELDS`; lists for owners,
    partners and target groups, whose blank items are dropped; ``budget_czk`` a non-negative
    number of CZK or None); return False (writing nothing) when nothing changes.

    Raises ``AccessDenied``, :class:`EditRefused` for an unknown field, an empty text or a
    negative budget (nothing written), ``StoreError`` when a write fails (nothing is then
    stored).
    """
    who_role = _author(principal)
    strategy = _owner(store, "measure", measure_id)
    _require_area(principal, store, strategy)
    clean: dict[str, object] = {}
    for name, value in changes.items():
        if name not in MEASURE_FIELDS:
            raise EditRefused("bad_field", field=name)
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, list | tuple):
            value = [item.strip() for item in value if item.strip()]
        clean[name] = value
    if "title" in clean:
        _require_text(str(clean["title"]))
    budget = clean.get("budget_czk")
    if budget is not None and not (isinstance(budget, int | float) and budget >= 0):
        raise EditRefused("bad_budget", value=budget)
    changed = apply_change(strategy, "measure", measure_id, clean, who_role, at or now())
    if changed is strategy:
        return False
    touched = ["measure_id", *changed.history[-1].change]
    frames = strategy_frames([changed])
    measures = frames["measures"]
    with store.transaction():
        store.update_rows(MEASURES, "measure_id",
                          measures[measures["measure_id"] == measure_id][touched])
        store.append(HISTORY, frames["history"].tail(1))
        audit.record(store, principal, "edit_measure", MEASURES.name, [measure_id],
                     {"fields": touched[1:]}, town_id=_town(strategy))
    return True


def parse_budget(text: str) -> float | None:
    """CZK from what a person types ("1 200 000", "350000,50", "" for none).

    Raises :class:`EditRefused` (``bad_budget``) for anything else or a negative amount.
    """
    compact = re.sub(r"\s|\u00a0|Kč$", "", text.strip()).replace(",", ".")
    if not compact:
        return None
    try:
        value = float(compact)
    except ValueError:
        raise EditRefused("bad_budget", value=text) from None
    if not value >= 0:
        raise EditRefused("bad_budget", value=text)
    return value


def polygon_link(geometry: Mapping[str, Any], place: Callable[[Point], str],
                 note: str = "") -> tuple[Link, float]:
    """A ``polygon`` link of a drawn area (a GeoJSON geometry, EPSG:4326) and its area in
    square metres (computed in EPSG:5514); ``measure_id`` is left empty.

    The link is named as people say it: ``place`` of a point inside the area (its nearest
    address, stop or part of town, ``layers.geocode``) and its size. Raises
    :class:`EditRefused` for something other than a (multi)polygon, or an invalid one
    (self-crossing, empty).
    """
    try:
        drawn = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
        raise EditRefused("not_polygon", kind="?") from None
    if not isinstance(drawn, Polygon | MultiPolygon):
        raise EditRefused("not_polygon", kind=drawn.geom_type)
    if drawn.is_empty or not drawn.is_valid:
        reason = shapely.validation.explain_validity(drawn) if not drawn.is_empty else "empty"
        raise EditRefused("invalid_polygon", reason=reason)
    area_m2 = float(gpd.GeoSeries([drawn], crs=STORAGE_CRS).to_crs(METRIC_CRS).area.iloc[0])
    size = f"{round(area_m2):,}".replace(",", "\u00a0")
    return Link("", "polygon", f"{place(drawn.representative_point())} – plocha {size} m²",
                drawn.wkt, note), area_m2


def add_measure_link(store: Store, principal: Principal, measure_id: str, link: Link,
                     at: str | None = None) -> None:
    """Link ``measure_id`` to one more place (``link``'s ``measure_id`` is ignored).

    The link is checked like :func:`add_measure`'s; it, its history entry and the audit
    entry are written in one transaction. Raises ``AccessDenied``, :class:`EditRefused` or
    ``ValueError`` (nothing written).
    """
    who_role = _author(principal)
    strategy = _owner(store, "measure", measure_id)
    _require_area(principal, store, strategy)
    measure = strategy.measure(measure_id)
    bound = dataclasses.replace(link, measure_id=measure_id)
    _check_links(store, strategy, [bound])
    entry = HistoryEntry("measure", measure_id, at or now(), who_role, {"link_added": {
        "kind": bound.target_kind, "target": bound.target_id, "wkt": bound.wkt}})
    updated = dataclasses.replace(measure, links=(*measure.links, bound))
    changed = dataclasses.replace(
        strategy, measures=tuple(updated if m.measure_id == measure_id else m
                                 for m in strategy.measures),
        history=(*strategy.history, entry))
    frames = strategy_frames([changed])
    links = frames["measure_links"]
    with store.transaction():
        store.append_batch([(MEASURE_LINKS, links[links["measure_id"] == measure_id].tail(1)),
                            (HISTORY, frames["history"].tail(1))])
        audit.record(store, principal, "add_measure_link", MEASURE_LINKS.name, [measure_id],
                     {"kind": bound.target_kind, "target": bound.target_id},
                     town_id=_town(strategy))


# --- helpers ------------------------------------------------------------------------------

def _require_text(text: str) -> None:
    if not text.strip():
        raise EditRefused("empty_text")


def _author(principal: Principal) -> str:
    """The role history records for ``principal``; ``AccessDenied`` without ``edit_strategy``."""
    principal.require(EDIT_STRATEGY)
    return principal.role


def _area_towns(store: Store, strategy: Strategy) -> list[str]:
    """The towns of ``strategy``'s area: its town, or the region's towns in the store."""
    if strategy.town_id is not None:
        return [strategy.town_id]
    towns = store.read(TOWNS)
    return sorted(towns.loc[towns["kod_kraj"].astype(str) == str(strategy.region_code),
                            "town_id"].astype(str))


def _town(strategy: Strategy) -> str:
    """The town audit entries about ``strategy`` name ("" for a region's)."""
    return strategy.town_id or ""


def _require_area(principal: Principal, store: Store, strategy: Strategy) -> None:
    """``AccessDenied`` unless every town of ``strategy``'s area is within ``principal``'s
    towns (a region's strategy is its coordinator's, not one town's)."""
    for town in _area_towns(store, strategy):
        principal.require_town(town)


def _check_number(strategy: Strategy, goal_id: str, number: str, parent: Goal | None,
                  allow_empty: bool = False) -> str:
    """``number`` for the goal ``goal_id`` under ``parent`` (see :func:`add_goal`); an empty
    one only with ``allow_empty`` and no numbered parent."""
    if not number and allow_empty and not (parent and parent.number):
        return number
    if not GOAL_NUMBER.match(number):
        raise EditRefused("bad_number", number=number)
    for other in strategy.goals:
        if other.goal_id != goal_id and other.number == number:
            raise EditRefused("number_taken", number=number,
                              strategy=strategy.strategy_id)
    if parent is not None and parent.number and number.rpartition(".")[0] != parent.number:
        raise EditRefused("number_not_under_parent", number=number, parent=parent.number)
    return number


def _descendants(strategy: Strategy, goal_id: str) -> list[Goal]:
    out: list[Goal] = []
    for goal in strategy.goals:
        if goal.parent_id == goal_id:
            out += [goal, *_descendants(strategy, goal.goal_id)]
    return out


def _strategy(store: Store, strategy_id: str) -> Strategy:
    for strategy in load_strategies(store):
        if strategy.strategy_id == strategy_id:
            return strategy
    raise NotFound("strategy.unknown", strategy=strategy_id, location=store.location)


def _owner(store: Store, entity: str, entity_id: str) -> Strategy:
    """The strategy holding the measure or indicator ``entity_id``."""
    for strategy in load_strategies(store):
        try:
            getattr(strategy, entity)(entity_id)
        except KeyError:
            continue
        return strategy
    raise ValueError(f"no {entity} {entity_id!r} in {store.location}")


def _check_links(store: Store, strategy: Strategy, links: Sequence[Link]) -> None:
    """Raise ``ValueError`` for a link outside ``strategy``'s area (module docstring)."""
    if not links:
        return
    towns = store.read(TOWNS)
    if strategy.town_id is not None:
        towns = towns[towns["town_id"] == strategy.town_id]
    else:
        towns = towns[towns["kod_kraj"].astype(str) == str(strategy.region_code)]
    if towns.empty:
        raise NotFound("strategy.no_town", strategy=strategy.strategy_id,
                       location=store.location)
    town_ids = set(towns["town_id"].astype(str))
    area = shapely.union_all(towns.geometry.to_numpy())
    places = place_points()
    what = f"strategy {strategy.strategy_id}"
    for link in links:
        kind, target = link.target_kind, link.target_id
        if kind == "town" and target not in town_ids:
            raise ValueError(f"{what}: town {target!r} is outside its area")
        if kind in _ID_LAYERS:
            ids = {str(v) for town_id in town_ids
                   for v in store.read(_ID_LAYERS[kind], town_id)[f"{kind}_id"]}
            if target not in ids:
                raise ValueError(f"{what}: {kind} {target!r} is not in its towns "
                                 f"({', '.join(sorted(town_ids))})")
        if kind == "place" and target not in places:
            raise ValueError(f"{what}: no place named {target!r}")
        point = link_point(link, places)
        if point is not None and not area.covers(point):
            raise ValueError(f"{what}: {kind} {target!r} (lon {point.x:.5f}, lat "
                             f"{point.y:.5f}) lies outside its towns "
                             f"({', '.join(sorted(town_ids))})")
        if kind == "polygon" and link.wkt:
            drawn = shapely.from_wkt(link.wkt)
            if not drawn.is_valid:
                raise EditRefused("invalid_polygon",
                                  reason=shapely.validation.explain_validity(drawn))
            if not area.covers(drawn):
                raise EditRefused("polygon_outside", towns=", ".join(sorted(town_ids)))
