"""Imports as versioned batches: preview (dry run), atomic commit, list, undo.

An import reads its file through a connector, validates every row into a
:class:`ValidationReport` and streams the accepted rows into ``store.append_batch`` (all or
nothing: a file that breaks half-way, or in which no row is usable, leaves the store exactly
as it was). Every row id it adds starts with the batch id, and the batch is recorded in
``import_batches`` with the row matches that remove it, so :func:`undo_batch` deletes
exactly that batch in one transaction. The same file (SHA-256) imported twice for the same
town and kind is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidInput
from layers.files import sha256_of
from layers.geocode import Gazetteer
from layers.ingest import (
    addresses,
    exclusion,
    localities,
    offences,
    police,
    police_open_data,
    services,
    stops,
    streets,
)
from layers.ingest.pipeline import Connector, ImportContext
from layers.ingest.reading import DEFAULT_CHUNK_ROWS, open_source, require_file
from layers.ingest.report import ValidationReport
from layers.limits import LIMITS, Limits
from layers.schema import (
    ADDRESS_POINTS,
    AUDIT_LOG,
    CRIME_STATS,
    EXCLUSION_INDEX,
    IMPORT_BATCHES,
    LOCALITIES,
    OFFENCES,
    POLICE_OFFENCES,
    SERVICE_TAGS,
    SERVICES,
    SOURCES,
    STREET_EDGES,
    TOWNS,
    TRANSIT_STOPS,
    LayerSpec,
)
from layers.store import Store
from layers.store.base import RowMatch

#: Import kinds → the layer their ``sources`` entry describes.
KINDS: Final = {
    "localities": LOCALITIES.name,
    "services": SERVICES.name,
    "police-stats": CRIME_STATS.name,
    "offences": OFFENCES.name,
    "police-open-data": POLICE_OFFENCES.name,
    "exclusion-index": EXCLUSION_INDEX.name,
    "addresses": ADDRESS_POINTS.name,
    "stops": TRANSIT_STOPS.name,
    "streets": STREET_EDGES.name,
}
#: Layers that accompany another's rows (a service's tags): not counted as rows added.
COMPANION_LAYERS: Final = frozenset({SERVICE_TAGS.name})
#: Features kept per layer to show a preview on a map.
PREVIEW_FEATURES: Final = 2_000


class ImportRefused(InvalidInput):
    """The import was stopped before anything was written (the message says why)."""


@dataclass
class ImportResult:
    """An import's outcome: the batch id (also for a dry run: the id it would get), the
    report, and up to ``PREVIEW_FEATURES`` accepted features per spatial layer."""

    batch_id: str
    kind: str
    town_id: str
    dry_run: bool
    report: ValidationReport
    preview: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The CLI's JSON object (``--json``)."""
        return {"batch_id": self.batch_id, "kind": self.kind,
                "layer": KINDS.get(self.kind, TOWNS.name),
                "town_id": self.town_id, "dry_run": self.dry_run, **self.report.as_json(),
                "added": self.added}

    @property
    def added(self) -> int:
        """Rows added (or, in a dry run, that would be), companion layers not counted."""
        return added_rows(self.report)


def added_rows(report: ValidationReport) -> int:
    return sum(n for layer, n in report.added.items() if layer not in COMPANION_LAYERS)


def connector_for(kind: str, store: Store) -> tuple[Connector, tuple[str, ...]]:
    """The connector of ``kind`` and the header words of its XLSX sheets."""
    if kind == "localities":
        return localities.connect, ()
    if kind == "services":
        return services.connect, ()
    if kind == "offences":
        return offences.connect, ()
    if kind == "police-open-data":
        return police_open_data.connector(store), ()
    if kind == "police-stats":
        return police.connector(store), ()
    if kind == "exclusion-index":
        return exclusion.connector(store), exclusion.HEADER_WORDS
    if kind == "addresses":
        stored = (set(store.read(ADDRESS_POINTS)["kod_adm"].astype(str))
                  if ADDRESS_POINTS.name in store.layer_names() else set())
        return addresses.connector(stored), ()
    if kind == "stops":
        return stops.connect, ()
    if kind == "streets":
        return streets.connector(), ()
    raise ImportRefused("import.unknown_kind", kind=kind, known=", ".join(KINDS))


