"""Police statistics: per-department tables keyed on the 6-digit department (OOP) code
(years, crime categories, found/solved) → ``crime_stats``, and department polygons →
``police_districts``. A table may be long (``crime_type``, ``found``, ``solved`` columns) or
wide like the shipped 2013 file (``found_total``, ``solved_total`` …, one row per department).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.ingest.checks import Duplicates, find_columns, numbers, range_problems, text
from layers.ingest.geometry import check_inside, check_polygons
from layers.ingest.pipeline import Connector, ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import CRIME_STATS, POLICE_DISTRICTS, LayerSpec
from layers.sources.errors import SourceError
from layers.sources.real import CRIME_TYPES, clean_police_name
from layers.store import Store
from layers.store.base import RowMatch

STATS_FIELDS: Final = {
    "oop_code": ("kod_oop", "oop", "kod_utvaru", "department"),
    "year": ("rok",),
    "crime_type": ("type", "kategorie", "druh"),
    "found": ("zjisteno", "zjištěno"),
    "solved": ("objasneno", "objasněno"),
}
DISTRICT_FIELDS: Final = {
    "oop_code": ("kod_oop", "oop", "kod_utvaru"),
    "oop_name": ("name", "nazev", "název"),
    "uo_name": ("uo", "uzemni_odbor"),
    "krp_name": ("krp", "krajske_reditelstvi"),
    "population": ("obyvatel", "population_2013_src"),
}


def oop_codes(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Department codes as 6 digits, rows whose leading zero a spreadsheet dropped (repaired)
    and rows that are no 6-digit code (rejected)."""
    raw = values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    digits = raw.str.fullmatch(r"\d{5,6}").to_numpy(dtype=bool)
    padded = raw.str.zfill(6)
    return padded, digits & (raw.str.len() == 5).to_numpy(), ~digits


