"""Writing to the strategies in a store: add a measure, change its status, record an indicator.

Each function reads the strategies (``load_strategies``), applies the change through the model
(``layers.strategy.model``, which validates it and adds a :class:`HistoryEntry` with the role,
the UTC time and what changed), and writes only the new or changed rows:

* new rows across tables (a measure, its links and its history entry; an observation and its
  history entry) go in one ``Store.append_batch``, so they are stored all together or not at all;
* a status change is an ``update_rows`` of the measure followed by the history append. The store
  has no transaction spanning both, so when the append fails the status is set back to its old
  value before the error propagates: either both are kept or neither.

Everything is validated before the first write; ``ValueError`` names what is wrong (unknown
strategy, goal, measure or indicator, a status outside ``MEASURE_STATUSES``, empty text, a value
that does not fit the indicator, a link outside the strategy's area). The area of a town's
strategy is the town's boundary; of a region's strategy, the boundaries of the store's towns in
that region. Town, locality, service, place, point and polygon links are checked against it;
pin, cell and police-district links name ids only and are taken as given.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
import shapely
from shapely.geometry import Point

from layers.store import Store
from layers.strategy.area import link_point, seeded_places
from layers.strategy.model import (
    HistoryEntry,
    Link,
    Measure,
    Observation,
    Strategy,
    add_observation,
    apply_change,
)
from layers.strategy.tables import load_strategies, strategy_frames

#: Link kinds naming a row of a per-town layer (``<kind>_id``), and that layer.
_ID_LAYERS = {"locality": "localities", "service": "services"}


def now() -> str:
    """The current UTC time as an ISO date-time (seconds), as history entries record it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def point_link(lon: float, lat: float, note: str = "") -> Link:
    """A ``point`` link to a clicked place (EPSG:4326), named by its rounded lat, lon; its
    ``measure_id`` is left empty for :func:`add_measure` to fill in."""
    return Link("", "point", f"{lat:.5f}, {lon:.5f}", Point(lon, lat).wkt, note)


def add_measure(store: Store, strategy_id: str, goal_id: str, text: str,
                owners: Sequence[str], status: str, time_frame: str, links: Sequence[Link],
                who_role: str, at: str | None = None) -> str:
    """Add a measure serving ``goal_id`` of ``strategy_id``; return its new id.

    ``text`` is the measure's wording (its title); ``links``' ``measure_id`` is ignored (the
    new id is set). ``at`` defaults to :func:`now`. Raises ``ValueError`` before writing
    anything (see the module docstring), ``StoreError`` when the store refuses the batch (the
    store is then unchanged).
    """
    strategy = _strategy(store, strategy_id)
    if goal_id not in {g.goal_id for g in strategy.goals}:
        raise ValueError(f"no goal {goal_id!r} in strategy {strategy_id}")
    if not text.strip():
        raise ValueError("the measure's text must not be empty")
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
    store.append_batch([
        ("measures", frames["measures"][frames["measures"]["measure_id"] == measure_id]),
        ("measure_links",
         frames["measure_links"][frames["measure_links"]["measure_id"] == measure_id]),
        ("history", frames["history"].tail(1))])
    return measure_id


def update_measure_status(store: Store, measure_id: str, status: str, who_role: str,
                          at: str | None = None) -> bool:
    """Set the status of ``measure_id``; return False (writing nothing) when it already has it.

    Raises ``ValueError`` for an unknown measure or status or an empty role; on a failed
    history write the old status is restored and the error re-raised.
    """
    strategy = _owner(store, "measure", measure_id)
    old = strategy.measure(measure_id).status
    changed = apply_change(strategy, "measure", measure_id, {"status": status}, who_role,
                           at or now())
    if changed is strategy:
        return False
    history = strategy_frames([changed])["history"].tail(1)
    store.update_rows("measures", "measure_id",
                      pd.DataFrame({"measure_id": [measure_id], "status": [status]}))
    try:
        store.append_batch([("history", history)])
    except BaseException:
        store.update_rows("measures", "measure_id",
                          pd.DataFrame({"measure_id": [measure_id], "status": [old]}))
        raise
    return True


def add_indicator_observation(store: Store, indicator_id: str, value: str, date: str,
                              who_role: str, note: str = "", at: str | None = None) -> None:
    """Record ``value`` of ``indicator_id`` observed on ``date`` (``YYYY[-MM[-DD]]``).

    Raises ``ValueError`` for an unknown indicator, a bad date or a value that does not fit
    the indicator's kind; the observation and its history entry are written in one batch.
    """
    strategy = _owner(store, "indicator", indicator_id)
    observation = Observation(indicator_id, date.strip(), value.strip(), note.strip())
    changed = add_observation(strategy, observation, who_role, at or now())
    frames = strategy_frames([changed])
    observations = frames["observations"]
    mine = observations[observations["indicator_id"] == indicator_id]
    store.append_batch([("observations", mine.tail(1)), ("history", frames["history"].tail(1))])


# --- helpers ------------------------------------------------------------------------------

def _strategy(store: Store, strategy_id: str) -> Strategy:
    for strategy in load_strategies(store):
        if strategy.strategy_id == strategy_id:
            return strategy
    raise ValueError(f"no strategy {strategy_id!r} in {store.location}")


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
    towns = store.read("towns")
    if strategy.town_id is not None:
        towns = towns[towns["town_id"] == strategy.town_id]
    else:
        towns = towns[towns["kod_kraj"].astype(str) == str(strategy.region_code)]
    if towns.empty:
        raise ValueError(f"strategy {strategy.strategy_id} has no town in {store.location} "
                         "to link measures to")
    town_ids = set(towns["town_id"].astype(str))
    area = shapely.union_all(towns.geometry.to_numpy())
    places = seeded_places()
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
        if kind == "polygon" and link.wkt and not area.intersects(shapely.from_wkt(link.wkt)):
            raise ValueError(f"{what}: the drawn area {target!r} lies outside its towns")
