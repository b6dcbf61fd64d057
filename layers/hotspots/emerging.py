"""Emerging hot spots: a space–time cube of points, Gi* per time step, the Mann–Kendall trend
of each cell's z-scores, and the pattern of each cell as Esri's Emerging Hot Spot Analysis
classifies it.

The cube is hexagon cells (:class:`layers.hotspots.grid.HexGrid`, EPSG:5514) × time steps
(months or years). Each step gets Gi* (:func:`layers.hotspots.gistar.gi_star`, exact p-values,
Benjamini–Hochberg per step, bins as :mod:`layers.hotspots.classes`); a cell is hot (cold) in
a step when its bin is ≥ 1 (≤ −1), i.e. significant at 90 % or more, as Esri counts it. A step
with no points (or all cells equal) has no significant cell. The trend is the Mann–Kendall test
of the cell's z-score series (two-sided, α = 0.05), computed for all cells at once; it equals
``pymannkendall.original_test`` on every cell (``tests/layers/hotspots/test_emerging.py``,
``mapa bench emerging``).

Patterns (``layers.vocabulary.EMERGING_PATTERN``), for a cell hot in the final step:
``new`` (never hot before), ``consecutive`` (one uninterrupted run of ≥ 2 hot steps at the
end, never hot before it, < 90 % of steps hot), ``intensifying`` / ``persistent`` /
``diminishing`` (≥ 90 % of steps hot and an increasing / no / decreasing trend),
``oscillating`` (< 90 % hot and cold in an earlier step), ``sporadic`` (< 90 % hot, hot on and
off, never cold); ``historical``: not hot in the final step but hot in ≥ 90 % of steps. Cold
spots mirror this (an intensifying cold spot's z-scores fall). Anything else: ``no_pattern``.

Weights: a point at an approximate position (the police export's ``mp`` flag false) counts
:data:`layers.hotspots.analysis.APPROXIMATE_WEIGHT` (half). To keep Gi*'s exact randomisation
p-values (which need whole counts) Gi* runs on the counts divided by that weight — z is
scale-free, and the exact null (cell values rearranged over the cells) holds for any whole
values.

Reference: Esri, "How Emerging Hot Spot Analysis works" (ArcGIS Pro documentation); Mann, H. B.
(1945), "Nonparametric tests against trend", Econometrica 13; Kendall, M. G. (1975), Rank
Correlation Methods; Hussain, M. & Mahmud, I. (2019), "pyMannKendall", JOSS 4(39).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import stats

from layers.errors import InvalidInput
from layers.hotspots.analysis import (
    APPROXIMATE_WEIGHT,
    point_weights,
    town_area,
    town_offences,
)
from layers.hotspots.classes import gi_bins
from layers.hotspots.fdr import fdr_adjust
from layers.hotspots.filters import APPROVED
from layers.hotspots.gistar import GiStarError, gi_star
from layers.hotspots.grid import DEFAULT_CELL_M, HexGrid, build_grid
from layers.schema import PINS, SENSITIVE_CATEGORIES, SESSIONS
from layers.store import Store
from layers.vocabulary import EMERGING_PATTERN

#: Time steps of a cube.
PERIODS: Final = ("month", "year")
#: Map colours of the patterns: reds for hot, blues for cold (darker = more lasting or
#: intensifying), purple for oscillating, grey for historical; "no pattern" is not drawn.
PATTERN_COLOURS: Final = {
    "new_hot": "#fcae91", "consecutive_hot": "#fb6a4a", "intensifying_hot": "#a50f15",
    "persistent_hot": "#de2d26", "diminishing_hot": "#fc9272", "sporadic_hot": "#fee0d2",
    "oscillating_hot": "#c994c7", "historical_hot": "#bdbdbd",
    "new_cold": "#c6dbef", "consecutive_cold": "#6baed6", "intensifying_cold": "#08519c",
    "persistent_cold": "#3182bd", "diminishing_cold": "#9ecae1", "sporadic_cold": "#deebf7",
    "oscillating_cold": "#9e9ac8", "historical_cold": "#969696",
}
#: What a town's cube can hold: its offences, or its fear pins across mapping rounds.
EMERGING_LAYERS: Final = ("offences", "fear")
#: Fewest time steps for which a trend and the 90 % rules mean anything.
MIN_STEPS: Final = 4
#: Share of steps a cell must be significant in to be persistent, intensifying, diminishing
#: or historical.
MOST_STEPS: Final = 0.9
#: Two-sided significance of the Mann–Kendall trend (pymannkendall's default).
TREND_ALPHA: Final = 0.05
PATTERNS: Final = EMERGING_PATTERN.codes


class EmergingError(InvalidInput):
    """The cube cannot be analysed (too few time steps, no points in time)."""


@dataclass(frozen=True)
class TrendTest:
    """Mann–Kendall results per cell (arrays aligned with the cells): score ``s``, its
    variance, ``z``, two-sided ``p``, Kendall's ``tau`` and ``trend`` (+1 increasing,
    −1 decreasing, 0 none at ``alpha``)."""

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray
    trend: np.ndarray


@dataclass(frozen=True)
class EmergingResult:
    """The cube and its analysis: ``steps`` labels (``"2024-03"`` or ``"2024"``), ``counts``
    and ``z`` (steps × cells), ``bins`` (steps × cells, −3 … 3), the trend of each cell's z and
    its ``pattern`` code."""

    steps: tuple[str, ...]
    counts: np.ndarray
    z: np.ndarray
    bins: np.ndarray
    trend: TrendTest
    pattern: np.ndarray


def mann_kendall(series: np.ndarray, alpha: float = TREND_ALPHA) -> TrendTest:
    """The Mann–Kendall trend test of each row of ``series`` (cells × time steps), at once.

    Same formulas as ``pymannkendall.original_test``: ``S = Σ_{i<j} sign(x_j − x_i)``, the
    variance corrected for ties (values compared exactly), ``z = (S ∓ 1)/√Var`` (0 when S = 0),
    two-sided normal p and a trend where ``|z| > Φ⁻¹(1 − α/2)``. Rows must have no NaN and at
    least 3 values (else ``ValueError``).
    """
    x = np.asarray(series, dtype=float)
    if x.ndim != 2 or x.shape[1] < 3:
        raise ValueError("series must be cells × at least 3 time steps")
    if not np.isfinite(x).all():
        raise ValueError("series must not hold NaN or infinity")
    cells, n = x.shape
    s = np.zeros(cells, dtype=np.int64)
    for lag in range(1, n):
        # one lag at a time keeps memory at cells × n, not cells × n²
        s += np.sign(x[:, lag:] - x[:, :-lag]).sum(axis=1, dtype=np.int64)
    ordered = np.sort(x, axis=1)
    starts = np.ones((cells, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # a tie group's size is the distance between consecutive group starts
    flat = np.flatnonzero(np.append(starts.ravel(), True))
    sizes = np.diff(flat).astype(float)
    owner = flat[:-1] // n
    ties = np.bincount(owner, weights=sizes * (sizes - 1) * (2 * sizes + 5), minlength=cells)
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(var_s)
        z = np.where(s > 0, (s - 1) / root, np.where(s < 0, (s + 1) / root, 0.0))
    z = np.where(np.isfinite(z), z, 0.0)
    p = 2 * (1 - stats.norm.cdf(np.abs(z)))
    significant = np.abs(z) > stats.norm.ppf(1 - alpha / 2)
    trend = np.where(significant, np.sign(z), 0).astype(np.int64)
    return TrendTest(s=s, var_s=var_s, z=z, p=p, tau=s / (0.5 * n * (n - 1)), trend=trend)


def step_labels(dates: pd.Series, period: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Time step of each date (index into the returned labels; −1 for no date) and the labels
    of all steps from the first to the last date, gaps included (``"YYYY-MM"`` or
    ``"YYYY"``). Raises ``ValueError`` for an unknown ``period``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, got {period!r}")
    stamps = pd.to_datetime(dates, errors="coerce", format="mixed")
    valid = stamps.notna().to_numpy()
    ordinal = np.full(len(stamps), -1, dtype=np.int64)
    if not valid.any():
        return ordinal, ()
    years = stamps.dt.year.to_numpy()
    months = stamps.dt.month.to_numpy()
    value = (years * 12 + months - 1) if period == "month" else years
    value = np.where(valid, value, 0).astype(np.int64)
    first, last = int(value[valid].min()), int(value[valid].max())
    ordinal[valid] = value[valid] - first
    if period == "month":
        labels = tuple(f"{v // 12}-{v % 12 + 1:02d}" for v in range(first, last + 1))
    else:
        labels = tuple(str(v) for v in range(first, last + 1))
    return ordinal, labels


def space_time_counts(grid: HexGrid, cells: np.ndarray, steps: np.ndarray, weights: np.ndarray,
                      n_steps: int) -> np.ndarray:
    """Weighted counts (steps × cells) of points with cell index ``cells`` and step ``steps``
    (either −1 = left out)."""
    keep = (cells >= 0) & (steps >= 0) & (steps < n_steps)
    flat = steps[keep] * grid.n + cells[keep]
    return np.bincount(flat, weights=weights[keep],
                       minlength=n_steps * grid.n).reshape(n_steps, grid.n)


def step_bins(counts: np.ndarray, grid: HexGrid, rings: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z-scores and bins (−3 … 3, FDR per step) of each step's counts (steps × cells).

    ``counts`` may hold approximate points' :data:`APPROXIMATE_WEIGHT`. A step whose Gi* is
    undefined (no points, all cells equal) has z = 0 and bin 0.
    """
    weights = grid.weights(rings)
    z = np.zeros(counts.shape)
    bins = np.zeros(counts.shape, dtype=np.int64)
    for t, row in enumerate(counts):
        try:
            gi = gi_star(np.rint(row / APPROXIMATE_WEIGHT), weights, "exact")
        except GiStarError:
            continue
        z[t] = gi.z
        bins[t] = gi_bins(gi.z, fdr_adjust(gi.p))
    return z, bins


