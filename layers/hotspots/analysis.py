"""A town's fear and crime hotspots from the store: grid, counts, KDE, Gi*, FDR, classes.

:func:`run_hotspots` is what ``mapa hotspots`` and the Hotspots page call. It reads the town
boundary, the approved fear pins (filtered) and the offences, or without offences the police
districts' crime index, and returns per cell of a hexagonal grid (EPSG:5514):

* per layer (prefix ``fear_`` / ``crime_``; fear counts only answers expressing fear or
  discomfort, never the positive ones of ``layers.vocabulary.POSITIVE_CATEGORIES``):
  ``count``, ``kde`` (points per km²), ``z``, ``p`` (two-sided), ``p_fdr``
  (Benjamini–Hochberg), ``bin`` (−3 … 3) and ``class`` (``hot_99`` …);
* ``crime_index`` (the district's crimes per 10,000 inhabitants) when crime comes from the
  district index, with ``crime_hot`` meaning "above the region's index";
* ``fear_crime``: the class of :mod:`layers.hotspots.fear_crime`.

With only the district index, crime is known per district, not per cell: every cell of a
district gets the same value, so no fear-vs-crime class can be told apart within it. Every
cell with fear and a district figure is then ``department_only`` (the page shows fear alone
and says why); ``crime_index`` and ``crime_hot`` still tell the district's level, and no
agreement statistics are computed (one value per district has no spatial pattern).

:func:`town_change` compares two selections (periods, mapping rounds) and
:func:`town_evaluation` scores one selection's hotspot map against a later one (hit rate, PAI).

Inputs that cannot give a hotspot map (no pins, a single pin, all pins in one cell, every pin
outside the town) raise :class:`HotspotInputError` with a message meant for the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crime import district_index_table
from layers.crs import METRIC_CRS, to_metric
from layers.errors import InvalidInput
from layers.hotspots import fear_crime
from layers.hotspots.change import PERMUTATIONS, PatternChange, compare_periods
from layers.hotspots.classes import class_codes, gi_bins, is_hot
from layers.hotspots.evaluation import Evaluation, evaluate
from layers.hotspots.fdr import fdr_adjust
from layers.hotspots.filters import OffenceFilter, PinFilter
from layers.hotspots.gistar import GiStarError, gi_star
from layers.hotspots.grid import DEFAULT_CELL_M, HexGrid, build_grid
from layers.hotspots.kde import KdeError, bandwidth_rule, kde_surface
from layers.hotspots.privacy import DEFAULT_K, check_k, public_mask
from layers.hotspots.public_sets import public_selection
from layers.schema import (
    CRIME_REFERENCE,
    CRIME_STATS,
    LOCALITIES,
    OFFENCES,
    PINS,
    POLICE_DISTRICTS,
    POLICE_OFFENCES,
    TOWNS,
)
from layers.store import Store
from layers.vocabulary import POSITIVE_CATEGORIES

LAYERS: Final = ("fear", "crime")
#: What an offence at an approximate position (the police export's ``mp`` false) counts as in
#: counts, Gi* and KDE; one at an exact position counts 1. Gi*'s exact p-values need whole
#: values, so Gi* runs on the counts divided by this weight (z is scale-free).
APPROXIMATE_WEIGHT: Final = 0.5
#: Fewest points for which a hotspot test means anything.
MIN_POINTS: Final = 2
NATIONAL_AREA: Final = "Česká republika"


class HotspotInputError(InvalidInput):
    """The selection cannot give a hotspot map; the message says why, for the user.

    ``code`` names the case (``empty``, ``selection_empty``, ``outside``, ``single``,
    ``one_cell``, ``no_crime``, ``unknown_town``, ``undefined``) and ``params`` its figures.
    """


@dataclass(frozen=True)
class HotspotRequest:
    """What to analyse. ``confidence`` decides "hot" for the fear-vs-crime classes."""

    town_id: str
    cell_m: float = DEFAULT_CELL_M
    rings: int = 1
    confidence: float = 0.95
    pins: PinFilter = field(default_factory=PinFilter)
    offences: OffenceFilter = field(default_factory=OffenceFilter)
    public: bool = False
    k: int = DEFAULT_K
    #: With ``public``: False (default) is the view for anyone, safe against differencing
    #: (:mod:`layers.hotspots.public_sets`: sensitive answers only in the unrestricted
    #: selection, suppression decided on the unfiltered answers); True is a logged-in staff
    #: view, the k-rule applied to the filtered answers (they see more by right).
    staff: bool = False
    lee_permutations: int = fear_crime.LEE_PERMUTATIONS
    p_method: str = "exact"


@dataclass(frozen=True)
class LayerSummary:
    """What went into one layer: its source, points used, points dropped, bandwidth; for the
    district index the region's reference index and the year."""

    layer: str
    source: str  # "pins", "offences" or "district_index"
    points: int
    outside: int
    withheld: int
    bandwidth_m: float | None
    reference_per_10k: float | None = None
    year: int | None = None


