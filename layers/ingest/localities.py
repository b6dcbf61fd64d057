"""Socially excluded localities: polygons with a name and optionally a population estimate,
the exclusion index, a source and a date (GeoJSON, GeoPackage, Shapefile or drawn in the app).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import STORAGE_CRS
from layers.exclusion import band_of
from layers.ingest.checks import (
    Duplicates,
    find_columns,
    iso_dates,
    numbers,
    range_problems,
    text,
    wkt_column,
)
from layers.ingest.geometry import check_inside, check_polygons
from layers.ingest.pipeline import ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import LOCALITIES, LayerSpec
from layers.sources.errors import SourceError
from layers.store.base import RowMatch

FIELDS: Final = {
    "name": ("nazev", "název", "jmeno", "lokalita", "locality"),
    "population_est": ("population", "obyvatel", "pocet_obyvatel", "odhad_obyvatel",
                       "population_estimate"),
    "isv": ("index", "isv_2023"),
    "source": ("zdroj",),
    "date": ("datum", "vintage"),
    "description": ("popis", "note", "poznamka"),
}
#: Largest believable population of one locality (a housing estate of a big city).
MAX_POPULATION: Final = 50_000


def connect(source: Source, ctx: ImportContext, chunk_rows: int
            ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """Validated locality rows (LOCALITIES schema, EPSG:4326), chunk by chunk."""
    ctx.undo.append(RowMatch(LOCALITIES.name, prefix=("locality_id", f"{ctx.batch_id}-")))
    duplicates = Duplicates()
    report = ctx.report
    for chunk in source.chunks(chunk_rows):
        if source.kind != "vector" and wkt_column(list(chunk.frame.columns)) is None:
            raise SourceError(source.name, "localities need polygons: GeoJSON, GeoPackage, a "
                                           "(zipped) Shapefile, or a table with a WKT column "
                                           "(geometrie WKT)")
        report.rows += len(chunk.frame)
        columns = find_columns(list(chunk.frame.columns), FIELDS, ("name",), source.name)
        frame = chunk.frame
        geoms, ok = check_polygons(positions(chunk, source, ctx), chunk.labels, report)
        names = text(frame, columns.get("name"))
        population = numbers(text(frame, columns.get("population_est")))
        isv = numbers(text(frame, columns.get("isv")))
        dates, date_problem = iso_dates(text(frame, columns.get("date")))
        reason = np.where(names == "", "name missing", "")
        for problem in (range_problems(population, 0, MAX_POPULATION, "population estimate",
                                       optional=True, whole=True),
                        range_problems(isv, 0, 30, "exclusion index", optional=True),
                        np.where(date_problem != "", "date " + date_problem, "")):
            reason = np.where(reason == "", problem, reason)
        for i in np.flatnonzero(ok & (reason != "")):
            report.add("rejected", chunk.labels[i], str(reason[i]))
        ok &= reason == ""
        ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, report, ctx.town_id,
                          reject_outside=True)
        keys = pd.DataFrame({"name": names.to_numpy(),
                             "wkb": shapely.to_wkb(geoms)})
        ok = duplicates.reject(keys, ok, chunk.labels, report,
                               "duplicate of an earlier feature (same name and outline)")
        if not ok.any():
            continue
        sources = text(frame, columns.get("source")).replace("", ctx.source_label)[ok]
        day = dates[ok]
        out = gpd.GeoDataFrame({
            "locality_id": ctx.new_ids(LOCALITIES.name, int(ok.sum())),
            "town_id": ctx.town_id, "name": names[ok].to_numpy(),
            "population_est": np.nan_to_num(population[ok], nan=0).astype("int64"),
            "isv": isv[ok],
            "isv_band": [band_of(v) if np.isfinite(v) else "" for v in isv[ok]],
            "description": text(frame, columns.get("description"))[ok].to_numpy(),
            "source": [f"{s} ({d})" if d else s for s, d in zip(sources, day, strict=True)],
            "synthetic": False,
        }, geometry=geoms[ok], crs=STORAGE_CRS)
        yield LOCALITIES, out[[*LOCALITIES.columns, "geometry"]]

