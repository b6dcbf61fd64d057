"""Public-transport stops: a GTFS feed's ``stops.txt`` (or the feed's zip), WGS 84.

Stops and platforms (``location_type`` empty or 0) inside the town are kept with their name;
stations, entrances and nodes of the feed are skipped, stops outside the town rejected.
:func:`towns_with_stops` tells which towns of a store a feed serves, so ``mapa import stops
FILE`` without ``--town`` imports each town's stops as its own batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from layers.crs import STORAGE_CRS
from layers.ingest.checks import Duplicates, find_columns, text
from layers.ingest.geometry import check_inside, check_points
from layers.ingest.pipeline import ImportContext, positions
from layers.ingest.reading import Source, open_source
from layers.ingest.report import ValidationReport
from layers.schema import TOWNS, TRANSIT_STOPS, LayerSpec
from layers.store import Store
from layers.store.base import RowMatch

FIELDS: Final = {"gtfs_id": ("stop_id",), "name": ("stop_name",),
                 "location_type": ("location_type",)}
#: GTFS ``location_type`` values of a place where people board (a stop or a platform).
BOARDING: Final = ("", "0")


def connect(source: Source, ctx: ImportContext, chunk_rows: int
            ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """Validated ``transit_stops`` rows of a GTFS stops table."""
    ctx.undo.append(RowMatch(TRANSIT_STOPS.name, prefix=("stop_id", f"{ctx.batch_id}-")))
    duplicates = Duplicates()
    for chunk in source.chunks(chunk_rows):
        ctx.report.rows += len(chunk.frame)
        columns = find_columns(list(chunk.frame.columns), FIELDS, ("gtfs_id", "name"),
                               source.name)
        boarding = text(chunk.frame, columns.get("location_type")).isin(BOARDING).to_numpy()
        geoms, ok = check_points(positions(chunk, source, ctx), chunk.labels, ctx.report)
        ok &= boarding
        gtfs_ids = text(chunk.frame, columns["gtfs_id"])
        ok = duplicates.reject(pd.DataFrame({"id": gtfs_ids.to_numpy()}), ok, chunk.labels,
                               ctx.report, "repeats an earlier row's stop_id")
        ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, ctx.report, ctx.town_id,
                          reject_outside=True)
        if not ok.any():
            continue
        yield TRANSIT_STOPS, gpd.GeoDataFrame({
            "stop_id": ctx.new_ids(TRANSIT_STOPS.name, int(ok.sum())),
            "town_id": ctx.town_id,
            "name": text(chunk.frame, columns["name"])[ok].to_numpy(),
            "gtfs_id": gtfs_ids[ok].to_numpy(), "source": ctx.source_label,
        }, geometry=list(geoms[ok]), crs=STORAGE_CRS)[[*TRANSIT_STOPS.columns, "geometry"]]


def towns_with_stops(store: Store, path: Path) -> list[str]:
    """Ids of the store's towns with at least one stop of the feed ``path`` inside.
    Raises ``SourceError`` for an unreadable feed."""
    towns = store.read(TOWNS)
    ctx = ImportContext(town_id="", town_area=shapely.Polygon(), batch_id="",
                        source_label=path.name, report=ValidationReport(source_name=path.name))
    found: set[str] = set()
    with open_source(path) as source:
        for chunk in source.chunks():
            points = positions(chunk, source, ctx)
            points = points[~(shapely.is_missing(points) | shapely.is_empty(points))]
            for town_id, area in zip(towns["town_id"], towns.geometry, strict=True):
                if town_id not in found and shapely.intersects(area, points).any():
                    found.add(str(town_id))
    return [str(t) for t in towns["town_id"] if t in found]