def run_import(store: Store, kind: str, path: Path | str, *, town_id: str,
               dry_run: bool = False, crs: str | None = None, year: int | None = None,
               licence: str = "", source_label: str | None = None,
               display_name: str | None = None, strict: bool = False,
               chunk_rows: int = DEFAULT_CHUNK_ROWS,
               progress: Callable[[ValidationReport], None] | None = None,
               audit_entry: Callable[[ImportResult], pd.DataFrame] | None = None,
               limits: Limits = LIMITS) -> ImportResult:
    """Validate ``path`` as ``kind`` for ``town_id``; unless ``dry_run``, commit it as a batch.

    ``crs`` overrides the file's CRS; ``year`` is the year of tables without a year column;
    ``licence`` and ``source_label`` (default: the file name) are kept with the batch and in
    ``sources``; ``display_name`` is the file's name as the user knows it (an upload's);
    ``strict`` refuses the whole file when any row is rejected. ``audit_entry`` makes the
    audit entry of the import from its result (``layers.access.audit.entry``); it is stored
    in the same batch as the data, so both are stored or neither.
    ``limits`` bound the file (``layers.limits``). ``progress`` is called with the report
    after each chunk (rows read and rejected so far), for a progress bar.
    Raises ``ImportRefused`` (unknown town or kind, same file imported before, no usable
    row), ``SourceError`` (missing, unreadable file, missing columns, unknown CRS),
    ``LimitExceeded`` (a file over a limit) or ``StoreError``; in every such case the store
    is unchanged.
    """
    file = Path(path)
    name = display_name or file.name
    towns = store.read(TOWNS, town_id)
    if towns.empty:
        raise ImportRefused("import.unknown_town", town=town_id)
    connect, header_words = connector_for(kind, store)
    if kind == "streets" and streets.has_network(store, town_id):
        raise ImportRefused("import.streets_exist", town=town_id)
    try:
        override = CRS.from_user_input(crs) if crs else None
    except CRSError as exc:
        raise ImportRefused("import.unknown_crs", crs=crs) from exc
    require_file(file, name)
    digest = sha256_of(file)
    earlier = _committed(store, town_id, kind, digest)
    if earlier:
        raise ImportRefused("import.already_imported", file=name, town=town_id, batch=earlier)
    now = dt.datetime.now(dt.UTC)
    batch_id = new_batch_id(kind, digest, now)
    report = ValidationReport(source_name=name)
    ctx = ImportContext(town_id=town_id, town_area=shapely.union_all(towns.geometry.to_numpy()),
                        batch_id=batch_id, source_label=source_label or name, report=report,
                        crs_override=override, year=year)
    if ADDRESS_POINTS.name in store.layer_names():
        ctx.geocode = _address_placer(store, town_id)
    result = ImportResult(batch_id, kind, town_id, dry_run, report)
    sample: dict[str, list[gpd.GeoDataFrame]] = {}

    def rows() -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        with open_source(file, header_words, limits) as source:
            report.encoding = source.encoding
            for layer, frame in connect(source, ctx, chunk_rows):
                report.added[layer.name] = report.added.get(layer.name, 0) + len(frame)
                if isinstance(frame, gpd.GeoDataFrame):
                    kept = sum(len(f) for f in sample.get(layer.name, []))
                    if kept < PREVIEW_FEATURES:
                        sample.setdefault(layer.name, []).append(
                            frame.iloc[:PREVIEW_FEATURES - kept].copy())  # not a view of it all
                if progress:
                    progress(report)
                yield layer, frame
        if not report.rows:
            raise ImportRefused("import.empty", file=name)
        if not report.total_added:
            first = report.rejected[0] if report.rejected else None
            if first is None:
                raise ImportRefused("import.nothing_usable", rows=report.rows, file=name)
            raise ImportRefused("import.nothing_usable_first", rows=report.rows, file=name,
                                where=first.where, reason=first.reason)
        if strict and report.counts["rejected"]:
            first = report.rejected[0]
            raise ImportRefused("import.strict_rejected", rejected=report.counts["rejected"],
                                rows=report.rows, where=first.where, reason=first.reason)
        if dry_run:
            return
        yield from record_rows(ctx, kind, KINDS[kind], digest, licence, now)
        if audit_entry is not None:
            yield AUDIT_LOG, audit_entry(result)

    if dry_run:
        for _ in rows():
            pass
    else:
        store.append_batch(rows())
    result.preview = {layer: gpd.GeoDataFrame(pd.concat(parts, ignore_index=True))
                      for layer, parts in sample.items()}
    return result


def _address_placer(store: Store, town_id: str
                    ) -> Callable[[list[str]], list[BaseGeometry | None] | None]:
    """Places address texts at the town's address points (read when first needed); None
    when the town has none."""
    gazetteer: list[Gazetteer] = []

    def place(addresses: list[str]) -> list[BaseGeometry | None] | None:
        if not gazetteer:
            gazetteer.append(Gazetteer.from_store(store, town_id))
        if not len(gazetteer[0].addresses):
            return None
        return [gazetteer[0].address_point(a) for a in addresses]

    return place