def connector(store: Store) -> Connector:
    """The police connector over ``store``: a table → ``crime_stats``, polygons →
    ``police_districts``. Rows the store already holds are rejected as duplicates, so undo
    removes exactly what this batch added."""

    def connect(source: Source, ctx: ImportContext, chunk_rows: int
                ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        present = store.layer_names()
        if source.kind == "vector":
            districts = (store.read(POLICE_DISTRICTS, ctx.town_id)
                         if POLICE_DISTRICTS.name in present else pd.DataFrame())
            stored_codes = set(districts["oop_code"].astype(str)) if len(districts) else set()
            yield from _districts(source, ctx, chunk_rows, stored_codes)
            return
        stored = (store.read(CRIME_STATS) if CRIME_STATS.name in present
                  else pd.DataFrame(columns=list(CRIME_STATS.columns)))
        known = set(zip(stored["oop_code"].astype(str), stored["year"].astype(int),
                        stored["crime_type"].astype(str), strict=True))
        duplicates = Duplicates()
        for chunk in source.chunks(chunk_rows):
            ctx.report.rows += len(chunk.frame)
            long = _long(chunk.frame, chunk.labels, source.name, ctx)
            yield from _stats_rows(long, ctx, known, duplicates)

    return connect


def _long(frame: pd.DataFrame, labels: list[str], name: str, ctx: ImportContext
          ) -> pd.DataFrame:
    """The table in long form (oop_code, year, crime_type, found, solved, where)."""
    wide_found = [c for c in frame.columns if str(c).startswith("found_")]
    required = ("oop_code",) if wide_found else ("oop_code", "crime_type", "found")
    columns = find_columns(list(frame.columns), STATS_FIELDS, required, name)
    if "year" not in columns and ctx.year is None:
        raise SourceError(name, "has no year column; give the year (--year)")
    year = (text(frame, columns["year"]) if "year" in columns
            else pd.Series(str(ctx.year), index=frame.index))
    base = pd.DataFrame({"oop_code": text(frame, columns["oop_code"]), "year": year,
                         "where": labels})
    if not wide_found:
        return base.assign(crime_type=text(frame, columns["crime_type"]),
                           found=text(frame, columns["found"]),
                           solved=text(frame, columns.get("solved")))
    parts = [base.assign(crime_type=c.removeprefix("found_"), found=text(frame, c),
                         solved=text(frame, f"solved_{c.removeprefix('found_')}"
                                     if f"solved_{c.removeprefix('found_')}" in frame.columns
                                     else None))
             for c in wide_found]
    return pd.concat(parts, ignore_index=True)


def _stats_rows(long: pd.DataFrame, ctx: ImportContext, known: set[tuple[str, int, str]],
                duplicates: Duplicates) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    report = ctx.report
    labels = long["where"].tolist()
    codes, padded, bad_code = oop_codes(long["oop_code"])
    year = numbers(long["year"])
    found = numbers(long["found"])
    solved = numbers(long["solved"].replace("", "nan"))
    reason = np.where(bad_code, "department code must have 6 digits", "")
    for problem in (range_problems(year, 1990, 2100, "year", whole=True),
                    np.where(~long["crime_type"].isin(CRIME_TYPES).to_numpy(),
                             "unknown crime category (known: " + ", ".join(CRIME_TYPES) + ")",
                             ""),
                    range_problems(found, 0, 1e7, "found", whole=True),
                    range_problems(solved, 0, 1e7, "solved", optional=True, whole=True),
                    np.where(solved > found, "more solved than found", "")):
        reason = np.where(reason == "", problem, reason)
    ok = reason == ""
    for i in np.flatnonzero(~ok):
        report.add("rejected", labels[i], str(reason[i]))
    for i in np.flatnonzero(ok & padded):
        report.add("repaired", labels[i], f"leading zero of department code {codes.iloc[i]} "
                                          "restored")
    stored = np.array([(c, int(y) if np.isfinite(y) else 0, t) in known for c, y, t in
                       zip(codes, year, long["crime_type"], strict=True)], dtype=bool) & ok
    for i in np.flatnonzero(stored):
        report.add("rejected", labels[i], "already in the store (same department, year and "
                                          "category); undo the earlier import first")
    ok &= ~stored
    keys = pd.DataFrame({"c": codes.to_numpy(), "y": year, "t": long["crime_type"].to_numpy()})
    ok = duplicates.reject(keys, ok, labels, report,
                           "duplicate of an earlier row")
    if not ok.any():
        return
    out = pd.DataFrame({"oop_code": codes[ok].to_numpy(), "year": year[ok].astype("int64"),
                        "crime_type": long["crime_type"][ok].to_numpy(),
                        "found": found[ok], "solved": solved[ok]})
    ctx.undo += [RowMatch(CRIME_STATS.name, equals={"oop_code": c, "year": int(y),
                                                    "crime_type": t})
                 for c, y, t in zip(out["oop_code"], out["year"], out["crime_type"],
                                    strict=True)]
    yield CRIME_STATS, out[list(CRIME_STATS.columns)]


def _districts(source: Source, ctx: ImportContext, chunk_rows: int, stored_codes: set[str]
               ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """Department polygons for the town; a department already stored for it is rejected."""
    report = ctx.report
    duplicates = Duplicates()
    for chunk in source.chunks(chunk_rows):
        report.rows += len(chunk.frame)
        frame = chunk.frame
        columns = find_columns(list(frame.columns), DISTRICT_FIELDS, ("oop_code", "oop_name"),
                               source.name)
        geoms, ok = check_polygons(positions(chunk, source, ctx), chunk.labels, report)
        codes, padded, bad_code = oop_codes(text(frame, columns["oop_code"]))
        for i in np.flatnonzero(ok & bad_code):
            report.add("rejected", chunk.labels[i], "department code must have 6 digits")
        ok &= ~bad_code
        for i in np.flatnonzero(ok & padded):
            report.add("repaired", chunk.labels[i], f"leading zero of department code "
                                                    f"{codes.iloc[i]} restored")
        already = ok & codes.isin(stored_codes).to_numpy()
        for i in np.flatnonzero(already):
            report.add("rejected", chunk.labels[i], f"department {codes.iloc[i]} is already "
                                                    f"stored for {ctx.town_id}; undo its "
                                                    "earlier import first")
        ok &= ~already
        ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, report, ctx.town_id,
                          reject_outside=True)
        ok = duplicates.reject(pd.DataFrame({"c": codes.to_numpy()}), ok, chunk.labels, report,
                               "department code repeated in the file")
        if not ok.any():
            continue
        population = numbers(text(frame, columns.get("population")))
        kept = gpd.GeoDataFrame({
            "oop_code": codes[ok].to_numpy(), "town_id": ctx.town_id,
            "oop_name": text(frame, columns["oop_name"])[ok].map(clean_police_name).to_numpy(),
            "uo_name": text(frame, columns.get("uo_name"))[ok].to_numpy(),
            "krp_name": text(frame, columns.get("krp_name"))[ok].to_numpy(),
            "population": population[ok],
        }, geometry=geoms[ok], crs=STORAGE_CRS)
        kept["area_km2"] = kept.geometry.to_crs(METRIC_CRS).area.to_numpy() / 1e6
        ctx.undo += [RowMatch(POLICE_DISTRICTS.name, equals={"oop_code": c,
                                                             "town_id": ctx.town_id})
                     for c in kept["oop_code"]]
        yield POLICE_DISTRICTS, kept[[*POLICE_DISTRICTS.columns, "geometry"]]
