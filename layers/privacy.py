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
from layers.schema import SENSITIVE_CATEGORIES
from layers.vocabulary import PUBLIC_K

#: The smallest ``k`` the project allows: a cell of one or two answers points at a person.
MIN_K: Final = 3
#: Free text may name people, so it never leaves the moderated store.
PRIVATE_PIN_COLUMNS: Final = ("place_note", "comment", "comment_held", "moderation_note")
def public_pin_view(pins: gpd.GeoDataFrame, k: int = PUBLIC_K, cell_m: float = 200
                    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split ``pins`` (PINS layer, any CRS) into what a public map may show.

    Only pins with ``status == "approved"`` count. Returns ``(exact, cells)``, both EPSG:4326:

    * ``exact`` — the approved pins whose category is not in ``SENSITIVE_CATEGORIES``, with
      their own points and columns, minus ``PRIVATE_PIN_COLUMNS`` (free text);
    * ``cells`` — squares of ``cell_m`` metres of a grid in EPSG:5514 aligned on multiples of
      ``cell_m``, one per cell holding at least ``k`` approved sensitive pins, with ``count``
      (int) and ``category_counts`` (JSON object category → count, keys sorted). Nothing else
      about the pins inside (no points, ids, times or notes) is carried.

    Raises ``ValueError`` when ``k < MIN_K`` (3) or ``cell_m <= 0``, and when ``pins`` has no
    CRS.
    """
    if k < MIN_K:
        raise InvalidInput("privacy.k_too_small", minimum=MIN_K, k=k)
    if not cell_m > 0:
        raise InvalidInput("privacy.cell_size", cell=cell_m)
    approved = pins[pins["status"] == "approved"]
    sensitive = approved["category"].isin(SENSITIVE_CATEGORIES)
    exact = to_storage(approved[~sensitive].drop(columns=list(PRIVATE_PIN_COLUMNS),
                                                 errors="ignore"))
    return exact, grid_cells(to_metric(approved[sensitive]), k, float(cell_m))


def grid_cells(pins: gpd.GeoDataFrame, k: int, cell_m: float) -> gpd.GeoDataFrame:
    """Grid cells (EPSG:4326) holding at least ``k`` of the pins (EPSG:5514), with counts.

    Cells are squares of ``cell_m`` metres aligned on multiples of ``cell_m``; each carries
    ``count`` and ``category_counts`` only. ``k`` is not checked here: public callers go
    through :func:`public_pin_view`, which enforces ``MIN_K``.
    """
    sensitive = pins
    geoms = sensitive.geometry
    keys = pd.DataFrame({
        "col": np.floor(geoms.x.to_numpy() / cell_m).astype(np.int64),
        "row": np.floor(geoms.y.to_numpy() / cell_m).astype(np.int64),
        "category": sensitive["category"].astype(str).to_numpy(),
    })
    per_category = keys.groupby(["col", "row", "category"]).size()
    counts = per_category.groupby(level=["col", "row"]).sum()
    counts = counts[counts >= k]
    category_counts = [
        json.dumps({str(cat): int(n) for cat, n in per_category.loc[col, row].sort_index().items()})
        for col, row in counts.index
    ]
    cols = counts.index.get_level_values("col").to_numpy(dtype=np.float64)
    rows = counts.index.get_level_values("row").to_numpy(dtype=np.float64)
    squares = shapely.box(cols * cell_m, rows * cell_m, (cols + 1) * cell_m, (rows + 1) * cell_m)
    cells = gpd.GeoDataFrame(
        {"count": counts.to_numpy(dtype=np.int64), "category_counts": category_counts},
        geometry=np.asarray(squares), crs=METRIC_CRS,
    )
    return to_storage(cells).reset_index(drop=True)
