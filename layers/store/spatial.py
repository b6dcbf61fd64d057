"""What both backends share for spatial reads: the area a read is limited to, attribute
filters, grid cells and nearest distances.

The store answers three spatial questions (``Store.read_intersecting``, ``Store.cell_counts``,
``Store.nearest_distances``) so a page fetches what it shows rather than whole layers: PostGIS
in SQL on its spatial indexes, a GeoPackage through its R-tree and, for what SQLite cannot
compute, with the functions here on the few rows it read. Both give the same answer.

Units and CRS: areas are in EPSG:4326 (as stored); cells and distances in EPSG:5514 metres.
PostGIS transforms with its own PROJ, which may place a point up to about 1.5 m from where
pyproj places it (south-east Czechia): a point that close to a cell's edge may fall in the
neighbouring cell, and a distance may differ by that much.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, TypeAlias

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.schema import LayerSpec
from layers.store.base import StoreError

#: An area a read is limited to, in EPSG:4326: a bounding box (min lon, min lat, max lon,
#: max lat) or any shapely geometry.
Area: TypeAlias = tuple[float, float, float, float] | BaseGeometry
#: Rows a spatial read keeps: column → the values it may hold (text columns).
Filters: TypeAlias = Mapping[str, Sequence[str]]
#: The columns of :func:`count_cells`' answer besides the grouping column.
CELL_COLUMNS: Final = ("col", "row", "count")
#: The coordinate columns of ``Store.read_points``' answer (EPSG:5514 metres).
POINT_COLUMNS: Final = ("x", "y")


def area_geometry(area: Area) -> BaseGeometry:
    """``area`` as a geometry (a bounding box becomes its rectangle); ``StoreError`` for an
    empty geometry or a box whose minimum exceeds its maximum."""
    if isinstance(area, BaseGeometry):
        geometry = area
    else:
        minx, miny, maxx, maxy = (float(v) for v in area)
        if not (minx <= maxx and miny <= maxy):
            raise StoreError("store.bad_area", area=area)
        geometry = shapely.box(minx, miny, maxx, maxy)
    if geometry.is_empty:
        raise StoreError("store.bad_area", area=area)
    return geometry


def check_filters(spec: LayerSpec, columns: Sequence[str | None], where: Filters | None,
                  points: bool = False) -> dict[str, list[str]]:
    """``where`` as plain lists, after checking that ``spec`` has every named column
    (``columns``, e.g. a grouping column, too; None is skipped) and is a spatial layer (of
    points, with ``points``).

    Raises ``StoreError`` before any SQL is built, so no caller text reaches a statement
    except as a bound value.
    """
    if spec.geometry is None:
        raise StoreError("store.not_spatial", layer=spec.name)
    if points and spec.geometry != "Point":
        raise StoreError("store.not_points", layer=spec.name)
    filters = {str(c): [str(v) for v in values] for c, values in (where or {}).items()}
    unknown = [c for c in [*filters, *(c for c in columns if c is not None)]
               if c not in spec.columns]
    if unknown:
        raise StoreError("store.no_columns", layer=spec.name, columns=unknown)
    return filters


def check_point_columns(spec: LayerSpec, columns: Sequence[str]) -> list[str]:
    """``columns`` as a list once ``spec`` is known to be a point layer holding them, none
    of them named as a coordinate column (:data:`POINT_COLUMNS`); ``StoreError`` else."""
    check_filters(spec, columns, None, points=True)
    clashing = [c for c in columns if c in POINT_COLUMNS]
    if clashing:
        raise StoreError("store.no_columns", layer=spec.name, columns=clashing)
    return list(columns)


def check_cell(cell_m: float) -> float:
    """``cell_m`` as a float; ``StoreError`` unless it is a positive number of metres."""
    if not float(cell_m) > 0:
        raise StoreError("store.bad_cell", cell=cell_m)
    return float(cell_m)


def count_cells(x: np.ndarray, y: np.ndarray, cell_m: float,
                groups: np.ndarray | None = None, by: str | None = None) -> pd.DataFrame:
    """Points per square cell of ``cell_m`` metres (coordinates in EPSG:5514).

    Cell (``col``, ``row``) covers ``col·cell_m ≤ x < (col+1)·cell_m`` and likewise for y
    (floor, as the grids of the analyses). With ``groups`` (one value per point) a row per
    cell and group, the group in column ``by``. Sorted by col, row (and group); ``count`` int64.
    """
    keys = pd.DataFrame({"col": np.floor(np.asarray(x, dtype=np.float64) / cell_m),
                         "row": np.floor(np.asarray(y, dtype=np.float64) / cell_m)}
                        ).astype(np.int64)
    names = ["col", "row"]
    if groups is not None and by is not None:
        keys[by] = np.asarray(groups).astype(str)
        names.append(by)
    counts = keys.groupby(names).size().rename("count").reset_index()
    return cell_frame(counts, by)


def cell_frame(counts: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """``counts`` in the shape :meth:`Store.cell_counts` promises: columns col, row (int64),
    ``by`` (text) when grouped, count (int64), sorted by them, index 0…n-1."""
    names = ["col", "row", *([by] if by is not None else [])]
    out = counts[[*names, "count"]].astype({"col": np.int64, "row": np.int64,
                                            "count": np.int64})
    if by is not None:
        out[by] = out[by].astype(str)
    return out.sort_values(names, kind="stable").reset_index(drop=True)


def nearest(origins: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Distance (metres) from each origin geometry to the nearest of ``targets`` (both
    EPSG:5514 shapely arrays), found with ``shapely.STRtree.query_nearest``; inf for every
    origin when there is no target."""
    if len(targets) == 0:
        return np.full(len(origins), np.inf)
    if len(origins) == 0:
        return np.empty(0)
    tree = shapely.STRtree(targets)
    (source, _), distance = tree.query_nearest(origins, return_distance=True,
                                               all_matches=False)
    out = np.full(len(origins), np.inf)
    out[source] = distance
    return out
