"""GeoPackage backend: one SQLite file, read through pyogrio (GDAL), written through GDAL or
SQLite.

Every write but a whole new store is one SQLite transaction on the file: a tablet's pin, a
strategy edit, everything inside ``transaction()`` and an import streamed chunk by chunk
alike, so it costs what its rows cost, not what the store holds. A new store
(``replace_all``) is written by GDAL into a private copy that replaces the file when it went
through. The write counters per (layer, town) live in the table :data:`VERSIONS_TABLE`,
which GDAL does not list as a layer, bumped in the transaction (or the copy) of each write.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import secrets
import shutil
import sqlite3
import stat
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS, metric_coordinates, to_metric
from layers.schema import CHAIN_COLUMNS, LATER_COLUMNS, LAYERS_BY_NAME, LayerSpec
from layers.store import chain
from layers.store.base import (
    NO_TOWN,
    Layer,
    RowMatch,
    Store,
    StoreError,
    attribute_columns,
    check_crs,
    check_required,
    column_kinds,
    column_values,
    layer_name,
    promoted,
    towns_of,
    typed,
)
from layers.store.space import disk_errors
from layers.store.spatial import (
    Area,
    Filters,
    area_geometry,
    check_cell,
    check_filters,
    check_point_columns,
    count_cells,
    nearest,
)

#: Readers and the writer share the file: without a busy timeout SQLite answers "database is
#: locked" at once when a map page reads while a tablet's pin commits. GDAL applies these
#: pragmas to every connection it opens (readers included); the option is process-wide.
BUSY_TIMEOUT_MS: Final = 30_000
#: Mode of a new store file: its owner (the app's account) reads and writes it, no one else.
NEW_STORE_MODE: Final = 0o600
#: Name ending of a writer's private copy of the store (SQLite may add -journal etc.).
TEMPORARY_SUFFIX: Final = ".tmp.gpkg"
#: The write counters: (layer, town_id, version); the row ("", "") holds the store's
#: generation, a random number drawn when the table is created (a new store, an old one's
#: first write). Not a layer: it is not registered in ``gpkg_contents``.
VERSIONS_TABLE: Final = "mapa_versions"
#: The pandas kind a column of each declared GeoPackage type is written and read as.
DECLARED_KINDS: Final = {"TEXT": "str", "INTEGER": "int64", "BIGINT": "int64",
                         "MEDIUMINT": "int32", "INT": "int32", "SMALLINT": "int32",
                         "TINYINT": "int32", "REAL": "float64", "DOUBLE": "float64",
                         "FLOAT": "float32", "BOOLEAN": "bool", "DATETIME": "datetime"}
#: The type a new attribute table declares for a column of each kind (as GDAL does).
KIND_DECLARATIONS: Final = {"str": "TEXT", "int64": "INTEGER", "int32": "MEDIUMINT",
                            "float64": "REAL", "float32": "FLOAT", "bool": "BOOLEAN",
                            "datetime": "DATETIME", "datetimetz": "DATETIME"}
pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": f"busy_timeout={BUSY_TIMEOUT_MS}"})
#: Rows of one frame from which an insert indexes its rows in bulk rather than through
#: GeoPackage's per-row triggers (see ``_Transaction.defer_index``).
BULK_ROWS: Final = 256
#: Page cache of a writer's connection, in KiB (SQLite's default is 2 MiB).
WRITER_CACHE_KIB: Final = 262_144
#: Offset and size of SQLite's file change counter in the database header, and the offset
#: of its write version (2 = WAL mode).
CHANGE_COUNTER: Final = (24, 4)
WRITE_VERSION: Final = 18
#: The write counters last read per store file, with the file's change stamp then.
_COUNTERS: dict[Path, tuple[tuple[int, int, int, bytes], list[tuple[str, str, int]]]] = {}


@dataclass
class _Table:
    """A layer's table as SQLite declares it: attribute columns (name → kind, in order) and
    its geometry column, type and SRS id (None for an attribute table)."""

    name: str
    columns: dict[str, str]
    geometry: tuple[str, str, int] | None = None
    key: str = "fid"  # the integer primary key (GDAL's default name)


@dataclass
class _Transaction:
    """An open write transaction: its connection, the tables it looked up or created, and
    the (layer, town) pairs it changed."""

    db: sqlite3.Connection
    tables: dict[str, _Table | None] = field(default_factory=dict)
    touched: set[tuple[str, str]] = field(default_factory=set)
    #: per layer whose rows this transaction indexes itself: the insert triggers it set
    #: aside (name, SQL) and the rows it added since
    deferred: dict[str, tuple[list[tuple[str, str]], list[int]]] = field(default_factory=dict)

    def table(self, layer: str) -> _Table | None:
        """The layer's table (None when the store has no such layer), read once."""
        if layer not in self.tables:
            self.tables[layer] = _writable_table(self.db, layer)
        return self.tables[layer]

    def require(self, layer: str, columns: Iterable[str]) -> _Table:
        """The layer's table, after checking that it has ``columns``.

        Names are checked before they are quoted into SQL, so no caller-supplied text
        reaches a statement except as a bound parameter.
        """
        return _holding(self.table(layer), layer, columns)

    def defer_index(self, layer: str) -> None:
        """Set the per-row insert triggers of ``layer`` aside until :meth:`restore_triggers`.

        GeoPackage keeps its R-tree and GDAL its feature count with a trigger per inserted
        row, and the R-tree's trigger calls back into Python several times for every row
        (:func:`_register_gpkg_functions`). A large insert (:func:`_insert`) indexes its rows
        itself instead, in this same transaction, so a rollback restores the triggers with
        everything else and readers never see them gone.
        """
        if layer in self.deferred:
            return
        rtree = f"rtree_{layer}_{_geometry_column(self.db, layer)}_insert"
        triggers = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
            "AND name IN (?, ?)", (layer, rtree, f"trigger_insert_feature_count_{layer}")
        ).fetchall()
        for name, _ in triggers:
            self.db.execute(f"DROP TRIGGER {_identifier(name)}")
        self.deferred[layer] = ([(str(n), str(q)) for n, q in triggers], [0])

    def restore_triggers(self) -> None:
        """Put the triggers :meth:`defer_index` set aside back, and add the rows inserted
        meanwhile to GDAL's feature count (when its trigger was among them)."""
        for layer, (triggers, added) in self.deferred.items():
            for name, sql in triggers:
                self.db.execute(sql)
                if name.startswith("trigger_insert_feature_count_"):
                    self.db.execute("UPDATE gpkg_ogr_contents SET feature_count = "
                                    "feature_count + ? WHERE lower(table_name) = lower(?)",
                                    (added[0], layer))
        self.deferred.clear()

    def touch_where(self, table: _Table, where: str, values: Sequence[object]) -> None:
        """Count the towns of the rows ``where`` selects as changed (before changing them)."""
        spec = LAYERS_BY_NAME.get(table.name)
        if spec is None or spec.town_column is None or spec.town_column not in table.columns:
            self.touched.add((table.name, NO_TOWN))
            return
        for (town,) in self.db.execute(
                f'SELECT DISTINCT "{spec.town_column}" FROM "{table.name}" WHERE {where}',
                values):
            self.touched.add((table.name, NO_TOWN if town is None else str(town)))


