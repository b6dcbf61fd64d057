"""Rank the exposed places of a town (or one locality) for patrols, with visible weights.

A *place* is a cell of the public hotspot grid (``layers.hotspots.analysis.run_hotspots`` with
``public=True``: sensitive answers count only in cells holding at least ``k`` of them). Each
cell gets four factor values in 0 … 1:

* ``fear`` – the fear-pin density (KDE) at the cell, relative to the town's highest;
* ``crime`` – with point offences their density relative to the highest; with only the police
  districts' crime index, the district's index relative to the highest district of the town
  (the same for every cell of a district, and said so in ``notes``); 0 when the town has
  neither;
* ``time`` – the number of fear answers given for the chosen times of day (default evening
  and night: children often fear evenings) in the cell and its six neighbours, relative to the
  town's highest such count;
* ``stop`` – nearness to a public-transport stop (fear near stops is a known pattern):
  ``1 − d / stop_radius_m`` for the distance ``d`` from the cell centre to the nearest stop of
  the town, 0 beyond ``stop_radius_m`` (default :data:`DEFAULT_STOP_RADIUS_M`) and for a town
  without stops (said so in ``notes``). Its weight is 0 unless chosen, so a town's rankings
  stay as they were until someone asks for stops.

``score = Σ weight·value / Σ weight``; each factor's *contribution* is its term of that sum, so
the contributions add up to the score and say why a place ranks where it does. Places are
picked greedily by score, skipping any cell closer than ``min_spacing_m`` to one already
picked (neighbouring cells of one hotspot are one place to a patrol).

Besides the factors each place carries what a patrol sheet may print: the answers around it by
category (public pins only), the time of day most answers name and its time window. Distances
are EPSG:5514 metres; ``RankingError`` (a ``ValueError``) explains input that gives no ranking.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import METRIC_CRS, to_metric
from layers.errors import InvalidInput
from layers.hotspots.analysis import (
    HotspotInputError,
    HotspotReport,
    HotspotRequest,
    metric_xy,
    run_hotspots,
)
from layers.hotspots.filters import PinFilter
from layers.hotspots.grid import HexGrid, build_grid
from layers.hotspots.privacy import DEFAULT_K, public_mask
from layers.mapping.export import any_generated
from layers.schema import LOCALITIES, PINS, TIMES_OF_DAY, TOWNS, TRANSIT_STOPS
from layers.store import Store

FACTORS: Final = ("fear", "crime", "time", "stop")
#: Categories that are not fears (the positive side of a feeling map).
NOT_FEAR: Final = frozenset({"feel_good", "develop"})
#: Patrol time window of each time of day (local time, 24 h).
TIME_WINDOWS: Final = {"morning": "06:00–12:00", "afternoon": "12:00–17:00",
                       "evening": "17:00–22:00", "night": "22:00–02:00"}
DEFAULT_TIMES: Final = ("evening", "night")
DEFAULT_CELL_M: Final = 100.0
DEFAULT_SPACING_M: Final = 250.0
#: Distance from a stop (metres) within which a place counts as near it: about a two-minute
#: walk, the stretch people wait and walk to and from the stop in.
DEFAULT_STOP_RADIUS_M: Final = 150.0


class RankingError(InvalidInput):
    """The request cannot give a ranking: ``nothing``, ``unknown_locality`` or the hotspot
    analysis's own code for the fear layer."""


@dataclass(frozen=True)
class Weights:
    """Non-negative weights of the factors; at least one must be positive. Nearness to a stop
    weighs 0 unless chosen (see the module docstring)."""

    fear: float = 1.0
    crime: float = 1.0
    time: float = 1.0
    stop: float = 0.0

    def __post_init__(self) -> None:
        values = self.as_dict()
        if any(not np.isfinite(v) or v < 0 for v in values.values()):
            raise ValueError(f"weights must be non-negative numbers, got {values}")
        if sum(values.values()) <= 0:
            raise InvalidInput("patrol.zero_weights")

    def as_dict(self) -> dict[str, float]:
        return {"fear": float(self.fear), "crime": float(self.crime), "time": float(self.time),
                "stop": float(self.stop)}

    @classmethod
    def parse(cls, text: str) -> Weights:
        """Weights from ``"fear=2,crime=1,time=0.5,stop=1"`` (missing factors keep their
        default: 1, and 0 for ``stop``);
        ``ValueError`` for an unknown factor or a bad number."""
        values: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, raw = part.partition("=")
            if name.strip() not in FACTORS:
                raise ValueError(f"unknown factor {name.strip()!r} (factors: {', '.join(FACTORS)})")
            values[name.strip()] = float(raw)
        return cls(**values)


