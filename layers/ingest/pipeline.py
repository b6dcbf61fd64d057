"""What every connector shares: the import context and positions of a chunk's rows in
EPSG:4326 (from the file's geometries or its coordinate columns, CRS decided once per file)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from layers.ingest.checks import coordinate_columns, numbers, text, wkt_column
from layers.ingest.crs import CrsDecision, decide_crs
from layers.ingest.reading import Chunk, Source
from layers.ingest.report import ValidationReport
from layers.schema import LayerSpec
from layers.sources.errors import SourceError
from layers.store.base import RowMatch

#: Rows of a chunk shown listed when an address-only table is refused.
LISTED_ROWS: Final = 20


@dataclass
class ImportContext:
    """One import run: the town (id and boundary in EPSG:4326), the batch id every new row
    id starts with, a CRS the user gave (overrides the file's), the report, and the row
    matches that undo the batch (connectors add theirs)."""

    town_id: str
    town_area: BaseGeometry
    batch_id: str
    source_label: str
    report: ValidationReport
    crs_override: CRS | None = None
    year: int | None = None
    decision: CrsDecision | None = None
    undo: list[RowMatch] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def new_ids(self, layer: str, count: int) -> list[str]:
        """``count`` fresh row ids for ``layer``: the batch id, a dash and a counter."""
        start = self.counters.get(layer, 0)
        self.counters[layer] = start + count
        return [f"{self.batch_id}-{start + i:07d}" for i in range(count)]

    def decide(self, x: np.ndarray, y: np.ndarray, declared: CRS | None, by: str) -> CrsDecision:
        """The file's CRS decision, made on its first chunk and kept for the rest."""
        if self.decision is None:
            if self.crs_override is not None:
                declared, by = self.crs_override, "--crs"
            self.decision = decide_crs(x, y, declared, self.report.source_name, by)
            self.report.crs_action = self.decision.action
        return self.decision


def positions(chunk: Chunk, source: Source, ctx: ImportContext) -> np.ndarray:
    """Geometries of the chunk's rows in EPSG:4326 (None where there are no coordinates).

    Vector files: their geometries. Tables: the coordinate columns (lon/lat, x/y …) or a
    column of WKT geometries (an unreadable one is None); a table without them is refused,
    listing rows that carry only an address, since addresses cannot be geocoded offline.
    Raises ``SourceError``.
    """
    geoms = chunk.geometry
    wkt = wkt_column(list(chunk.frame.columns)) if geoms is None else None
    if wkt is not None:
        geoms = shapely.from_wkt(text(chunk.frame, wkt).replace("", None).to_numpy(),
                                 on_invalid="ignore")
    if geoms is not None:
        sample = shapely.get_coordinates(geoms[: min(len(geoms), 5_000)])
        if not len(sample):
            return np.full(len(geoms), None, dtype=object)
        decision = ctx.decide(sample[:, 0], sample[:, 1], source.crs, "the file")
        return decision.to_storage(geoms)
    columns = coordinate_columns(list(chunk.frame.columns))
    if columns is None:
        raise SourceError(source.name, _no_coordinates(chunk))
    first, second, implied = columns
    x, y = numbers(chunk.frame[first]), numbers(chunk.frame[second])
    declared = CRS.from_user_input(implied) if implied else None
    decision = ctx.decide(x, y, declared, f"the column names {first}/{second}")
    lon, lat = decision.to_storage_xy(x, y)
    geoms = shapely.points(lon, lat)
    geoms[~(np.isfinite(lon) & np.isfinite(lat))] = None
    return geoms


def _no_coordinates(chunk: Chunk) -> str:
    address = [c for c in chunk.frame.columns
               if c.strip().casefold() in ("address", "adresa", "addr", "ulice", "street")]
    if not address:
        return ("has no coordinate columns (lon/lat or x/y) and no geometries; nothing can "
                "be placed on the map")
    values = text(chunk.frame, address[0])
    rows = [f"{where} '{value}'" for where, value in zip(chunk.labels, values, strict=True)
            if value][:LISTED_ROWS]
    more = int((values != "").sum()) - len(rows)
    return (f"has addresses but no coordinates; addresses cannot be geocoded offline, add "
            f"lon/lat (or S-JTSK x/y) columns. Rows with only an address: {'; '.join(rows)}"
            + (f" (+{more} more)" if more > 0 else ""))


#: A connector: (source, context, chunk rows) → (layer, frame) pairs to append.
Connector = Callable[[Source, ImportContext, int], Iterator[tuple[LayerSpec, pd.DataFrame]]]
