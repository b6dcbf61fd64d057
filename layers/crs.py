"""Coordinate reference systems used throughout the project.

Everything is stored and served in WGS 84 (EPSG:4326); every metric computation
(distances, buffers, areas, grids) happens in S-JTSK / Krovak East North (EPSG:5514).
"""

from __future__ import annotations

import geopandas as gpd

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
