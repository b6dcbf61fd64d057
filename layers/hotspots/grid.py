"""A regular hexagonal grid in EPSG:5514, clipped to a town, and its contiguity weights.

The grid is pointy-top hexagons in axial coordinates ``(q, r)`` anchored at the origin of
S-JTSK / Krovak East North, so a cell keeps its id across runs, periods and filters (change
analysis and evaluation compare the same cells). ``cell_m`` is the distance *across* a cell
between opposite flat sides, which is also the distance between the centres of two
neighbouring cells; a cell's area is ``sqrt(3)/2 * cell_m**2`` (8,660 m² at 100 m).

Why not h3 or libpysal: h3 has fixed resolutions (each 2.65× the next, e.g. 66 m or 174 m
across at resolutions 10 and 9) so a chosen size of 50–500 m cannot be honoured, and its cells
are not regular in EPSG:5514. ``libpysal.weights.Queen`` on 16.5 k hexagon polygons takes
seconds (it intersects geometries) while the axial neighbour rule below is exact for a regular
grid and builds the same matrix in milliseconds (``mapa bench hotspots`` measures it).

References: Amit Patel, "Hexagonal Grids" (Red Blob Games, 2013) for axial coordinates and
cube rounding; Birch, Oom & Beecham (2007), "Rectangular and hexagonal grids used for
observation, experiment and simulation in ecology", Ecol. Modelling 206, for why hexagons
(one kind of neighbour, equal centre distances) suit neighbourhood statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse

from layers.crs import METRIC_CRS
from layers.errors import InvalidInput

MIN_CELL_M: Final = 50.0
MAX_CELL_M: Final = 500.0
DEFAULT_CELL_M: Final = 100.0

_SQRT3 = float(np.sqrt(3.0))


class GridError(InvalidInput):
    """The grid cannot be built as asked (size out of range, empty town)."""


@dataclass(frozen=True)
class HexGrid:
    """Hexagons covering a town: ``cells`` (GeoDataFrame in EPSG:5514) plus the axial index.

    ``cells`` has columns ``cell_id`` (``"q:r"``), ``q``, ``r``, ``area_m2`` (of the clipped
    cell) and ``geometry`` (the hexagon clipped to the town), one row per cell in index order
    ``0 … n-1``; the other arrays are aligned with it.
    """

    cell_m: float
    cells: gpd.GeoDataFrame
    q: np.ndarray
    r: np.ndarray
    _lookup: np.ndarray
    _q0: int
    _r0: int

    @property
    def n(self) -> int:
        return len(self.cells)

    @property
    def radius_m(self) -> float:
        """Distance from a cell's centre to its corners (the hexagon's circumradius)."""
        return self.cell_m / _SQRT3

    def centres(self) -> np.ndarray:
        """Cell centres as an ``(n, 2)`` array of EPSG:5514 metres."""
        return np.column_stack(axial_to_xy(self.q, self.r, self.cell_m))

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cell index of each point (EPSG:5514 metres); ``-1`` for points outside the grid.

        A point in the part of a boundary hexagon that was clipped away (outside the town) still
        maps to that cell; callers drop points outside the town before, see
        :func:`layers.hotspots.analysis.pins_in_town`.
        """
        q, r = xy_to_axial(np.asarray(x, dtype=float), np.asarray(y, dtype=float), self.cell_m)
        return self._index_of(q, r)

    def _index_of(self, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        iq = q - self._q0
        ir = r - self._r0
        shape = self._lookup.shape
        inside = (iq >= 0) & (iq < shape[0]) & (ir >= 0) & (ir < shape[1])
        out = np.full(q.shape, -1, dtype=np.int64)
        out[inside] = self._lookup[iq[inside], ir[inside]]
        return out

    def counts(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Number of points per cell (points outside the grid are ignored)."""
        idx = self.locate(x, y)
        return np.bincount(idx[idx >= 0], minlength=self.n).astype(float)

    def weights(self, rings: int = 1, self_weight: bool = True) -> sparse.csr_matrix:
        """Binary contiguity weights: cells within ``rings`` hexagon steps are neighbours.

        ``rings=1`` is the six touching hexagons (queen = rook contiguity on hexagons). With
        ``self_weight`` the diagonal is 1, as Getis-Ord Gi* requires. Cells at the town's edge
        simply have fewer neighbours (no wrapping, no edge correction).
        """
        if rings < 1:
            raise GridError("grid.rings")
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        own = np.arange(self.n)
        for dq in range(-rings, rings + 1):
            for dr in range(max(-rings, -dq - rings), min(rings, -dq + rings) + 1):
                if dq == 0 and dr == 0:
                    continue
                other = self._index_of(self.q + dq, self.r + dr)
                keep = other >= 0
                rows.append(own[keep])
                cols.append(other[keep])
        if self_weight:
            rows.append(own)
            cols.append(own)
        row = np.concatenate(rows)
        col = np.concatenate(cols)
        matrix = sparse.csr_matrix((np.ones(len(row)), (row, col)), shape=(self.n, self.n))
        matrix.sort_indices()
        return matrix


def xy_to_axial(x: np.ndarray, y: np.ndarray, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates of the hexagon containing each point (cube rounding)."""
    size = cell_m / _SQRT3
    fq = (_SQRT3 / 3.0 * x - y / 3.0) / size
    fr = (2.0 / 3.0 * y) / size
    fs = -fq - fr
    rq, rr, rs = np.rint(fq), np.rint(fr), np.rint(fs)
    dq, dr, ds = np.abs(rq - fq), np.abs(rr - fr), np.abs(rs - fs)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def axial_to_xy(q: np.ndarray, r: np.ndarray, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Centre (EPSG:5514 metres) of the hexagon with axial coordinates ``(q, r)``."""
    size = cell_m / _SQRT3
    x = size * _SQRT3 * (q + r / 2.0)
    y = size * 1.5 * r
    return x, y


def hexagons(q: np.ndarray, r: np.ndarray, cell_m: float) -> np.ndarray:
    """Shapely polygons of the hexagons ``(q, r)`` (EPSG:5514)."""
    cx, cy = axial_to_xy(np.asarray(q), np.asarray(r), cell_m)
    size = cell_m / _SQRT3
    angles = np.deg2rad(np.arange(6) * 60.0 + 30.0)
    ring_x = cx[:, None] + size * np.cos(angles)[None, :]
    ring_y = cy[:, None] + size * np.sin(angles)[None, :]
    coords = np.stack([ring_x, ring_y], axis=-1)
    coords = np.concatenate([coords, coords[:, :1, :]], axis=1)
    return shapely.polygons(coords)


def check_cell_size(cell_m: float) -> float:
    """Return ``cell_m`` as float; ``GridError`` outside 50–500 m."""
    value = float(cell_m)
    if not MIN_CELL_M <= value <= MAX_CELL_M:
        raise GridError("grid.cell_size", low=MIN_CELL_M, high=MAX_CELL_M, value=value)
    return value


def build_grid(area: shapely.Geometry, cell_m: float = DEFAULT_CELL_M,
               clip: bool = True) -> HexGrid:
    """Hexagons of ``cell_m`` covering ``area`` (a polygon in EPSG:5514 metres).

    Keeps every hexagon that intersects the area with a positive area; with ``clip`` the
    geometry is cut to the area (``area_m2`` is the clipped area, used by PAI). Raises
    ``GridError`` for a size outside 50–500 m or an empty area.
    """
    cell_m = check_cell_size(cell_m)
    if area is None or shapely.is_empty(area) or shapely.area(area) <= 0:
        raise GridError("grid.no_area")
    minx, miny, maxx, maxy = shapely.bounds(area)
    pad = cell_m
    corner_x = np.array([minx - pad, maxx + pad, minx - pad, maxx + pad])
    corner_y = np.array([miny - pad, miny - pad, maxy + pad, maxy + pad])
    cq, cr = xy_to_axial(corner_x, corner_y, cell_m)
    q_mesh, r_mesh = np.meshgrid(np.arange(cq.min() - 1, cq.max() + 2),
                                 np.arange(cr.min() - 1, cr.max() + 2), indexing="ij")
    q_all, r_all = q_mesh.ravel(), r_mesh.ravel()
    cx, cy = axial_to_xy(q_all, r_all, cell_m)
    near = (cx >= minx - pad) & (cx <= maxx + pad) & (cy >= miny - pad) & (cy <= maxy + pad)
    q_all, r_all = q_all[near], r_all[near]
    polys = hexagons(q_all, r_all, cell_m)
    shapely.prepare(area)
    touching = shapely.intersects(area, polys)
    q_all, r_all, polys = q_all[touching], r_all[touching], polys[touching]
    if clip:
        inner = shapely.contains_properly(area, polys)
        clipped = polys.copy()
        clipped[~inner] = shapely.intersection(polys[~inner], area)
        polys = clipped
    areas = shapely.area(polys)
    keep = areas > 1e-6 * cell_m * cell_m
    q_all, r_all, polys, areas = q_all[keep], r_all[keep], polys[keep], areas[keep]
    order = np.lexsort((q_all, r_all))
    q_all, r_all, polys, areas = q_all[order], r_all[order], polys[order], areas[order]
    q0, r0 = int(q_all.min()), int(r_all.min())
    lookup = np.full((int(q_all.max()) - q0 + 1, int(r_all.max()) - r0 + 1), -1, dtype=np.int64)
    lookup[q_all - q0, r_all - r0] = np.arange(len(q_all))
    cells = gpd.GeoDataFrame(
        {"cell_id": [f"{a}:{b}" for a, b in zip(q_all.tolist(), r_all.tolist(), strict=True)],
         "q": q_all, "r": r_all, "area_m2": areas},
        geometry=polys, crs=METRIC_CRS,
    )
    return HexGrid(cell_m=cell_m, cells=cells, q=q_all, r=r_all, _lookup=lookup, _q0=q0,
                   _r0=r0)
