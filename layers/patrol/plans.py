"""A patrol plan: the chosen places in walking order with time windows, the route, its
coverage; kept in the store and linkable as a strategy measure.

:func:`build_plan` ranks the places (``ranking``), takes the first ``places`` of them, orders
them into a closed walking route (``route``) and measures its coverage (``coverage``).
:func:`save_plan` writes the plan to the layers ``patrol_plans`` (the route, EPSG:4326) and
``patrol_stops`` (the places) in one batch; :func:`load_plans` / :func:`load_stops` read them
back; :func:`save_as_measure` adds a measure (``layers.strategy.editing.add_measure``) linked
to every stop by a ``point`` link and records its id on the plan.

Both writes take the :class:`~layers.access.principal.Principal` asking: they need the right
``plan_patrols`` (``AccessDenied`` otherwise, before anything is written), record the
principal's role as ``who_role`` and append an audit-log entry (``layers.access.audit``).
Making a measure also needs ``edit_strategy``, checked by ``add_measure`` itself: a plan
does not let a patrol planner write a town's strategy.

Stops keep only what a public sheet may show: the cell id, the score, the time window and
answers by category (``reported`` JSON) — no pin ids, comments or exact sensitive points.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import PLAN_PATROLS
from layers.crs import METRIC_CRS, to_metric, to_storage
from layers.errors import InvalidInput, NotFound
from layers.geocode import Gazetteer, labels_of, place_labels
from layers.patrol.coverage import DEFAULT_DISTANCE_M, Coverage, coverage
from layers.patrol.ranking import FACTORS, Ranking, RankingRequest, rank_places
from layers.patrol.route import Route, StreetNetwork, plan_route
from layers.schema import AUDIT_LOG, CONTEXT_LINES, PATROL_PLANS, PATROL_STOPS, STREET_EDGES
from layers.store import Store
from layers.strategy.editing import add_measure, now, point_link

DEFAULT_PLACES: Final = 6
#: Wording of the measure a saved plan becomes (the issue's example).
MEASURE_TEXT: Final = "Posílení hlídek APK v exponovaných místech"
#: The name of a stop with no address, stop or part of town near it (its place in the round).
UNNAMED_STOP: Final = "{n}. zastávka obchůzky"
#: What every output of a plan built from generated pins or localities says (Czech first:
#: the files go to a patrol on the street).
ILLUSTRATIVE_NOTE: Final = ("Ilustrativní data: plán je sestaven z generovaných odpovědí "
                            "pocitové mapy, nikoli ze skutečných (illustrative data: the plan "
                            "is built from generated answers, not real ones)")


@dataclass(frozen=True)
class PatrolPlan:
    """A built plan. ``stops`` (EPSG:5514) are the chosen places in route order with
    ``position`` 1 … n, the ranking's columns, ``place_name`` (the nearest address, stop or
    part of town, "" where the town has none near) and ``nearest_stop`` (the nearest
    public-transport stop with its distance, "" without stops); ``coverage`` of the hot cells
    in scope."""

    ranking: Ranking
    stops: gpd.GeoDataFrame
    route: Route
    coverage: Coverage
    #: The town's own streets (``street_edges``, EPSG:5514, with ``name``) the round walks,
    #: for the sheet's map; None when the town has no street network.
    streets: gpd.GeoDataFrame | None = None
    #: Stops and streets (named at their address points) the sheet's map writes, EPSG:5514
    #: (``layers.geocode.Gazetteer.landmarks``); None when the town has neither.
    landmarks: gpd.GeoDataFrame | None = None

    @property
    def town_id(self) -> str:
        return self.ranking.request.town_id

    @property
    def illustrative(self) -> bool:
        """The pins it ranked or the locality it walks are generated (see ``Ranking``)."""
        return self.ranking.illustrative

    @property
    def illustrative_note(self) -> str:
        """:data:`ILLUSTRATIVE_NOTE` for an illustrative plan, "" for one from real data."""
        return ILLUSTRATIVE_NOTE if self.illustrative else ""


def build_plan(store: Store, request: RankingRequest, places: int = DEFAULT_PLACES,
               distance_m: float = DEFAULT_DISTANCE_M, mode: str = "auto") -> PatrolPlan:
    """Rank, pick the first ``places``, route and measure coverage (module docstring).

    Raises ``RankingError`` (no place to rank), ``ValueError`` for ``places`` < 1 or a bad
    mode or distance.
    """
    if places < 1:
        raise InvalidInput("patrol.no_places", places=places)
    ranking = rank_places(store, request)
    chosen = ranking.places.head(places).reset_index(drop=True)
    xy = np.column_stack([chosen.geometry.x, chosen.geometry.y])
    streets = own_streets(store, request.town_id)
    network = None
    if mode == "auto":
        network = StreetNetwork.from_edges(streets) if streets is not None else \
            StreetNetwork.from_lines(store.read(CONTEXT_LINES, request.town_id))
    route = plan_route(xy, network, mode)
    if route.moved is not None:  # the stops stand on the streets the round walks
        chosen = chosen.set_geometry(gpd.points_from_xy(*np.array(route.moved).T,
                                                        crs=chosen.crs))
    stops = chosen.iloc[list(route.order)].reset_index(drop=True)
    stops.insert(0, "position", np.arange(1, len(stops) + 1))
    # named for people: the nearest address (else stop, else part of town), and the nearest
    # stop with its distance, since fear near stops is a known pattern
    gazetteer = Gazetteer.from_store(store, request.town_id)
    at = np.column_stack([stops.geometry.x, stops.geometry.y])
    stops["place_name"] = labels_of(gazetteer.names(at))
    stops["nearest_stop"] = labels_of(gazetteer.nearest_stops(at))
    cover = coverage(route.line(), ranking.cells, ranking.hot_masks(), distance_m)
    landmarks = gazetteer.landmarks()
    return PatrolPlan(ranking=ranking, stops=stops, route=route, coverage=cover,
                      streets=streets, landmarks=landmarks if len(landmarks) else None)


def own_streets(store: Store, town_id: str) -> gpd.GeoDataFrame | None:
    """The town's own walking graph (``street_edges``, EPSG:5514) when it imported one."""
    if STREET_EDGES.name not in store.layer_names():
        return None
    edges = store.read(STREET_EDGES, town_id)
    return to_metric(gpd.GeoDataFrame(edges)) if len(edges) else None


