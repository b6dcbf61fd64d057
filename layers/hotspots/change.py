"""Change of hotspots between two periods or mapping rounds on the same grid.

Each period gets its own Gi* bins (:mod:`layers.hotspots.gistar`, FDR-corrected); per cell,
with ``a`` the earlier and ``b`` the later hot bin (1 … 3 = 90/95/99 %, ≤ 0 not hot):

* ``new``: not hot in ``a``, hot in ``b``
* ``persistent``: hot in both at the same confidence
* ``intensifying``: hot in both, at a higher confidence in ``b``
* ``diminishing``: hot in ``a``, at a lower confidence or no longer hot in ``b``
* ``none``: hot in neither

A simplified, two-period form of the "emerging hot spot" categories of Esri's space-time
pattern mining.

Whether the spatial pattern changed as a whole is a permutation test of the period labels:
pooling both periods' points, the statistic is the total variation distance between the two
periods' distributions over cells, ``D = ½ Σ_c |a_c/A − b_c/B|``; the labels are shuffled
(keeping the two totals) and ``p = (1 + #{D* ≥ D}) / (1 + permutations)``. Unlike a χ² test it
is valid for the sparse counts typical of pins per hexagon.

References: Esri, "How Emerging Hot Spot Analysis works" (ArcGIS Pro documentation);
Andresen, M. A. (2009), "Testing for similarity in area-based spatial patterns: a
nonparametric Monte Carlo approach", Applied Geography 29(3) (the same question, answered with
a per-area index); Good, P. (2005), *Permutation, Parametric and Bootstrap Tests of
Hypotheses*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from scipy import sparse

from layers.hotspots.classes import gi_bins
from layers.hotspots.fdr import fdr_adjust
from layers.hotspots.gistar import gi_star

PERMUTATIONS: Final = 999


@dataclass(frozen=True)
class PatternChange:
    """Per-cell change classes and the test of the whole pattern."""

    cells: pd.DataFrame
    distance: float
    p_value: float
    permutations: int


def change_classes(bin_a: np.ndarray, bin_b: np.ndarray) -> np.ndarray:
    """Change class code per cell from the two periods' Gi* bins."""
    a = np.maximum(np.asarray(bin_a, dtype=int), 0)
    b = np.maximum(np.asarray(bin_b, dtype=int), 0)
    return np.select(
        [(a == 0) & (b > 0), (a > 0) & (b == a), (a > 0) & (b > a), (a > 0) & (b < a)],
        ["new", "persistent", "intensifying", "diminishing"], default="none",
    ).astype(object)


def pattern_test(cells_a: np.ndarray, cells_b: np.ndarray, n_cells: int,
                 permutations: int = PERMUTATIONS, seed: int = 0) -> tuple[float, float]:
    """Total variation distance between two periods' cell distributions and its p-value.

    ``cells_a``/``cells_b`` are the cell index of each point of the period (−1 ignored).
    Raises ``ValueError`` when a period has no points.
    """
    a = np.asarray(cells_a)
    b = np.asarray(cells_b)
    a, b = a[a >= 0], b[b >= 0]
    if a.size == 0 or b.size == 0:
        raise ValueError("both periods need at least one point inside the grid")
    observed = _distance(a, b, n_cells)
    pooled = np.concatenate([a, b])
    rng = np.random.default_rng(seed)
    exceed = 0
    for _ in range(permutations):
        shuffled = rng.permutation(pooled)
        if _distance(shuffled[: a.size], shuffled[a.size:], n_cells) >= observed - 1e-12:
            exceed += 1
    return observed, (1 + exceed) / (1 + permutations)


def _distance(a: np.ndarray, b: np.ndarray, n_cells: int) -> float:
    share_a = np.bincount(a, minlength=n_cells) / a.size
    share_b = np.bincount(b, minlength=n_cells) / b.size
    return 0.5 * float(np.abs(share_a - share_b).sum())


def compare_periods(cells_a: np.ndarray, cells_b: np.ndarray, weights: sparse.csr_matrix,
                    permutations: int = PERMUTATIONS, seed: int = 0) -> PatternChange:
    """Gi* per period, per-cell change classes and the pattern test.

    ``cells_a``/``cells_b``: cell index of every point of each period (from
    :meth:`layers.hotspots.grid.HexGrid.locate`). Raises ``GiStarError``/``ValueError`` when a
    period is empty or has no variation.
    """
    n = weights.shape[0]
    a = np.asarray(cells_a)
    b = np.asarray(cells_b)
    count_a = np.bincount(a[a >= 0], minlength=n).astype(float)
    count_b = np.bincount(b[b >= 0], minlength=n).astype(float)
    gi_a = gi_star(count_a, weights)
    gi_b = gi_star(count_b, weights)
    bin_a = gi_bins(gi_a.z, fdr_adjust(gi_a.p))
    bin_b = gi_bins(gi_b.z, fdr_adjust(gi_b.p))
    distance, p_value = pattern_test(a, b, n, permutations, seed)
    frame = pd.DataFrame({
        "count_a": count_a, "count_b": count_b, "z_a": gi_a.z, "z_b": gi_b.z,
        "bin_a": bin_a, "bin_b": bin_b, "change": change_classes(bin_a, bin_b),
    })
    return PatternChange(cells=frame, distance=distance, p_value=p_value,
                         permutations=permutations)
