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
    #: Places address texts (→ EPSG:4326 points, None where not found); it returns None, or
    #: is None, when the store has no address points for the town to place them by.
    geocode: Callable[[list[str]], list[BaseGeometry | None] | None] | None = None
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
    column of WKT geometries (an unreadable one is None); else an address column placed by
    ``ctx.geocode`` (the town's address points), each address not found rejected; a table with
    none of them is refused, listing rows that carry only an address.
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
    if columns is None and ctx.geocode is not None and _address_column(chunk):
        placed = _geocoded(chunk, ctx, ctx.geocode)
        if placed is not None:
            return placed
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


def _address_column(chunk: Chunk) -> str | None:
    return next((c for c in chunk.frame.columns
                 if c.strip().casefold() in ("address", "adresa", "addr", "ulice", "street")),
                None)


def _geocoded(chunk: Chunk, ctx: ImportContext,
              geocode: Callable[[list[str]], list[BaseGeometry | None] | None]
              ) -> np.ndarray | None:
    """Points of the chunk's address column placed from the town's address points (None
    where not found: the connector rejects those rows, for the reason noted here); None
    when the town has no address points."""
    values = text(chunk.frame, _address_column(chunk))
    found = geocode(values.tolist())
    if found is None:
        return None
    for where, value, point in zip(chunk.labels, values, found, strict=True):
        if point is None and value:
            ctx.report.unplaced[where] = (f"address '{value}' is not among the town's address "
                                          "points")
    ctx.report.crs_action = "placed by address (the town's RÚIAN address points)"
    return np.array([*found, None], dtype=object)[:-1]  # an object array even if all None


def _no_coordinates(chunk: Chunk) -> str:
    address = [_address_column(chunk)] if _address_column(chunk) else []
    if not address:
        return ("has no coordinate columns (lon/lat or x/y) and no geometries; nothing can "
                "be placed on the map")
    values = text(chunk.frame, address[0])
    rows = [f"{where} '{value}'" for where, value in zip(chunk.labels, values, strict=True)
            if value][:LISTED_ROWS]
    more = int((values != "").sum()) - len(rows)
    return (f"has addresses but no coordinates, and addresses cannot be geocoded offline "
            f"without the town's address points: import them (mapa import addresses), or add "
            f"lon/lat (or S-JTSK x/y) columns. Rows with only an address: {'; '.join(rows)}"
            + (f" (+{more} more)" if more > 0 else ""))


#: A connector: (source, context, chunk rows) → (layer, frame) pairs to append.
Connector = Callable[[Source, ImportContext, int], Iterator[tuple[LayerSpec, pd.DataFrame]]]
