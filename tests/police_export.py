"""A several-year police open-data export in its published shape (one CSV per year with
``id, x, y, mp, date, state, relevance, types``; the lookups ``types.json``, ``states.json``,
``relevance.json`` of the committed ingest fixture beside it), planted inside a town, for the
crime-over-the-years tests and the yearly analysis."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from layers.crs import to_metric
from layers.schema import TOWNS
from layers.store import Store

LOOKUPS = Path(__file__).resolve().parent / "fixtures" / "ingest" / "police_open_data"
YEARS = tuple(range(2019, 2025))
#: Type codes of the lookup: burglary of shops, theft of bicycles, intentional bodily harm.
TYPES = (18, 25, 64)
COLUMNS = ["id", "x", "y", "mp", "date", "state", "relevance", "types"]


@dataclass(frozen=True)
class Row:
    """One planted offence: its year, type code, solved or not, date and hour (None: no
    time in the export)."""

    year: int
    type_code: int
    solved: bool
    date: str
    hour: int | None


def rows_of(year: int) -> list[Row]:
    """The planted offences of ``year``: 4 in the first year, 2 more each year after."""
    rows = []
    for i in range(4 + 2 * (year - YEARS[0])):
        hour = None if i % 5 == 4 else (i * 5) % 24
        rows.append(Row(year, TYPES[i % 3], i % 4 == 0,
                        f"{year}-{i % 12 + 1:02d}-{i % 28 + 1:02d}", hour))
    return rows


def write_export(folder: Path, store: Store, town_id: str = "litvinov") -> list[Path]:
    """One CSV per year of :data:`YEARS` in ``folder`` (with the lookups), points within
    ``town_id`` of ``store``; returns the CSV paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("types.json", "states.json", "relevance.json"):
        shutil.copy(LOOKUPS / name, folder / name)
    town: shapely.Geometry = to_metric(store.read(TOWNS, town_id)).geometry.iloc[0]
    centre = shapely.point_on_surface(town)
    paths = []
    for year in YEARS:
        planted = rows_of(year)
        spots = gpd.GeoSeries([shapely.Point(centre.x + 60 * (i % 5), centre.y + 60 * (i // 5))
                               for i in range(len(planted))], crs="EPSG:5514")
        assert town.contains(shapely.MultiPoint(list(spots))), "planted offence outside town"
        lonlat = spots.to_crs("EPSG:4326")
        records = []
        for i, row in enumerate(planted):
            when = row.date if row.hour is None else f"{row.date}T{row.hour:02d}:10:00"
            records.append([year * 1000 + i, round(float(lonlat.x.iloc[i]), 6),
                            round(float(lonlat.y.iloc[i]), 6),
                            "true" if i % 2 == 0 else "false", when,
                            1 if row.solved else 2, 3, row.type_code])
        path = folder / f"{year}_567256.csv"
        pd.DataFrame(records, columns=COLUMNS).to_csv(path, index=False)
        paths.append(path)
    return paths
