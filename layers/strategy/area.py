"""What the strategies say about one area (a town, or one locality in it), linked to the map.

:func:`area_view` gathers, for a town and optionally one of its localities:

* the strategies concerning the area and, per strategy, its goal tree (nested by
  ``parent_id`` in document order) with the measures that concern the area under their goals;
* an indicator table (baseline, latest observation, change);
* the public fear-hotspot cells of the area and whether a measure addresses each of them.

A measure *concerns* the area when one of its links names the town, the locality (or, for the
whole town, any of its localities), a place, a clicked point or a service inside the area, or
a drawn polygon meeting it; for the whole town every measure of the town's own document
concerns it too, and every measure of a regional document (``region_code`` equal to the
town's ``kod_kraj``) concerns each town of the region and each of its localities: a region's
measures are region-wide, linked to no place.

A hotspot cell is *addressed* when an active measure (status planned, in progress or done; an
ended or suspended measure addresses nothing any more) has a link covering it: a place within
``PLACE_RADIUS_M`` metres (a named place or a clicked point alike), or a locality or drawn
polygon containing the cell's centre. Links
to the whole town, services or police districts address no particular cell.

Cells are the public view of approved pins (``layers.privacy``): sensitive answers only in
cells with at least ``k`` of them, and the non-sensitive fear answers aggregated to the same
grid with the same ``k``; positive answers (``feel_good``, ``develop``) are not fear.
Geometries come back in EPSG:4326; distances are measured in EPSG:5514.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric, to_storage
from layers.places import place_points
from layers.privacy import grid_cells, public_pin_view
from layers.schema import ANO_CASTECNE_NE, LOCALITIES, PINS, SERVICES, TOWNS
from layers.store import Store
from layers.strategy.model import Goal, Indicator, Link, Measure, Observation, Strategy
from layers.strategy.tables import load_strategies
from layers.vocabulary import POSITIVE_CATEGORIES

#: A place link covers hotspot cells this close to the place (metres, EPSG:5514).
PLACE_RADIUS_M: Final = 150.0
#: Smallest number of answers a public cell shows (as on the map page).
HOTSPOT_K: Final = 5
#: Side of the public cells in metres (as on the map page).
HOTSPOT_CELL_M: Final = 200.0
#: Statuses of measures that still address a place.
ACTIVE_STATUSES: Final = ("planned", "in_progress", "done")
#: Pin categories that are not fears.
NOT_FEAR: Final = POSITIVE_CATEGORIES
#: ANO/ČÁSTEČNĚ/NE from worst to best.
_ANSWER_RANK: Final = {value: rank for rank, value in enumerate(reversed(ANO_CASTECNE_NE))}
#: The arrow shown with each change of an indicator (up: improved, down: worsened).
CHANGE_ARROWS: Final = {"better": "↗", "worse": "↘", "same": "→", "not_comparable": "?"}


@dataclass(frozen=True)
class GoalNode:
    """A goal, the measures under it that concern the area, and its sub-goals."""

    goal: Goal
    measures: tuple[Measure, ...]
    children: tuple[GoalNode, ...]

    def walk(self, depth: int = 0) -> Iterable[tuple[int, GoalNode]]:
        """This node and its descendants, depth first in document order, with their depth."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True)
class StrategyArea:
    """One strategy as it concerns the area: its goal tree and measures under no goal."""

    strategy: Strategy
    roots: tuple[GoalNode, ...]
    loose_measures: tuple[Measure, ...]


@dataclass(frozen=True)
class AreaView:
    """Everything :func:`area_view` finds; frames in EPSG:4326.

    ``places`` (label, measures, geometry) are the places the concerning measures name;
    ``areas`` (label, measures, area_m2, geometry) the drawn areas they are linked to that
    meet the area (``area_m2`` measured in EPSG:5514); ``services`` the linked services of
    the area; ``cells`` the public hotspot cells of the area with ``count``,
    ``category_counts`` (JSON), ``addressed`` (bool) and ``measures`` (numbers or titles of
    the active measures covering the cell, "; "-joined).
    """

    town_id: str
    locality_id: str | None
    strategies: tuple[StrategyArea, ...]
    indicators: pd.DataFrame
    boundary: gpd.GeoDataFrame
    locality: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    services: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    #: The answers behind ``cells`` are illustrative (generated), not real.
    illustrative: bool = False

    @property
    def unaddressed(self) -> gpd.GeoDataFrame:
        """The hotspot cells no active measure covers."""
        return self.cells[~self.cells["addressed"].astype(bool)].reset_index(drop=True)