def record_rows(ctx: ImportContext, kind: str, layer: str, digest: str, licence: str,
                now: dt.datetime) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """The ``sources`` entry and the ``import_batches`` row of a batch, written last in the
    same ``append_batch`` as its data; the batch's undo removes the ``sources`` entry too."""
    report = ctx.report
    title = f"{report.source_name} [{ctx.batch_id}]"
    yield SOURCES, pd.DataFrame([{
        "layer": layer, "title": title, "licence": licence or "neuvedena / not given",
        "attribution": ctx.source_label, "vintage": now.date().isoformat(),
        "synthetic": False}])[list(SOURCES.columns)]
    undo = [m for m in ctx.undo if m.layer in report.added]
    undo.append(RowMatch(SOURCES.name, equals={"title": title}))
    yield IMPORT_BATCHES, pd.DataFrame([{
        "batch_id": ctx.batch_id, "town_id": ctx.town_id, "kind": kind,
        "layers": json.dumps(report.added), "undo": json.dumps([asdict(m) for m in undo],
                                                               ensure_ascii=False),
        "source_name": report.source_name, "sha256": digest, "rows": report.rows,
        "added": added_rows(report), "rejected": report.counts["rejected"],
        "repaired": report.counts["repaired"], "crs_action": report.crs_action,
        "licence": licence, "created_at": now.isoformat(timespec="seconds"),
        "status": "committed", "undone_at": ""}])[list(IMPORT_BATCHES.columns)]


def new_batch_id(kind: str, digest: str, now: dt.datetime) -> str:
    """A batch id: kind, UTC time to the microsecond, start of the file's SHA-256."""
    return f"{kind.split('-')[0][:3]}-{now:%Y%m%d%H%M%S%f}-{digest[:6]}"


def _committed(store: Store, town_id: str, kind: str, digest: str) -> str:
    """The batch id that committed this file for this town and kind ("" if none)."""
    batches = list_batches(store, town_id)
    same = batches[(batches["sha256"] == digest) & (batches["kind"] == kind)
                   & (batches["status"] == "committed")]
    return str(same["batch_id"].iloc[0]) if len(same) else ""


def list_batches(store: Store, town_id: str | None = None) -> pd.DataFrame:
    """Import batches, newest first (an empty frame with the layer's columns if none)."""
    if IMPORT_BATCHES.name not in store.layer_names():
        return pd.DataFrame(columns=list(IMPORT_BATCHES.columns))
    batches = pd.DataFrame(store.read(IMPORT_BATCHES, town_id))
    # created_at has whole seconds; the batch id's time stamp (µs) orders the same second
    stamp = batches["batch_id"].str.split("-").str[1]
    order = batches.assign(_stamp=stamp).sort_values(["created_at", "_stamp"], ascending=False)
    return order.drop(columns="_stamp").reset_index(drop=True)


def undo_batch(store: Store, batch_id: str,
               audit_entry: Callable[[dict[str, int]], pd.DataFrame] | None = None
               ) -> dict[str, int]:
    """Remove every row batch ``batch_id`` added and mark the batch "undone", in one
    transaction; return rows deleted per layer. ``audit_entry`` makes the audit entry of the
    undo from those counts, stored in the same transaction. Raises ``ImportRefused`` for an
    unknown or already undone batch, ``StoreError`` on failure (nothing is changed then).
    """
    batches = list_batches(store)
    row = batches[batches["batch_id"] == batch_id]
    if row.empty:
        raise ImportRefused("import.no_batch", batch=batch_id)
    if row["status"].iloc[0] == "undone":
        raise ImportRefused("import.batch_undone", batch=batch_id)
    matches = [RowMatch(layer=m["layer"], equals=m.get("equals") or {},
                        prefix=tuple(m["prefix"]) if m.get("prefix") else None)
               for m in json.loads(str(row["undo"].iloc[0]))]
    with store.transaction():
        deleted = store.delete_matching(matches)
        store.update_rows(IMPORT_BATCHES, "batch_id", pd.DataFrame({
            "batch_id": [batch_id], "status": ["undone"],
            "undone_at": [dt.datetime.now(dt.UTC).isoformat(timespec="seconds")]}))
        if audit_entry is not None:
            store.append(AUDIT_LOG, audit_entry(deleted))
    return deleted