def classify(bins: np.ndarray, trend: np.ndarray) -> np.ndarray:
    """Pattern code per cell from its bins (steps × cells) and the trend of its z (+1/0/−1)."""
    hot_codes = _patterns(bins >= 1, bins <= -1, trend, "hot")
    cold_codes = _patterns(bins <= -1, bins >= 1, -trend, "cold")
    return np.where(hot_codes != "no_pattern", hot_codes, cold_codes)


def _patterns(hot: np.ndarray, opposite: np.ndarray, rising: np.ndarray, kind: str
              ) -> np.ndarray:
    """Patterns of one kind (``hot`` or ``cold``): ``hot`` marks the significant steps of that
    kind, ``opposite`` those of the other kind, ``rising`` the trend towards that kind."""
    steps, cells = hot.shape
    final = hot[-1]
    share = hot.mean(axis=0)
    # length of the run of significant steps that ends in the final one
    not_hot_rev = ~hot[::-1]
    run = np.where(not_hot_rev.any(axis=0), not_hot_rev.argmax(axis=0), steps)
    before_run = np.arange(steps)[:, None] < (steps - run)[None, :]
    hot_before = (hot & before_run).any(axis=0)
    opposite_before = (opposite[:-1]).any(axis=0)
    most = share >= MOST_STEPS
    out = np.full(cells, "no_pattern", dtype=object)
    conditions = [
        (final & most & (rising > 0), f"intensifying_{kind}"),
        (final & most & (rising < 0), f"diminishing_{kind}"),
        (final & most & (rising == 0), f"persistent_{kind}"),
        (final & ~most & ~hot_before & (run == 1), f"new_{kind}"),
        (final & ~most & ~hot_before & (run >= 2), f"consecutive_{kind}"),
        (final & ~most & hot_before & opposite_before, f"oscillating_{kind}"),
        (final & ~most & hot_before & ~opposite_before, f"sporadic_{kind}"),
        (~final & most, f"historical_{kind}"),
    ]
    for condition, code in reversed(conditions):
        out = np.where(condition, code, out)
    return out