@dataclass(frozen=True)
class HotspotReport:
    """Result of :func:`run_hotspots`: cells in EPSG:5514 plus summaries and notes."""

    request: HotspotRequest
    cells: gpd.GeoDataFrame
    weights: dict[str, str]
    layers: dict[str, LayerSummary]
    agreement: fear_crime.Agreement | None
    localities: pd.DataFrame
    notes: list[str]
    #: Layers that could not be computed: layer → (problem code, its figures).
    failed: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)


def town_area(store: Store, town_id: str) -> shapely.Geometry:
    """The town's boundary as one polygon in EPSG:5514; ``HotspotInputError`` if unknown."""
    towns = store.read(TOWNS, town_id)
    if len(towns) == 0:
        raise HotspotInputError("unknown_town", town=town_id)
    return shapely.union_all(to_metric(towns).geometry.to_numpy())


def metric_xy(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:5514 coordinates of a point frame's rows (NaN for a missing geometry)."""
    if len(frame) == 0:
        return np.empty(0), np.empty(0)
    points = to_metric(frame).geometry
    return shapely.get_x(points.to_numpy()), shapely.get_y(points.to_numpy())


def point_layer(grid: HexGrid, area: shapely.Geometry, x: np.ndarray, y: np.ndarray,
                what: str, rings: int = 1, p_method: str = "exact",
                exact: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Counts, KDE and Gi* of points in EPSG:5514 on ``grid`` (points outside ``area`` dropped).
    ``exact`` marks points at exact positions (default all); the others count
    :data:`APPROXIMATE_WEIGHT`.

    Returns arrays ``count, kde, z, p, p_fdr, bin`` and ``inside`` (mask of the points used),
    plus ``bandwidth`` (one value). ``what`` names the points in error messages ("pins");
    ``rings`` is the neighbourhood of :meth:`HexGrid.weights`, ``p_method`` that of
    :func:`layers.hotspots.gistar.gi_star`.
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.size == 0:
        raise HotspotInputError("empty", what=what)
    finite = np.isfinite(xs) & np.isfinite(ys)
    inside = finite.copy()
    inside[finite] = shapely.contains_xy(area, xs[finite], ys[finite])
    used = int(inside.sum())
    if used == 0:
        raise HotspotInputError("outside", n=xs.size, what=what)
    if used < MIN_POINTS:
        raise HotspotInputError("single", n=used, what=what, minimum=MIN_POINTS)
    cells = grid.locate(xs[inside], ys[inside])
    mass = point_weights(exact, xs.size)[inside]
    count = np.bincount(cells[cells >= 0], weights=mass[cells >= 0], minlength=grid.n)
    if np.count_nonzero(count) < 2:
        raise HotspotInputError("one_cell", n=used, what=what, cell=f"{grid.cell_m:g}")
    try:
        gi = gi_star(np.rint(count / APPROXIMATE_WEIGHT), grid.weights(rings), p_method)
        bandwidth = max(bandwidth_rule(xs[inside], ys[inside]), grid.cell_m / 2.0)
        surface = kde_surface(xs[inside], ys[inside], bandwidth, shapely.bounds(area),
                              weights=mass)
    except (GiStarError, KdeError) as exc:
        raise HotspotInputError("undefined", detail=exc) from exc
    p_fdr = fdr_adjust(gi.p)
    centres = grid.centres()
    return {"count": count, "kde": surface.at(centres[:, 0], centres[:, 1]), "z": gi.z,
            "p": gi.p, "p_fdr": p_fdr, "bin": gi_bins(gi.z, p_fdr), "inside": inside,
            "bandwidth": np.array([bandwidth])}


def point_weights(exact: np.ndarray | None, n: int) -> np.ndarray:
    """What each of ``n`` points counts as: 1 at an exact position, :data:`APPROXIMATE_WEIGHT`
    at an approximate one (``exact`` None: all exact)."""
    if exact is None:
        return np.ones(n)
    return np.where(np.asarray(exact, dtype=bool), 1.0, APPROXIMATE_WEIGHT)


def town_offences(store: Store, town_id: str) -> pd.DataFrame:
    """The town's offences from both layers: the police export's (``offence_type`` its Czech
    type name, with its ``exact`` flag) and ``mapa import offences``' (taken as exact).
    Columns ``offence_type``, ``date``, ``exact``, ``x``, ``y`` (EPSG:5514 metres, NaN
    without a place; ``Store.read_points``, so no geometry is built or reprojected); no rows
    when the store has neither layer."""
    present = store.layer_names()
    parts = []
    for spec, kind, exact in ((POLICE_OFFENCES, "type_name", ["exact"]),
                              (OFFENCES, "offence_type", [])):
        if spec.name in present:
            frame = store.read_points(spec, [kind, "date", *exact], town_id)
            parts.append(pd.DataFrame({
                "offence_type": frame[kind], "date": frame["date"],
                "exact": frame["exact"].fillna(False).astype(bool) if exact else True,
                "x": frame["x"], "y": frame["y"]}))
    if not parts:
        return pd.DataFrame({"offence_type": pd.Series(dtype=object),
                             "date": pd.Series(dtype=object), "exact": pd.Series(dtype=bool),
                             "x": pd.Series(dtype=float), "y": pd.Series(dtype=float)})
    return pd.concat(parts, ignore_index=True)


def run_hotspots(store: Store, request: HotspotRequest, layer: str = "fear") -> HotspotReport:
    """Fear and crime hotspots of ``request.town_id``; ``layer`` must succeed, the other may not.

    Raises ``HotspotInputError`` when the requested layer cannot be computed, ``ValueError``
    for a bad request (cell size, k, confidence).
    """
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}, got {layer!r}")
    check_k(request.k)
    area = town_area(store, request.town_id)
    grid = build_grid(area, request.cell_m)
    weights = grid.weights(rings=request.rings)
    cells = grid.cells.copy()
    notes: list[str] = []
    summaries: dict[str, LayerSummary] = {}
    known: dict[str, bool] = {}
    failed: dict[str, tuple[str, dict[str, object]]] = {}
    for name in LAYERS:
        try:
            summaries[name] = (_fear(store, request, grid, area, cells, notes) if name == "fear"
                               else _crime(store, request, grid, area, cells, notes))
            known[name] = True
        except HotspotInputError as exc:
            if name == layer:
                raise
            notes.append(f"{name}: {exc}")
            failed[name] = (exc.code, dict(exc.params))
            known[name] = False
    fear_hot = is_hot(cells["fear_bin"], request.confidence) if known["fear"] \
        else np.zeros(grid.n, dtype=bool)
    if known["crime"] and summaries["crime"].source == "district_index":
        crime_hot = cells["crime_hot"].to_numpy(dtype=bool)
    elif known["crime"]:
        crime_hot = is_hot(cells["crime_bin"], request.confidence)
    else:
        crime_hot = np.zeros(grid.n, dtype=bool)
    crime_known = cells["crime_known"].to_numpy(dtype=bool) if known["crime"] \
        else np.zeros(grid.n, dtype=bool)
    cells["fear_hot"] = fear_hot
    cells["crime_hot"] = crime_hot
    cells["crime_known"] = crime_known
    by_district = known["crime"] and summaries["crime"].source == "district_index"
    cells["fear_crime"] = fear_crime.classify(fear_hot, crime_hot, crime_known & known["fear"])
    if by_district:
        # a district's index says nothing about where in it crime happens: only cell-level
        # offences can class a cell
        cells.loc[cells["fear_crime"] != fear_crime.UNKNOWN, "fear_crime"] = \
            fear_crime.DEPARTMENT_ONLY
        notes.append("fear × crime: offences are known only per police department, so the "
                     "classes cannot be separated within it; fear is shown alone")
    agreement = None
    if known["fear"] and known["crime"] and not by_district:
        agreement = fear_crime.agreement(fear_hot, crime_hot, cells["fear_kde"].to_numpy(),
                                         cells["crime_kde"].to_numpy(), weights,
                                         request.lee_permutations)
    localities = _localities(store, request.town_id, grid, cells)
    return HotspotReport(request=request, cells=cells, weights=weights_description(grid, request),
                         layers=summaries, agreement=agreement, localities=localities,
                         notes=notes, failed=failed)


def town_change(store: Store, town_id: str, first: PinFilter, second: PinFilter,
                cell_m: float = DEFAULT_CELL_M, rings: int = 1,
                permutations: int = PERMUTATIONS) -> PatternChange:
    """Fear hotspots of two selections (periods or mapping rounds) of a town compared per cell.

    Returns :class:`layers.hotspots.change.PatternChange` whose ``cells`` also carry
    ``cell_id`` and are a GeoDataFrame of the hexagons (EPSG:5514). Raises
    ``HotspotInputError`` when a selection has no pins in the town.
    """
    grid, area = _town_grid(store, town_id, cell_m)
    cells_a = _pin_cells(store, town_id, grid, area, first, "first selection")
    cells_b = _pin_cells(store, town_id, grid, area, second, "second selection")
    try:
        result = compare_periods(cells_a, cells_b, grid.weights(rings), permutations)
    except (GiStarError, ValueError) as exc:
        raise HotspotInputError("undefined", detail=exc) from exc
    result.cells.insert(0, "cell_id", grid.cells["cell_id"].to_numpy())
    cells = gpd.GeoDataFrame(result.cells, geometry=grid.cells.geometry.to_numpy(),
                             crs=METRIC_CRS)
    return replace(result, cells=cells)


def town_evaluation(store: Store, town_id: str, earlier: PinFilter, later: PinFilter,
                    cell_m: float = DEFAULT_CELL_M, coverage: float = 0.05) -> Evaluation:
    """Hit rate and PAI of the earlier selection's KDE hotspots for the later pins.

    The earlier pins' KDE (at the cell centres) ranks the cells; the top ``coverage`` of the
    town's area is the hotspot map. Raises ``HotspotInputError`` for an empty selection.
    """
    grid, area = _town_grid(store, town_id, cell_m)
    x, y = metric_xy(earlier.apply(store.read(PINS, town_id)))
    scores = point_layer(grid, area, x, y, "pins of the earlier selection")["kde"]
    later_cells = _pin_cells(store, town_id, grid, area, later, "later selection")
    counts = np.bincount(later_cells, minlength=grid.n)
    return evaluate(scores, counts, grid.cells["area_m2"].to_numpy(), coverage)


def _town_grid(store: Store, town_id: str, cell_m: float) -> tuple[HexGrid, shapely.Geometry]:
    area = town_area(store, town_id)
    return build_grid(area, cell_m), area


def _pin_cells(store: Store, town_id: str, grid: HexGrid, area: shapely.Geometry,
               selection: PinFilter, what: str) -> np.ndarray:
    x, y = metric_xy(selection.apply(store.read(PINS, town_id)))
    inside = np.isfinite(x) & np.isfinite(y)
    inside[inside] = shapely.contains_xy(area, x[inside], y[inside])
    if not inside.any():
        raise HotspotInputError("selection_empty", what=what)
    cells = grid.locate(x[inside], y[inside])
    return cells[cells >= 0]


def weights_description(grid: HexGrid, request: HotspotRequest) -> dict[str, str]:
    """Which neighbours Gi* used, as text key/values (kept in the output's layer metadata)."""
    return {
        "weights": f"hexagon contiguity, {request.rings} ring(s) "
                   f"({3 * request.rings * (request.rings + 1)} neighbours inside the town) "
                   "plus the cell itself",
        "weights_type": "binary (0/1), self-weight 1 (Gi*)",
        "cell_m": f"{grid.cell_m:g}",
        "cell_across": "distance between opposite flat sides = distance between centres",
        "analysis_crs": METRIC_CRS,
        "p_values": ("two-sided, exact randomisation distribution of the neighbourhood count "
                     "(convolution of the cell-count distribution); z: analytic Gi*, as esda "
                     "G_Local star"
                     if request.p_method == "exact" else "two-sided normal of the analytic "
                     "Gi* z (as esda G_Local star p_norm, doubled)"),
        "fdr": "Benjamini-Hochberg, classes at 90/95/99 %",
        "hot_confidence": f"{request.confidence:.2f}",
        "cells": str(grid.n),
    }


def _fear(store: Store, request: HotspotRequest, grid: HexGrid, area: shapely.Geometry,
          cells: gpd.GeoDataFrame, notes: list[str]) -> LayerSummary:
    stored = store.read(PINS, request.town_id)
    # fear means fear: places people like and places to develop are layers of their own
    positive = stored["category"].astype(str).isin(POSITIVE_CATEGORIES)
    if positive.any():
        stored = stored[~positive]
        notes.append(f"fear: {int(positive.sum())} positive answers (places people feel good "
                     "at, places to develop) are not counted as fear")
    if request.public and not request.staff:
        keep, withheld = _public_pins(stored, request, grid, notes)
        x, y = metric_xy(stored[keep])
    else:
        pins = request.pins.apply(stored)
        x, y = metric_xy(pins)
        withheld = 0
        if request.public and len(pins):
            mask = public_mask(pins["category"],
                               grid.locate(np.nan_to_num(x), np.nan_to_num(y)), request.k)
            withheld = int((~mask).sum())
            x, y = x[mask], y[mask]
            if withheld:
                notes.append(f"fear: {withheld} sensitive pins in cells with fewer than "
                             f"{request.k} such pins are left out of the staff view")
    result = point_layer(grid, area, x, y, "approved pins", request.rings, request.p_method)
    _store_columns(cells, "fear", result)
    outside = int((~result["inside"]).sum())
    if outside:
        notes.append(f"fear: {outside} pins outside the town boundary were left out")
    bandwidth = None if request.public else float(result["bandwidth"][0])
    return LayerSummary("fear", "pins", int(result["inside"].sum()), outside, withheld, bandwidth)


def _public_pins(stored: pd.DataFrame, request: HotspotRequest, grid: HexGrid,
                 notes: list[str]) -> tuple[np.ndarray, int]:
    """Which stored pins a public view of ``request`` counts (boolean mask) and how many of
    the selected ones it withholds. Suppression is decided on every approved pin of the town,
    whatever the selection; a restricted selection holds no sensitive pin at all
    (:mod:`layers.hotspots.public_sets`)."""
    approved = PinFilter().apply(stored)
    x, y = metric_xy(approved)
    allowed = pd.Series(public_mask(approved["category"],
                                    grid.locate(np.nan_to_num(x), np.nan_to_num(y)),
                                    request.k), index=approved.index)
    selection = public_selection(request.pins)
    asked = request.pins.apply(stored).index
    chosen = selection.apply(stored).index if selection is not None else asked[:0]
    keep = stored.index.isin(chosen) & stored.index.isin(allowed.index[allowed])
    withheld = len(asked) - int(keep.sum())
    if withheld:
        notes.append(f"fear: {withheld} sensitive pins are left out of the public view "
                     f"(cells with fewer than {request.k} such pins, or a narrowed selection)")
    return keep, withheld


def _crime(store: Store, request: HotspotRequest, grid: HexGrid, area: shapely.Geometry,
           cells: gpd.GeoDataFrame, notes: list[str]) -> LayerSummary:
    offences = request.offences.apply(town_offences(store, request.town_id))
    if len(offences):
        result = point_layer(grid, area, offences["x"].to_numpy(), offences["y"].to_numpy(),
                             "offences", request.rings, request.p_method,
                             offences["exact"].to_numpy(dtype=bool))
        _store_columns(cells, "crime", result)
        cells["crime_known"] = True
        outside = int((~result["inside"]).sum())
        if outside:
            notes.append(f"crime: {outside} offences outside the town boundary were left out")
        return LayerSummary("crime", "offences", int(result["inside"].sum()), outside, 0,
                            None if request.public else float(result["bandwidth"][0]))
    return _district_index(store, request, grid, cells, notes)


def _district_index(store: Store, request: HotspotRequest, grid: HexGrid,
                    cells: gpd.GeoDataFrame, notes: list[str]) -> LayerSummary:
    names = store.layer_names()
    if "police_districts" not in names or "crime_stats" not in names:
        raise HotspotInputError("no_crime")
    districts = store.read(POLICE_DISTRICTS, request.town_id)
    stats = store.read(CRIME_STATS)
    stats = stats[stats["oop_code"].isin(districts["oop_code"])]
    if len(districts) == 0 or len(stats) == 0:
        raise HotspotInputError("no_crime")
    year = int(stats["year"].max())
    table = district_index_table(stats, districts, year)
    reference = _reference_index(store, request.town_id, year, table)
    centres = gpd.GeoDataFrame(geometry=gpd.points_from_xy(*grid.centres().T), crs=METRIC_CRS)
    located = gpd.sjoin(centres, to_metric(districts)[["oop_code", "geometry"]],
                        how="left", predicate="within")
    located = located[~located.index.duplicated(keep="first")]
    index = located["oop_code"].map(table.set_index("oop_code")["per_10k"])
    cells["crime_index"] = index.to_numpy(dtype=float)
    cells["crime_known"] = np.isfinite(cells["crime_index"].to_numpy(dtype=float))
    cells["crime_hot"] = cells["crime_index"].to_numpy(dtype=float) > reference
    notes.append(f"crime: no offences for this town; using the police districts' crime index "
                 f"{year} (crimes per 10,000 inhabitants), high = above {reference:.1f}")
    return LayerSummary("crime", "district_index", 0, 0, 0, None, reference_per_10k=reference,
                        year=year)


def _reference_index(store: Store, town_id: str, year: int, table: pd.DataFrame) -> float:
    """The region's index for ``year``, else the national one, else the districts' median."""
    if "crime_reference" in store.layer_names():
        refs = store.read(CRIME_REFERENCE)
        refs = refs[refs["year"] == year]
        kraj = store.read(TOWNS, town_id)["kraj"].astype(str).tolist()
        for area_name in [*kraj, NATIONAL_AREA]:
            row = refs[refs["area"].astype(str) == area_name]
            if len(row) and np.isfinite(row["per_10k"].iloc[0]):
                return float(row["per_10k"].iloc[0])
    return float(table["per_10k"].median())


def _store_columns(cells: gpd.GeoDataFrame, prefix: str, result: dict[str, np.ndarray]) -> None:
    for key in ("count", "kde", "z", "p", "p_fdr", "bin"):
        cells[f"{prefix}_{key}"] = result[key]
    cells[f"{prefix}_class"] = class_codes(result["bin"])


def _localities(store: Store, town_id: str, grid: HexGrid,
                cells: gpd.GeoDataFrame) -> pd.DataFrame:
    columns = ["locality_id", "name", "cells", "fear_hot_cells", "crime_hot_cells", "fear_crime"]
    if "localities" not in store.layer_names():
        return pd.DataFrame(columns=columns)
    localities = store.read(LOCALITIES, town_id)
    if len(localities) == 0:
        return pd.DataFrame(columns=columns)
    centres = gpd.GeoDataFrame(geometry=gpd.points_from_xy(*grid.centres().T), crs=METRIC_CRS)
    located = gpd.sjoin(centres, to_metric(localities)[["locality_id", "geometry"]],
                        how="left", predicate="within")
    located = located[~located.index.duplicated(keep="first")]
    table = fear_crime.by_locality(cells, located["locality_id"])
    names = localities.set_index("locality_id")["name"]
    table.insert(1, "name", table["locality_id"].map(names))
    return table[columns]
