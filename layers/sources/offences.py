"""Point-level offences a town imports: a CSV or GeoJSON file → the ``offences`` layer.

A CSV needs the columns ``date`` and ``type`` and coordinates either as ``lon``/``lat``
(WGS 84) or ``x``/``y`` (EPSG:5514 unless another CRS is given); ``offence_id`` is optional.
A GeoJSON (or any vector file GDAL reads) needs point geometries and ``date`` and ``type``
properties; its CRS comes from the file.

Rows are validated one by one and every rejected row is reported with its line (CSV, header
= line 1) or feature number and the reason: unparseable date, missing type, missing or
non-numeric coordinates, a position outside Czechia (wrong CRS or swapped lon/lat), or outside
the town boundary. Without an ``offence_id`` the id is derived from the row's content, so
importing the same file twice adds nothing the second time (see
``scripts/commands/import_cmd.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.schema import OFFENCES
from layers.sources.errors import SourceError

#: Generous lon/lat box around Czechia: a point outside it means a wrong CRS or swapped axes.
CZECHIA_BOUNDS: Final = (12.0, 48.5, 19.0, 51.1)
VECTOR_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp")


@dataclass(frozen=True)
class RowProblem:
    """One rejected row: where it is in the file (``line`` or ``feature``) and why."""

    where: str
    reason: str


@dataclass
class OffenceReport:
    """What an import read, kept and rejected."""

    path: str
    rows: int = 0
    accepted: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "rows": self.rows, "accepted": self.accepted,
                "rejected": len(self.problems),
                "problems": [{"where": p.where, "reason": p.reason} for p in self.problems]}


def read_offences(path: Path | str, town_id: str, town_area: shapely.Geometry,
                  crs: str | None = None, source: str | None = None,
                  ) -> tuple[gpd.GeoDataFrame, OffenceReport]:
    """Read and validate an offences file for ``town_id``.

    ``town_area`` is the town boundary in EPSG:4326; ``crs`` overrides the CRS of CSV
    ``x``/``y`` columns (default EPSG:5514); ``source`` is kept per row (default: file name).
    Returns the valid rows in the ``offences`` schema (EPSG:4326) and the report. Raises
    ``SourceError`` when the file cannot be read or lacks required columns.
    """
    file = Path(path)
    if not file.is_file():
        raise SourceError(file, "file not found")
    report = OffenceReport(path=str(file))
    if file.suffix.lower() in VECTOR_SUFFIXES:
        table, lon, lat, labels = _read_vector(file)
    else:
        table, lon, lat, labels = _read_csv(file, crs)
    report.rows = len(table)
    reasons = pd.Series("", index=table.index, dtype=object)
    dates = pd.to_datetime(table["date"], errors="coerce", format="mixed")
    reasons[dates.isna()] = "date missing or not a date"
    kind = table["type"].astype("string").str.strip()
    reasons[(reasons == "") & (kind.isna() | (kind == ""))] = "type missing"
    coords_ok = np.isfinite(lon) & np.isfinite(lat)
    reasons[(reasons == "") & ~coords_ok] = "coordinates missing or not numbers"
    minx, miny, maxx, maxy = CZECHIA_BOUNDS
    in_czechia = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    reasons[(reasons == "") & coords_ok & ~in_czechia] = (
        "position outside Czechia (wrong CRS, or lon/lat swapped?)")
    shapely.prepare(town_area)
    candidate = (reasons == "").to_numpy()
    inside = np.zeros(len(table), dtype=bool)
    inside[candidate] = shapely.contains_xy(town_area, lon[candidate], lat[candidate])
    reasons[candidate & ~inside] = f"outside the boundary of {town_id}"
    for where, reason in zip(labels, reasons, strict=True):
        if reason:
            report.problems.append(RowProblem(where, reason))
    good = (reasons == "").to_numpy()
    report.accepted = int(good.sum())
    day = dates[good].dt.strftime("%Y-%m-%d")
    ids = (table.loc[good, "offence_id"].astype(str) if "offence_id" in table.columns
           else _content_ids(town_id, day, kind[good], lon[good], lat[good]))
    frame = gpd.GeoDataFrame(
        {"offence_id": ids.to_numpy(dtype=str), "town_id": town_id, "date": day.to_numpy(),
         "offence_type": kind[good].to_numpy(dtype=str),
         "source": source or file.name},
        geometry=gpd.points_from_xy(lon[good], lat[good]), crs=STORAGE_CRS,
    )
    return frame[[*OFFENCES.columns, "geometry"]], report


def _read_csv(file: Path, crs: str | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray,
                                                   list[str]]:
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(file, f"not a readable CSV: {exc}") from exc
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in ("date", "type") if c not in table.columns]
    if missing:
        raise SourceError(file, f"missing column(s) {', '.join(missing)}")
    if {"lon", "lat"} <= set(table.columns):
        lon = pd.to_numeric(table["lon"], errors="coerce").to_numpy(dtype=float)
        lat = pd.to_numeric(table["lat"], errors="coerce").to_numpy(dtype=float)
    elif {"x", "y"} <= set(table.columns):
        x = pd.to_numeric(table["x"], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(table["y"], errors="coerce").to_numpy(dtype=float)
        lon, lat = _to_lonlat(file, x, y, crs or METRIC_CRS)
    else:
        raise SourceError(file, "needs coordinate columns lon/lat or x/y")
    table = table.replace({"": None})
    labels = [f"line {i + 2}" for i in range(len(table))]
    return table, lon, lat, labels


def _read_vector(file: Path) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list[str]]:
    try:
        frame = pyogrio.read_dataframe(file)
    except (DataSourceError, OSError) as exc:
        raise SourceError(file, f"not a readable vector file: {exc}") from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise SourceError(file, "has no geometries")
    frame.columns = [str(c).strip().lower() if c != frame.geometry.name else c
                     for c in frame.columns]
    missing = [c for c in ("date", "type") if c not in frame.columns]
    if missing:
        raise SourceError(file, f"missing property/ies {', '.join(missing)}")
    if frame.crs is None:
        raise SourceError(file, "has no CRS")
    geoms = frame.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == 0
    points = np.where(is_point, geoms, None)
    xs = np.where(is_point, shapely.get_x(points), np.nan)
    ys = np.where(is_point, shapely.get_y(points), np.nan)
    lon, lat = _to_lonlat(file, xs.astype(float), ys.astype(float), frame.crs)
    labels = [f"feature {i + 1}" for i in range(len(frame))]
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)), lon, lat, labels


def _to_lonlat(file: Path, x: np.ndarray, y: np.ndarray,
               crs: object) -> tuple[np.ndarray, np.ndarray]:
    try:
        source_crs = CRS.from_user_input(crs)
    except CRSError as exc:
        raise SourceError(file, f"unknown CRS {crs!r}") from exc
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=source_crs).to_crs(STORAGE_CRS)
    values = points.to_numpy()
    return (np.asarray(shapely.get_x(values), dtype=float),
            np.asarray(shapely.get_y(values), dtype=float))


def _content_ids(town_id: str, day: pd.Series, kind: pd.Series, lon: np.ndarray,
                 lat: np.ndarray) -> pd.Series:
    """Ids derived from the row's content (date, type, position to ~1 cm).

    Identical rows (two thefts on one day at one address) are told apart by their order of
    occurrence, so the same file always gives the same ids.
    """
    keys = pd.Series([f"{d}|{k}|{x:.7f}|{y:.7f}" for d, k, x, y in
                      zip(day.tolist(), kind.tolist(), lon.tolist(), lat.tolist(), strict=True)])
    occurrence = keys.groupby(keys).cumcount()
    return pd.Series([f"{town_id}-o{hashlib.sha1(f'{k}|{n}'.encode()).hexdigest()[:12]}"
                      for k, n in zip(keys, occurrence, strict=True)], index=day.index)