@dataclass(frozen=True)
class RankingRequest:
    """What to rank: a town, optionally one locality (by id), the weights, the times and the
    radius (metres) within which a place counts as near a stop."""

    town_id: str
    locality_id: str | None = None
    weights: Weights = field(default_factory=Weights)
    times_of_day: tuple[str, ...] = DEFAULT_TIMES
    cell_m: float = DEFAULT_CELL_M
    min_spacing_m: float = DEFAULT_SPACING_M
    k: int = DEFAULT_K
    confidence: float = 0.95
    stop_radius_m: float = DEFAULT_STOP_RADIUS_M

    def __post_init__(self) -> None:
        unknown = set(self.times_of_day) - set(TIMES_OF_DAY)
        if unknown or not self.times_of_day:
            raise ValueError(f"times of day must be some of {TIMES_OF_DAY}, got "
                             f"{self.times_of_day}")
        if self.min_spacing_m < 0:
            raise ValueError("min_spacing_m must not be negative")
        if not self.stop_radius_m > 0:
            raise ValueError("stop_radius_m must be positive")


@dataclass(frozen=True)
class Ranking:
    """Ranked places (EPSG:5514 points at the cell centres) and the cells they come from.

    ``places`` columns: ``rank`` (1 = most exposed), ``place_id`` (the cell id), ``score``,
    per factor ``<f>_value`` and ``<f>_contribution``, ``fear_class`` (Gi* class of the cell),
    ``fear_answers`` (public fear answers in the cell and its neighbours), ``time_answers``
    (of them at the chosen times), ``stop_m`` (metres to the nearest stop, NaN without stops),
    ``reported`` (JSON category → count), ``time_of_day`` (most named, "" without answers),
    ``time_window``, ``locality`` (name or "").
    ``cells`` are the report's cells with ``in_scope`` (in the locality, or the whole town).
    ``illustrative``: some of the pins ranked, or the locality scoping them, are generated
    (marked synthetic), so every output of the plan must say so.
    """

    request: RankingRequest
    places: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame
    report: HotspotReport
    crime_source: str
    notes: tuple[str, ...]
    illustrative: bool = False

    def hot_masks(self) -> dict[str, np.ndarray]:
        """Hot cells in scope per layer: fear always, crime only when located by offences
        (a district's index says nothing about where in it crime happens)."""
        scope = self.cells["in_scope"].to_numpy(dtype=bool)
        out = {"fear": self.cells["fear_hot"].to_numpy(dtype=bool) & scope}
        if self.crime_source == "offences":
            out["crime"] = self.cells["crime_hot"].to_numpy(dtype=bool) & scope
        return out


