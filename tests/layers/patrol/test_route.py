"""The patrol tour: optimal on small known instances, each place once, lengths and times add
up, street network used only where it is one."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString

from layers.crs import METRIC_CRS
from layers.patrol.route import (
    STRAIGHT_LINES,
    STREET_NETWORK,
    StreetNetwork,
    plan_route,
    tour_order,
)

ORIGIN = np.array([-785_000.0, -985_000.0])


def _matrix(xy: np.ndarray) -> np.ndarray:
    return np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])


def _length(matrix: np.ndarray, order: list[int] | tuple[int, ...]) -> float:
    return float(sum(matrix[a, b] for a, b in itertools.pairwise([*order, order[0]])))


def brute_force(matrix: np.ndarray) -> float:
    """The exact shortest closed tour (test oracle only: (n-1)! tours)."""
    n = len(matrix)
    return min(_length(matrix, (0, *rest)) for rest in itertools.permutations(range(1, n)))


def test_convex_polygon_tour_is_the_perimeter() -> None:
    angles = np.deg2rad(np.arange(0, 360, 45))
    ring = np.column_stack([np.cos(angles), np.sin(angles)]) * 300 + ORIGIN
    shuffled = ring[[0, 4, 2, 6, 1, 5, 3, 7]]
    matrix = _matrix(shuffled)
    order = tour_order(matrix)
    assert sorted(order) == list(range(8)) and order[0] == 0
    assert _length(matrix, order) == pytest.approx(brute_force(matrix))
    assert _length(matrix, order) == pytest.approx(8 * 2 * 300 * np.sin(np.pi / 8))


@pytest.mark.parametrize("seed", range(6))
def test_random_small_instances_are_optimal_or_within_christofides_bound(seed: int) -> None:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 2000, (7, 2)) + ORIGIN
    matrix = _matrix(xy)
    order = tour_order(matrix, seed=seed)
    assert sorted(order) == list(range(7))
    best = brute_force(matrix)
    assert best <= _length(matrix, order) <= 1.5 * best + 1e-6
    route = plan_route(xy, None, "auto")
    assert route.method == STRAIGHT_LINES and "no street network loaded" in route.note
    # with threshold accepting after Christofides these instances reach the optimum
    assert route.length_m == pytest.approx(best, rel=0.02)


def test_route_legs_lengths_and_walking_time_add_up() -> None:
    xy = np.array([[0, 0], [0, 400], [300, 400], [300, 0]], dtype=float) + ORIGIN
    route = plan_route(xy, mode="straight", walk_kmh=4.0, stop_min=5.0)
    assert route.length_m == pytest.approx(1400.0)
    assert [round(m) for m in route.leg_m] == [round(leg.length) for leg in route.legs]
    assert route.walk_min == pytest.approx(1400 / (4000 / 60))
    assert route.total_min == pytest.approx(route.walk_min + 4 * 5)
    assert route.line().is_ring and route.line().length == pytest.approx(1400.0)
    with pytest.raises(ValueError, match="at least one place"):
        plan_route(np.empty((0, 2)))
    with pytest.raises(ValueError, match="mode"):
        plan_route(xy, mode="taxi")


def _grid_streets(step: float = 200.0, count: int = 5) -> gpd.GeoDataFrame:
    size = step * (count - 1)
    lines = [LineString([(i * step, 0), (i * step, size)]) for i in range(count)]
    lines += [LineString([(0, i * step), (size, i * step)]) for i in range(count)]
    shifted = [LineString(np.asarray(line.coords) + ORIGIN) for line in lines]
    return gpd.GeoDataFrame({"kind": ["road"] * len(shifted)},
                            geometry=[MultiLineString([g]) for g in shifted], crs=METRIC_CRS)


def test_street_network_routes_along_the_grid() -> None:
    network = StreetNetwork.from_lines(_grid_streets())
    assert network is not None
    # places 20 m off the streets, on opposite corners of a block
    xy = np.array([[20, 100], [780, 700]], dtype=float) + ORIGIN
    route = plan_route(xy, network, "auto")
    assert route.method == STREET_NETWORK
    # 20 m access to x=0 at y=100, then Manhattan 800 + 600 m to (800, 700), 20 m access
    one_way = 20 + 800 + 600 + 20
    assert route.leg_m[0] == pytest.approx(route.leg_m[1])
    assert route.leg_m[0] >= np.hypot(760, 600)
    assert route.leg_m[0] == pytest.approx(one_way, abs=1.0)
    assert route.legs[0].coords[0] == pytest.approx(tuple(xy[0]))


def test_two_places_on_one_segment_reach_each_other_along_it() -> None:
    network = StreetNetwork.from_lines(_grid_streets())
    assert network is not None
    xy = np.array([[10, 50], [10, 150]], dtype=float) + ORIGIN
    route = plan_route(xy, network, "auto")
    assert route.method == STREET_NETWORK
    assert route.leg_m[0] == pytest.approx(10 + 100 + 10)


def test_falls_back_to_straight_lines_when_the_streets_are_far_or_apart() -> None:
    network = StreetNetwork.from_lines(_grid_streets())
    assert network is not None
    far = np.array([[100, 100], [400, 1200]], dtype=float) + ORIGIN
    route = plan_route(far, network, "auto")
    assert route.method == STRAIGHT_LINES and "400 m from the nearest street" in route.note
    # the same reason in Czech, for a Czech page: no English words in it
    assert route.reason_text("cs") == ("přímé úseky: jedno z míst leží 400 m od nejbližší "
                                       "ulice (víc než 200 m, ulice tam nejsou sítí pro chůzi)")
    apart = gpd.GeoDataFrame({"kind": ["road", "road", "river"]}, geometry=[
        MultiLineString([LineString(np.array([(0, 0), (100, 0)]) + ORIGIN)]),
        MultiLineString([LineString(np.array([(500, 0), (600, 0)]) + ORIGIN)]),
        MultiLineString([LineString(np.array([(100, 0), (500, 0)]) + ORIGIN)])],
        crs=METRIC_CRS)
    split = StreetNetwork.from_lines(apart)
    assert split is not None
    route = plan_route(np.array([[50, 10], [550, 10]], dtype=float) + ORIGIN, split, "auto")
    assert route.method == STRAIGHT_LINES and "do not connect" in route.note
    assert StreetNetwork.from_lines(apart[apart["kind"] == "river"]) is None