@dataclass(frozen=True)
class Change:
    """How an indicator moved from baseline to the latest observation.

    ``direction`` is "better", "worse" or "same", judged by the indicator's own direction
    (higher or lower is better): ANO/ČÁSTEČNĚ/NE answers rank NE < ČÁSTEČNĚ < ANO, numbers
    compare by value, prose by the change the document's wording states. ``difference`` is
    latest − baseline for numbers. ``direction`` is None when nothing can be compared (a value
    missing, or prose whose wording says no change).
    """

    direction: str | None = None
    difference: float | None = None

    @property
    def word(self) -> str:
        """The change as a code of ``layers.schema.INDICATOR_CHANGES``."""
        return self.direction or "not_comparable"


def indicator_change(kind: str, baseline: str | None, latest: str | None,
                     direction: str = "higher_better", assessed: str = "") -> Change:
    """The :class:`Change` between two values of an indicator of ``kind`` that improves in
    ``direction`` ("higher_better" or "lower_better"); ``assessed`` is, for prose, the change
    the latest reading's wording states (``Observation.assessed_change``).

    Raises ``ValueError`` for an ANO/ČÁSTEČNĚ/NE value outside that vocabulary or a numeric
    value that is not a number.
    """
    if baseline is None or latest is None:
        return Change()
    sign = 1 if direction == "higher_better" else -1
    if kind == "ano_castecne_ne":
        try:
            step = _ANSWER_RANK[latest] - _ANSWER_RANK[baseline]
        except KeyError as exc:
            raise ValueError(f"{exc.args[0]!r} is not one of {ANO_CASTECNE_NE}") from None
        return Change(direction=_judged(sign * step))
    if kind == "numeric":
        difference = float(latest) - float(baseline)
        return Change(direction=_judged(sign * difference), difference=difference)
    return Change(direction=assessed or None)


def _judged(improvement: float) -> str:
    return "better" if improvement > 0 else "worse" if improvement < 0 else "same"


def indicator_table(strategies: Sequence[Strategy]) -> pd.DataFrame:
    """One row per indicator of ``strategies`` in document order.

    Columns: strategy_id, indicator_id, goal (number), name, kind, unit, direction (which
    way it improves), baseline, baseline_date, latest, latest_date (the observation with the
    latest date, an undated one before any dated one; document order breaks ties; dates None
    where the document gives none), change (``INDICATOR_CHANGES``), arrow, difference (NaN
    when none).
    """
    rows = []
    for strategy in strategies:
        numbers = {g.goal_id: g.number for g in strategy.goals}
        for indicator in strategy.indicators:
            latest = _latest(indicator)
            change = indicator_change(indicator.kind, indicator.baseline_value,
                                      latest.value if latest else None, indicator.direction,
                                      latest.assessed_change if latest else "")
            rows.append({
                "strategy_id": strategy.strategy_id, "indicator_id": indicator.indicator_id,
                "goal": numbers.get(indicator.goal_id or "", ""), "name": indicator.name,
                "kind": indicator.kind, "unit": indicator.unit,
                "direction": indicator.direction,
                "baseline": indicator.baseline_value, "baseline_date": indicator.baseline_date,
                "latest": latest.value if latest else None,
                "latest_date": (latest.date or None) if latest else None,
                "change": change.word, "arrow": CHANGE_ARROWS[change.word],
                "difference": np.nan if change.difference is None else change.difference})
    return pd.DataFrame(rows, columns=[
        "strategy_id", "indicator_id", "goal", "name", "kind", "unit", "direction", "baseline",
        "baseline_date", "latest", "latest_date", "change", "arrow", "difference"])


def _latest(indicator: Indicator) -> Observation | None:
    # dates share the ISO prefix form, so text order is time order ("2024" < "2024-06")
    ordered = sorted(indicator.observations, key=lambda o: o.date)
    return ordered[-1] if ordered else None


def goal_tree(strategy: Strategy, measures: Sequence[Measure]) -> StrategyArea:
    """``strategy``'s goals nested by ``parent_id`` in document order, each with those of
    ``measures`` that serve it (a measure serving two goals appears under both)."""
    chosen = {m.measure_id for m in measures}
    under: dict[str, list[Measure]] = {}
    for measure in strategy.measures:
        if measure.measure_id in chosen:
            for goal_id in measure.goal_ids:
                under.setdefault(goal_id, []).append(measure)
    children: dict[str | None, list[Goal]] = {}
    for goal in strategy.goals:
        children.setdefault(goal.parent_id, []).append(goal)

    def node(goal: Goal) -> GoalNode:
        return GoalNode(goal, tuple(under.get(goal.goal_id, ())),
                        tuple(node(child) for child in children.get(goal.goal_id, ())))

    loose = tuple(m for m in strategy.measures if m.measure_id in chosen and not m.goal_ids)
    return StrategyArea(strategy, tuple(node(g) for g in children.get(None, ())), loose)


