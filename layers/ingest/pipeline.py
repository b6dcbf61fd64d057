"""What every connector shares: the import context and positions of a chunk's rows in
EPSG:4326 (from the file's geometries or its coordinate columns, CRS decided once per file)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from layers.catalogue.text import fold
from layers.ingest.checks import coordinate_columns, numbers, text, wkt_column
from layers.ingest.crs import CrsDecision, decide_crs
from layers.ingest.reading import Chunk, Source
from layers.ingest.report import ValidationReport
from layers.schema import LayerSpec
from layers.sources.errors import SourceError
from layers.store.base import RowMatch

#: Rows of a chunk shown listed when an address-only table is refused.
LISTED_ROWS: Final = 20
#: Column names (folded, letters and digits only) of a whole address ("Hamerská 12/3,
#: Litvínov") and of its parts as people write them in a table.
ADDRESS_COLUMNS: Final = frozenset({"address", "adresa", "addr", "uplnaadresa"})
ADDRESS_PART_COLUMNS: Final = {
    "street": frozenset({"ulice", "street", "nazevulice", "streetname", "ulicecislo"}),
    "house": frozenset({"cislopopisne", "cp", "popisne", "cislodomu", "cislo", "housenumber",
                        "cisloevidencni", "ce", "number"}),
    "orientation": frozenset({"cisloorientacni", "co", "orientacni", "orientationnumber"}),
    "town": frozenset({"obec", "mesto", "town", "city", "municipality", "nazevobce"}),
}


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
    column of WKT geometries (an unreadable one is None); else the rows' addresses
    (:func:`address_texts`: one address column, or street, house numbers and town columns)
    placed by ``ctx.geocode`` (the town's address points), each address not found rejected
    with its line; a table with none of them is refused, listing rows that carry only an
    address.
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
    addresses = address_texts(chunk.frame) if columns is None else None
    if addresses is not None and ctx.geocode is not None:
        placed = _geocoded(chunk, addresses, ctx, ctx.geocode)
        if placed is not None:
            return placed
    if columns is None:
        raise SourceError(source.name, _no_coordinates(chunk, addresses))
    first, second, implied = columns
    x, y = numbers(chunk.frame[first]), numbers(chunk.frame[second])
    declared = CRS.from_user_input(implied) if implied else None
    decision = ctx.decide(x, y, declared, f"the column names {first}/{second}")
    lon, lat = decision.to_storage_xy(x, y)
    geoms = shapely.points(lon, lat)
    geoms[~(np.isfinite(lon) & np.isfinite(lat))] = None
    return geoms


def _column_key(name: object) -> str:
    """A column name as compared: folded, letters and digits only ("Č. p." → "cp")."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


def address_texts(frame: pd.DataFrame) -> pd.Series | None:
    """Each row's address as one text the geocoder reads ("Hamerská 12/3, Litvínov"), or
    None when the table has no address columns.

    Takes one address column (``adresa``/``address``) as it is; else a street column
    (``ulice``/``street``) with, where present, the house number (``číslo popisné``,
    ``č.p.``, ``house number``), the orientation number (``číslo orientační``, ``č.o.``) and
    the town (``obec``, ``město``, ``town``). A street cell that already holds its number
    ("Hamerská 12/3") is kept as written. A row without a street gives ""."""
    keys = {_column_key(c): c for c in frame.columns}
    whole = next((keys[k] for k in keys if k in ADDRESS_COLUMNS), None)
    if whole is not None:
        return text(frame, whole)
    found = {part: next((keys[k] for k in keys if k in names), None)
             for part, names in ADDRESS_PART_COLUMNS.items()}
    if found["street"] is None:
        return None
    parts = {part: text(frame, column) if column is not None
             else pd.Series("", index=frame.index, dtype=object)
             for part, column in found.items()}
    house, orientation = parts["house"], parts["orientation"]
    number = house.where(orientation == "", (house + "/" + orientation).str.strip("/"))
    street = parts["street"]
    line = (street + " " + number).str.strip()
    line = line.where(parts["town"] == "", line + ", " + parts["town"])
    return line.where(street != "", "")


def _geocoded(chunk: Chunk, values: pd.Series, ctx: ImportContext,
              geocode: Callable[[list[str]], list[BaseGeometry | None] | None]
              ) -> np.ndarray | None:
    """Points of the chunk's addresses ``values`` placed from the town's address points
    (None where not found: the connector rejects those rows, for the reason noted here, by
    line); None when the town has no address points."""
    found = geocode(values.tolist())
    if found is None:
        return None
    for where, value, point in zip(chunk.labels, values, found, strict=True):
        if point is None and value:
            ctx.report.unplaced[where] = ("import.address_not_found", {"address": value})
    ctx.report.crs_action = "placed by address (the town's RÚIAN address points)"
    return np.array([*found, None], dtype=object)[:-1]  # an object array even if all None


def _no_coordinates(chunk: Chunk, values: pd.Series | None) -> str:
    if values is None:
        return ("has no coordinate columns (lon/lat or x/y) and no geometries; nothing can "
                "be placed on the map")
    rows = [f"{where} '{value}'" for where, value in zip(chunk.labels, values, strict=True)
            if value][:LISTED_ROWS]
    more = int((values != "").sum()) - len(rows)
    return (f"has addresses but no coordinates, and addresses cannot be geocoded offline "
            f"without the town's address points: import them (mapa import addresses), or add "
            f"lon/lat (or S-JTSK x/y) columns. Rows with only an address: {'; '.join(rows)}"
            + (f" (+{more} more)" if more > 0 else ""))


#: A connector: (source, context, chunk rows) → (layer, frame) pairs to append.
Connector = Callable[[Source, ImportContext, int], Iterator[tuple[LayerSpec, pd.DataFrame]]]
