"""The paper-map workflow: a lettered grid over the town and transcription of paper pins.

A printed session map carries a grid of columns A, B, C … (west → east) and rows 1, 2, 3 …
(north → south) in EPSG:5514, and a legend numbering the categories 1 … n in the order of
``PIN_CATEGORIES``. A facilitator then types rows such as ``C4, category 3, heard, evening``
(Czech words work too: ``C4, kategorie 3, slyšel, večer``); each becomes a pin at the centre
of its cell, tagged as transcribed.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.mapping.capture import PinAnswer
from layers.schema import LOCALITIES, PIN_CATEGORIES, TOWNS
from layers.store import Store
from layers.vocabulary import POSITIVE_CATEGORIES

#: Positive categories default to "safe"; every other one to "afraid" when no feeling is given.
POSITIVE: Final = POSITIVE_CATEGORIES
SEEN_WORDS: Final = {"own": "own", "seen": "own", "viděl": "own", "viděla": "own",
                     "sám": "own", "sama": "own", "heard": "heard", "slyšel": "heard",
                     "slyšela": "heard", "slyšeli": "heard"}
TIME_WORDS: Final = {"morning": "morning", "ráno": "morning", "dopoledne": "morning",
                     "afternoon": "afternoon", "odpoledne": "afternoon", "evening": "evening",
                     "večer": "evening", "night": "night", "noc": "night", "v noci": "night"}


@dataclass(frozen=True)
class SessionGrid:
    """A grid of ``columns`` × ``rows`` square cells of ``cell_m`` metres, EPSG:5514.

    ``left`` and ``top`` are the metric coordinates of the north-west corner.
    """

    left: float
    top: float
    cell_m: float
    columns: int
    rows: int

    @classmethod
    def around(cls, lon: float, lat: float, size_m: float = 3000, cells: int = 12
               ) -> SessionGrid:
        """A square grid of ``cells`` × ``cells`` covering ``size_m`` centred on lon/lat."""
        if not 2 <= cells <= 26:
            raise ValueError("a grid has 2–26 columns (letters A–Z)")
        centre = gpd.GeoSeries([shapely.Point(lon, lat)], crs=STORAGE_CRS).to_crs(METRIC_CRS)
        half = size_m / 2
        return cls(centre.x.iloc[0] - half, centre.y.iloc[0] + half, size_m / cells, cells,
                   cells)

    @classmethod
    def covering(cls, area: gpd.GeoDataFrame, cells: int = 12, margin_m: float = 300,
                 min_size_m: float = 2000) -> SessionGrid:
        """A square grid covering ``area`` (any CRS) with a margin, at least ``min_size_m``."""
        left, bottom, right, top = area.to_crs(METRIC_CRS).total_bounds
        size = max(right - left, top - bottom) + 2 * margin_m
        size = max(size, min_size_m)
        centre = gpd.GeoSeries([shapely.Point((left + right) / 2, (bottom + top) / 2)],
                               crs=METRIC_CRS).to_crs(STORAGE_CRS)
        return cls.around(float(centre.x.iloc[0]), float(centre.y.iloc[0]), size, cells)

    def column_labels(self) -> list[str]:
        return list(string.ascii_uppercase[: self.columns])

    def cell_centre(self, label: str) -> tuple[float, float]:
        """WGS 84 (lon, lat) of the centre of cell ``label`` ("C4"). Raises ``ValueError``."""
        match = re.fullmatch(r"\s*([A-Za-z])\s*(\d{1,2})\s*", label)
        if not match:
            raise ValueError(f"{label!r} is not a grid cell like C4")
        column = string.ascii_uppercase.index(match.group(1).upper())
        row = int(match.group(2)) - 1
        if not (0 <= column < self.columns and 0 <= row < self.rows):
            last = f"{string.ascii_uppercase[self.columns - 1]}{self.rows}"
            raise ValueError(f"cell {label.strip().upper()} is outside the grid (A1–{last})")
        x = self.left + (column + 0.5) * self.cell_m
        y = self.top - (row + 0.5) * self.cell_m
        point = gpd.GeoSeries([shapely.Point(x, y)], crs=METRIC_CRS).to_crs(STORAGE_CRS)
        return float(point.x.iloc[0]), float(point.y.iloc[0])

    def cells(self) -> gpd.GeoDataFrame:
        """Every cell as a polygon with its label (EPSG:5514), for printing."""
        labels, boxes = [], []
        for r in range(self.rows):
            for c, letter in enumerate(self.column_labels()):
                x0 = self.left + c * self.cell_m
                y1 = self.top - r * self.cell_m
                labels.append(f"{letter}{r + 1}")
                boxes.append(shapely.box(x0, y1 - self.cell_m, x0 + self.cell_m, y1))
        return gpd.GeoDataFrame({"label": labels}, geometry=boxes, crs=METRIC_CRS)


def town_session_grid(store: Store, town_id: str, cells: int = 12) -> SessionGrid:
    """The grid of a town's session maps: its centre and every locality, with a margin."""
    town = store.read(TOWNS, town_id)
    if town.empty:
        raise ValueError(f"unknown town {town_id!r}")
    centre = shapely.Point(float(town["center_lon"].iloc[0]), float(town["center_lat"].iloc[0]))
    localities = store.read(LOCALITIES, town_id)
    area = gpd.GeoDataFrame(geometry=[centre, *localities.geometry], crs=STORAGE_CRS)
    return SessionGrid.covering(area, cells=cells)


def category_number(category: str) -> int:
    """The legend number (1-based) of ``category``."""
    return PIN_CATEGORIES.index(category) + 1


def parse_transcription(line: str, grid: SessionGrid) -> PinAnswer:
    """One transcribed row → an answer at its cell's centre. Raises ``ValueError`` with why.

    Accepted: ``<cell>, [category|kategorie] <n>, [own|heard …], [morning|ráno …],
    [feeling|pocit <1–5>]`` in any order after the cell.
    """
    parts = [p.strip() for p in line.split(",") if p.strip()]
    if not parts:
        raise ValueError("empty row")
    lon, lat = grid.cell_centre(parts[0])
    category = seen = time_of_day = ""
    feeling: int | None = None
    for part in parts[1:]:
        low = part.lower()
        number = re.fullmatch(r"(?:category|kategorie|kat\.?)?\s*(\d{1,2})", low)
        feeling_match = re.fullmatch(r"(?:feeling|pocit)\s*([1-5])", low)
        if feeling_match:
            feeling = int(feeling_match.group(1))
        elif number:
            n = int(number.group(1))
            if not 1 <= n <= len(PIN_CATEGORIES):
                raise ValueError(f"category {n} is not in the legend (1–{len(PIN_CATEGORIES)})")
            category = PIN_CATEGORIES[n - 1]
        elif low in SEEN_WORDS:
            seen = SEEN_WORDS[low]
        elif low in TIME_WORDS:
            time_of_day = TIME_WORDS[low]
        else:
            raise ValueError(f"cannot read {part!r}")
    if not category:
        raise ValueError("the row names no category number")
    if feeling is None:
        feeling = 5 if category in POSITIVE else 2
    return PinAnswer(lon=lon, lat=lat, category=category, feeling=feeling, seen=seen,
                     time_of_day=time_of_day, place_note=parts[0].strip().upper())