def area_view(strategies: Sequence[Strategy], town: pd.Series, boundary: gpd.GeoDataFrame,
              localities: gpd.GeoDataFrame, services: gpd.GeoDataFrame,
              pins: gpd.GeoDataFrame, locality_id: str | None = None,
              places: Mapping[str, tuple[float, float]] | None = None) -> AreaView:
    """The :class:`AreaView` of ``town`` (a towns row: ``town_id``, ``kod_kraj``) or of its
    locality ``locality_id``.

    ``boundary``, ``localities``, ``services`` and ``pins`` are the town's layers (any CRS);
    ``places`` maps place labels to (lon, lat) (default ``layers.places.place_points()``); a
    label it lacks is left off the map. Raises ``KeyError`` for a locality not in ``localities``.
    """
    town_id = str(town["town_id"])
    places = place_points() if places is None else places
    boundary = to_storage(boundary)
    localities = to_storage(localities)
    services = to_storage(services)
    if locality_id is None:
        area = shapely.union_all(boundary.geometry.to_numpy())
        locality = localities.iloc[0:0]
    else:
        locality = localities[localities["locality_id"] == locality_id]
        if locality.empty:
            raise KeyError(f"no locality {locality_id!r} in town {town_id!r}")
        area = shapely.union_all(locality.geometry.to_numpy())
    own_localities = set(localities["locality_id"].astype(str))
    service_points = dict(zip(services["service_id"].astype(str), services.geometry,
                              strict=True))

    def concerns(measure: Measure, own_document: bool, regional: bool) -> bool:
        if regional or (own_document and locality_id is None):
            return True
        for link in measure.links:
            kind, target = link.target_kind, link.target_id
            if kind == "town" and target == town_id:
                return True
            if kind == "locality" and (target == locality_id if locality_id
                                       else target in own_localities):
                return True
            point = link_point(link, places)
            if point is not None and area.covers(point):
                return True
            if kind == "service" and target in service_points \
                    and area.covers(service_points[target]):
                return True
            if kind == "polygon" and link.wkt and area.intersects(shapely.from_wkt(link.wkt)):
                return True
        return False

    chosen: list[StrategyArea] = []
    measures: list[Measure] = []
    for strategy in strategies:
        own = strategy.town_id == town_id
        regional = strategy.town_id is None and strategy.region_code == str(town.get("kod_kraj"))
        picked = [m for m in strategy.measures if concerns(m, own, regional)]
        if picked or own or regional:
            chosen.append(goal_tree(strategy, picked))
            measures += picked
    linked_places = _linked_places(measures, places, area)
    linked_services = services[services["service_id"].astype(str).isin(
        {link.target_id for m in measures for link in m.links if link.target_kind == "service"})]
    cells = _hotspot_cells(pins, area)
    cells = _mark_addressed(cells, measures, places, localities)
    chosen.sort(key=lambda item: item.strategy.town_id != town_id)  # the town's own first
    return AreaView(town_id, locality_id, tuple(chosen),
                    indicator_table([s.strategy for s in chosen]), boundary,
                    locality.reset_index(drop=True), linked_places,
                    linked_services.reset_index(drop=True), cells,
                    _linked_areas(measures, area),
                    _any_synthetic(pins))


def _any_synthetic(pins: pd.DataFrame) -> bool:
    """Whether any pin is illustrative; frames built without the column hold real pins only."""
    if pins.empty or "synthetic" not in pins:
        return False
    return bool(pins["synthetic"].fillna(False).astype(bool).any())


def load_area(store: Store, town_id: str, locality_id: str | None = None) -> AreaView:
    """:func:`area_view` of a town in ``store``; ``KeyError`` for an unknown town or locality."""
    towns = store.read(TOWNS)
    match = towns[towns["town_id"] == town_id]
    if match.empty:
        raise KeyError(f"no town {town_id!r} in {store.location}")
    return area_view(load_strategies(store), match.iloc[0], gpd.GeoDataFrame(match),
                     store.read(LOCALITIES, town_id), store.read(SERVICES, town_id),
                     store.read(PINS, town_id), locality_id)


def link_point(link: Link, places: Mapping[str, tuple[float, float]]) -> Point | None:
    """The place (EPSG:4326) a ``place`` link names (None for a label ``places`` lacks) or a
    ``point`` link carries; None for other kinds."""
    if link.target_kind == "place" and link.target_id in places:
        return Point(places[link.target_id])
    if link.target_kind == "point" and link.wkt:
        shape = shapely.from_wkt(link.wkt)
        return shape if isinstance(shape, Point) else None
    return None


def _measure_name(measure: Measure) -> str:
    return measure.number or measure.title


