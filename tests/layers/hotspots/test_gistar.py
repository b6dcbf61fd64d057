"""Gi*: equal to esda's analytic z, finds a planted cluster, finds nothing in noise."""

from __future__ import annotations

import warnings

import esda
import libpysal
import numpy as np
import pytest

from layers.hotspots.classes import gi_bins
from layers.hotspots.fdr import fdr_adjust
from layers.hotspots.gistar import GiStarError, gi_star
from layers.hotspots.grid import build_grid
from tests.layers.hotspots.conftest import ORIGIN, SIDE, planted, town_square


def test_z_equals_esda_g_local_star_on_same_weights() -> None:
    grid = build_grid(town_square(), 100)
    rng = np.random.default_rng(3)
    x, y, _ = planted(rng)
    counts = grid.counts(x, y)
    ours = gi_star(counts, grid.weights(), p_method="normal")
    w = libpysal.weights.W.from_sparse(grid.weights(self_weight=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = esda.G_Local(counts, w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(ours.z, reference.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.g, reference.Gs, rtol=1e-12)
    # esda's p_norm is one-sided; ours is two-sided
    np.testing.assert_allclose(ours.p, 2 * reference.p_norm, rtol=1e-9)


def test_planted_cluster_is_hot_at_99_percent() -> None:
    grid = build_grid(town_square(), 100)
    x, y, centre = planted(np.random.default_rng(1))
    gi = gi_star(grid.counts(x, y), grid.weights())
    bins = gi_bins(gi.z, fdr_adjust(gi.p))
    centre_cell = grid.locate(np.array([centre[0]]), np.array([centre[1]]))[0]
    assert bins[centre_cell] == 3
    hot_centres = grid.centres()[bins == 3]
    distance = np.hypot(hot_centres[:, 0] - centre[0], hot_centres[:, 1] - centre[1])
    assert distance.max() < 300  # hot cells are the cluster, not scattered noise


def _noise_bins(seed: int, p_method: str, points: int = 400) -> np.ndarray:
    grid = build_grid(town_square(), 100)
    rng = np.random.default_rng(seed)
    x = rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, points)
    y = rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, points)
    gi = gi_star(grid.counts(x, y), grid.weights(), p_method)
    return gi_bins(gi.z, fdr_adjust(gi.p))


def test_uniform_noise_yields_no_hot_cells_after_fdr() -> None:
    """BH at level α lets a pure-noise map show any hotspot with probability ≤ α."""
    runs = [_noise_bins(seed, "exact") for seed in range(30)]
    assert sum(int((bins >= 3).any()) for bins in runs) == 0  # 99 %: none in 30 maps
    assert sum(int((bins >= 1).any()) for bins in runs) <= 5  # 90 %: ≤ 10 % expected
    assert all((bins >= 1).sum() <= 3 for bins in runs)


def test_normal_p_values_are_anti_conservative_for_sparse_counts() -> None:
    """Why exact p is the default: normal p finds 'hotspots' in most noise maps."""
    runs = [_noise_bins(seed, "normal") for seed in range(10)]
    assert sum(int((bins >= 1).any()) for bins in runs) >= 6


def test_exact_and_normal_agree_for_dense_counts() -> None:
    """Many points in every cell: the counts are nearly normal, so are the p-values."""
    grid = build_grid(town_square(), 250)
    rng = np.random.default_rng(2)
    counts = rng.poisson(350, grid.n).astype(float)
    exact = gi_star(counts, grid.weights(), "exact")
    normal = gi_star(counts, grid.weights(), "normal")
    np.testing.assert_array_equal(exact.z, normal.z)
    np.testing.assert_allclose(exact.p, normal.p, atol=0.03)
    assert np.mean((exact.p <= 0.05) == (normal.p <= 0.05)) >= 0.97
    cx, cy, _ = planted(rng, background=0, cluster=3_000, spread=200)
    clustered = counts + grid.counts(cx, cy)  # a cluster on top: both call it clearly
    peak = int(np.argmax(gi_star(clustered, grid.weights(), "normal").z))
    assert gi_star(clustered, grid.weights(), "exact").p[peak] < 1e-4


def test_fdr_matches_esda_cutoff() -> None:
    p = np.random.default_rng(0).uniform(0, 1, 500) ** 4
    cutoff = esda.fdr(p, 0.05)
    np.testing.assert_array_equal(fdr_adjust(p) <= 0.05, p <= cutoff)


def test_undefined_inputs_raise_clear_errors() -> None:
    grid = build_grid(town_square(), 100)
    with pytest.raises(GiStarError, match="sum to zero"):
        gi_star(np.zeros(grid.n), grid.weights())
    with pytest.raises(GiStarError, match="same value"):
        gi_star(np.ones(grid.n), grid.weights())
    with pytest.raises(GiStarError, match="weights are"):
        gi_star(np.ones(3), grid.weights())
    with pytest.raises(ValueError, match="whole, non-negative counts"):
        gi_star(np.linspace(0, 1, grid.n), grid.weights())
    np.testing.assert_allclose(gi_star(np.linspace(0, 1, grid.n), grid.weights(), "normal").z
                               .mean(), 0.0, atol=0.2)
    with pytest.raises(ValueError, match="p_method"):
        gi_star(np.arange(grid.n), grid.weights(), p_method="magic")