class GeoPackageStore(Store):
    """A store kept in one GeoPackage file.

    ``replace_all`` writes a complete new file next to the old one and renames it over the old
    one (``os.replace`` is atomic on POSIX), so readers see either the old or the new store.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self._local = threading.local()  # the thread's open _Transaction, if any
        self._swept = False

    def exists(self) -> bool:
        return self.path.is_file()

    def _require(self) -> None:
        if not self.exists():
            raise StoreError("store.missing", location=self.path)
        if not self._swept or self._journal_left():
            self._swept = True
            self._sweep_abandoned()

    def _journal_left(self) -> bool:
        """A rollback journal lies beside the store: a writer is at work, or one was killed
        mid-transaction and left it hot (one ``stat``, cheap enough for every use)."""
        try:
            return self._journal().stat().st_size > 0
        except FileNotFoundError:
            return False

    def _journal(self) -> Path:
        return self.path.with_name(self.path.name + "-journal")

    def _sweep_abandoned(self) -> None:
        """Undo what writers that died left, unless a writer is at work now.

        Done by the first use of a store object (a reader too), by any use while a journal
        lies beside the store, and by :meth:`check`, so what a killed writer left does not
        wait for the next write. Only when the writer lock is free at once: a live writer's
        copy or journal is never touched, and whoever sweeps holds the lock, so no writer
        starts meanwhile.
        """
        with contextlib.suppress(OSError):  # a read-only folder: no writer can have left anything
            self.remove_leftovers()

    def layer_names(self) -> list[str]:
        self._require()
        with self._file_lock(fcntl.LOCK_SH):
            return self._layer_names()

    def _layer_names(self) -> list[str]:
        """Layer names without taking the file lock (for callers that hold it already): the
        tables registered in ``gpkg_contents`` (every layer the store writes is). Read with
        SQLite, not by GDAL opening the whole file, which costs five times as much: pages ask
        on every run. Raises ``StoreError`` for a file that is not a GeoPackage."""
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                                    ) as db:
                rows = db.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid"
                                  ).fetchall()
        except sqlite3.Error as exc:
            raise StoreError("store.unreadable", location=self.path, detail=exc) from exc
        return [str(name) for (name,) in rows]

    def read(self, layer: Layer, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        name = layer_name(layer)
        spec = LAYERS_BY_NAME.get(name)
        where = None
        if town_id is not None:
            if spec is None or spec.town_column is None:
                raise StoreError("store.not_per_town", layer=name)
            where = f"{spec.town_column} = '{_sql_literal(town_id)}'"
        return self._read(name, where)

    def read_columns(self, layer: Layer, columns: Sequence[str]) -> pd.DataFrame:
        """Through GDAL without its geometry column, so no geometry is read or decoded."""
        name = self._checked_columns(layer, columns)
        return pd.DataFrame(self._read(name, None, columns, geometry=False))[list(columns)]

    def _checked_columns(self, layer: Layer, columns: Sequence[str]) -> str:
        """The name of ``layer`` once its declared table is known to hold ``columns``.
        Raises ``StoreError`` for an unknown layer or column."""
        name = layer_name(layer)
        self._require()
        with _connected(self.path) as db:
            _holding(_declared_table(db, name), name, columns)
        return name

    def read_where(self, layer: Layer, column: str, values: Iterable[str]
                   ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Through GDAL's SQL filter; ``column`` is checked against the declared table
        before it is quoted, and each value is quoted as an SQL string."""
        name = self._checked_columns(layer, [column])
        wanted = ", ".join(f"'{_sql_literal(str(v))}'" for v in values)
        return self._read(name, f"{_identifier(column)} IN ({wanted})" if wanted else "1 = 0")

    def read_intersecting(self, layer: LayerSpec, area: Area, town_id: str | None = None
                          ) -> gpd.GeoDataFrame:
        """Rows whose R-tree box meets the area's box (a join on the layer's
        ``rtree_<table>_<column>`` table inside the SQL filter, so SQLite reads those rows
        only), then those whose geometry intersects the area (shapely)."""
        shape = area_geometry(area)
        table = self._spatial_table(layer)
        minx, miny, maxx, maxy = (float(v) for v in shape.bounds)
        assert table.geometry is not None  # _spatial_table refuses attribute tables
        rtree = _identifier(f"rtree_{table.name}_{table.geometry[0]}")
        boxes = (f"{_identifier(table.key)} IN (SELECT id FROM {rtree} WHERE maxx >= {minx!r} "
                 f"AND minx <= {maxx!r} AND maxy >= {miny!r} AND miny <= {maxy!r})")
        frame = self._read(table.name, " AND ".join(
            [boxes, *_filters_sql(layer, town_id, {})]))
        shapely.prepare(shape)
        keep = shapely.intersects(np.asarray(frame.geometry.values), shape)
        return gpd.GeoDataFrame(frame[keep].reset_index(drop=True))

    def read_points(self, layer: LayerSpec, columns: Sequence[str], town_id: str | None = None
                    ) -> pd.DataFrame:
        """SQLite reads the chosen rows (by the town's index) and ``columns``; pyproj
        projects the points' coordinates as arrays."""
        wanted = check_point_columns(layer, columns)
        self._spatial_table(layer)
        frame = self._read(layer.name, " AND ".join(_filters_sql(layer, town_id, {})) or None,
                           columns=wanted)
        x, y = metric_coordinates(frame.geometry)
        return pd.DataFrame({**{c: frame[c].to_numpy() for c in wanted}, "x": x, "y": y},
                            index=pd.RangeIndex(len(frame)))

    def cell_counts(self, layer: LayerSpec, cell_m: float, town_id: str | None = None,
                    by: str | None = None, where: Filters | None = None) -> pd.DataFrame:
        """SQLite reads the chosen rows (by the town's index) and only the ``by`` column;
        pyproj projects them and :func:`~layers.store.spatial.count_cells` counts."""
        size = check_cell(cell_m)
        filters = check_filters(layer, [by], where, points=True)
        self._spatial_table(layer)
        frame = self._read(layer.name, " AND ".join(_filters_sql(layer, town_id, filters))
                           or None, columns=[by] if by is not None else [])
        geoms = frame.geometry
        present = ~(geoms.isna() | geoms.is_empty).to_numpy()
        metric = to_metric(gpd.GeoDataFrame(frame[present])).geometry
        return count_cells(metric.x.to_numpy(), metric.y.to_numpy(), size,
                           frame.loc[present, by].to_numpy() if by is not None else None, by)

    def nearest_distances(self, points: LayerSpec | gpd.GeoSeries, targets: LayerSpec,
                          town_id: str | None = None, where: Filters | None = None
                          ) -> pd.Series:
        """The targets chosen by SQL (the town's index), projected by pyproj, searched
        with a shapely STRtree."""
        filters = check_filters(targets, [], where)
        self._spatial_table(targets)
        found = self._read(targets.name, " AND ".join(_filters_sql(targets, town_id, filters))
                           or None, columns=[])
        if isinstance(points, LayerSpec):
            if points.key is None:
                raise StoreError("store.no_key", layer=points.name)
            self._spatial_table(points)
            origins = gpd.GeoDataFrame(self._read(
                points.name, " AND ".join(_filters_sql(points, town_id, {})) or None,
                columns=[points.key]))
            index = pd.Index(origins[points.key].astype(str), name=points.key)
            geometries = origins.geometry
        else:
            index, geometries = points.index, points
        origin_geoms = np.asarray(to_metric(gpd.GeoDataFrame(geometry=geometries)).geometry)
        target_geoms = np.asarray(to_metric(gpd.GeoDataFrame(found)).geometry) \
            if len(found) else np.empty(0, dtype=object)
        return pd.Series(nearest(origin_geoms, target_geoms), index=index, name="distance_m")

    def _spatial_table(self, layer: LayerSpec) -> _Table:
        """The stored table of spatial ``layer``; ``StoreError`` when there is none."""
        self._require()
        with _connected(self.path) as db:
            table = _declared_table(db, layer.name)
        if table is None:
            raise StoreError("store.no_layer", layer=layer.name)
        if table.geometry is None:
            raise StoreError("store.not_spatial", layer=layer.name)
        return table

    def _read(self, name: str, where: str | None, columns: Sequence[str] | None = None,
              geometry: bool = True) -> gpd.GeoDataFrame | pd.DataFrame:
        """The rows of layer ``name`` that the SQL condition ``where`` selects (None: all),
        with only ``columns`` (and the geometry, unless not ``geometry``) when given."""
        self._require()
        try:
            with self._file_lock(fcntl.LOCK_SH):
                frame = pyogrio.read_dataframe(self.path, layer=name, where=where,
                                               columns=columns, read_geometry=geometry)
        except (DataLayerError, DataSourceError) as exc:
            raise StoreError("store.read_failed", layer=name, location=self.path,
                             detail=exc) from exc
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
            frame = frame.set_crs(STORAGE_CRS)
        return frame

    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        if self._open() is not None:
            raise StoreError("store.replace_in_transaction")
        for name, frame in frames.items():
            check_crs(name, frame)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._writer_lock():
            tmp = self._temporary()
            try:
                with disk_errors(self.location, tmp):
                    for name, frame in frames.items():
                        _write_layer(tmp, name, frame)
                    with _connected(tmp) as db, db:
                        _count_writes(db, set())  # a new generation: every token changes
                    _same_mode(tmp, self.path)
                os.replace(tmp, self.path)
            finally:
                shutil.rmtree(tmp.parent, ignore_errors=True)

    def append_batch(self, items: Iterable[tuple[Layer, pd.DataFrame]],
                     unique_keys: Mapping[str, str] | None = None) -> dict[str, int]:
        """Append in one SQLite transaction on the file, under the writer lock: all or nothing.

        Writers take an exclusive lock on a sidecar ``.lock`` file first, so concurrent
        writers (several devices, several processes) queue instead of overwriting each other.
        A tablet's pin and an import streamed chunk by chunk alike are inserted into the store
        itself, so a write costs what its rows cost, not what the store holds: SQLite's
        rollback journal keeps the pages the batch changes, and a failure (a refused frame, an
        exception from ``items``, a killed process) leaves the file as it was. Large frames
        are indexed in bulk (see :meth:`_Transaction.defer_index`).
        """
        self._require()
        keys = dict(unique_keys or {})
        with self._writing() as tx:
            batch = _Batch(keys, tx.table, tx.db)
            for layer, frame in batch.rows(items):
                table = tx.table(layer)
                if table is None:
                    table = tx.tables[layer] = _create_table(tx.db, layer, frame)
                _insert(tx, table, frame)
                tx.touched.update((layer, town) for town in towns_of(layer, frame))
            return batch.written

    def update_rows(self, layer: Layer, key: str, changes: pd.DataFrame) -> int:
        name = layer_name(layer)
        with self._writing() as tx:
            table = tx.require(name, [key, *changes.columns])
            columns = [str(c) for c in changes.columns if c != key]
            keys = column_values(changes[key], table.columns[key], key)
            tx.touch_where(table, f'"{key}" IN (SELECT value FROM json_each(?))',
                           [_json_list(keys)])
            values = [_sqlite_values(changes[c], table.columns[c], c) for c in columns]
            assignments = ", ".join(f'"{c}" = ?' for c in columns)
            cursor = tx.db.executemany(
                f'UPDATE "{name}" SET {assignments} WHERE "{key}" = ?',
                list(zip(*values, keys, strict=True)))
            return cursor.rowcount

    def delete_rows(self, layer: Layer, key: str, values: Iterable[str]) -> int:
        name = layer_name(layer)
        with self._writing() as tx:
            table = tx.require(name, [key])
            keys = column_values(pd.Series(list(values), dtype=object), table.columns[key], key)
            where = f'"{key}" IN (SELECT value FROM json_each(?))'
            tx.touch_where(table, where, [_json_list(keys)])
            return tx.db.execute(f'DELETE FROM "{name}" WHERE {where}',
                                 [_json_list(keys)]).rowcount

    def delete_matching(self, matches: Sequence[RowMatch]) -> dict[str, int]:
        """One SQLite transaction for every match; names checked before any SQL runs."""
        self._require()
        with self._writing() as tx:
            wheres = [_match_where(tx, match) for match in matches]
            deleted: dict[str, int] = {}
            for table, where, values in wheres:
                tx.touch_where(table, where, values)
                cursor = tx.db.execute(f'DELETE FROM "{table.name}" WHERE {where}', values)
                deleted[table.name] = deleted.get(table.name, 0) + cursor.rowcount
        return deleted

    def update_matching(self, match: RowMatch, values: Mapping[str, object]) -> int:
        self._require()
        with self._writing() as tx:
            table, where, selected = _match_where(tx, match)
            columns = tx.require(table.name, values).columns
            # stores made before a layer's spec indexed the matched columns get the index now
            _create_indexes(tx.db, table.name)
            tx.touch_where(table, where, selected)
            assignments = ", ".join(f"{_identifier(c)} = ?" for c in values)
            new = [_sqlite_values(pd.Series([v], dtype=object), columns[c], c)[0]
                   for c, v in values.items()]
            return tx.db.execute(f'UPDATE "{table.name}" SET {assignments} WHERE {where}',
                                 [*new, *selected]).rowcount

    def _open(self) -> _Transaction | None:
        return cast(_Transaction | None, getattr(self._local, "transaction", None))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writing():
            yield

    @contextlib.contextmanager
    def _writing(self) -> Iterator[_Transaction]:
        """The thread's write transaction, or a new one: one SQLite transaction on the file
        under the writer lock, counting its writes before it commits.

        Readers keep reading the file meanwhile (they see it as it was); the commit waits for
        them under the file lock (see :meth:`_file_lock`).
        """
        current = self._open()
        if current is not None:
            yield current
            return
        self._require()
        with self._writer_lock(), disk_errors(self.location, self.path), \
                _connected(self.path) as db:
            db.isolation_level = None  # transactions are begun and ended below
            # pages an import changes stay in memory (up to this many KiB) rather than being
            # spilled to the file mid-transaction, which would wait for the readers
            db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
            current = self._local.transaction = _Transaction(db)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield current
                    current.restore_triggers()
                    if current.touched:
                        _count_writes(db, current.touched)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                with self._file_lock(fcntl.LOCK_EX):
                    db.execute("COMMIT")
            finally:
                self._local.transaction = None

    def _counters(self, layers: set[str]) -> tuple[str, dict[tuple[str, str], int]]:
        """Read under the shared file lock; kept per process while the file's change stamp
        (:func:`_change_stamp`) stays the same, so a page asking for several keys per run
        reads the table once."""
        if not self.exists():
            return "missing", {}
        with self._file_lock(fcntl.LOCK_SH):
            stamp = _change_stamp(self.path)
            known = _COUNTERS.get(self.path)
            if stamp is not None and known is not None and known[0] == stamp:
                rows = known[1]
            else:
                with _connected(self.path) as db:
                    rows = (db.execute(f'SELECT layer, town_id, version FROM "{VERSIONS_TABLE}"'
                                       ).fetchall() if _has_table(db, VERSIONS_TABLE) else [])
                if stamp is not None:
                    _COUNTERS[self.path] = (stamp, rows)
        generation = next((str(v) for layer, town, v in rows if (layer, town) == ("", "")), "0")
        return generation, {(str(layer), str(town)): int(v) for layer, town, v in rows
                            if layer in layers}

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """Writers one at a time, across threads and processes (held for a whole write).

        Whoever holds the lock is the only writer, so a private copy lying next to the store
        now was abandoned by a writer that died (e.g. a killed rebuild): it is removed here,
        before it can pile up beside the store.
        """
        with _flock(self._writer_lock_path(), fcntl.LOCK_EX):
            self._remove_copies()
            yield

    def remove_leftovers(self) -> int:
        """Delete the private copies killed writers left and roll back the transaction a
        killed writer left half-done, when no writer holds the lock now (run when the app
        or a ``mapa`` command starts and by the next use of the store, so a killed rebuild's
        copy does not wait for the next write); return how many files were dealt with.

        A writer killed mid-transaction (an import, ``kill -9``) leaves a hot journal that
        SQLite rolls back at the next open for writing, but GDAL opens a store read-only to
        read it and then answers "attempt to write a readonly database": so it is rolled
        back here, by a connection that may write."""
        try:
            with _flock(self._writer_lock_path(), fcntl.LOCK_EX | fcntl.LOCK_NB):
                removed = self._remove_copies()
                if self._journal_left() and self.exists():
                    with _connected(self.path) as db:  # any read rolls a hot journal back
                        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    removed += 1
                return removed
        except BlockingIOError:  # a writer is at work: its copy is not a leftover
            return 0

    def _remove_copies(self) -> int:
        """Delete private copies beside the store (call holding the writer lock)."""
        removed = 0
        for stale in self.path.parent.glob(f"{glob.escape(self._temporary_prefix())}*"
                                           f"{TEMPORARY_SUFFIX}*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:  # a copy left by an older version, made beside the store itself
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            removed += 1
        return removed

    def _writer_lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")


    @contextlib.contextmanager
    def _file_lock(self, mode: int) -> Iterator[None]:
        """Readers share the file; a writer changing it in place has it alone.

        SQLite's own locking answers "database is locked" to a writer whose commit meets a
        reader, and GDAL's connections do not wait; this advisory lock makes them queue
        instead. Writers that build a private copy only take it for the rename, not at all:
        readers keep reading the old file until then.
        """
        with _flock(self.path.with_name(self.path.name + ".rlock"), mode):
            yield

    def _temporary_prefix(self) -> str:
        return f".{self.path.name}."

    def _temporary(self) -> Path:
        """A fresh, not yet existing path for a private copy, in a new folder next to the
        store (same file system for ``os.replace``) that only its owner can enter: GDAL
        creates the file with the process's umask, and a store copy must not be readable by
        others while it is written. The caller removes the folder."""
        folder = tempfile.mkdtemp(prefix=self._temporary_prefix(), suffix=TEMPORARY_SUFFIX,
                                  dir=self.path.parent)  # mode 0700
        return Path(folder) / self.path.name

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return "missing"
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def check(self) -> list[str]:
        """SQLite's integrity and foreign-key checks, GDAL can list the layers, and every
        R-tree holds one entry per non-empty geometry and still has its insert trigger.

        First removes what dead writers left (see :meth:`_sweep_abandoned`); SQLite itself
        rolls back a transaction a killed writer left half-done when the file is opened."""
        if not self.exists():
            return [f"store {self.path} does not exist"]
        self._sweep_abandoned()
        with self._file_lock(fcntl.LOCK_SH):
            try:
                self._layer_names()
            except StoreError as exc:
                return [str(exc)]
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            _register_gpkg_functions(db)
            try:
                problems = [f"integrity_check: {r[0]}" for r in
                            db.execute("PRAGMA integrity_check") if r[0] != "ok"]
                problems += [f"foreign key broken in {r[0]!r} (row {r[1]})" for r in
                             db.execute("PRAGMA foreign_key_check")]
                for table, column in db.execute(
                        "SELECT table_name, column_name FROM gpkg_extensions "
                        "WHERE extension_name = 'gpkg_rtree_index'").fetchall():
                    geometries = db.execute(
                        f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL '
                        f'AND NOT ST_IsEmpty("{column}")').fetchone()[0]
                    entries = db.execute(
                        f'SELECT count(*) FROM "rtree_{table}_{column}"').fetchone()[0]
                    if geometries != entries:
                        problems.append(f"spatial index of {table!r} has {entries} entries "
                                        f"for {geometries} geometries")
                    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                                      "AND name = ?",
                                      (f"rtree_{table}_{column}_insert",)).fetchone():
                        problems.append(f"spatial index of {table!r} is not kept current")
            except sqlite3.DatabaseError as exc:
                problems = [f"not a readable GeoPackage: {exc}"]
            finally:
                db.close()
        return problems