def rank_places(store: Store, request: RankingRequest) -> Ranking:
    """Rank the places of ``request.town_id`` (see the module docstring).

    Raises ``RankingError`` when the town has no usable fear pins, the locality is unknown or
    no place in scope has any score; ``ValueError`` for a bad request.
    """
    try:
        report = run_hotspots(store, HotspotRequest(
            town_id=request.town_id, cell_m=request.cell_m, confidence=request.confidence,
            public=True, k=request.k, lee_permutations=0), layer="fear")
    except HotspotInputError as exc:
        raise RankingError(exc.code, **exc.params) from exc
    cells = report.cells.copy()
    area = shapely.union_all(to_metric(store.read(TOWNS, request.town_id)).geometry.to_numpy())
    grid = build_grid(area, request.cell_m)
    centres = grid.centres()
    notes: list[str] = []
    scope, locality_name, generated_locality = _scope(store, request, centres)
    cells["in_scope"] = scope

    crime_source = report.layers["crime"].source if "crime" in report.layers else "none"
    values = {"fear": _relative(cells["fear_kde"].to_numpy(dtype=float))}
    if crime_source == "offences":
        values["crime"] = _relative(cells["crime_kde"].to_numpy(dtype=float))
    elif crime_source == "district_index":
        values["crime"] = _relative(cells["crime_index"].to_numpy(dtype=float))
        notes.append("crime: the police districts' crime index (one value per district), "
                     "not located offences")
    else:
        values["crime"] = np.zeros(len(cells))
        notes.append("crime: the town has neither offences nor a crime index; factor is 0")

    pins, pin_cells = _public_pins(store, request, grid)
    weights_matrix = grid.weights(rings=1)
    fear_pins = ~pins["category"].astype(str).isin(NOT_FEAR).to_numpy()
    at_times = pins["time_of_day"].astype(str).isin(request.times_of_day).to_numpy()
    own_fear = np.bincount(pin_cells[fear_pins], minlength=grid.n).astype(float)
    own_times = np.bincount(pin_cells[fear_pins & at_times], minlength=grid.n).astype(float)
    around_fear = weights_matrix @ own_fear
    around_times = weights_matrix @ own_times
    values["time"] = _relative(around_times)
    stop_m = _stop_distances(store, request.town_id, centres)
    values["stop"] = np.clip(1.0 - np.nan_to_num(stop_m, nan=np.inf) / request.stop_radius_m,
                             0.0, 1.0)
    if request.weights.stop > 0 and np.isnan(stop_m).all():
        notes.append("stop: the town has no public-transport stops; factor is 0")

    weights = request.weights.as_dict()
    total = sum(weights.values())
    contributions = {f: weights[f] * values[f] / total for f in FACTORS}
    score: np.ndarray = np.sum([contributions[f] for f in FACTORS], axis=0)
    candidate = scope & (score > 0)
    if not candidate.any():
        raise RankingError("nothing")
    order = np.argsort(-np.where(candidate, score, -np.inf), kind="stable")
    chosen = _spread([int(i) for i in order if candidate[i]], centres, request.min_spacing_m)

    reported, dominant = _profiles(pins[fear_pins], pin_cells[fear_pins], grid, chosen)
    rows = []
    for rank, index in enumerate(chosen, start=1):
        counts = reported.get(index, Counter())
        time_of_day = dominant.get(index, "")
        rows.append({
            "rank": rank, "place_id": str(cells["cell_id"].iloc[index]),
            "score": float(score[index]),
            **{f"{f}_value": float(values[f][index]) for f in FACTORS},
            **{f"{f}_contribution": float(contributions[f][index]) for f in FACTORS},
            "fear_class": str(cells["fear_class"].iloc[index]),
            "fear_answers": int(around_fear[index]), "time_answers": int(around_times[index]),
            "stop_m": float(stop_m[index]),
            "reported": json.dumps(dict(sorted(counts.items())), ensure_ascii=False),
            "time_of_day": time_of_day, "time_window": TIME_WINDOWS.get(time_of_day, ""),
            "locality": locality_name,
        })
    points = shapely.points(centres[chosen]) if chosen else np.empty(0, dtype=object)
    places = gpd.GeoDataFrame(pd.DataFrame(rows, columns=_PLACE_COLUMNS),
                              geometry=list(points), crs=METRIC_CRS)
    return Ranking(request=request, places=places, cells=cells, report=report,
                   crime_source=crime_source, notes=(*report.notes, *notes),
                   illustrative=generated_locality or any_generated(pins))


_PLACE_COLUMNS: Final = (
    "rank", "place_id", "score", *(f"{f}_value" for f in FACTORS),
    *(f"{f}_contribution" for f in FACTORS), "fear_class", "fear_answers", "time_answers",
    "stop_m", "reported", "time_of_day", "time_window", "locality")


def explain(place: Mapping[str, object], weights: Weights, times: tuple[str, ...]) -> str:
    """Why a place ranks where it does, in English (the UI and sheet say it in their own
    language from the same columns): factor by factor, largest contribution first."""
    parts = []
    weight_of = weights.as_dict()
    for factor in sorted(FACTORS, key=lambda f: -float(place[f"{f}_contribution"])):  # type: ignore[arg-type]
        value = float(place[f"{factor}_value"])  # type: ignore[arg-type]
        contribution = float(place[f"{factor}_contribution"])  # type: ignore[arg-type]
        detail = {
            "fear": f"fear density {value:.0%} of the town's highest ({place['fear_class']})",
            "crime": f"crime {value:.0%} of the town's highest",
            "time": f"{place['time_answers']} of {place['fear_answers']} answers around it "
                    f"name {'/'.join(times)}",
            "stop": "no public-transport stop in the town"
                    if np.isnan(float(place["stop_m"]))  # type: ignore[arg-type]
                    else f"nearest stop {float(place['stop_m']):.0f} m away",  # type: ignore[arg-type]
        }[factor]
        parts.append(f"{factor} {contribution:.3f} = weight {weight_of[factor]:g} × "
                     f"{value:.2f} / Σweights ({detail})")
    return f"#{place['rank']} score {float(place['score']):.3f}: " + "; ".join(parts)  # type: ignore[arg-type]


