"""Import of an open-data feeling-map export into the store, as one atomic batch.

The file streams through ``layers.sources.feeling_map`` chunk by chunk into a copy of the
store, which replaces the store only when the whole file went through: a broken file, a crash
or a file in which no row is usable leaves the store as it was. Each import is its own
session (method "imported"), named after the file's SHA-256, so importing the same file
twice is refused instead of doubling the pins. The import is recorded as an import batch
(kind "feeling-map"): listed by ``mapa batches``, undone by ``mapa undo``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.errors import Conflict, InvalidInput, NotFound
from layers.files import sha256_of
from layers.ingest.batches import new_batch_id
from layers.limits import LIMITS, Limits
from layers.schema import IMPORT_BATCHES, PINS, SESSIONS, TOWNS, LayerSpec
from layers.sources.feeling_map import (
    DEFAULT_CHUNK_ROWS,
    ImportReport,
    check_feeling_map_file,
    iter_feeling_map,
)
from layers.sources.real import read_vector
from layers.store import Store
from layers.store.base import RowMatch

#: The import batch kind of a feeling-map import.
KIND: Final = "feeling-map"


class AlreadyImported(Conflict):
    """The same file (same SHA-256) was imported before for this town."""


def import_feeling_map(store: Store, path: Path, *, town_id: str,
                       boundary_path: Path | None = None,
                       chunk_rows: int = DEFAULT_CHUNK_ROWS,
                       progress: Callable[[int], None] | None = None,
                       limits: Limits = LIMITS) -> tuple[str, ImportReport]:
    """Import ``path`` for ``town_id``; return the new session id and the row report.

    The town boundary comes from ``boundary_path`` when given (any Czech town, even one not
    in the store: it is then added to the towns layer) or from the store. Raises
    ``ValueError`` (unknown town without a boundary, no usable row, ``AlreadyImported``),
    ``SourceError`` (missing or unreadable file), ``InvalidInput`` (not a feeling-map file
    type), ``LimitExceeded`` (over one of ``limits``) or ``StoreError``; the store is then
    unchanged.
    """
    check_feeling_map_file(path)
    towns = store.read(TOWNS, town_id)
    if boundary_path is not None:
        area = read_vector(boundary_path)
        boundary: BaseGeometry = shapely.union_all(area.geometry.to_numpy())
    elif len(towns):
        boundary = shapely.union_all(towns.geometry.to_numpy())
    else:
        raise NotFound("mapping.no_boundary", town=town_id)
    digest = sha256_of(path)
    session_id = f"{town_id}-import-{digest[:12]}"
    sessions = store.read(SESSIONS)
    if (sessions["session_id"] == session_id).any():
        raise AlreadyImported("mapping.already_imported", file=path.name, town=town_id,
                              session=session_id)
    report = ImportReport()

    def batch() -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        if towns.empty:
            yield TOWNS, _new_town(town_id, boundary)
        yield SESSIONS, _session_row(session_id, town_id, path)
        for pins in iter_feeling_map(path, town_id=town_id, boundary=boundary,
                                     session_id=session_id, report=report,
                                     chunk_rows=chunk_rows, progress=progress,
                                     limits=limits):
            yield PINS, pins
        if report.imported == 0:
            raise InvalidInput("import.nothing_usable", rows=report.rows, file=path.name)
        yield IMPORT_BATCHES, _batch_row(session_id, town_id, path, digest, report)

    # Pin ids are new by construction (a new session's own counter): no key check needed.
    store.append_batch(batch())
    return session_id, report



def _batch_row(session_id: str, town_id: str, path: Path, digest: str,
               report: ImportReport) -> pd.DataFrame:
    """The ``import_batches`` row of the import: ``mapa batches`` lists it, ``mapa undo``
    removes its session and pins, ``mapa moderate --batch`` decides its pins at once."""
    now = dt.datetime.now(dt.UTC)
    undo = [RowMatch(PINS.name, equals={"session_id": session_id}),
            RowMatch(SESSIONS.name, equals={"session_id": session_id})]
    return pd.DataFrame([{
        "batch_id": new_batch_id(KIND, digest, now), "town_id": town_id, "kind": KIND,
        "layers": json.dumps({PINS.name: report.imported, SESSIONS.name: 1}),
        "undo": json.dumps([asdict(m) for m in undo], ensure_ascii=False),
        "source_name": path.name, "sha256": digest, "rows": report.rows,
        "added": report.imported, "rejected": len(report.rejected),
        "repaired": len(report.repaired), "crs_action": "", "licence": "",
        "created_at": now.isoformat(timespec="seconds"), "status": "committed",
        "undone_at": ""}])[list(IMPORT_BATCHES.columns)]


def _session_row(session_id: str, town_id: str, path: Path) -> pd.DataFrame:
    row = {"session_id": session_id, "town_id": town_id, "date": dt.date.today().isoformat(),
           "place": f"import: {path.name}", "organiser": "import", "age_group": "",
           "participants": 0, "method": "imported",
           "consent": "otevřená data (anonymizovaný export pocitové mapy)", "synthetic": False}
    return pd.DataFrame([row])[list(SESSIONS.columns)]


def _new_town(town_id: str, boundary: BaseGeometry) -> gpd.GeoDataFrame:
    centre = boundary.representative_point()
    row: dict[str, object] = {column: "" for column in TOWNS.columns}
    row.update({"town_id": town_id, "name": town_id, "population": 0, "population_year": 0,
                "isv_2023": float("nan"), "center_lat": centre.y, "center_lon": centre.x})
    multi = boundary if boundary.geom_type == "MultiPolygon" else shapely.MultiPolygon(
        [g for g in getattr(boundary, "geoms", [boundary]) if g.geom_type == "Polygon"])
    return gpd.GeoDataFrame([row], geometry=[multi], crs=STORAGE_CRS)[[*TOWNS.columns,
                                                                     "geometry"]]