@contextlib.contextmanager
def _flock(path: Path, mode: int) -> Iterator[None]:
    """An advisory lock on ``path`` (created if needed); none where it cannot be created."""
    try:
        handle = open(path, "a")  # noqa: SIM115 - closed below, after unlocking
    except OSError:  # a read-only folder: nobody can write there either
        yield
        return
    try:
        fcntl.flock(handle, mode)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _same_mode(new: Path, old: Path) -> None:
    """Give ``new`` (about to replace ``old``) the mode of ``old``, or :data:`NEW_STORE_MODE`
    when there is no ``old``: a new store holds password hashes and the audit log, so only
    its owner may read it; a mode an operator chose for an existing store is kept."""
    try:
        mode = stat.S_IMODE(old.stat().st_mode)
    except FileNotFoundError:
        mode = NEW_STORE_MODE
    os.chmod(new, mode)


class _Batch:
    """The checks and bookkeeping of one :meth:`GeoPackageStore.append_batch` call.

    ``table`` looks a layer's table up (None: not in the store), ``db`` is a connection to the
    file being written, for the unique-key checks.
    """

    def __init__(self, unique_keys: Mapping[str, str],
                 table: Callable[[str], _Table | None], db: sqlite3.Connection) -> None:
        self.unique_keys = unique_keys
        self.table = table
        self.db = db
        self.present: set[str] = set()  # layers found in the store or written by this batch
        self.fields: dict[str, list[str]] = {}  # of the layers this batch touched
        self.seen: dict[str, set[str]] = {layer: set() for layer in unique_keys}
        self.written: dict[str, int] = {}
        self.heads: dict[str, str] = {}  # hash of the last row of each chained layer

    def _sealed(self, layer: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a chained layer linked onto its last row (``layers.store.chain``);
        any other layer's rows as they are."""
        spec = LAYERS_BY_NAME.get(layer)
        if spec is None or not spec.chained:
            return frame
        if layer not in self.heads:
            self.heads[layer] = _chain_head(self.db, layer) if layer in self.present \
                else chain.GENESIS
        frame = chain.seal(frame, spec, self.heads[layer])
        self.heads[layer] = chain.last_hash(frame)
        return frame

    def rows(self, items: Iterable[tuple[Layer, pd.DataFrame]]
             ) -> Iterator[tuple[str, pd.DataFrame]]:
        """(layer name, rows to write) of ``items``, checked; raises ``StoreError`` for a
        refused frame. Rows yielded count as written once the caller asks for the next."""
        for item, frame in items:
            layer = layer_name(item)
            check_crs(layer, frame)
            if layer not in self.fields:
                found = self.table(layer)
                if found is not None:
                    self.fields[layer] = list(found.columns)
                    self.present.add(layer)
            _check_columns(layer, frame, self.fields.get(layer))
            frame = self._only_new(layer, frame)
            if frame.empty:
                continue
            frame = self._sealed(layer, frame)
            yield layer, frame
            self.fields.setdefault(layer, attribute_columns(frame))
            self.written[layer] = self.written.get(layer, 0) + len(frame)

    def _only_new(self, layer: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Drop rows whose unique key is stored already or repeated within this batch."""
        column = self.unique_keys.get(layer)
        if column is None or frame.empty:
            return frame
        keys = frame[column].astype(str)
        stored = (_stored_keys(self.db, layer, column, keys.unique().tolist())
                  if layer in self.present else set())
        fresh = ~keys.isin(stored | self.seen[layer]) & ~keys.duplicated()
        self.seen[layer].update(keys[fresh])
        return frame[fresh.to_numpy()]


def _stored_keys(db: sqlite3.Connection, layer: str, column: str,
                 candidates: list[str]) -> set[str]:
    """Which of ``candidates`` are already in ``layer.column`` (names checked by the caller)."""
    found: set[str] = set()
    for start in range(0, len(candidates), 500):  # SQLite's bound-parameter limit
        part = candidates[start:start + 500]
        marks = ",".join("?" * len(part))
        rows = db.execute(f'SELECT "{column}" FROM "{layer}" WHERE "{column}" IN ({marks})', part)
        found.update(str(r[0]) for r in rows)
    return found


def _match_where(tx: _Transaction, match: RowMatch) -> tuple[_Table, str, list[object]]:
    """The table ``match`` names, its SQL condition and the values bound to it.

    Raises ``StoreError`` for an unknown layer or column before any SQL runs.
    """
    named = match.columns
    table = tx.table(match.layer)
    if table is None:
        raise StoreError("store.no_layer", layer=match.layer)
    if not named or any(c not in table.columns for c in named):
        raise StoreError("store.delete_columns", layer=table.name, columns=named)
    terms = [f"{_identifier(c)} = ?" for c in match.equals]
    values = [_sql_value(v) for v in match.equals.values()]
    if match.prefix:
        column, text = match.prefix
        bounds = match.prefix_range
        if bounds is not None:  # the range lets SQLite use the column's index (BINARY order)
            terms.append(f"{_identifier(column)} >= ? AND {_identifier(column)} < ?")
            values += list(bounds)
        terms.append(f"substr({_identifier(column)}, 1, ?) = ?")
        values += [len(text), text]
    if match.before:
        column, text = match.before
        terms.append(f"{_identifier(column)} < ?")  # SQLite compares text bytewise
        values.append(text)
    return table, " AND ".join(terms), values


def _check_columns(layer: str, frame: pd.DataFrame, fields: list[str] | None) -> None:
    given = attribute_columns(frame)
    if fields is not None and sorted(given) != sorted(fields):
        raise StoreError("store.append_columns", layer=layer, given=given, fields=fields)
    check_required(layer, frame)


@contextlib.contextmanager
def _connected(path: Path) -> Iterator[sqlite3.Connection]:
    """A SQLite connection to ``path`` that can run GeoPackage's R-tree triggers."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    _register_gpkg_functions(db)
    try:
        yield db
    finally:
        db.close()


def _change_stamp(path: Path) -> tuple[int, int, int, bytes] | None:
    """The file's inode, modification time, size and SQLite change counter: they stay the
    same until a commit or a replacement of the file. None for a file in WAL mode, whose
    commits leave the counter."""
    with open(path, "rb") as handle:
        header = handle.read(CHANGE_COUNTER[0] + CHANGE_COUNTER[1])
        if header[WRITE_VERSION:WRITE_VERSION + 1] == b"\x02":
            return None
        stat = os.fstat(handle.fileno())
        return stat.st_ino, stat.st_mtime_ns, stat.st_size, header[CHANGE_COUNTER[0]:]


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      (name,)).fetchone() is not None


#: GeoPackage's geometry type names → the names of the layer specs (and PostGIS).
_GEOMETRY_NAMES: Final = {name.upper(): name for name in (
    "Geometry", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
    "MultiPolygon")}


def _holding(table: _Table | None, layer: str, columns: Iterable[str]) -> _Table:
    """``table`` (of ``layer``) once it is known to exist and to hold ``columns``.
    Raises ``StoreError`` for a missing table or column."""
    if table is None:
        raise StoreError("store.no_layer", layer=layer)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise StoreError("store.no_columns", layer=layer, columns=missing)
    return table


def _declared_table(db: sqlite3.Connection, layer: str) -> _Table | None:
    """The table of ``layer`` as SQLite declares it (None: the store has no such layer)."""
    if db.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (layer,)).fetchone() \
            is None:
        return None
    found = db.execute("SELECT column_name, geometry_type_name, srs_id FROM "
                       "gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
    geometry = None if found is None else (
        str(found[0]), _GEOMETRY_NAMES.get(str(found[1]).upper(), "Geometry"), int(found[2]))
    declared = db.execute(f"PRAGMA table_info({_identifier(layer)})").fetchall()
    columns = {str(name): DECLARED_KINDS.get(str(kind).split("(")[0].upper(), "str")
               for _, name, kind, _, _, primary in declared
               if not primary and (geometry is None or name != geometry[0])}
    key = next((str(name) for _, name, _, _, _, primary in declared if primary), "fid")
    return _Table(layer, columns, geometry, key)


def _writable_table(db: sqlite3.Connection, layer: str) -> _Table | None:
    """:func:`_declared_table` for a writer: a chained layer stored without its chain columns
    (a store from before the chain) gets them first, its rows linked in stored order, in
    the caller's transaction on ``db`` (or one of its own when none is open)."""
    table = _declared_table(db, layer)
    if table is None:
        return table
    later = [c for c in LATER_COLUMNS.get(layer, ()) if c not in table.columns]
    if later:  # a table written before these columns: they are added, empty for its rows
        with contextlib.nullcontext() if db.in_transaction else db:
            _add_text_columns(db, layer, later)
        table = _declared_table(db, layer)
        assert table is not None
    spec = LAYERS_BY_NAME.get(layer)
    if spec is None or not spec.chained or all(c in table.columns for c in CHAIN_COLUMNS):
        return table
    with contextlib.nullcontext() if db.in_transaction else db:
        _add_text_columns(db, layer, [c for c in CHAIN_COLUMNS if c not in table.columns])
        columns = chain.content_columns(spec)
        rows = db.execute(f"SELECT fid, {', '.join(_identifier(c) for c in columns)} "
                          f"FROM {_identifier(layer)} ORDER BY fid").fetchall()
        linked = chain.links((dict(zip(columns, row[1:], strict=True)) for row in rows),
                             columns)
        db.executemany(f'UPDATE {_identifier(layer)} SET "prev_hash" = ?, "hash" = ? '
                       "WHERE fid = ?", [(*link, row[0]) for link, row in
                                         zip(linked, rows, strict=True)])
    return _declared_table(db, layer)


def _add_text_columns(db: sqlite3.Connection, layer: str, columns: Sequence[str]) -> None:
    for column in columns:
        db.execute(f"ALTER TABLE {_identifier(layer)} ADD COLUMN {_identifier(column)} TEXT")


def _chain_head(db: sqlite3.Connection, layer: str) -> str:
    """The hash of the last stored row of chained ``layer`` (as the writer ``db`` sees it)."""
    row = db.execute(f'SELECT "hash" FROM {_identifier(layer)} ORDER BY fid DESC LIMIT 1'
                     ).fetchone()
    return str(row[0]) if row and row[0] else chain.GENESIS


def _create_table(db: sqlite3.Connection, layer: str, frame: pd.DataFrame) -> _Table:
    """Create a new table for ``frame`` inside the caller's transaction, as GDAL would
    (typed from the layer's spec; see :func:`~layers.store.base.column_kinds`)."""
    if isinstance(frame, gpd.GeoDataFrame):
        return _create_spatial_table(db, layer, frame)
    kinds = column_kinds(layer, frame)
    spec = LAYERS_BY_NAME.get(layer)
    required = {c.name for c in spec.fields if not c.nullable} if spec is not None else set()
    definitions = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL'] + [
        f"{_identifier(c)} {KIND_DECLARATIONS[k]}{' NOT NULL' if c in required else ''}"
        for c, k in kinds.items()]
    db.execute(f"CREATE TABLE {_identifier(layer)} ({', '.join(definitions)})")
    db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
               "last_change) VALUES (?, 'attributes', ?, '', "
               "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", (layer, layer))
    _create_indexes(db, layer)
    return _Table(layer, kinds)


