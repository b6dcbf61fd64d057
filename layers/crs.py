"""Coordinate reference systems used throughout the project.

Everything is stored and served in WGS 84 (EPSG:4326); every metric computation
(distances, buffers, areas, grids) happens in S-JTSK / Krovak East North (EPSG:5514).
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:5514"


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` reprojected to EPSG:5514 (metres).

    Raises ``ValueError`` when the frame has no CRS: guessing would silently misplace data.
    """
    if frame.crs is None:
        raise ValueError("GeoDataFrame has no CRS; refusing to guess before a metric computation")
    return frame.to_crs(METRIC_CRS)


def to_storage(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` reprojected to EPSG:4326. Raises ``ValueError`` without a CRS."""
    if frame.crs is None:
        raise ValueError("GeoDataFrame has no CRS; refusing to guess before storing it")
    return frame.to_crs(STORAGE_CRS)


@cache
def _to_metric_transformer() -> Transformer:
    return Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)


def metric_coordinates(points: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """x and y in EPSG:5514 metres of EPSG:4326 ``points`` (NaN for a missing or empty
    geometry), transformed as coordinate arrays: no geometry is built.

    Raises ``ValueError`` for points in another CRS, or for a geometry that is not a point.
    """
    if points.crs is None or not points.crs.equals(STORAGE_CRS):
        raise ValueError(f"points must be in {STORAGE_CRS}, got {points.crs}")
    geoms = points.to_numpy()
    kinds = shapely.get_type_id(geoms)
    if np.any((kinds != -1) & (kinds != shapely.GeometryType.POINT)):
        raise ValueError("metric_coordinates takes points only")
    present = (kinds == shapely.GeometryType.POINT) & ~shapely.is_empty(geoms)
    x, y = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
    x[present], y[present] = _to_metric_transformer().transform(
        shapely.get_x(geoms[present]), shapely.get_y(geoms[present]))
    return x, y