def plan_frames(plan: PatrolPlan, plan_id: str, title: str, who_role: str,
                at: str | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The store rows of ``plan``: (``patrol_plans`` row, ``patrol_stops`` rows), EPSG:4326."""
    request = plan.ranking.request
    cover = plan.coverage
    row = {
        "plan_id": plan_id, "town_id": request.town_id,
        "locality_id": request.locality_id or "", "title": title, "created_at": at or now(),
        "who_role": who_role, "weights": json.dumps(request.weights.as_dict()),
        "times_of_day": json.dumps(list(request.times_of_day)), "method": plan.route.method,
        "length_m": plan.route.length_m, "walk_min": plan.route.walk_min,
        "total_min": plan.route.total_min, "distance_m": cover.distance_m,
        "coverage": json.dumps({name: {"hot": c.hot, "covered": c.covered}
                                for name, c in {**cover.layers, "any": cover.any_hot}.items()}),
        "measure_id": "",
    }
    plans = to_storage(gpd.GeoDataFrame([row], columns=list(PATROL_PLANS.columns),
                                        geometry=[plan.route.line()], crs=METRIC_CRS))
    stops = plan.stops
    stop_rows = pd.DataFrame({
        "plan_id": plan_id, "town_id": request.town_id, "position": stops["position"],
        "place_id": stops["place_id"], "rank": stops["rank"], "score": stops["score"],
        "time_window": stops["time_window"], "reported": stops["reported"],
        "contributions": [json.dumps({f: round(float(r[f"{f}_contribution"]), 4)
                                      for f in FACTORS}) for _, r in stops.iterrows()],
    }, columns=list(PATROL_STOPS.columns))
    return plans, to_storage(gpd.GeoDataFrame(stop_rows, geometry=stops.geometry.to_numpy(),
                                              crs=METRIC_CRS))


def save_plan(store: Store, principal: Principal, plan: PatrolPlan, title: str) -> str:
    """Write ``plan`` (route and stops in one batch) for ``principal``; return its new id.

    Raises ``AccessDenied`` without the right ``plan_patrols`` in the plan's town and
    ``ValueError`` for an empty title. The save is audited ("save_patrol_plan").
    """
    principal.require(PLAN_PATROLS, town=plan.town_id)
    if not title.strip():
        raise InvalidInput("patrol.no_title")
    plan_id = f"{plan.town_id}:patrol:{uuid.uuid4().hex[:8]}"
    plans, stops = plan_frames(plan, plan_id, title.strip(), principal.role)
    store.append_batch([(PATROL_PLANS, plans), (PATROL_STOPS, stops), (AUDIT_LOG, audit.entry(
        principal, "save_patrol_plan", PATROL_PLANS.name, [plan_id],
        {"town_id": plan.town_id, "locality_id": plan.ranking.request.locality_id or "",
         "stops": len(plan.stops)}, plan.town_id))])
    return plan_id


def load_plans(store: Store, town_id: str) -> gpd.GeoDataFrame:
    """The town's saved plans (EPSG:4326), newest first; empty when none was ever saved."""
    if "patrol_plans" not in store.layer_names():
        return gpd.GeoDataFrame(columns=[*PATROL_PLANS.columns, "geometry"],
                                geometry="geometry", crs="EPSG:4326")
    plans = store.read(PATROL_PLANS, town_id)
    return plans.sort_values("created_at", ascending=False).reset_index(drop=True)


def load_stops(store: Store, plan_id: str) -> gpd.GeoDataFrame:
    """The stops of a saved plan in route order; ``ValueError`` for an unknown plan."""
    if "patrol_stops" in store.layer_names():
        stops = store.read(PATROL_STOPS)
        mine = stops[stops["plan_id"] == plan_id]
        if len(mine):
            return mine.sort_values("position").reset_index(drop=True)
    raise NotFound("patrol.unknown_plan", plan=plan_id)


def save_as_measure(store: Store, principal: Principal, plan_id: str, strategy_id: str,
                    goal_id: str, text: str = MEASURE_TEXT, owners: Sequence[str] = ("APK",),
                    status: str = "planned", time_frame: str = "") -> str:
    """Add a measure under ``goal_id`` linked to every stop of ``plan_id`` (``point`` links
    named by the stop's nearest address, stop or part of town, noting the plan and position)
    and record it on the plan; return the measure id.

    The measure's history names ``principal``'s role; the change is audited
    ("save_patrol_measure"). Raises ``AccessDenied`` without the right ``plan_patrols`` in the
    plan's town or
    (checked by ``add_measure``) ``propose_measures`` for a planned measure, ``edit_strategy``
    for another status, and ``ValueError`` for an unknown plan,
    goal or strategy, or a stop outside the strategy's area (``add_measure`` writes nothing
    then).
    """
    principal.require(PLAN_PATROLS)
    stops = load_stops(store, plan_id)
    town_id = str(stops["town_id"].iloc[0])
    principal.require_town(town_id)
    metric = to_metric(stops).geometry
    names = place_labels(store, town_id, np.column_stack([metric.x, metric.y]))
    links = [point_link(point.x, point.y, name or UNNAMED_STOP.format(n=int(position)),
                        note=f"{plan_id} #{int(position)}")
             for position, point, name in zip(stops["position"], stops.geometry, names,
                                              strict=True)]
    with store.transaction():
        measure_id = add_measure(store, principal, strategy_id, goal_id, text, list(owners),
                                 status, time_frame, links)
        store.update_rows(PATROL_PLANS, "plan_id",
                          pd.DataFrame({"plan_id": [plan_id], "measure_id": [measure_id]}))
        audit.record(store, principal, "save_patrol_measure", PATROL_PLANS.name,
                     [plan_id, measure_id], {"strategy_id": strategy_id, "goal_id": goal_id},
                     town_id)
    return measure_id


def plan_layers(plan: PatrolPlan) -> dict[str, gpd.GeoDataFrame]:
    """The plan's layers for a GeoPackage (EPSG:5514; ``layers.urban.export`` stores 4326):
    stops with their attributes (named by place; no cell id), the route, and the hot cells
    the route leaves out. Stops and route carry an ``illustrative`` column (the plan's
    :attr:`PatrolPlan.illustrative`); :func:`plan_metadata` is the files' metadata."""
    stops = plan.stops.drop(columns="place_id").assign(illustrative=plan.illustrative)
    route = gpd.GeoDataFrame({
        "method": [plan.route.method], "length_m": [plan.route.length_m],
        "walk_min": [plan.route.walk_min], "total_min": [plan.route.total_min],
        "note": [plan.route.note], "illustrative": [plan.illustrative]},
        geometry=[plan.route.line()], crs=METRIC_CRS)
    left_out = plan.coverage.left_out
    return {"patrol_stops": stops, "patrol_route": route,
            "left_out_cells": left_out.drop(columns=[c for c in ("cell_id", "q", "r")
                                                     if c in left_out.columns])}


def plan_metadata(plan: PatrolPlan) -> dict[str, str]:
    """Layer metadata of the plan's exported layers: the illustrative note when the plan is
    illustrative, nothing otherwise."""
    return {"illustrative": ILLUSTRATIVE_NOTE} if plan.illustrative else {}