#: The GeoPackage tables that describe a feature table, copied with it.
_DESCRIBING_TABLES: Final = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions",
                             "gpkg_ogr_contents")


def _create_spatial_table(db: sqlite3.Connection, layer: str, frame: gpd.GeoDataFrame
                          ) -> _Table:
    """Create the feature table of ``frame`` inside the caller's transaction: GDAL makes it
    empty in a scratch GeoPackage (its columns, R-tree, triggers and registrations), and
    the same definitions and registration rows are replayed here, so the new layer is
    exactly what GDAL would have made and is stored with the batch's rows or not at all."""
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / "layer.gpkg"
        _write_layer(scratch, layer, frame.iloc[:0])
        with _connected(scratch) as source:
            geometry = _geometry_column(source, layer)
            rtree = f"rtree_{layer}_{geometry}"
            for (sql,) in source.execute(
                    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND (tbl_name = ? "
                    "OR name = ?) ORDER BY rowid", (layer, rtree)).fetchall():
                db.execute(sql)
            srs = source.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE "
                                 "table_name = ?", (layer,)).fetchone()[0]
            copies = [(table, "table_name = ?", (layer,)) for table in _DESCRIBING_TABLES]
            if not db.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                              (srs,)).fetchone():
                copies.append(("gpkg_spatial_ref_sys", "srs_id = ?", (srs,)))
            for described, where, values in copies:
                if not _has_table(db, described):  # a store without GDAL's feature counts
                    continue
                cursor = source.execute(f"SELECT * FROM {described} WHERE {where}", values)
                names = ", ".join(_identifier(d[0]) for d in cursor.description)
                rows = cursor.fetchall()
                db.executemany(f"INSERT INTO {described} ({names}) VALUES "
                               f"({', '.join('?' * len(cursor.description))})", rows)
    table = _declared_table(db, layer)
    assert table is not None
    return table