def emerging_hotspots(grid: HexGrid, cells: np.ndarray, steps: np.ndarray, labels: tuple[str, ...],
                      exact: np.ndarray | None = None, rings: int = 1) -> EmergingResult:
    """The emerging-hot-spot analysis of points already placed in ``cells`` of ``grid`` and in
    time ``steps`` (indices into ``labels``; −1 = left out). ``exact`` marks points at exact
    positions (default all); approximate ones count half (module docstring).

    Raises ``EmergingError`` with fewer than :data:`MIN_STEPS` steps or no point in the cube.
    """
    if len(labels) < MIN_STEPS:
        raise EmergingError("emerging.too_few_steps", steps=len(labels), minimum=MIN_STEPS)
    counts = space_time_counts(grid, np.asarray(cells), np.asarray(steps),
                               point_weights(exact, len(cells)), len(labels))
    if counts.sum() <= 0:
        raise EmergingError("emerging.no_points")
    z, bins = step_bins(counts, grid, rings)
    trend = mann_kendall(z.T)
    return EmergingResult(steps=labels, counts=counts, z=z, bins=bins,
                          trend=trend, pattern=classify(bins, trend.trend))


@dataclass(frozen=True)
class TownEmerging:
    """A town's emerging hot spots: ``cells`` (EPSG:5514 hexagons with ``pattern``,
    ``points`` (weighted count over all steps), ``hot_steps``, ``cold_steps``, ``trend_z``,
    ``trend_p``, ``tau``), the analysis, the points used (``approximate`` of them at an
    approximate position) and those left out (outside the town or without a date)."""

    cells: gpd.GeoDataFrame
    result: EmergingResult
    period: str
    points: int
    approximate: int
    left_out: int


