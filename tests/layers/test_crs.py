"""EPSG:5514 coordinates of stored points, with and without building geometries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from layers.crs import METRIC_CRS, metric_coordinates, to_metric


def test_metric_coordinates_equal_a_reprojection_and_keep_missing_points_as_nan() -> None:
    points = gpd.GeoSeries([Point(13.64, 50.60), None, Point(), Point(12.87, 50.23)],
                           crs="EPSG:4326")
    x, y = metric_coordinates(points)
    expected = points.to_crs(METRIC_CRS)
    assert np.isnan(x[1:3]).all() and np.isnan(y[1:3]).all()
    for i in (0, 3):
        assert x[i] == pytest.approx(expected.iloc[i].x, abs=1e-6)
        assert y[i] == pytest.approx(expected.iloc[i].y, abs=1e-6)
    assert x[0] < -700_000 and y[0] < -900_000  # S-JTSK: both negative in Czechia


def test_metric_coordinates_refuse_other_crs_and_other_shapes() -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        metric_coordinates(gpd.GeoSeries([Point(-790_000, -980_000)], crs=METRIC_CRS))
    with pytest.raises(ValueError, match="EPSG:4326"):
        metric_coordinates(gpd.GeoSeries([Point(13.6, 50.6)]))
    with pytest.raises(ValueError, match="points only"):
        metric_coordinates(gpd.GeoSeries([LineString([(13.6, 50.6), (13.7, 50.6)])],
                                         crs="EPSG:4326"))
    with pytest.raises(ValueError):
        to_metric(gpd.GeoDataFrame(geometry=[Point(13.6, 50.6)]))