def _geometry_column(db: sqlite3.Connection, layer: str) -> str:
    found = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                       (layer,)).fetchone()
    return "" if found is None else str(found[0])


def _insert(tx: _Transaction, table: _Table, frame: pd.DataFrame) -> None:
    """Insert the rows of ``frame`` (columns checked by the caller) into ``table``.

    A spatial frame of :data:`BULK_ROWS` rows or more (or any frame of a layer already so
    indexed in this transaction) gets explicit fids and its R-tree entries in one statement,
    with the layer's insert triggers set aside (:meth:`_Transaction.defer_index`)."""
    names = list(table.columns)
    values = [_sqlite_values(frame[c], table.columns[c], c) for c in names]
    quoted = [_identifier(c) for c in names]
    bulk = False
    if table.geometry is not None:
        column, geometry_type, srs_id = table.geometry
        if not isinstance(frame, gpd.GeoDataFrame):
            raise StoreError("store.append_no_geometry", layer=table.name)
        geoms = promoted(frame.geometry, geometry_type)
        values.append(_gpkg_blobs(geoms, srs_id))
        quoted.append(_identifier(column))
        bulk = len(frame) >= BULK_ROWS or table.name in tx.deferred
    if bulk:
        tx.defer_index(table.name)
        first = tx.db.execute(
            f"SELECT max(coalesce((SELECT max(fid) FROM {_identifier(table.name)}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1",
            (table.name,)).fetchone()[0]
        fids = list(range(first, first + len(frame)))
        values.append(fids)
        quoted.append('"fid"')
    tx.db.executemany(f"INSERT INTO {_identifier(table.name)} ({', '.join(quoted)}) "
                      f"VALUES ({', '.join('?' * len(quoted))})", list(zip(*values, strict=True)))
    if bulk:
        bounds = shapely.bounds(geoms)
        keep = ~np.isnan(bounds[:, 0])  # NULL and empty geometries are not indexed
        rows = np.column_stack([np.asarray(fids, dtype="float64"), bounds[:, [0, 2, 1, 3]]])
        tx.db.executemany(
            f"INSERT INTO {_identifier(f'rtree_{table.name}_{column}')} VALUES (?, ?, ?, ?, ?)",
            [(int(r[0]), *r[1:].tolist()) for r in rows[keep]])
        tx.deferred[table.name][1][0] += len(frame)