def _linked_targets(measures: Sequence[Measure],
                    shape_of: Callable[[Link], shapely.Geometry | None]) -> gpd.GeoDataFrame:
    """One row per link target that ``shape_of`` gives a shape (EPSG:4326): ``label`` (the
    target), ``measures`` (the names of the measures linked to it, "; "-joined, first seen
    first) and its geometry (the shape of the first link naming it). Two clicked places
    named alike (near the same address) stay two rows: a target is its name and its WKT."""
    named: dict[tuple[str, str | None], list[str]] = {}
    shapes: dict[tuple[str, str | None], shapely.Geometry] = {}
    for measure in measures:
        for link in measure.links:
            shape = shape_of(link)
            if shape is not None:
                target = (link.target_id, link.wkt)
                shapes.setdefault(target, shape)
                names = named.setdefault(target, [])
                if _measure_name(measure) not in names:
                    names.append(_measure_name(measure))
    return gpd.GeoDataFrame(
        {"label": [label for label, _ in named],
         "measures": ["; ".join(v) for v in named.values()]},
        geometry=[shapes[target] for target in named], crs=STORAGE_CRS)


def _linked_places(measures: Sequence[Measure], places: Mapping[str, tuple[float, float]],
                   area: shapely.Geometry) -> gpd.GeoDataFrame:
    frame = _linked_targets(measures, lambda link: link_point(link, places))
    return frame[frame.geometry.within(area)].reset_index(drop=True)


def _polygon_of(link: Link) -> shapely.Geometry | None:
    return shapely.from_wkt(link.wkt) if link.target_kind == "polygon" and link.wkt else None


def _linked_areas(measures: Sequence[Measure], area: shapely.Geometry) -> gpd.GeoDataFrame:
    frame = _linked_targets(measures, _polygon_of)
    frame = frame[frame.geometry.intersects(area)].reset_index(drop=True)
    frame["area_m2"] = to_metric(frame).geometry.area.to_numpy()
    return frame[["label", "measures", "area_m2", "geometry"]]


def _hotspot_cells(pins: gpd.GeoDataFrame, area: shapely.Geometry) -> gpd.GeoDataFrame:
    """Public fear cells (see the module docstring) meeting ``area``, EPSG:4326."""
    exact, sensitive = public_pin_view(pins, k=HOTSPOT_K, cell_m=HOTSPOT_CELL_M)
    fears = exact[~exact["category"].isin(NOT_FEAR)]
    plain = grid_cells(to_metric(fears), HOTSPOT_K, HOTSPOT_CELL_M)
    both = to_metric(pd.concat([sensitive, plain], ignore_index=True))
    centres = both.geometry.centroid
    both["col"] = np.floor(centres.x / HOTSPOT_CELL_M).astype(np.int64)
    both["row"] = np.floor(centres.y / HOTSPOT_CELL_M).astype(np.int64)
    rows = []
    for (_, _), group in both.groupby(["col", "row"], sort=True):
        categories: Counter[str] = Counter()
        for text in group["category_counts"]:
            categories.update(json.loads(text))
        rows.append({"count": int(group["count"].sum()),
                     "category_counts": json.dumps(dict(sorted(categories.items()))),
                     "geometry": group.geometry.iloc[0]})
    cells = to_storage(gpd.GeoDataFrame(rows, columns=["count", "category_counts", "geometry"],
                                        geometry="geometry", crs=METRIC_CRS))
    # a cell merely touching the area's edge lies outside it
    cells = cells[cells.geometry.intersects(area) & ~cells.geometry.touches(area)]
    return cells.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def _mark_addressed(cells: gpd.GeoDataFrame, measures: Sequence[Measure],
                    places: Mapping[str, tuple[float, float]],
                    localities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``cells`` with ``addressed`` and ``measures`` (see :class:`AreaView`)."""
    metric = to_metric(cells).geometry
    centres = metric.centroid
    shapes = dict(zip(localities["locality_id"].astype(str),
                      to_metric(localities).geometry, strict=True))
    covering: list[list[str]] = [[] for _ in range(len(cells))]
    for measure in measures:
        if measure.status not in ACTIVE_STATUSES:
            continue
        hit = np.zeros(len(cells), dtype=bool)
        for link in measure.links:
            point = link_point(link, places)
            if point is not None:
                hit |= (metric.distance(_metric_geometry(point)) <= PLACE_RADIUS_M).to_numpy()
            elif link.target_kind == "locality" and link.target_id in shapes:
                hit |= centres.within(shapes[link.target_id]).to_numpy()
            elif link.target_kind == "polygon" and link.wkt:
                hit |= centres.within(_metric_geometry(shapely.from_wkt(link.wkt))).to_numpy()
        for index in np.flatnonzero(hit):
            covering[index].append(_measure_name(measure))
    out = cells.copy()
    out["addressed"] = [bool(names) for names in covering]
    out["measures"] = ["; ".join(names) for names in covering]
    return out


def _metric_geometry(shape: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([shape], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