def fear_rounds(store: Store, town_id: str) -> pd.DataFrame:
    """The town's approved fear pins dated by their mapping session (by when the pin was
    made where the session has no date), sensitive categories left out so that no view of
    rounds can show a lonely sensitive answer. Columns ``date``, ``exact`` (all true), ``x``,
    ``y`` (EPSG:5514 metres, ``Store.read_points``)."""
    pins = store.read_points(PINS, ["status", "category", "created_at", "session_id"],
                             town_id)
    pins = pins[(pins["status"].astype(str) == APPROVED)
                & ~pins["category"].isin(SENSITIVE_CATEGORIES)]
    dates = pins["created_at"].astype(str)
    if SESSIONS.name in store.layer_names():
        sessions = store.read(SESSIONS, town_id)
        by_session = dict(zip(sessions["session_id"], sessions["date"], strict=True))
        held = pins["session_id"].map(by_session)
        dates = held.where(held.notna() & (held.astype(str) != ""), dates)
    return pd.DataFrame({"date": dates, "exact": True, "x": pins["x"], "y": pins["y"]})


def town_emerging(store: Store, town_id: str, period: str = "month",
                  cell_m: float = DEFAULT_CELL_M, rings: int = 1,
                  layer: str = "offences") -> TownEmerging:
    """Emerging hot spots of the town's ``layer`` (:data:`EMERGING_LAYERS`: its offences,
    or its fear pins across mapping rounds) by ``period`` (``"month"``/``"year"``) on
    hexagons of ``cell_m`` metres. Raises ``HotspotInputError`` (unknown town),
    ``GridError`` (cell size), ``EmergingError`` (no dated point in the town, too few
    steps) or ``ValueError`` (unknown layer)."""
    if layer not in EMERGING_LAYERS:
        raise ValueError(f"layer must be one of {EMERGING_LAYERS}, got {layer!r}")
    area = town_area(store, town_id)
    grid = build_grid(area, cell_m)
    offences = (town_offences(store, town_id) if layer == "offences"
                else fear_rounds(store, town_id))
    x, y = offences["x"].to_numpy(), offences["y"].to_numpy()
    inside = np.isfinite(x) & np.isfinite(y)
    inside[inside] = shapely.contains_xy(area, x[inside], y[inside])
    steps, labels = step_labels(offences["date"].where(inside, None), period)
    used = inside & (steps >= 0)
    if not used.any():
        raise EmergingError("emerging.no_points")
    cells = np.where(used, grid.locate(x, y), -1)
    exact = offences["exact"].to_numpy(dtype=bool)
    result = emerging_hotspots(grid, cells, np.where(used, steps, -1), labels, exact, rings)
    table = grid.cells.copy()
    table["pattern"] = result.pattern
    table["points"] = result.counts.sum(axis=0)
    table["hot_steps"] = (result.bins >= 1).sum(axis=0)
    table["cold_steps"] = (result.bins <= -1).sum(axis=0)
    table["trend_z"] = result.trend.z
    table["trend_p"] = result.trend.p
    table["tau"] = result.trend.tau
    return TownEmerging(cells=table, result=result, period=period, points=int(used.sum()),
                        approximate=int((used & ~exact).sum()), left_out=int((~used).sum()))