def _sqlite_values(series: pd.Series, kind: str, name: str) -> list[Any]:
    """The values of ``series`` as SQLite stores a column of ``kind`` (as GDAL writes it)."""
    values = column_values(series, kind, name)
    if kind == "bool":
        return [None if v is None else int(v) for v in values]
    if kind.startswith("datetime"):
        return [None if v is None else v.isoformat(timespec="milliseconds") for v in values]
    return values


def _gpkg_blobs(geoms: np.ndarray, srs_id: int) -> list[bytes | None]:
    """GeoPackage geometry blobs of 2D shapely ``geoms`` (header, envelope unless a point,
    little-endian WKB), as GDAL writes them."""
    wkbs = shapely.to_wkb(geoms, byte_order=1)
    points = shapely.get_type_id(geoms) == 0
    empty = shapely.is_empty(geoms)
    bounds = shapely.bounds(geoms)[:, [0, 2, 1, 3]]  # minx, maxx, miny, maxy
    srs = struct.pack("<i", srs_id)
    plain, hollow, boxed = b"GP\x00\x01" + srs, b"GP\x00\x11" + srs, b"GP\x00\x03" + srs
    out: list[bytes | None] = []
    for index, wkb in enumerate(wkbs.tolist()):
        if wkb is None:
            out.append(None)
        elif empty[index]:
            out.append(hollow + wkb)
        elif points[index]:
            out.append(plain + wkb)
        else:
            out.append(boxed + bounds[index].astype("<f8").tobytes() + wkb)
    return out


