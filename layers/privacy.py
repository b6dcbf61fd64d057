"""The public view of fear pins: sensitive answers only as counts in grid cells.

Children point at places where "dangerous people live" or drugs are sold; such pins must never
appear as exact points in a public view (DESIGN.md, Privacy). :func:`public_pin_view` keeps the
other approved pins exact and folds the sensitive ones into a regular grid, dropping every cell
with fewer than ``k`` answers.
"""

from __future__ import annotations

import json
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import METRIC_CRS, to_metric, to_storage
from layers.errors import InvalidInput
from layers.schema import PINS, SENSITIVE_CATEGORIES
from layers.store import Store
from layers.store.spatial import count_cells
from layers.vocabulary import PUBLIC_K

#: The smallest ``k`` the project allows: a cell of one or two answers points at a person.
MIN_K: Final = 3
#: Free text may name people, so it never leaves the moderated store.
PRIVATE_PIN_COLUMNS: Final = ("place_note", "comment", "comment_held", "moderation_note")


def public_pin_view(pins: gpd.GeoDataFrame, k: int = PUBLIC_K, cell_m: float = 200
                    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split ``pins`` (PINS layer, any CRS) into what a public map may show.

    Only pins with ``status == "approved"`` count. Returns ``(exact, cells)``, both EPSG:4326:

    * ``exact`` — :func:`public_exact_pins` of ``pins``;
    * ``cells`` — squares of ``cell_m`` metres of a grid in EPSG:5514 aligned on multiples of
      ``cell_m``, one per cell holding at least ``k`` approved sensitive pins, with ``count``
      (int) and ``category_counts`` (JSON object category → count, keys sorted). Nothing else
      about the pins inside (no points, ids, times or notes) is carried.

    Raises ``InvalidInput`` when ``k < MIN_K`` (3) or ``cell_m <= 0``, ``ValueError`` when
    ``pins`` has no CRS.
    """
    _check(k, cell_m)
    approved = pins[pins["status"] == "approved"]
    sensitive = approved[approved["category"].isin(SENSITIVE_CATEGORIES)]
    return public_exact_pins(pins), grid_cells(to_metric(sensitive), k, float(cell_m))


def public_exact_pins(pins: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The approved pins of ``pins`` (any CRS) whose category is not in
    ``SENSITIVE_CATEGORIES``, with their own points and columns minus
    ``PRIVATE_PIN_COLUMNS`` (free text), EPSG:4326."""
    approved = pins[pins["status"] == "approved"]
    return to_storage(approved[~approved["category"].isin(SENSITIVE_CATEGORIES)].drop(
        columns=list(PRIVATE_PIN_COLUMNS), errors="ignore"))


def public_pin_cells(store: Store, town_id: str, k: int = PUBLIC_K, cell_m: float = 200
                     ) -> gpd.GeoDataFrame:
    """The ``cells`` of :func:`public_pin_view` of the town's stored pins, counted where they
    are stored (``Store.cell_counts``: in SQL on PostGIS), so no sensitive pin is read.

    PostGIS projects with its own PROJ: a pin within about 1.5 m of a cell's edge may be
    counted in the neighbouring cell; every cell shown still holds at least ``k`` pins.
    Raises as :func:`public_pin_view`.
    """
    _check(k, cell_m)
    counts = store.cell_counts(PINS, float(cell_m), town_id, by="category",
                               where={"status": ["approved"],
                                      "category": sorted(SENSITIVE_CATEGORIES)})
    return cells_from_counts(counts, k, float(cell_m))


def _check(k: int, cell_m: float) -> None:
    if k < MIN_K:
        raise InvalidInput("privacy.k_too_small", minimum=MIN_K, k=k)
    if not cell_m > 0:
        raise InvalidInput("privacy.cell_size", cell=cell_m)


def grid_cells(pins: gpd.GeoDataFrame, k: int, cell_m: float) -> gpd.GeoDataFrame:
    """Grid cells (EPSG:4326) holding at least ``k`` of the pins (EPSG:5514), with counts.

    Cells are squares of ``cell_m`` metres aligned on multiples of ``cell_m``; each carries
    ``count`` and ``category_counts`` only. ``k`` is not checked here: public callers go
    through :func:`public_pin_view`, which enforces ``MIN_K``.
    """
    geoms = pins.geometry
    counts = count_cells(geoms.x.to_numpy(), geoms.y.to_numpy(), cell_m,
                         pins["category"].astype(str).to_numpy(), "category")
    return cells_from_counts(counts, k, cell_m)


def cells_from_counts(counts: pd.DataFrame, k: int, cell_m: float) -> gpd.GeoDataFrame:
    """The cells of ``counts`` (``Store.cell_counts`` by ``category``: col, row, category,
    count) holding at least ``k`` pins, as :func:`grid_cells` gives them: EPSG:4326 squares
    ordered by column and row, with ``count`` and ``category_counts``."""
    totals = counts.groupby(["col", "row"], sort=True)["count"].sum()
    totals = totals[totals >= k]
    # only the kept cells' rows, in one pass: a Python loop over every group of a large
    # town's counts took most of a public map's data time
    ordered = counts.sort_values(["col", "row", "category"], kind="stable")
    ordered = ordered[pd.MultiIndex.from_frame(ordered[["col", "row"]]).isin(totals.index)]
    by_cell: dict[tuple[int, int], dict[str, int]] = {}
    for col, row, category, n in zip(ordered["col"], ordered["row"],
                                     ordered["category"].astype(str), ordered["count"],
                                     strict=True):
        by_cell.setdefault((int(col), int(row)), {})[category] = int(n)
    category_counts = [json.dumps(by_cell[(int(col), int(row))]) for col, row in totals.index]
    cols = totals.index.get_level_values("col").to_numpy(dtype=np.float64)
    rows = totals.index.get_level_values("row").to_numpy(dtype=np.float64)
    squares = shapely.box(cols * cell_m, rows * cell_m, (cols + 1) * cell_m, (rows + 1) * cell_m)
    cells = gpd.GeoDataFrame(
        {"count": totals.to_numpy(dtype=np.int64), "category_counts": category_counts},
        geometry=np.asarray(squares), crs=METRIC_CRS,
    )
    return to_storage(cells).reset_index(drop=True)
