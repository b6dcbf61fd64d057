"""Emerging hot spots: the vectorised Mann–Kendall equals pymannkendall cell by cell, the
classification follows Esri's rules, and planted new and diminishing hot spots are found."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pymannkendall
import pytest
import shapely

from layers.hotspots.emerging import (
    EmergingError,
    classify,
    emerging_hotspots,
    mann_kendall,
    step_labels,
    town_emerging,
)
from layers.hotspots.grid import build_grid
from layers.store import GeoPackageStore
from tests.layers.hotspots.conftest import pins_frame, planted_cube, town_square


def test_mann_kendall_equals_pymannkendall_on_every_cell() -> None:
    rng = np.random.default_rng(7)
    cube = np.vstack([
        rng.normal(size=(150, 24)),                           # no ties
        rng.integers(0, 4, size=(150, 24)).astype(float),     # many ties
        np.cumsum(rng.normal(0.3, 1.0, size=(100, 24)), 1),   # trends up
        -np.arange(24, dtype=float)[None, :].repeat(5, 0),    # strictly down
        np.zeros((5, 24)),                                    # constant: no trend
    ])
    ours = mann_kendall(cube)
    names = {1: "increasing", -1: "decreasing", 0: "no trend"}
    for i, row in enumerate(cube):
        theirs = pymannkendall.original_test(row)
        assert names[int(ours.trend[i])] == theirs.trend, i
        assert ours.s[i] == theirs.s
        assert ours.var_s[i] == pytest.approx(theirs.var_s, rel=1e-12, abs=1e-12)
        assert ours.z[i] == pytest.approx(theirs.z, rel=1e-12, abs=1e-12)
        assert ours.p[i] == pytest.approx(theirs.p, rel=1e-9, abs=1e-12)
        assert ours.tau[i] == pytest.approx(theirs.Tau, rel=1e-12, abs=1e-12)
    assert set(ours.trend.tolist()) == {-1, 0, 1}


def _bins(*columns: str) -> np.ndarray:
    """Bins (steps × cells) from strings of H (hot), C (cold) and . per cell."""
    code = {"H": 1, "C": -1, ".": 0}
    return np.array([[code[ch] for ch in column] for column in columns]).T


@pytest.mark.parametrize(("series", "trend", "pattern"), [
    ("..........H", 0, "new_hot"),
    ("C.........H", 0, "new_hot"),
    (".......HHHH", 0, "consecutive_hot"),
    ("HHHHHHHHHHH", 1, "intensifying_hot"),
    ("HHHHHHHHHHH", 0, "persistent_hot"),
    (".HHHHHHHHHH", -1, "diminishing_hot"),
    ("..H..H...HH", 0, "sporadic_hot"),
    ("..HC.H...HH", 0, "oscillating_hot"),
    ("HHHHHHHHHH.", -1, "historical_hot"),
    ("..........C", 0, "new_cold"),
    ("CCCCCCCCCCC", -1, "intensifying_cold"),
    ("CCCCCCCCCCC", 1, "diminishing_cold"),
    ("C.C..H....C", 0, "oscillating_cold"),
    ("CCCCCCCCCC.", 0, "historical_cold"),
    ("HH.HH......", 0, "no_pattern"),
    ("...........", 0, "no_pattern"),
])
def test_classification_follows_the_emerging_hot_spot_rules(series: str, trend: int,
                                                          pattern: str) -> None:
    assert classify(_bins(series), np.array([trend]))[0] == pattern


def test_step_labels_fill_gaps_and_skip_bad_dates() -> None:
    steps, labels = step_labels(pd.Series(["2023-11-05", "2024-02-01", "nonsense"]), "month")
    assert labels == ("2023-11", "2023-12", "2024-01", "2024-02")
    assert steps.tolist() == [0, 3, -1]
    steps, labels = step_labels(pd.Series(["2021-05-01", "2023-01-09"]), "year")
    assert labels == ("2021", "2022", "2023") and steps.tolist() == [0, 2]


def test_planted_new_and_diminishing_hot_spots_are_found() -> None:
    grid = build_grid(town_square(), 200.0)
    cube = planted_cube(np.random.default_rng(3))
    labels = tuple(f"2022-{m:02d}" for m in range(1, cube.months + 1))
    result = emerging_hotspots(grid, grid.locate(cube.x, cube.y), cube.month, labels)
    new_cell = int(grid.locate(np.array([cube.new_at[0]]), np.array([cube.new_at[1]]))[0])
    old_cell = int(grid.locate(np.array([cube.old_at[0]]), np.array([cube.old_at[1]]))[0])
    assert result.pattern[new_cell] == "new_hot"
    assert result.pattern[old_cell] == "diminishing_hot"
    # the uniform background is no pattern in most of the town
    assert np.mean(result.pattern == "no_pattern") > 0.8
    assert result.counts.shape == (cube.months, grid.n)
    assert result.counts.sum() == pytest.approx(len(cube.x))


def test_approximate_points_count_half() -> None:
    grid = build_grid(town_square(), 500.0)
    cells = np.array([0, 0, 1, 2, 3, 4])
    steps = np.array([0, 1, 2, 3, 3, 3])
    result = emerging_hotspots(grid, cells, steps, ("a", "b", "c", "d"),
                               exact=np.array([True, False, True, True, True, False]))
    assert result.counts[0, 0] == 1.0 and result.counts[1, 0] == 0.5
    assert result.counts[3, 4] == 0.5


def test_too_few_steps_are_refused() -> None:
    grid = build_grid(town_square(), 500.0)
    with pytest.raises(EmergingError) as caught:
        emerging_hotspots(grid, np.array([0]), np.array([0]), ("2023", "2024"))
    assert caught.value.code == "emerging.too_few_steps"


def test_fear_pins_across_rounds_find_the_new_hot_spot_without_sensitive_pins(
        make_store: Callable[[gpd.GeoDataFrame], GeoPackageStore]) -> None:
    cube = planted_cube(np.random.default_rng(3))
    dates = [f"{2022 + m // 12}-{m % 12 + 1:02d}-10" for m in cube.month]
    categories = np.where(np.arange(len(cube.x)) % 7 == 0, "drug_dealing", "dark_place")
    store = make_store(pins_frame(cube.x, cube.y, created_at=dates, category=categories))
    analysis = town_emerging(store, "t", "month", 200.0, layer="fear")
    assert analysis.points == int((categories != "drug_dealing").sum())  # sensitive pins left out
    new = analysis.cells.distance(shapely.Point(cube.new_at)).argmin()
    assert analysis.cells["pattern"].iloc[new] == "new_hot"
    assert analysis.result.steps[0] == "2022-01" and len(analysis.result.steps) == 24