def _relative(values: np.ndarray) -> np.ndarray:
    """Values divided by the largest finite one; NaN and negatives become 0."""
    clean = np.where(np.isfinite(values) & (values > 0), values, 0.0)
    top = clean.max(initial=0.0)
    return clean / top if top > 0 else clean


def _stop_distances(store: Store, town_id: str, centres: np.ndarray) -> np.ndarray:
    """Metres (EPSG:5514) from each centre to the town's nearest public-transport stop; NaN
    everywhere when the town has none."""
    stops = (store.read(TRANSIT_STOPS, town_id) if TRANSIT_STOPS.name in store.layer_names()
             else None)
    if stops is None or stops.empty:
        return np.full(len(centres), np.nan)
    tree = shapely.STRtree(to_metric(stops).geometry.to_numpy())
    (at, _), distance = tree.query_nearest(shapely.points(centres), return_distance=True,
                                           all_matches=False)
    out = np.full(len(centres), np.nan)
    out[at] = distance
    return out


def _scope(store: Store, request: RankingRequest, centres: np.ndarray
           ) -> tuple[np.ndarray, str, bool]:
    """Cells in the requested locality (all without one), its name, and whether its outline
    is generated (illustrative)."""
    if request.locality_id is None:
        return np.ones(len(centres), dtype=bool), "", False
    localities = store.read(LOCALITIES, request.town_id)
    match = localities[localities["locality_id"].astype(str) == request.locality_id]
    if match.empty:
        raise RankingError("unknown_locality", locality=request.locality_id,
                           town=request.town_id)
    # a patrol of a locality also walks its edge: cells whose centre is within a cell of it
    polygon = shapely.union_all(to_metric(match).geometry.to_numpy()).buffer(request.cell_m)
    inside = shapely.contains_xy(polygon, centres[:, 0], centres[:, 1])
    generated = bool(match["synthetic"].fillna(False).astype(bool).any())
    return np.asarray(inside, dtype=bool), str(match["name"].iloc[0]), generated


def _public_pins(store: Store, request: RankingRequest, grid: HexGrid
                 ) -> tuple[pd.DataFrame, np.ndarray]:
    """Approved pins a public view may count (sensitive ones only in cells of ≥ k) and their
    cells; pins outside the grid are dropped."""
    pins = PinFilter().apply(store.read(PINS, request.town_id))
    x, y = metric_xy(pins)
    located = grid.locate(np.nan_to_num(x), np.nan_to_num(y))
    keep = public_mask(pins["category"], located, request.k) & (located >= 0)
    return pins[keep].reset_index(drop=True), located[keep]


def _profiles(pins: pd.DataFrame, pin_cells: np.ndarray, grid: HexGrid, cells: list[int]
              ) -> tuple[dict[int, Counter[str]], dict[int, str]]:
    """Per cell of ``cells``: answers by category in the cell and its neighbours, and the time
    of day most of them name (ties go to the later time: evenings are when patrols are short)."""
    neighbours = grid.weights(rings=1).tocsr()
    own: dict[int, list[int]] = {}
    for row, cell in enumerate(pin_cells.tolist()):
        own.setdefault(cell, []).append(row)
    categories = pins["category"].astype(str).to_numpy()
    times = pins["time_of_day"].astype(str).to_numpy()
    reported: dict[int, Counter[str]] = {}
    dominant: dict[int, str] = {}
    for cell in cells:
        rows = [r for other in neighbours.indices[neighbours.indptr[cell]:
                                                  neighbours.indptr[cell + 1]]
                for r in own.get(int(other), [])]
        if not rows:
            continue
        reported[cell] = Counter(categories[rows].tolist())
        counted = Counter(t for t in times[rows].tolist() if t in TIME_WINDOWS)
        if counted:
            dominant[cell] = max(TIMES_OF_DAY, key=lambda t: (counted[t], TIMES_OF_DAY.index(t)))
    return reported, dominant


def _spread(order: list[int], centres: np.ndarray, spacing: float) -> list[int]:
    """The cells of ``order`` kept greedily so no two are closer than ``spacing`` metres."""
    chosen: list[int] = []
    for index in order:
        if chosen and spacing > 0:
            gaps = np.hypot(*(centres[chosen] - centres[index]).T)
            if gaps.min() < spacing:
                continue
        chosen.append(index)
    return chosen
