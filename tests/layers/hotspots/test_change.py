"""Change between two periods: classes and the permutation test of the pattern."""

from __future__ import annotations

import numpy as np

from layers.hotspots.change import change_classes, compare_periods
from layers.hotspots.grid import build_grid
from tests.layers.hotspots.conftest import ORIGIN, SIDE, town_square


def test_change_classes_from_bins() -> None:
    before = np.array([0, 0, 2, 2, 3, 1, -2])
    after = np.array([0, 3, 2, 3, 1, 0, 1])
    assert change_classes(before, after).tolist() == [
        "none", "new", "persistent", "intensifying", "diminishing", "diminishing", "new"]


def _period(rng: np.random.Generator, centre: tuple[float, float]) -> tuple[np.ndarray, ...]:
    x = np.concatenate([rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, 200),
                        rng.normal(centre[0], 50, 60)])
    y = np.concatenate([rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, 200),
                        rng.normal(centre[1], 50, 60)])
    return x, y


def test_moved_hotspot_is_new_and_diminishing_and_the_pattern_changed() -> None:
    grid = build_grid(town_square(), 100)
    rng = np.random.default_rng(4)
    old = (ORIGIN[0] + 700, ORIGIN[1] + 700)
    new = (ORIGIN[0] + 2_300, ORIGIN[1] + 2_300)
    result = compare_periods(grid.locate(*_period(rng, old)), grid.locate(*_period(rng, new)),
                             grid.weights(), permutations=199)
    cell_old = grid.locate(np.array([old[0]]), np.array([old[1]]))[0]
    cell_new = grid.locate(np.array([new[0]]), np.array([new[1]]))[0]
    assert result.cells.loc[cell_old, "change"] == "diminishing"
    assert result.cells.loc[cell_new, "change"] == "new"
    assert result.p_value <= 0.01


def test_same_process_twice_is_not_a_change() -> None:
    grid = build_grid(town_square(), 100)
    rng = np.random.default_rng(8)
    spot = (ORIGIN[0] + 1_500, ORIGIN[1] + 1_500)
    result = compare_periods(grid.locate(*_period(rng, spot)), grid.locate(*_period(rng, spot)),
                             grid.weights(), permutations=199)
    assert result.p_value > 0.05
    cell = grid.locate(np.array([spot[0]]), np.array([spot[1]]))[0]
    assert result.cells.loc[cell, "change"] in {"persistent", "intensifying", "diminishing"}
    assert result.cells.loc[cell, "bin_a"] > 0 and result.cells.loc[cell, "bin_b"] > 0