def _count_writes(db: sqlite3.Connection, touched: set[tuple[str, str]]) -> None:
    """Bump the write counters of ``touched`` (layer, town) pairs, in the caller's
    transaction; creates the counters (and draws the store's generation) the first time."""
    if not _has_table(db, VERSIONS_TABLE):
        db.execute(f'CREATE TABLE "{VERSIONS_TABLE}" (layer TEXT NOT NULL, town_id TEXT NOT '
                   "NULL, version INTEGER NOT NULL, PRIMARY KEY (layer, town_id))")
        db.execute(f'INSERT INTO "{VERSIONS_TABLE}" VALUES (\'\', \'\', ?)',
                   (secrets.randbits(62),))
    db.executemany(f'INSERT INTO "{VERSIONS_TABLE}" VALUES (?, ?, 1) ON CONFLICT '
                   "(layer, town_id) DO UPDATE SET version = version + 1", sorted(touched))


#: GDAL's layer option registering a table without geometry as GeoPackage attributes.
ASPATIAL_ATTRIBUTES: Final = {"ASPATIAL_VARIANT": "GPKG_ATTRIBUTES"}


def _write_layer(path: Path, name: str, frame: pd.DataFrame, append: bool = False) -> None:
    """Write ``frame`` to layer ``name`` of ``path`` with GDAL; a new layer's column types
    come from its spec (:func:`~layers.store.base.typed`), its indexes are made after it."""
    if not append:
        frame = typed(name, frame)
    if isinstance(frame, gpd.GeoDataFrame):
        spec = LAYERS_BY_NAME.get(name)
        geometry_type = spec.geometry if spec is not None and spec.geometry else None
        multi = bool(geometry_type and geometry_type.startswith("Multi"))
        # appended points (imports, pins) go through Arrow: about 40 % faster in GDAL
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=append,
                                geometry_type=geometry_type, promote_to_multi=multi,
                                use_arrow=append and not multi)
    else:
        # said explicitly: with an unregistered table in the file (the write counters), GDAL
        # would otherwise create the table without registering it in gpkg_contents
        pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG",
                                append=append,
                                layer_options=None if append else ASPATIAL_ATTRIBUTES)
    if not append:
        with _connected(path) as db, db:
            _create_indexes(db, name)


