"""``mapa bench emerging``: the emerging-hot-spot analysis of a town-sized space–time cube,
our vectorised Mann–Kendall against ``pymannkendall.original_test`` run cell by cell.

Synthetic offences (``--points``, default 1 M) over ``--months`` (default 60) months on a
rectangle of ``--width-km`` × ``--height-km`` (default 6 × 7 km, about Litvínov's 41 km²) in
EPSG:5514, hexagons of ``--cell`` metres: 60 % uniform, 40 % in 30 clusters that appear,
fade, grow or stay, a fifth of all at approximate positions. Figures:

* ``cube_s``: grid, binning of the points into cells × months;
* ``gi_s``: Gi* (exact p) + Benjamini–Hochberg + bins for every month;
* ``mk_s``: our Mann–Kendall of every cell's z-scores at once, and the classification;
* ``pmk_s``: ``pymannkendall.original_test`` on every cell in a loop, and the same
  classification from its trends; ``ratio`` = pmk_s / mk_s (target ≥ 50);
* ``identical``: both give the same trend and the same pattern in every cell.
Our times are the best of three runs. pymannkendall is a test dependency
(``./scripts/setup test``).
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
import shapely

from layers.hotspots.analysis import point_weights
from layers.hotspots.emerging import (
    classify,
    mann_kendall,
    space_time_counts,
    step_bins,
)
from layers.hotspots.grid import build_grid
from scripts.bench.harness import best_of, report, timed
from scripts.commands.common import subcommand

#: South-west corner of the synthetic town (EPSG:5514, near Litvínov).
ORIGIN = (-785_000.0, -985_000.0)
TARGET_RATIO = 50.0
TRENDS = {"increasing": 1, "decreasing": -1, "no trend": 0}


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "emerging",
                        "emerging hot spots: vectorised Mann–Kendall vs pymannkendall per cell",
                        run)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--cell", type=float, default=100.0)
    parser.add_argument("--width-km", type=float, default=6.0)
    parser.add_argument("--height-km", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=0)


def synthetic(rng: np.random.Generator, points: int, months: int, width: float, height: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x, y (EPSG:5514), month index and exact flag of ``points`` generated offences."""
    uniform = int(points * 0.6)
    x = [rng.uniform(ORIGIN[0], ORIGIN[0] + width, uniform)]
    y = [rng.uniform(ORIGIN[1], ORIGIN[1] + height, uniform)]
    t = [rng.integers(0, months, uniform)]
    per_cluster = (points - uniform) // 30
    shapes = (lambda s: s, lambda s: 1 - s, lambda s: np.ones_like(s), lambda s: s ** 4)
    for k in range(30):
        centre = (ORIGIN[0] + rng.uniform(0.1, 0.9) * width,
                  ORIGIN[1] + rng.uniform(0.1, 0.9) * height)
        weight = shapes[k % len(shapes)](np.linspace(0, 1, months)) + 0.05
        count = per_cluster if k < 29 else points - uniform - 29 * per_cluster
        t.append(rng.choice(months, count, p=weight / weight.sum()))
        x.append(rng.normal(centre[0], 120.0, count))
        y.append(rng.normal(centre[1], 120.0, count))
    return (np.concatenate(x), np.concatenate(y), np.concatenate(t),
            rng.random(points) >= 0.2)


def run(args: argparse.Namespace) -> int:
    import pymannkendall  # a test dependency: imported only when this benchmark runs

    rng = np.random.default_rng(args.seed)
    width, height = args.width_km * 1000.0, args.height_km * 1000.0
    x, y, month, exact = synthetic(rng, args.points, args.months, width, height)
    area = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + width, ORIGIN[1] + height)

    def cube() -> tuple[Any, np.ndarray]:
        grid = build_grid(area, args.cell)
        return grid, space_time_counts(grid, grid.locate(x, y), month,
                                       point_weights(exact, len(x)), args.months)

    (grid, counts), cube_s = best_of(cube, 3)
    (z, bins), gi_s = best_of(lambda: step_bins(counts, grid), 3)
    (ours, patterns), mk_s = best_of(lambda: _ours(z, bins), 3)
    (theirs, their_patterns), pmk_s = timed(lambda: _theirs(pymannkendall, z, bins))
    identical = bool(np.array_equal(ours, theirs) and np.array_equal(patterns, their_patterns))
    ratio = pmk_s / mk_s
    codes, n = np.unique(patterns, return_counts=True)
    result = {"points": args.points, "months": args.months, "cells": grid.n,
              "cell_m": args.cell, "cube_s": round(cube_s, 3), "gi_s": round(gi_s, 3),
              "mk_s": round(mk_s, 4), "pmk_s": round(pmk_s, 3), "ratio": round(ratio, 1),
              "target_ratio": TARGET_RATIO, "identical": identical,
              "patterns": {str(c): int(k) for c, k in zip(codes, n, strict=True)}}
    report(args, ["step", "seconds"],
           [["cube (grid + binning)", f"{cube_s:.3f}"], ["Gi* per month", f"{gi_s:.3f}"],
            ["Mann–Kendall, ours (all cells)", f"{mk_s:.4f}"],
            ["pymannkendall, cell by cell", f"{pmk_s:.3f}"]], result,
           title=f"{args.points:,} offences, {args.months} months, {grid.n:,} cells of "
                 f"{args.cell:g} m:",
           notes=[f"ratio {ratio:.0f}× (target ≥ {TARGET_RATIO:.0f}×); identical trends and "
                  f"patterns in every cell: {identical}"])
    return 0


def _ours(z: np.ndarray, bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    trend = mann_kendall(z.T).trend
    return trend, classify(bins, trend)


def _theirs(pymannkendall: Any, z: np.ndarray, bins: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    trend = np.array([TRENDS[pymannkendall.original_test(series).trend] for series in z.T])
    return trend, classify(bins, trend)
