"""``mapa bench hotspots``: grid + Gi* + FDR and KDE against esda and scipy, in one run.

Synthetic clustered points (60 % in 40 Gaussian clusters, 40 % uniform) over a rectangle of
``--width-km`` × ``--height-km`` in EPSG:5514, hexagons of ``--cell`` metres (the defaults give
≈16.6 k hexagons, the size of the issue's real 6.9 k-pin fear layer). Per point count:

* ``grid_s``: building the clipped hexagon polygons (done once per town and cell size);
* ``gi_s``: weights + binning the points + Gi* (analytic z, exact randomisation p) +
  Benjamini–Hochberg + classes;
* ``esda_s`` / ``esda_perm_s``: ``esda.G_Local(star=True, transform="B")`` on the same weights,
  analytic only / with ``--permutations`` (default 999) conditional permutations, including
  the conversion of the weights to a libpysal ``W``; ``max_abs_z_diff`` compares its z-scores
  with ours;
* ``kde_s``: bandwidth rule + binned FFT KDE + values at the cell centres;
  ``scipy_kde_s``: ``scipy.stats.gaussian_kde`` evaluated on a 200×200 grid. Its cost is
  linear in the number of points; above ``--scipy-max`` points it runs on a random sample of
  that size and the time is scaled up (``scipy_extrapolated`` true). ``--scipy-max 0`` runs
  it on every point (1 M points take about ten minutes);
* ``peak_mb``: peak memory traced (tracemalloc, a separate untimed pass) during grid + Gi*
  + KDE. Our timings are the best of five runs.
"""

from __future__ import annotations

import argparse
import tracemalloc
import warnings
from typing import Any

import numpy as np
import shapely
from scipy import stats

from layers.hotspots.classes import gi_bins
from layers.hotspots.fdr import fdr_adjust
from layers.hotspots.gistar import gi_star
from layers.hotspots.grid import build_grid
from layers.hotspots.kde import bandwidth_rule, kde_surface
from scripts.bench.harness import best_of, report, timed
from scripts.commands.common import subcommand

#: South-west corner of the synthetic study area (EPSG:5514, near Litvínov).
ORIGIN = (-785_000.0, -985_000.0)
TARGET_PERM_RATIO = 50.0
TARGET_KDE_S = 2.0
TARGET_KDE_RATIO = 100.0


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "hotspots",
                        "Gi*+FDR and KDE time vs esda permutations and scipy gaussian_kde", run)
    parser.add_argument("--points", type=int, nargs="+", default=[25_000, 1_000_000])
    parser.add_argument("--cell", type=float, default=100.0)
    parser.add_argument("--width-km", type=float, default=11.0)
    parser.add_argument("--height-km", type=float, default=13.0)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--scipy-max", type=int, default=25_000,
                        help="largest sample for scipy gaussian_kde (0 = all points)")
    parser.add_argument("--seed", type=int, default=0)


def run(args: argparse.Namespace) -> int:
    area = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + args.width_km * 1000,
                       ORIGIN[1] + args.height_km * 1000)
    rows = [measure(n, area, args.cell, args.permutations, args.scipy_max, args.seed)
            for n in args.points]
    headers = ["points", "cells", "grid_s", "gi_s", "esda_s", "esda_perm_s", "perm_ratio",
               "max_abs_z_diff", "kde_s", "scipy_kde_s", "kde_ratio", "peak_mb"]
    verdicts = []
    for row in rows:
        verdicts.append(
            f"{row['points']:,} points: Gi*+FDR {row['perm_ratio']:.0f}× faster than esda with "
            f"{args.permutations} permutations (target ≥ {TARGET_PERM_RATIO:.0f}×); KDE "
            f"{row['kde_s']:.3f} s (target ≤ {TARGET_KDE_S:g} s), {row['kde_ratio']:.0f}× "
            f"scipy{' (extrapolated)' if row['scipy_extrapolated'] else ''} "
            f"(target ≥ {TARGET_KDE_RATIO:.0f}×)")
    report(args, headers, [[row[h] for h in headers] for row in rows], {"rows": rows},
           notes=verdicts)
    return 0


