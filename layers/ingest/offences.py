"""Point-level offences as exported by the police crime map: date, type and a position
(CSV with coordinates, or any vector file), streamed chunk by chunk into ``offences``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import STORAGE_CRS
from layers.ingest.checks import Duplicates, find_columns, iso_dates, text
from layers.ingest.geometry import check_inside, check_points
from layers.ingest.pipeline import ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import OFFENCES, LayerSpec
from layers.store.base import RowMatch

FIELDS: Final = {
    "date": ("datum", "date_of_offence", "datum_spachani"),
    "type": ("offence_type", "typ", "druh", "kind", "tsk"),
    "offence_id": ("id", "source_id"),
}


def connect(source: Source, ctx: ImportContext, chunk_rows: int
            ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """Validated offence rows (OFFENCES schema, EPSG:4326). Rows without a date, a type or a
    position, outside the town, or repeating an earlier row are rejected."""
    ctx.undo.append(RowMatch(OFFENCES.name, prefix=("offence_id", f"{ctx.batch_id}-")))
    duplicates = Duplicates()
    report = ctx.report
    for chunk in source.chunks(chunk_rows):
        report.rows += len(chunk.frame)
        frame = chunk.frame
        columns = find_columns(list(frame.columns), FIELDS, ("date", "type"), source.name)
        geoms, ok = check_points(positions(chunk, source, ctx), chunk.labels, report)
        day, bad_date = iso_dates(text(frame, columns["date"]))
        kind = text(frame, columns["type"])
        reason = np.where((day == "") | (bad_date != ""), "date missing or not a date",
                          np.where(kind == "", "type missing", ""))
        for i in np.flatnonzero(ok & (reason != "")):
            report.add("rejected", chunk.labels[i], str(reason[i]))
        ok &= reason == ""
        ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, report, ctx.town_id,
                          reject_outside=True)
        source_ids = text(frame, columns.get("offence_id"))
        keys = (pd.DataFrame({"id": source_ids.to_numpy()}) if "offence_id" in columns else
                pd.DataFrame({"day": day.to_numpy(), "kind": kind.to_numpy(),
                              "wkb": shapely.to_wkb(geoms)}))
        ok = duplicates.reject(keys, ok, chunk.labels, report,
                               "duplicate of an earlier row")
        if not ok.any():
            continue
        out = gpd.GeoDataFrame({
            "offence_id": ctx.new_ids(OFFENCES.name, int(ok.sum())), "town_id": ctx.town_id,
            "date": day[ok].to_numpy(), "offence_type": kind[ok].to_numpy(),
            "source": ctx.source_label,
        }, geometry=geoms[ok], crs=STORAGE_CRS)
        yield OFFENCES, out[[*OFFENCES.columns, "geometry"]]
