"""Hexagonal grid: sizes, clipping, point location and contiguity weights."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from layers.hotspots.grid import GridError, axial_to_xy, build_grid, xy_to_axial
from tests.layers.hotspots.conftest import ORIGIN, SIDE, town_square


def test_cells_have_the_chosen_size_and_cover_the_town() -> None:
    grid = build_grid(town_square(), 100)
    full = grid.cells["area_m2"].max()
    assert full == pytest.approx(np.sqrt(3) / 2 * 100**2, rel=1e-9)
    assert grid.cells["area_m2"].sum() == pytest.approx(SIDE * SIDE, rel=1e-9)
    assert grid.cells.crs.to_epsg() == 5514
    assert grid.cells["cell_id"].is_unique


def test_neighbour_centres_are_one_cell_apart() -> None:
    grid = build_grid(town_square(), 200)
    weights = grid.weights(self_weight=False).tocoo()
    centres = grid.centres()
    distance = np.hypot(*(centres[weights.row] - centres[weights.col]).T)
    np.testing.assert_allclose(distance, 200.0)
    interior = np.asarray(grid.weights(self_weight=False).sum(axis=1)).ravel()
    assert interior.max() == 6 and interior.min() >= 2
    two_rings = np.asarray(grid.weights(rings=2, self_weight=False).sum(axis=1)).ravel()
    assert two_rings.max() == 18
    assert (grid.weights().diagonal() == 1).all()


def test_points_are_located_in_the_hexagon_that_contains_them() -> None:
    grid = build_grid(town_square(), 100)
    rng = np.random.default_rng(0)
    x = rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, 2_000)
    y = rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, 2_000)
    idx = grid.locate(x, y)
    assert (idx >= 0).all()
    polygons = grid.cells.geometry.to_numpy()[idx]
    assert shapely.contains_xy(polygons, x, y).all()
    assert grid.locate(np.array([ORIGIN[0] - 5_000]), np.array([ORIGIN[1]]))[0] == -1


def test_axial_round_trip_and_stable_ids() -> None:
    q = np.array([-3, 0, 5])
    r = np.array([7, 0, -2])
    back = xy_to_axial(*axial_to_xy(q, r, 150.0), 150.0)
    np.testing.assert_array_equal(back[0], q)
    np.testing.assert_array_equal(back[1], r)
    small = build_grid(shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 1_000, ORIGIN[1] + 1_000))
    large = build_grid(town_square())
    assert set(small.cells["cell_id"]) < set(large.cells["cell_id"])


@pytest.mark.parametrize("size", [49.9, 501, 0])
def test_size_out_of_range_is_refused(size: float) -> None:
    with pytest.raises(GridError, match="between 50 and 500"):
        build_grid(town_square(), size)


def test_empty_town_is_refused() -> None:
    with pytest.raises(GridError, match="no area"):
        build_grid(shapely.Polygon(), 100)