def measure(n: int, area: shapely.Geometry, cell_m: float, permutations: int, scipy_max: int,
            seed: int) -> dict[str, Any]:
    """One row of the benchmark for ``n`` points (see the module docstring)."""
    import esda
    import libpysal

    x, y = clustered_points(n, area, seed)
    grid, grid_s = timed(lambda: build_grid(area, cell_m))
    centres = grid.centres()

    def ours() -> np.ndarray:
        weights = grid.weights()
        gi = gi_star(grid.counts(x, y), weights)
        gi_bins(gi.z, fdr_adjust(gi.p))
        return gi.z

    def kde() -> np.ndarray:
        surface = kde_surface(x, y, max(bandwidth_rule(x, y), cell_m / 2), shapely.bounds(area))
        return surface.at(centres[:, 0], centres[:, 1])

    z, gi_s = best_of(ours, 5)
    _, kde_s = best_of(kde, 5)
    tracemalloc.start()  # a separate pass: tracing slows allocations, so it is not timed
    build_grid(area, cell_m)
    ours()
    kde()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    counts = grid.counts(x, y)
    neighbours = grid.weights(self_weight=False)

    def esda_run(perms: int) -> Any:
        w = libpysal.weights.W.from_sparse(neighbours)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return esda.G_Local(counts, w, transform="B", star=True, permutations=perms,
                                seed=seed)

    analytic, esda_s = timed(lambda: esda_run(0))
    _, esda_perm_s = timed(lambda: esda_run(permutations))

    sample = n if scipy_max <= 0 else min(n, scipy_max)
    pick = np.random.default_rng(seed).choice(n, size=sample, replace=False)
    minx, miny, maxx, maxy = shapely.bounds(area)
    gx, gy = np.meshgrid(np.linspace(minx, maxx, 200), np.linspace(miny, maxy, 200))
    _, scipy_s = timed(lambda: stats.gaussian_kde(np.vstack([x[pick], y[pick]])).evaluate(
        np.vstack([gx.ravel(), gy.ravel()])))
    scipy_kde_s = scipy_s * n / sample
    return {
        "points": n, "cells": grid.n, "grid_s": round(grid_s, 4), "gi_s": round(gi_s, 4),
        "esda_s": round(esda_s, 3), "esda_perm_s": round(esda_perm_s, 3),
        "perm_ratio": round(esda_perm_s / gi_s, 1),
        "max_abs_z_diff": float(np.max(np.abs(np.asarray(analytic.Zs) - z))),
        "kde_s": round(kde_s, 4), "scipy_kde_s": round(scipy_kde_s, 2),
        "kde_ratio": round(scipy_kde_s / kde_s, 1), "scipy_sample": int(sample),
        "scipy_extrapolated": bool(sample < n), "peak_mb": round(peak / 2**20, 1),
    }


def clustered_points(n: int, area: shapely.Geometry, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in ``area``'s bounding box: 60 % in 40 Gaussian clusters, 40 % uniform."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = shapely.bounds(area)
    clustered = int(n * 0.6)
    centres = np.column_stack([rng.uniform(minx, maxx, 40), rng.uniform(miny, maxy, 40)])
    which = rng.integers(0, 40, clustered)
    spread = rng.uniform(80.0, 300.0, 40)[which]
    cx = centres[which, 0] + rng.normal(0, 1, clustered) * spread
    cy = centres[which, 1] + rng.normal(0, 1, clustered) * spread
    x = np.concatenate([cx, rng.uniform(minx, maxx, n - clustered)])
    y = np.concatenate([cy, rng.uniform(miny, maxy, n - clustered)])
    return np.clip(x, minx, maxx), np.clip(y, miny, maxy)