def _create_indexes(db: sqlite3.Connection, layer: str) -> None:
    """The B-tree indexes the layer's spec asks for (its town column and key)."""
    spec = LAYERS_BY_NAME.get(layer)
    for column in spec.indexed if spec is not None else ():
        db.execute(f"CREATE INDEX IF NOT EXISTS {_identifier(f'{layer}_{column}_key')} "
                   f"ON {_identifier(layer)} ({_identifier(column)})")


_ENVELOPE_BYTES: Final = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _gpkg_wkb(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob (after its header and envelope)."""
    if blob is None:
        return None
    return bytes(blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 0b111]:])


def _gpkg_geometry(blob: bytes | None) -> BaseGeometry | None:
    """Decode a GeoPackage geometry blob (GPKG header + WKB); None for NULL."""
    if blob is None:
        return None
    if blob[3] & 0b10000:  # the empty-geometry flag of the header
        return shapely.Point()
    return shapely.from_wkb(_gpkg_wkb(blob))


def _register_gpkg_functions(db: sqlite3.Connection) -> None:
    """The ST_* functions GeoPackage's R-tree triggers call (GDAL registers them itself).

    Plain SQLite lacks them, so any UPDATE/DELETE would fail inside the triggers; these small
    implementations keep the spatial index right for the rows we touch.
    """
    def empty(blob: bytes | None) -> int | None:
        geom = _gpkg_geometry(blob)
        return None if geom is None else int(geom.is_empty)

    def bound(index: int) -> Callable[[bytes | None], float | None]:
        def value(blob: bytes | None) -> float | None:
            geom = _gpkg_geometry(blob)
            return None if geom is None or geom.is_empty else float(geom.bounds[index])
        return value

    db.create_function("ST_IsEmpty", 1, empty, deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        db.create_function(name, 1, bound(index), deterministic=True)


def _filters_sql(spec: LayerSpec, town_id: str | None, filters: Mapping[str, Sequence[str]]
                 ) -> list[str]:
    """SQL conditions choosing the town's rows of ``spec`` (``StoreError`` for a layer not
    kept per town) whose ``filters`` columns hold one of their values; names are checked by
    the caller (:func:`~layers.store.spatial.check_filters`), values quoted here."""
    conditions = []
    if town_id is not None:
        if spec.town_column is None:
            raise StoreError("store.not_per_town", layer=spec.name)
        conditions.append(f"{_identifier(spec.town_column)} = '{_sql_literal(town_id)}'")
    for column, values in filters.items():
        listed = ", ".join(f"'{_sql_literal(v)}'" for v in values)
        conditions.append(f"{_identifier(column)} IN ({listed})" if listed else "1 = 0")
    return conditions


def _sql_value(value: object) -> object:
    """A value SQLite can bind: numpy scalars become Python ones."""
    return value.item() if hasattr(value, "item") else value


def _sql_literal(value: str) -> str:
    return value.replace("'", "''")


def _identifier(name: str) -> str:
    """``name`` quoted as an SQL identifier; ``StoreError`` for a name that cannot be one."""
    if '"' in name or "\x00" in name or not name:
        raise StoreError("store.bad_name", name=name)
    return f'"{name}"'


def _json_list(values: list[Any]) -> str:
    """``values`` as a JSON array, bound as one parameter (``json_each``), not hundreds."""
    return json.dumps(values)
