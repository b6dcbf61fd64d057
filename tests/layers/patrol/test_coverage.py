"""Coverage arithmetic: hot cells within a distance of the route, per layer and together."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, box

from layers.crs import METRIC_CRS
from layers.patrol.coverage import coverage


def _cells() -> gpd.GeoDataFrame:
    # five 100 m squares in a row along y = 0 … 100, x = 0 … 500
    return gpd.GeoDataFrame({"cell_id": [f"c{i}" for i in range(5)]},
                            geometry=[box(i * 100, 0, (i + 1) * 100, 100) for i in range(5)],
                            crs=METRIC_CRS)


def test_counts_hot_cells_near_the_route_per_layer_and_together() -> None:
    route = LineString([(0, 150), (200, 150)])  # 50 m above cells c0, c1; c2 starts at x=200
    fear = np.array([True, True, True, False, False])
    crime = np.array([False, True, False, True, False])
    result = coverage(route, _cells(), {"fear": fear, "crime": crime}, distance_m=60)
    assert (result.layers["fear"].hot, result.layers["fear"].covered) == (3, 3)  # c2 corner: 50 m
    assert (result.layers["crime"].hot, result.layers["crime"].covered) == (2, 1)
    assert result.layers["crime"].share == pytest.approx(0.5)
    assert (result.any_hot.hot, result.any_hot.covered) == (4, 3)
    assert list(result.left_out["cell_id"]) == ["c3"]
    assert list(result.left_out["layers"]) == ["crime"]


def test_distance_decides_and_empty_layers_have_no_share() -> None:
    route = LineString([(0, 150), (200, 150)])
    fear = np.ones(5, dtype=bool)
    near = coverage(route, _cells(), {"fear": fear}, distance_m=10)
    assert near.layers["fear"].covered == 0
    far = coverage(route, _cells(), {"fear": fear}, distance_m=1000)
    assert far.layers["fear"].covered == 5 and far.left_out.empty
    none = coverage(route, _cells(), {"fear": np.zeros(5, dtype=bool)}, 100)
    assert math.isnan(none.layers["fear"].share)
    with pytest.raises(ValueError, match="3 values for 5 cells"):
        coverage(route, _cells(), {"fear": np.ones(3, dtype=bool)})
    with pytest.raises(ValueError, match="non-negative"):
        coverage(route, _cells(), {"fear": fear}, -1)
