"""Binned FFT KDE against scipy's exact gaussian_kde, and the bandwidth rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from layers.hotspots.kde import KdeError, bandwidth_rule, kde_surface


def _isotropic_scipy(x: np.ndarray, y: np.ndarray, h: float) -> stats.gaussian_kde:
    """scipy's exact KDE with covariance h²·I (it caches the data covariance it scales)."""
    kde = stats.gaussian_kde(np.vstack([x, y]))
    kde._data_covariance = np.eye(2)
    kde._data_cho_cov = np.eye(2)
    kde.set_bandwidth(h)
    return kde


@pytest.mark.parametrize("h", [40.0, 120.0])
def test_binned_kde_matches_scipy_within_one_percent_of_peak(h: float) -> None:
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(500, 80, 300), rng.uniform(0, 2_000, 200)])
    y = np.concatenate([rng.normal(900, 60, 300), rng.uniform(0, 2_000, 200)])
    surface = kde_surface(x, y, h, (0, 0, 2_000, 2_000))
    gx, gy = np.meshgrid(np.linspace(0, 2_000, 61), np.linspace(0, 2_000, 61))
    ours = surface.at(gx.ravel(), gy.ravel())
    exact = _isotropic_scipy(x, y, h).evaluate(np.vstack([gx.ravel(), gy.ravel()]))
    exact_per_km2 = exact * len(x) * 1e6
    error = np.abs(ours - exact_per_km2).max() / exact_per_km2.max()
    assert error < 0.01
    # the surface integrates to the number of points (intensity, not probability)
    total = surface.values.sum() * surface.step_m**2 / 1e6
    assert total == pytest.approx(len(x), rel=2e-3)


def test_coarser_raster_gives_larger_but_bounded_error() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(1_000, 200, 400), rng.normal(1_000, 200, 400)
    probe = (np.array([1_000.0, 1_130.0]), np.array([1_000.0, 870.0]))
    exact = _isotropic_scipy(x, y, 50.0).evaluate(np.vstack(probe)) * len(x) * 1e6
    fine = kde_surface(x, y, 50.0, (0, 0, 2_000, 2_000)).at(*probe)
    coarse = kde_surface(x, y, 50.0, (0, 0, 2_000, 2_000), step_m=25.0).at(*probe)
    fine_err = np.abs(fine - exact).max()
    coarse_err = np.abs(coarse - exact).max()
    assert fine_err < coarse_err < 0.1 * exact.max()


def test_bandwidth_rule_is_silverman_spatial() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 100, 1_000), rng.normal(0, 100, 1_000)
    sd = np.sqrt(np.mean((x - x.mean()) ** 2 + (y - y.mean()) ** 2))
    dm = np.median(np.hypot(x - x.mean(), y - y.mean()))
    expected = 0.9 * min(sd, np.sqrt(1 / np.log(2)) * dm) * 1_000 ** -0.2
    assert bandwidth_rule(x, y) == pytest.approx(expected)


def test_bad_inputs_raise() -> None:
    with pytest.raises(KdeError, match="at least two"):
        bandwidth_rule(np.array([1.0]), np.array([2.0]))
    with pytest.raises(KdeError, match="coincide"):
        bandwidth_rule(np.array([1.0, 1.0]), np.array([2.0, 2.0]))
    with pytest.raises(KdeError, match="no points"):
        kde_surface(np.empty(0), np.empty(0), 10.0, (0, 0, 1, 1))
    with pytest.raises(KdeError, match="positive"):
        kde_surface(np.array([0.0]), np.array([0.0]), 0.0, (0, 0, 1, 1))
