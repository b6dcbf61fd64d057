"""Hit rate and PAI on a hand-computed example."""

from __future__ import annotations

import numpy as np
import pytest

from layers.hotspots.evaluation import evaluate, pai, select_top_cells


def test_pai_hand_computed() -> None:
    # 10 equal cells of 1 km² (A = 10 km²); the map picks the top cell (a = 1 km², 10 %).
    # The next period has N = 40 points, n = 12 of them in the picked cell:
    # hit rate = 12/40 = 0.3, PAI = 0.3 / 0.1 = 3.0
    scores = np.array([0.1, 5.0, 0.2, 0.0, 1.0, 0.3, 0.0, 0.0, 0.4, 0.0])
    later = np.array([3, 12, 4, 2, 5, 4, 3, 2, 3, 2])
    areas = np.ones(10)
    result = evaluate(scores, later, areas, coverage=0.10)
    assert result.cells == 1 and result.hits == 12 and result.total == 40
    assert result.hit_rate == pytest.approx(0.3)
    assert result.area_share == pytest.approx(0.1)
    assert result.pai == pytest.approx(3.0)


def test_coverage_takes_cells_until_the_area_is_used_up() -> None:
    # 20 % of 10 km² = 2 km²: cells 1 (5.0) and 4 (1.0) → n = 17, PAI = (17/40)/(2/10) = 2.125
    scores = np.array([0.1, 5.0, 0.2, 0.0, 1.0, 0.3, 0.0, 0.0, 0.4, 0.0])
    later = np.array([3, 12, 4, 2, 5, 4, 3, 2, 3, 2])
    result = evaluate(scores, later, np.ones(10), coverage=0.20)
    assert result.hits == 17
    assert result.pai == pytest.approx(2.125)


def test_unequal_areas_and_ties() -> None:
    mask = select_top_cells(np.array([3.0, 3.0, 1.0]), np.array([2.0, 1.0, 1.0]), 0.5)
    assert mask.tolist() == [True, False, False]  # ties by index; 2 of 4 area units
    assert select_top_cells(np.array([9.0, 1.0]), np.array([10.0, 1.0]), 0.05).tolist() == \
        [True, False]  # at least one cell even when it alone exceeds the coverage


def test_undefined_cases() -> None:
    assert np.isnan(pai(0, 0, 1.0, 10.0))
    with pytest.raises(ValueError, match="coverage"):
        select_top_cells(np.ones(3), np.ones(3), 0.0)
    result = evaluate(np.zeros(3), np.array([1, 2, 3]), np.ones(3))
    assert result.cells == 0 and np.isnan(result.pai)
