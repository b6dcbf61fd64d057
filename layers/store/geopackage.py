"""GeoPackage backend: one SQLite file, read and written through pyogrio (GDAL)."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import sqlite3
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.schema import LAYERS_BY_NAME
from layers.store.base import RowMatch, Store, StoreError

#: Readers and the writer share the file: without a busy timeout SQLite answers "database is
#: locked" at once when a map page reads while a tablet's pin commits. GDAL applies these
#: pragmas to every connection it opens (readers included); the option is process-wide.
BUSY_TIMEOUT_MS: Final = 30_000
#: Name ending of a writer's private copy of the store (SQLite may add -journal etc.).
TEMPORARY_SUFFIX: Final = ".tmp.gpkg"
pyogrio.set_gdal_config_options({"OGR_SQLITE_PRAGMA": f"busy_timeout={BUSY_TIMEOUT_MS}"})


class GeoPackageStore(Store):
    """A store kept in one GeoPackage file.

    ``replace_all`` writes a complete new file next to the old one and renames it over the old
    one (``os.replace`` is atomic on POSIX), so readers see either the old or the new store.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def _require(self) -> None:
        if not self.exists():
            raise StoreError("store.missing", location=self.path)

    def layer_names(self) -> list[str]:
        self._require()
        with self._file_lock(fcntl.LOCK_SH):
            return self._layer_names()

    def _layer_names(self) -> list[str]:
        """Layer names without taking the file lock (for callers that hold it already)."""
        try:
            return [str(name) for name, _ in pyogrio.list_layers(self.path)]
        except DataSourceError as exc:
            raise StoreError("store.unreadable", location=self.path, detail=exc) from exc

    def read(self, layer: str, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        self._require()
        spec = LAYERS_BY_NAME.get(layer)
        where = None
        if town_id is not None:
            if spec is None or spec.town_column is None:
                raise StoreError("store.not_per_town", layer=layer)
            where = f"{spec.town_column} = '{_sql_literal(town_id)}'"
        try:
            with self._file_lock(fcntl.LOCK_SH):
                frame = pyogrio.read_dataframe(self.path, layer=layer, where=where)
        except (DataLayerError, DataSourceError) as exc:
            raise StoreError("store.read_failed", layer=layer, location=self.path,
                                 detail=exc) from exc
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
            frame = frame.set_crs(STORAGE_CRS)
        return frame

    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        for name, frame in frames.items():
            _check_crs(name, frame)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._writer_lock():
            tmp = self._temporary()
            try:
                for name, frame in frames.items():
                    _write_layer(tmp, name, frame)
                os.replace(tmp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()

    def append_batch(self, items: Iterable[tuple[str, pd.DataFrame]],
                     unique_keys: Mapping[str, str] | None = None) -> dict[str, int]:
        """Append under the writer lock, all or nothing.

        Writers take an exclusive lock on a sidecar ``.lock`` file first, so concurrent
        writers (several devices, several processes) queue instead of overwriting each other.
        One frame for one existing layer (a tablet's pin) is written in place: GDAL writes it
        in one SQLite transaction. Anything longer (an import streaming chunk by chunk) goes
        to a copy of the file that replaces the store only when every chunk went through.
        """
        self._require()
        with self._writer_lock():
            present = set(self.layer_names())
            batch = _Batch(self.path, present, unique_keys or {})
            if isinstance(items, Sequence) and len(items) == 1 and items[0][0] in present:
                with self._file_lock(fcntl.LOCK_EX):
                    return batch.write(self.path, items)
            tmp = self._temporary()
            try:
                shutil.copy2(self.path, tmp)
                with _unsynchronised_sqlite(), _spatial_index_deferred(tmp):
                    written = batch.write(tmp, items)
                _fsync(tmp)
                os.replace(tmp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
        return written

    def update_rows(self, layer: str, key: str, changes: pd.DataFrame) -> int:
        with self._writer_lock(), self._file_lock(fcntl.LOCK_EX), \
                self._sqlite(layer, [key, *changes.columns]) as db:
            columns = [c for c in changes.columns if c != key]
            assignments = ", ".join(f'"{c}" = ?' for c in columns)
            cursor = db.executemany(
                f'UPDATE "{layer}" SET {assignments} WHERE "{key}" = ?',
                [(*(_sql_value(v) for v in row[columns]), str(row[key]))
                 for _, row in changes.iterrows()])
            return cursor.rowcount

    def delete_rows(self, layer: str, key: str, values: Iterable[str]) -> int:
        with self._writer_lock(), self._file_lock(fcntl.LOCK_EX), \
                self._sqlite(layer, [key]) as db:
            cursor = db.executemany(f'DELETE FROM "{layer}" WHERE "{key}" = ?',
                                    [(str(v),) for v in values])
            return cursor.rowcount

    def delete_matching(self, matches: Sequence[RowMatch]) -> dict[str, int]:
        """One SQLite transaction for every match; names checked before any SQL runs."""
        self._require()
        with self._writer_lock(), self._file_lock(fcntl.LOCK_EX):
            present = set(self._layer_names())
            fields: dict[str, set[str]] = {}
            for match in matches:
                if match.layer not in present:
                    raise StoreError("store.no_layer", layer=match.layer)
                if match.layer not in fields:
                    info = pyogrio.read_info(self.path, layer=match.layer)
                    fields[match.layer] = {str(f) for f in info["fields"]}
                named = [*match.equals, *([match.prefix[0]] if match.prefix else [])]
                unknown = [c for c in named if c not in fields[match.layer]]
                if unknown or not named:
                    raise StoreError("store.delete_columns", layer=match.layer, columns=named)
            deleted: dict[str, int] = {}
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            _register_gpkg_functions(db)
            try:
                with db:  # commits on success, rolls back on error
                    for match in matches:
                        terms = [f'"{c}" = ?' for c in match.equals]
                        values = [_sql_value(v) for v in match.equals.values()]
                        if match.prefix:
                            column, text = match.prefix
                            terms.append(f'substr("{column}", 1, ?) = ?')
                            values += [len(text), text]
                        cursor = db.execute(
                            f'DELETE FROM "{match.layer}" WHERE {" AND ".join(terms)}', values)
                        deleted[match.layer] = deleted.get(match.layer, 0) + cursor.rowcount
            finally:
                db.close()
        return deleted

    @contextlib.contextmanager
    def _sqlite(self, layer: str, columns: Iterable[str]) -> Iterator[sqlite3.Connection]:
        """One SQLite transaction on the store, after checking the layer and column names.

        Names are checked against the layer's fields before they are quoted into SQL, so no
        caller-supplied text reaches the statement except as a bound parameter.
        """
        self._require()
        if layer not in self._layer_names():
            raise StoreError("store.no_layer", layer=layer)
        fields = {str(f) for f in pyogrio.read_info(self.path, layer=layer)["fields"]}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise StoreError("store.no_columns", layer=layer, columns=unknown)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        _register_gpkg_functions(db)
        try:
            with db:  # commits on success, rolls back on error
                yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """Writers one at a time, across threads and processes (held for a whole write).

        Whoever holds the lock is the only writer, so a private copy lying next to the store
        now was abandoned by a writer that died (e.g. a killed import): it is removed here,
        before it can pile up beside the store.
        """
        with _flock(self.path.with_name(self.path.name + ".lock"), fcntl.LOCK_EX):
            for stale in self.path.parent.glob(f"{glob.escape(self._temporary_prefix())}*"
                                               f"{TEMPORARY_SUFFIX}*"):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            yield

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
        """A fresh, not yet existing path next to the store (same file system for os.replace)."""
        fd, tmp_name = tempfile.mkstemp(prefix=self._temporary_prefix(),
                                        suffix=TEMPORARY_SUFFIX, dir=self.path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # GDAL wants to create the file itself
        return tmp

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return "missing"
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def check(self) -> list[str]:
        """SQLite's integrity and foreign-key checks, GDAL can list the layers, and every
        R-tree holds one entry per non-empty geometry and still has its insert trigger."""
        if not self.exists():
            return [f"store {self.path} does not exist"]
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


@contextlib.contextmanager
def _unsynchronised_sqlite() -> Iterator[None]:
    """Let GDAL skip SQLite's per-transaction fsync and use a larger page cache.

    Only for writes into a private copy, which is fsynced once before it replaces the store:
    durability is kept, and a long import runs about a third faster. The options are global
    to the process; every writer holds the store's writer lock, so none overlaps this.
    """
    options = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_CACHE": "512"}
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


@contextlib.contextmanager
def _spatial_index_deferred(path: Path) -> Iterator[None]:
    """Suspend the R-tree triggers of ``path``'s layers and index the new rows in bulk.

    GeoPackage keeps its spatial index current with a trigger per inserted row, which made a
    1 M-row import four times slower than the writing itself; pyogrio has no switch for it.
    So for a private copy only: drop the layers' R-tree triggers (keeping their SQL), let GDAL
    write, then insert the bounding boxes of the rows added (fid above the previous maximum)
    in one statement and restore the triggers. GDAL warns that the index looks broken while
    the triggers are away; that is expected here and the warning is silenced.
    """
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        triggers = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'"
        ).fetchall()
        indexed = db.execute("SELECT table_name, column_name FROM gpkg_extensions "
                             "WHERE extension_name = 'gpkg_rtree_index'").fetchall()
        last_fid = {table: db.execute(f'SELECT coalesce(max(fid), 0) FROM "{table}"').fetchone()[0]
                    for table, _ in indexed}
        with db:
            for name, _ in triggers:
                db.execute(f'DROP TRIGGER "{name}"')
    finally:
        db.close()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*[Ss]patial index.*")
        yield
    # reached only when every write succeeded; after a failure the copy is discarded
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        with db:
            for table, column in indexed:
                for bounds in _new_bounds(db, table, int(last_fid[table])):
                    db.executemany(
                        f'INSERT INTO "rtree_{table}_{column}" VALUES (?, ?, ?, ?, ?)',
                        zip(bounds.index.tolist(), bounds["minx"].tolist(),
                            bounds["maxx"].tolist(), bounds["miny"].tolist(),
                            bounds["maxy"].tolist(), strict=True))
            for _, sql in triggers:
                db.execute(sql)
    finally:
        db.close()


def _new_bounds(db: sqlite3.Connection, table: str, after_fid: int, step: int = 200_000
                ) -> Iterator[pd.DataFrame]:
    """Bounding boxes (index = fid) of the rows of ``table`` with fid > ``after_fid``.

    Read in fid ranges so memory stays flat, on the caller's own connection (a second one
    would wait for the caller's open write transaction).
    """
    geometry = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                          (table,)).fetchone()[0]
    start = after_fid
    while True:
        rows = db.execute(
            f'SELECT fid, "{geometry}" FROM "{table}" WHERE fid > ? ORDER BY fid LIMIT ?',
            (start, step)).fetchall()
        if not rows:
            return
        fids = [r[0] for r in rows]
        wkb = [_gpkg_wkb(r[1]) for r in rows]
        geoms = gpd.GeoSeries(shapely.from_wkb(np.array(wkb, dtype=object)), index=fids)
        yield geoms[geoms.notna() & ~geoms.is_empty].bounds
        start = fids[-1]


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


class _Batch:
    """The checks and bookkeeping of one :meth:`GeoPackageStore.append_batch` call."""

    def __init__(self, store_path: Path, present: set[str],
                 unique_keys: Mapping[str, str]) -> None:
        self.store_path = store_path
        self.present = present
        self.fields: dict[str, list[str]] = {}  # of the layers this batch touched
        self.unique_keys = unique_keys
        self.seen: dict[str, set[str]] = {layer: set() for layer in unique_keys}

    def write(self, target: Path, items: Iterable[tuple[str, pd.DataFrame]]) -> dict[str, int]:
        written: dict[str, int] = {}
        for layer, frame in items:
            _check_crs(layer, frame)
            if layer in self.present and layer not in self.fields:
                info = pyogrio.read_info(self.store_path, layer=layer)
                self.fields[layer] = [str(f) for f in info["fields"]]
            _check_columns(layer, frame, self.fields.get(layer))
            frame = self._only_new(layer, frame)
            if frame.empty:
                continue
            _write_layer(target, layer, frame, append=layer in self.fields)
            self.fields.setdefault(layer, [str(c) for c in frame.columns
                                           if c != _geometry_name(frame)])
            self.present.add(layer)
            written[layer] = written.get(layer, 0) + len(frame)
        return written

    def _only_new(self, layer: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Drop rows whose unique key is stored already or repeated within this batch."""
        column = self.unique_keys.get(layer)
        if column is None or frame.empty:
            return frame
        keys = frame[column].astype(str)
        stored = (_stored_keys(self.store_path, layer, column, keys.unique().tolist())
                  if layer in self.present else set())
        fresh = ~keys.isin(stored | self.seen[layer]) & ~keys.duplicated()
        self.seen[layer].update(keys[fresh])
        return frame[fresh.to_numpy()]


def _stored_keys(path: Path, layer: str, column: str, candidates: list[str]) -> set[str]:
    """Which of ``candidates`` are already in ``layer.column`` (names checked by the caller)."""
    found: set[str] = set()
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        for start in range(0, len(candidates), 500):  # SQLite's bound-parameter limit
            part = candidates[start:start + 500]
            marks = ",".join("?" * len(part))
            rows = db.execute(f'SELECT "{column}" FROM "{layer}" WHERE "{column}" IN ({marks})',
                              part)
            found.update(str(r[0]) for r in rows)
    finally:
        db.close()
    return found


def _check_crs(name: str, frame: pd.DataFrame) -> None:
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None \
            and frame.crs.to_epsg() != 4326:
        raise StoreError("store.not_storage_crs", layer=name, crs=frame.crs)


def _geometry_name(frame: pd.DataFrame) -> str | None:
    return frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None


def _check_columns(layer: str, frame: pd.DataFrame, fields: list[str] | None) -> None:
    if fields is None:
        return
    given = [str(c) for c in frame.columns if c != _geometry_name(frame)]
    if sorted(given) != sorted(fields):
        raise StoreError("store.append_columns", layer=layer, given=given, fields=fields)


def _write_layer(path: Path, name: str, frame: pd.DataFrame, append: bool = False) -> None:
    if isinstance(frame, gpd.GeoDataFrame):
        spec = LAYERS_BY_NAME.get(name)
        geometry_type = spec.geometry if spec is not None and spec.geometry else None
        multi = bool(geometry_type and geometry_type.startswith("Multi"))
        # appended points (imports, pins) go through Arrow: about 40 % faster in GDAL
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=append,
                                geometry_type=geometry_type, promote_to_multi=multi,
                                use_arrow=append and not multi)
    else:
        pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG",
                                append=append)


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


def _sql_value(value: object) -> object:
    """A value SQLite can bind: numpy scalars become Python ones."""
    return value.item() if hasattr(value, "item") else value


def _sql_literal(value: str) -> str:
    return value.replace("'", "''")
