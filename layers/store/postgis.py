"""PostGIS backend: a PostgreSQL database with the PostGIS extension, through psycopg 3.

Layout: one table per layer in the ``mapa`` schema (``fid`` bigserial key, the frame's
columns, a ``geom`` column of the layer's geometry type in EPSG:4326 with a GiST index, a
B-tree index on the town column); the catalog of layers and columns (with the pandas kind
each column is read back as, so reads give the dtypes a GeoPackage read gives) and the data
version and the write counters per (layer, town) live in ``mapa_meta`` (created by the
Alembic migrations in ``migrations/``). A layer's column types come from its spec.

Every write is one transaction that first takes a transaction-level advisory lock: writers
queue (none is lost, ``unique_keys`` checks see every earlier writer's rows), readers never
wait (MVCC) and see the store before or after a write, never half of it. A writer that dies
leaves nothing behind: the server rolls its transaction back. ``transaction()`` makes several
writes one such transaction; reads in its thread meanwhile see its writes.

Rows go in and come out with ``COPY`` (geometry as hex EWKB in, hex WKB out); points for
the analyses come out with each column packed into one value (:mod:`layers.store.packed`).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
from psycopg import sql
from psycopg_pool import ConnectionPool

from layers.crs import STORAGE_CRS, to_metric
from layers.schema import CHAIN_COLUMNS, LATER_COLUMNS, LAYERS_BY_NAME, METRIC_LAYERS, LayerSpec
from layers.store import chain, migrations, packed
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
)
from layers.store.spatial import (
    POINT_COLUMNS,
    Area,
    Filters,
    area_geometry,
    cell_frame,
    check_cell,
    check_filters,
    check_point_columns,
)

LAYER_SCHEMA: Final = migrations.LAYER_SCHEMA
META: Final = migrations.META_SCHEMA
#: Advisory lock key every write transaction holds (per database).
WRITE_LOCK: Final = 7_253_002
GEOMETRY_COLUMN: Final = "geom"
#: pandas kind of a column → its PostgreSQL type.
KIND_TYPES: Final = {"str": "text", "int64": "bigint", "int32": "integer",
                     "float64": "double precision", "float32": "real", "bool": "boolean",
                     "datetime": "timestamp", "datetimetz": "timestamptz"}
#: The setting a read of one town's rows passes the town id in (``COPY`` takes no parameters).
TOWN_SETTING: Final = "mapa.town_id"
#: The setting a read of rows by a column's values passes them in (a JSON array).
VALUES_SETTING: Final = "mapa.read_values"
#: The setting a read of the rows in an area passes the area in (hex EWKB, EPSG:4326).
AREA_SETTING: Final = "mapa.area"
#: The generated EPSG:5514 copy of the geometry of each of ``METRIC_LAYERS``.
METRIC_COLUMN: Final = "geom_5514"
#: PostgreSQL's identifier limit (longer names would be silently truncated).
MAX_NAME: Final = 63

_POOLS: dict[str, ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()
#: Full URLs by their redacted form, so ``open_store(store.location)`` reopens a store whose
#: URL carried a password (the app reopens stores by location; the location hides secrets).
_URLS: dict[str, str] = {}


def redact(url: str) -> str:
    """``url`` without its password (in the user part or a ``password=`` parameter)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = urllib.parse.urlencode(
        [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
         if k.lower() != "password"], safe="/")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def close_pools(url: str | None = None) -> None:
    """Close the pooled connections (of ``url``, or all): before dropping a database."""
    with _POOLS_LOCK:
        for key in [k for k in _POOLS if url is None or k == url]:
            _POOLS.pop(key).close()


atexit.register(close_pools)


@dataclass
class _Layer:
    """A layer as the catalog describes it."""

    name: str
    geometry_type: str | None
    columns: dict[str, str] = field(default_factory=dict)  # name → kind, in table order


@dataclass
class _Transaction:
    """An open write transaction: its connection and the (layer, town) pairs it changed."""

    conn: psycopg.Connection[Any]
    touched: set[tuple[str, str]] = field(default_factory=set)

    def touch(self, layer: str, towns: Iterable[str]) -> None:
        self.touched.update((layer, town) for town in towns)


class PostGISStore(Store):
    """A store kept in a PostgreSQL database with PostGIS (``postgresql://`` URL)."""

    def __init__(self, url: str) -> None:
        redacted = redact(url)
        if redacted != url:
            _URLS[redacted] = url
        self.url = _URLS.get(url, url)
        self.location = redacted
        self._checked = False
        self._local = threading.local()  # the thread's open _Transaction, if any

    # --- connections and schema ------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled autocommit connection (inside :meth:`transaction`, the transaction's);
        database errors become ``StoreError``."""
        current = self._open()
        if current is not None:
            try:
                yield current.conn
            except psycopg.Error as exc:
                raise _failure(self.location, exc) from exc
            return
        try:
            with _POOLS_LOCK:
                pool = _POOLS.get(self.url)
                if pool is None:
                    # a pool retries a refused connection until its timeout; connecting
                    # once first makes a wrong URL or a stopped server fail at once
                    psycopg.connect(self.url, connect_timeout=10).close()
                    pool = ConnectionPool(self.url, min_size=0, max_size=8, max_idle=60,
                                          timeout=30, kwargs={"autocommit": True},
                                          open=True, check=ConnectionPool.check_connection,
                                          name=self.location)
                    _POOLS[self.url] = pool
            with pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise _failure(self.location, exc) from exc

    def _revision(self, conn: psycopg.Connection[Any]) -> str | None:
        """The schema's revision; upgrades an older schema once per store object."""
        revision = migrations.current_revision(conn)
        if revision is not None and revision != migrations.HEAD and not self._checked:
            self.migrate()
            revision = migrations.current_revision(conn)
        self._checked = True
        return revision

    def migrate(self) -> None:
        """Create the store's schema, or bring it to the newest revision (idempotent)."""
        try:
            migrations.upgrade(self.url)
        except Exception as exc:  # SQLAlchemy wraps psycopg's errors in its own
            raise StoreError("store.migrate_failed", location=self.location, detail=exc) from exc
        self._checked = True

    def exists(self) -> bool:
        with self._connect() as conn:
            return self._revision(conn) is not None

    def _require(self, conn: psycopg.Connection[Any]) -> None:
        if self._revision(conn) is None:
            raise StoreError("store.missing_database", location=self.location)

    def _catalog(self, conn: psycopg.Connection[Any]) -> dict[str, _Layer]:
        return _catalog(conn)

    def _layer(self, conn: psycopg.Connection[Any], layer: str) -> _Layer:
        self._require(conn)
        found = self._catalog(conn).get(layer)
        if found is None:
            raise StoreError("store.no_layer_in", layer=layer, location=self.location)
        return found

    # --- reads -----------------------------------------------------------------------

    def layer_names(self) -> list[str]:
        with self._connect() as conn:
            self._require(conn)
            return [str(r[0]) for r in conn.execute(
                f"SELECT name FROM {META}.layers ORDER BY position")]

    def read(self, layer: Layer, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        layer = layer_name(layer)
        with self._connect() as conn:
            info = self._layer(conn, layer)
            where: sql.Composable = sql.SQL("")
            if town_id is not None:
                spec = LAYERS_BY_NAME.get(layer)
                if spec is None or spec.town_column is None \
                        or spec.town_column not in info.columns:
                    raise StoreError("store.not_per_town", layer=layer)
                # COPY takes no bound parameters: the town travels as one, in a setting local
                # to this read's transaction, so no value is ever written into SQL text
                where = sql.SQL(" WHERE {} = current_setting({})").format(
                    sql.Identifier(spec.town_column), sql.Literal(TOWN_SETTING))
            return _read(conn, info, where, {} if town_id is None else {TOWN_SETTING: town_id})

    def read_columns(self, layer: Layer, columns: Sequence[str]) -> pd.DataFrame:
        layer = layer_name(layer)
        with self._connect() as conn:
            info = self._layer(conn, layer)
            missing = [c for c in columns if c not in info.columns]
            if missing:
                raise StoreError("store.no_columns", layer=layer, columns=missing)
            # the same read as a whole layer's, of a layer that holds just these columns
            wanted = _Layer(info.name, None, {c: info.columns[c] for c in columns})
            return pd.DataFrame(_read(conn, wanted, sql.SQL(""), {}))

    def read_where(self, layer: Layer, column: str, values: Iterable[str]
                   ) -> gpd.GeoDataFrame | pd.DataFrame:
        layer = layer_name(layer)
        with self._connect() as conn:
            info = self._layer(conn, layer)
            if column not in info.columns:
                raise StoreError("store.no_columns", layer=layer, columns=[column])
            kind = info.columns[column]
            wanted = column_values(pd.Series(list(values), dtype=object), kind, column)
            # as for a town: the values travel as one JSON setting, never as SQL text
            where = sql.SQL(" WHERE {} = ANY(ARRAY(SELECT jsonb_array_elements_text("
                            "current_setting({})::jsonb))::{}[])").format(
                sql.Identifier(column), sql.Literal(VALUES_SETTING), sql.SQL(KIND_TYPES[kind]))
            return _read(conn, info, where,
                         {VALUES_SETTING: json.dumps([str(v) for v in wanted])})

    def read_intersecting(self, layer: LayerSpec, area: Area, town_id: str | None = None
                          ) -> gpd.GeoDataFrame:
        """``geom && area AND ST_Intersects(geom, area)`` on the layer's GiST index; the area
        travels as hex EWKB in a setting local to the read (``COPY`` takes no parameters)."""
        shape = area_geometry(area)
        with self._connect() as conn:
            info = self._spatial_layer(conn, layer)
            chosen = sql.SQL("ST_GeomFromEWKB(decode(current_setting({}), 'hex'))").format(
                sql.Literal(AREA_SETTING))
            terms: list[sql.Composable] = [sql.SQL("{geom} && {area} AND ST_Intersects({geom}, "
                                                   "{area})").format(
                geom=sql.Identifier(GEOMETRY_COLUMN), area=chosen)]
            settings = {AREA_SETTING: str(shapely.to_wkb(shapely.set_srid(shape, 4326),
                                                         hex=True, include_srid=True))}
            town_terms, town_settings = _town_setting(layer, town_id)
            terms += town_terms
            settings.update(town_settings)
            frame = _read(conn, info, sql.SQL(" WHERE ") + sql.SQL(" AND ").join(terms),
                          settings)
        return gpd.GeoDataFrame(frame)

    def read_points(self, layer: LayerSpec, columns: Sequence[str], town_id: str | None = None
                    ) -> pd.DataFrame:
        """The columns and ``ST_X``/``ST_Y`` of the stored EPSG:5514 geometry, each column
        packed into one value (:mod:`layers.store.packed`): no geometry is sent, decoded or
        reprojected per request, and no row is handled in Python."""
        wanted = check_point_columns(layer, columns)
        with self._connect() as conn:
            info = self._spatial_layer(conn, layer)
            metric = _metric(layer)
            kinds = {c: info.columns[c] for c in wanted}
            points = _Layer(info.name, None, {**kinds, **dict.fromkeys(POINT_COLUMNS,
                                                                         "float64")})
            terms, settings = _town_setting(layer, town_id)
            where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(terms) if terms else sql.SQL("")
            computed = {"x": sql.SQL("ST_X({})").format(metric),
                        "y": sql.SQL("ST_Y({})").format(metric)}
            return _read_packed(conn, points, where, settings, computed)

    def cell_counts(self, layer: LayerSpec, cell_m: float, town_id: str | None = None,
                    by: str | None = None, where: Filters | None = None) -> pd.DataFrame:
        """One ``GROUP BY`` over ``floor(x / cell_m), floor(y / cell_m)`` of the stored
        EPSG:5514 geometry (floor, not ``ST_SnapToGrid``, which rounds to the nearest grid
        point: a cell holds the points whose coordinates it spans, as in the analyses)."""
        size = check_cell(cell_m)
        filters = check_filters(layer, [by], where, points=True)
        with self._connect() as conn:
            self._spatial_layer(conn, layer)
            metric = _metric(layer)
            conditions, values = _filters_sql(layer, town_id, filters)
            group: list[sql.Composable] = [sql.SQL("col"), sql.SQL("row")]
            selected: list[sql.Composable] = [
                sql.SQL("floor(ST_X({m}) / %s)::bigint AS col").format(m=metric),
                sql.SQL("floor(ST_Y({m}) / %s)::bigint AS row").format(m=metric)]
            if by is not None:
                selected.append(sql.SQL("{}::text AS {}").format(sql.Identifier(by),
                                                                 sql.Identifier(by)))
                group.append(sql.Identifier(by))
            query = sql.SQL("SELECT {}, count(*) FROM {} WHERE {} IS NOT NULL AND NOT "
                            "ST_IsEmpty({}){} GROUP BY {}").format(
                sql.SQL(", ").join(selected), _table(layer.name), metric, metric,
                sql.SQL("").join(sql.SQL(" AND ") + c for c in conditions),
                sql.SQL(", ").join(group))
            rows = conn.execute(query, [size, size, *values]).fetchall()
        names = ["col", "row", *([by] if by is not None else []), "count"]
        return cell_frame(pd.DataFrame(rows, columns=names) if rows else
                          pd.DataFrame({name: [] for name in names}), by)

    def nearest_distances(self, points: LayerSpec | gpd.GeoSeries, targets: LayerSpec,
                          town_id: str | None = None, where: Filters | None = None
                          ) -> pd.Series:
        """For each point, ``ORDER BY target <-> point LIMIT 1`` in a ``LATERAL`` join: a
        KNN scan of the targets' EPSG:5514 GiST index, whose ``<->`` is the true distance."""
        filters = check_filters(targets, [], where)
        target_terms, target_values = _filters_sql(targets, town_id, filters, alias="t")
        metric = _metric(targets, alias="t")
        with self._connect() as conn:
            self._spatial_layer(conn, targets)
            source: sql.Composable
            if isinstance(points, LayerSpec):
                if points.key is None:
                    raise StoreError("store.no_key", layer=points.name)
                self._spatial_layer(conn, points)
                point_terms, point_values = _filters_sql(points, town_id, {}, alias="p")
                origin = _metric(points, alias="p")
                source = sql.SQL("(SELECT p.fid AS i, p.{}::text AS name, {} AS g FROM {} p{})"
                                 ).format(sql.Identifier(points.key), origin,
                                          _table(points.name),
                                          sql.SQL(" WHERE ") + sql.SQL(" AND ").join(
                                              point_terms) if point_terms else sql.SQL(""))
                values: list[object] = list(point_values)
            else:
                metric_points = to_metric(gpd.GeoDataFrame(geometry=points)).geometry
                source = sql.SQL("(SELECT i, i::text AS name, ST_GeomFromWKB(wkb, 5514) AS g "
                                 "FROM unnest(%s::bytea[]) WITH ORDINALITY AS o(wkb, i))")
                values = [[None if g is None else bytes(g) for g in
                           shapely.to_wkb(np.asarray(metric_points.values))]]
            query = sql.SQL(
                "SELECT o.name, d.distance FROM {} o LEFT JOIN LATERAL (SELECT o.g <-> {m} AS "
                "distance FROM {} t WHERE {m} IS NOT NULL{} ORDER BY o.g <-> {m} LIMIT 1) d "
                "ON true ORDER BY o.i").format(
                source, _table(targets.name),
                sql.SQL("").join(sql.SQL(" AND ") + c for c in target_terms), m=metric)
            rows = conn.execute(query, [*values, *target_values]).fetchall()
        distances = np.array([np.inf if d is None else float(d) for _, d in rows],
                             dtype=np.float64)
        if isinstance(points, LayerSpec):
            index = pd.Index([str(name) for name, _ in rows], name=points.key)
            return pd.Series(distances, index=index, name="distance_m")
        return pd.Series(distances, index=points.index, name="distance_m")

    def _spatial_layer(self, conn: psycopg.Connection[Any], layer: LayerSpec) -> _Layer:
        """The stored layer ``layer``; ``StoreError`` when missing or without geometry."""
        info = self._layer(conn, layer.name)
        if info.geometry_type is None:
            raise StoreError("store.not_spatial", layer=layer.name)
        return info

    def counts(self) -> dict[str, int]:
        with self._connect() as conn:
            self._require(conn)
            counts = {}
            for name in self._catalog(conn):
                row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(_table(name))
                                   ).fetchone()
                counts[name] = int(row[0]) if row else 0
            return counts

    def version(self) -> str:
        with self._connect() as conn:
            if migrations.current_revision(conn) is None:
                return "missing"
            row = conn.execute(f"SELECT store_id, version FROM {META}.state").fetchone()
        return f"{row[0]}-{row[1]}" if row else "missing"

    def _counters(self, layers: set[str]) -> tuple[str, dict[tuple[str, str], int]]:
        with self._connect() as conn:
            if migrations.current_revision(conn) is None:
                return "missing", {}
            self._revision(conn)
            row = conn.execute(f"SELECT store_id FROM {META}.state").fetchone()
            counters = {(str(layer), str(town)): int(count) for layer, town, count in
                        conn.execute(f"SELECT layer, town_id, version FROM {META}.versions "
                                     "WHERE layer = ANY(%s)", (sorted(layers),))}
        return (str(row[0]) if row else "missing"), counters

    # --- writes ----------------------------------------------------------------------

    def _open(self) -> _Transaction | None:
        return cast(_Transaction | None, getattr(self._local, "transaction", None))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._writing():
            yield

    @contextlib.contextmanager
    def _writing(self) -> Iterator[_Transaction]:
        """The thread's write transaction, or a new one holding the store's write lock that
        bumps the version and the write counters of what it touched when it commits."""
        current = self._open()
        if current is not None:
            yield current
            return
        with self._connect() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self._local.transaction = current = _Transaction(conn)
            try:
                yield current
            finally:
                self._local.transaction = None
            conn.execute(f"UPDATE {META}.state SET version = version + 1")
            with conn.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {META}.versions (layer, town_id, version) VALUES (%s, %s, 1) "
                    "ON CONFLICT (layer, town_id) DO UPDATE SET version = "
                    f"{META}.versions.version + 1", sorted(current.touched))

    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        for name, frame in frames.items():
            check_crs(name, frame)
        with self._connect() as conn:
            if self._revision(conn) != migrations.HEAD:
                self.migrate()
        with self._writing() as tx:
            conn = tx.conn
            for name in self._catalog(conn):
                conn.execute(sql.SQL("DROP TABLE {}").format(_table(name)))
            conn.execute(f"DELETE FROM {META}.layers")
            # a new generation: every cached (layer, town) token changes
            conn.execute(f"DELETE FROM {META}.versions")
            conn.execute(f"UPDATE {META}.state SET store_id = gen_random_uuid()::text")
            for name, frame in frames.items():
                info = _create_layer(conn, name, frame)
                _copy_rows(conn, info, frame)

    def append_batch(self, items: Iterable[tuple[Layer, pd.DataFrame]],
                     unique_keys: Mapping[str, str] | None = None) -> dict[str, int]:
        """Append in one transaction under the write lock, all or nothing.

        A chunk of a streamed import goes straight into the table; an exception (a refused
        frame, a broken input file, a killed process) rolls the whole batch back.
        """
        keys = dict(unique_keys or {})
        written: dict[str, int] = {}
        with self._connect() as conn:
            self._require(conn)
        with self._writing() as tx:
            conn = tx.conn
            catalog = self._catalog(conn)
            seen: dict[str, set[str]] = {layer: set() for layer in keys}
            heads: dict[str, str] = {}  # hash of the last row of each chained layer
            for item, frame in items:
                layer = layer_name(item)
                check_crs(layer, frame)
                check_required(layer, frame)
                spec = LAYERS_BY_NAME.get(layer)
                info = catalog.get(layer)
                if spec is not None and spec.chained and layer not in heads:
                    if info is not None:
                        info = catalog[layer] = _chain_stored_rows(conn, info)
                    heads[layer] = _chain_head(conn, layer) if info else chain.GENESIS
                if info is not None:
                    # a table copied in from a store older than its later columns
                    info = catalog[layer] = _add_text_columns(conn, info,
                                                              LATER_COLUMNS.get(layer, ()))
                    _check_columns(info, frame)
                if layer in keys:
                    frame = _only_new(conn, info, keys[layer], frame, seen[layer])
                if frame.empty:
                    continue
                if layer in heads and spec is not None:
                    frame = chain.seal(frame, spec, heads[layer])
                    heads[layer] = chain.last_hash(frame)
                if info is None:
                    info = catalog[layer] = _create_layer(conn, layer, frame)
                _copy_rows(conn, info, frame)
                tx.touch(layer, towns_of(layer, frame))
                written[layer] = written.get(layer, 0) + len(frame)
        return written

    def update_rows(self, layer: Layer, key: str, changes: pd.DataFrame) -> int:
        layer = layer_name(layer)
        with self._writing() as tx:
            conn = tx.conn
            # a table copied in from a store older than its later columns
            info = _add_text_columns(conn, self._layer(conn, layer), LATER_COLUMNS.get(layer, ()))
            columns = [str(c) for c in changes.columns if c != key]
            unknown = [c for c in [key, *columns] if c not in info.columns]
            if unknown:
                raise StoreError("store.no_columns", layer=layer, columns=unknown)
            statement = sql.SQL("UPDATE {} SET {} WHERE {} = %s").format(
                _table(layer),
                sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c))
                                   for c in columns),
                sql.Identifier(key))
            values = [column_values(changes[c], info.columns[c], c) for c in [*columns, key]]
            tx.touch(layer, _towns_where(conn, info, sql.SQL("{} = ANY(%s)").format(
                sql.Identifier(key)), [values[-1]]))
            with conn.cursor() as cursor:
                cursor.executemany(statement, list(zip(*values, strict=True)))
                return max(cursor.rowcount, 0)

    def delete_rows(self, layer: Layer, key: str, values: Iterable[str]) -> int:
        layer = layer_name(layer)
        with self._writing() as tx:
            conn = tx.conn
            info = self._layer(conn, layer)
            if key not in info.columns:
                raise StoreError("store.no_columns", layer=layer, columns=[key])
            wanted = column_values(pd.Series(list(values), dtype=object), info.columns[key], key)
            where = sql.SQL("{} = ANY(%s)").format(sql.Identifier(key))
            tx.touch(layer, _towns_where(conn, info, where, [wanted]))
            cursor = conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(_table(layer), where),
                                  (wanted,))
            return max(cursor.rowcount, 0)

    def delete_matching(self, matches: Sequence[RowMatch]) -> dict[str, int]:
        """One transaction for every match; every name is checked before anything is deleted."""
        deleted: dict[str, int] = {}
        with self._writing() as tx:
            conn = tx.conn
            self._require(conn)
            catalog = self._catalog(conn)
            wheres = [_match_where(catalog, match) for match in matches]
            for info, where, values in wheres:
                tx.touch(info.name, _towns_where(conn, info, where, values))
                cursor = conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(
                    _table(info.name), where), values)
                deleted[info.name] = deleted.get(info.name, 0) + max(cursor.rowcount, 0)
        return deleted

    def update_matching(self, match: RowMatch, values: Mapping[str, object]) -> int:
        with self._writing() as tx:
            conn = tx.conn
            self._require(conn)
            info, where, selected = _match_where(self._catalog(conn), match)
            unknown = [c for c in values if c not in info.columns]
            if unknown or not values:
                raise StoreError("store.no_columns", layer=info.name, columns=unknown)
            _create_indexes(conn, info)
            assignments = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c))
                                             for c in values)
            new = [column_values(pd.Series([v], dtype=object), info.columns[c], c)[0]
                   for c, v in values.items()]
            tx.touch(info.name, _towns_where(conn, info, where, selected))
            cursor = conn.execute(sql.SQL("UPDATE {} SET {} WHERE {}").format(
                _table(info.name), assignments, where), [*new, *selected])
            return max(cursor.rowcount, 0)

    # --- integrity -------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found: schema revision, catalog vs tables and types, spatial indexes
        (of the metric layers' EPSG:5514 geometry too)."""
        problems: list[str] = []
        with self._connect() as conn:
            revision = self._revision(conn)
            if revision is None:
                return [f"store {self.location} does not exist"]
            if revision != migrations.HEAD:
                problems.append(f"schema at revision {revision}, expected {migrations.HEAD}")
            catalog = self._catalog(conn)
            tables = {str(r[0]) for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (LAYER_SCHEMA,))}
            problems += [f"table {t!r} is not in the catalog"
                         for t in sorted(tables - set(catalog))]
            for name, info in catalog.items():
                if name not in tables:
                    problems.append(f"layer {name!r} has no table")
                    continue
                problems += _table_problems(conn, info)
        return problems


def _failure(location: str, exc: psycopg.Error) -> StoreError:
    """The ``StoreError`` a database error becomes: a full disk on the server says so; any
    other (a refused or lost connection, a server restart) makes the store unavailable.

    A write that raised this is rolled back, unless the connection dropped after the server
    had committed it: a caller that retries (a tablet's pin) writes with a unique key, which
    stores it once either way."""
    if isinstance(exc, psycopg.errors.DiskFull):
        return StoreError("store.disk_full", location=location, detail=exc)
    return StoreError("store.unavailable", location=location, detail=exc)


def _table(layer: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(LAYER_SCHEMA), sql.Identifier(layer))


def _town_column(spec: LayerSpec) -> str:
    """The town column of ``spec``; ``StoreError`` for a layer not kept per town."""
    if spec.town_column is None:
        raise StoreError("store.not_per_town", layer=spec.name)
    return spec.town_column


def _metric(spec: LayerSpec, alias: str | None = None) -> sql.Composable:
    """The layer's geometry in EPSG:5514: its stored, indexed :data:`METRIC_COLUMN` for a
    metric layer, else transformed on the fly."""
    if spec in METRIC_LAYERS:
        column = [METRIC_COLUMN] if alias is None else [alias, METRIC_COLUMN]
        return sql.Identifier(*column)
    column = [GEOMETRY_COLUMN] if alias is None else [alias, GEOMETRY_COLUMN]
    return sql.SQL("ST_Transform({}, 5514)").format(sql.Identifier(*column))


def _town_setting(spec: LayerSpec, town_id: str | None
                  ) -> tuple[list[sql.Composable], dict[str, str]]:
    """The condition choosing ``town_id``'s rows of ``spec`` (none for None) and the setting
    it reads the town from: ``COPY`` takes no bound parameters, so the town travels in a
    setting local to the read, never in SQL text."""
    if town_id is None:
        return [], {}
    return ([sql.SQL("{} = current_setting({})").format(sql.Identifier(_town_column(spec)),
                                                        sql.Literal(TOWN_SETTING))],
            {TOWN_SETTING: town_id})


def _filters_sql(spec: LayerSpec, town_id: str | None, filters: Mapping[str, Sequence[str]],
                 alias: str | None = None) -> tuple[list[sql.Composable], list[object]]:
    """Conditions (with their bound values) choosing the town's rows of ``spec`` whose
    ``filters`` columns hold one of their values; names are checked by the caller."""
    def column(name: str) -> sql.Identifier:
        return sql.Identifier(name) if alias is None else sql.Identifier(alias, name)

    terms: list[sql.Composable] = []
    values: list[object] = []
    if town_id is not None:
        terms.append(sql.SQL("{} = %s").format(column(_town_column(spec))))
        values.append(town_id)
    for name, wanted in filters.items():
        terms.append(sql.SQL("{}::text = ANY(%s)").format(column(name)))
        values.append(list(wanted))
    return terms, values



def _read(conn: psycopg.Connection[Any], info: _Layer, where: sql.Composable,
          settings: Mapping[str, str],
          computed: Mapping[str, sql.Composable] | None = None
          ) -> gpd.GeoDataFrame | pd.DataFrame:
    """The rows of ``info``'s table that ``where`` (" WHERE …" or empty) selects, by fid;
    ``settings`` are set local to the read's transaction first (``where`` reads them with
    ``current_setting``, as COPY takes no bound parameters). A column of ``computed`` is
    that expression's value, not a stored column's."""
    computed = computed or {}
    selected: list[sql.Composable] = [
        computed[c] if c in computed
        else sql.SQL("extract(epoch FROM {})").format(sql.Identifier(c))
        if kind.startswith("datetime") else sql.Identifier(c)
        for c, kind in info.columns.items()]
    if info.geometry_type is not None:
        selected.append(sql.SQL("encode(ST_AsBinary({}), 'hex')").format(
            sql.Identifier(GEOMETRY_COLUMN)))
    query = sql.SQL("COPY (SELECT {} FROM {}{} ORDER BY fid) TO STDOUT (FORMAT csv)"
                    ).format(sql.SQL(", ").join(selected), _table(info.name), where)
    with conn.transaction(), conn.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", (name, value))
        with cursor.copy(query) as copy:
            text = b"".join(bytes(chunk) for chunk in copy)
    return _frame(info, text)

def _read_packed(conn: psycopg.Connection[Any], info: _Layer, where: sql.Composable,
                 settings: Mapping[str, str], computed: Mapping[str, sql.Composable]
                 ) -> pd.DataFrame:
    """:func:`_read` of a layer without geometry, in one answer row: each column packed into
    one value by :mod:`layers.store.packed`, over the rows in fid order; the rows are read
    by :func:`_read` instead where a text value holds the packing's separator."""
    names = [sql.Identifier(f"c{i}") for i in range(len(info.columns))]
    sources = [sql.SQL("{} AS {}").format(
        packed.source_column(computed.get(column, sql.Identifier(column)), kind), name)
        for (column, kind), name in zip(info.columns.items(), names, strict=True)]
    parts = [packed.aggregates(name, kind)
             for name, kind in zip(names, info.columns.values(), strict=True)]
    # one pass feeds every aggregate the same row at a time, so the columns stay aligned;
    # the aggregates take the rows in the subquery's order (the covering index's own order)
    query = sql.SQL("SELECT count(*), {} FROM (SELECT {} FROM {}{} ORDER BY fid) source"
                    ).format(sql.SQL(", ").join(a for part in parts for a in part),
                             sql.SQL(", ").join(sources), _table(info.name), where)
    with conn.transaction(), conn.cursor(binary=True) as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", (name, value))
        answer = cursor.execute(query).fetchone()
    assert answer is not None  # an aggregate without GROUP BY answers one row
    rows, values = int(answer[0]), list(answer[1:])
    data = {}
    try:
        for (column, kind), part in zip(info.columns.items(), parts, strict=True):
            data[column] = _pandas(kind, packed.decode(kind, values[:len(part)], rows))
            del values[:len(part)]
    except ValueError:  # a text value holding the separator: row by row, as every read
        return pd.DataFrame(_read(conn, info, where, settings, computed))
    return pd.DataFrame(data, columns=list(info.columns), index=pd.RangeIndex(rows))


def _catalog(conn: psycopg.Connection[Any]) -> dict[str, _Layer]:
    """Every layer as the catalog describes it, in catalog order."""
    layers = {name: _Layer(name, geometry) for name, geometry in conn.execute(
        f"SELECT name, geometry_type FROM {META}.layers ORDER BY position")}
    for layer, column, kind in conn.execute(
            f"SELECT layer, name, kind FROM {META}.columns ORDER BY layer, position"):
        layers[layer].columns[column] = kind
    return layers


def chain_stored_layers(conn: psycopg.Connection[Any]) -> None:
    """Give every chained layer stored without its chain columns (a store from before the
    chain, or a copy of one) those columns, its rows linked in stored order, in the caller's
    transaction. Idempotent; the migration to revision 0003 runs it."""
    for info in _catalog(conn).values():
        _chain_stored_rows(conn, info)


def _chain_stored_rows(conn: psycopg.Connection[Any], info: _Layer) -> _Layer:
    """:func:`chain_stored_layers` for one layer; returns it as it is now."""
    spec = LAYERS_BY_NAME.get(info.name)
    if spec is None or not spec.chained or all(c in info.columns for c in CHAIN_COLUMNS):
        return info
    _add_text_columns(conn, info, CHAIN_COLUMNS)
    columns = chain.content_columns(spec)
    rows = conn.execute(sql.SQL("SELECT fid, {} FROM {} ORDER BY fid").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), _table(info.name))).fetchall()
    linked = chain.links((dict(zip(columns, row[1:], strict=True)) for row in rows), columns)
    with conn.cursor() as cursor:
        cursor.executemany(sql.SQL("UPDATE {} SET prev_hash = %s, hash = %s WHERE fid = %s"
                                   ).format(_table(info.name)),
                           [(*link, row[0]) for link, row in zip(linked, rows, strict=True)])
    return info


def add_later_columns(conn: psycopg.Connection[Any]) -> None:
    """Give every stored layer the columns of ``LATER_COLUMNS`` it lacks (empty for its rows),
    in the caller's transaction. Idempotent; the migration to revision 0004 runs it."""
    for info in _catalog(conn).values():
        _add_text_columns(conn, info, LATER_COLUMNS.get(info.name, ()))


def add_metric_geometry(conn: psycopg.Connection[Any]) -> None:
    """Give every stored layer of ``METRIC_LAYERS`` its generated, indexed EPSG:5514
    geometry (and the covering index of its ``analysed`` columns), in the caller's
    transaction. Idempotent; the migrations to revisions 0005 and 0007 run it."""
    for info in _catalog(conn).values():
        _add_metric_geometry(conn, info)


def _add_metric_geometry(conn: psycopg.Connection[Any], info: _Layer) -> None:
    """Add :data:`METRIC_COLUMN` (``ST_Transform(geom, 5514)``, generated and stored: every
    write keeps it current) and its GiST index to the table of ``info`` when its spec is one
    of ``METRIC_LAYERS``, and a B-tree on (town, fid) that includes the spec's ``analysed``
    columns and the metric geometry (what ``read_points`` reads)."""
    spec = LAYERS_BY_NAME.get(info.name)
    if spec not in METRIC_LAYERS or info.geometry_type is None:
        return
    conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} geometry({}, 5514) "
                         "GENERATED ALWAYS AS (ST_Transform({}, 5514)) STORED").format(
        _table(info.name), sql.Identifier(METRIC_COLUMN), sql.SQL(info.geometry_type),
        sql.Identifier(GEOMETRY_COLUMN)))
    conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist ({})").format(
        _index_name(info.name, METRIC_COLUMN), _table(info.name),
        sql.Identifier(METRIC_COLUMN)))
    analysed = [c for c in spec.analysed if c in info.columns]
    if spec.town_column in info.columns and analysed:
        # one town's points and what is analysed of them, in stored order, from the index
        # alone: the town's rows may lie on every page of the table (several towns' imports
        # interleave), its index entries lie together
        conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({}, fid) INCLUDE ({})"
                             ).format(
            sql.Identifier(f"{info.name}_points"[:MAX_NAME]), _table(info.name),
            sql.Identifier(spec.town_column),
            sql.SQL(", ").join(sql.Identifier(c) for c in [*analysed, METRIC_COLUMN])))


def _add_text_columns(conn: psycopg.Connection[Any], info: _Layer,
                      columns: Sequence[str]) -> _Layer:
    """Add the text ``columns`` ``info`` lacks to its table and catalog entry; returns it."""
    for column in (c for c in columns if c not in info.columns):
        conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} text").format(
            _table(info.name), sql.Identifier(column)))
        conn.execute(f"INSERT INTO {META}.columns (layer, name, position, kind) SELECT %s, %s, "
                     f"coalesce(max(position), -1) + 1, 'str' FROM {META}.columns "
                     "WHERE layer = %s", (info.name, column, info.name))
        info.columns[column] = "str"
    return info


def _chain_head(conn: psycopg.Connection[Any], layer: str) -> str:
    """The hash of the last stored row of chained ``layer`` (in the writer's transaction)."""
    row = conn.execute(sql.SQL("SELECT hash FROM {} ORDER BY fid DESC LIMIT 1").format(
        _table(layer))).fetchone()
    return str(row[0]) if row and row[0] else chain.GENESIS


def _table_problems(conn: psycopg.Connection[Any], info: _Layer) -> list[str]:
    """How the table of ``info`` differs from its catalog entry."""
    actual = dict(conn.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (_table(info.name).as_string(conn),)).fetchall())
    problems = [f"layer {info.name!r}: column {c!r} is {actual.get(c)}, expected "
                f"{KIND_TYPES[kind]}" for c, kind in info.columns.items()
                if actual.get(c) != KIND_TYPES[kind]
                and not (kind == "datetimetz" and actual.get(c) == "timestamp with time zone")
                and not (kind == "datetime" and actual.get(c) == "timestamp without time zone")]
    if info.geometry_type is not None:
        gist = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
            "AND indexdef ILIKE %s", (LAYER_SCHEMA, info.name, f"%USING gist ({GEOMETRY_COLUMN})%"),
        ).fetchone()
        if not gist or not gist[0]:
            problems.append(f"layer {info.name!r} has no spatial (GiST) index")
        if LAYERS_BY_NAME.get(info.name) in METRIC_LAYERS:
            metric = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
                "AND indexdef ILIKE %s",
                (LAYER_SCHEMA, info.name, f"%USING gist ({METRIC_COLUMN})%")).fetchone()
            if not metric or not metric[0]:
                problems.append(f"layer {info.name!r} has no indexed EPSG:5514 geometry")
        srids = conn.execute("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND "
                             "f_table_name = %s", (LAYER_SCHEMA, info.name)).fetchone()
        if not srids or srids[0] != 4326:
            problems.append(f"layer {info.name!r} is not in EPSG:4326")
    return problems


def _match_where(catalog: Mapping[str, _Layer], match: RowMatch
                 ) -> tuple[_Layer, sql.Composed, list[object]]:
    """The layer ``match`` names, its SQL condition and the values bound to it.

    Raises ``StoreError`` for an unknown layer or column before any SQL runs.
    """
    info = catalog.get(match.layer)
    if info is None:
        raise StoreError("store.no_layer", layer=match.layer)
    named = match.columns
    if not named or any(c not in info.columns for c in named):
        raise StoreError("store.delete_columns", layer=info.name, columns=named)
    terms = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c in match.equals]
    values: list[object] = [column_values(pd.Series([v], dtype=object), info.columns[c], c)[0]
                            for c, v in match.equals.items()]
    if match.prefix:
        column, text = match.prefix
        bounds = match.prefix_range
        if bounds is not None and info.columns[column] == "str":
            # a byte-order range, which the column's prefix index (_create_indexes) serves
            # whatever the database's collation
            terms.append(sql.SQL('{0} COLLATE "C" >= %s AND {0} COLLATE "C" < %s').format(
                sql.Identifier(column)))
            values += list(bounds)
        terms.append(sql.SQL("starts_with({}::text, %s)").format(sql.Identifier(column)))
        values.append(text)
    if match.before:
        column, text = match.before
        # byte order, as on a GeoPackage, whatever the database's collation
        terms.append(sql.SQL('{} < %s COLLATE "C"').format(sql.Identifier(column)))
        values.append(text)
    return info, sql.SQL(" AND ").join(terms), values


def _towns_where(conn: psycopg.Connection[Any], info: _Layer, where: sql.Composable,
                 values: Sequence[Any]) -> set[str]:
    """The towns of the rows of ``info`` that ``where`` (with ``values``) selects, for the
    write counters (:data:`NO_TOWN` for a layer not kept per town)."""
    spec = LAYERS_BY_NAME.get(info.name)
    if spec is None or spec.town_column is None or spec.town_column not in info.columns:
        return {NO_TOWN}
    return {NO_TOWN if town is None else str(town) for (town,) in conn.execute(
        sql.SQL("SELECT DISTINCT {}::text FROM {} WHERE {}").format(
            sql.Identifier(spec.town_column), _table(info.name), where), values)}


def _check_columns(info: _Layer, frame: pd.DataFrame) -> None:
    given = attribute_columns(frame)
    if sorted(given) != sorted(info.columns):
        raise StoreError("store.append_columns", layer=info.name, given=given,
                         fields=list(info.columns))
    if info.geometry_type is not None and not isinstance(frame, gpd.GeoDataFrame):
        raise StoreError("store.append_no_geometry", layer=info.name)


def _create_layer(conn: psycopg.Connection[Any], name: str, frame: pd.DataFrame) -> _Layer:
    """Create the table of a new layer (with its indexes) and its catalog entry.

    Column types, NULL constraints, the geometry type and the indexed columns come from the
    layer's spec; only a layer (or a column) no spec describes takes the frame's dtypes.
    """
    if len(name.encode()) > MAX_NAME:
        raise StoreError("store.name_too_long", layer=name, limit=MAX_NAME)
    columns = column_kinds(name, frame)
    spec = LAYERS_BY_NAME.get(name)
    if any(len(c.encode()) > MAX_NAME or c == "fid" or c == GEOMETRY_COLUMN for c in columns):
        raise StoreError("store.column_names", layer=name, limit=MAX_NAME,
                         geometry=GEOMETRY_COLUMN)
    geometry_type = None
    if isinstance(frame, gpd.GeoDataFrame):
        geometry_type = spec.geometry if spec is not None and spec.geometry else "Geometry"
    required = {c.name for c in spec.fields if not c.nullable} if spec is not None else set()
    definitions: list[sql.Composable] = [sql.SQL("fid bigserial PRIMARY KEY")]
    definitions += [sql.SQL("{} {}{}").format(sql.Identifier(c), sql.SQL(KIND_TYPES[k]),
                                               sql.SQL(" NOT NULL" if c in required else ""))
                    for c, k in columns.items()]
    if geometry_type is not None:
        definitions.append(sql.SQL("{} geometry({}, 4326)").format(
            sql.Identifier(GEOMETRY_COLUMN), sql.SQL(geometry_type)))
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(_table(name),
                                                        sql.SQL(", ").join(definitions)))
    if geometry_type is not None:
        conn.execute(sql.SQL("CREATE INDEX ON {} USING gist ({})").format(
            _table(name), sql.Identifier(GEOMETRY_COLUMN)))
    layer = _Layer(name, geometry_type, columns)
    _add_metric_geometry(conn, layer)
    _create_indexes(conn, layer)
    conn.execute(f"INSERT INTO {META}.layers (name, position, geometry_type) "
                 f"SELECT %s, coalesce(max(position), 0) + 1, %s FROM {META}.layers",
                 (name, geometry_type))
    with conn.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {META}.columns (layer, name, position, kind) "
                           "VALUES (%s, %s, %s, %s)",
                           [(name, c, i, k) for i, (c, k) in enumerate(columns.items())])
    return layer


def _create_indexes(conn: psycopg.Connection[Any], layer: _Layer) -> None:
    """The B-tree indexes the layer's spec asks for (the map page reads one town's rows, ids
    find a row, a moderator selects a session); also for tables made before the spec asked.

    A text key gets a second one in byte order (``COLLATE "C"``): imported rows' ids start
    with their batch id, and a batch is undone or moderated by that prefix (``RowMatch``),
    which an index in the database's own collation cannot serve."""
    spec = LAYERS_BY_NAME.get(layer.name)
    for column in spec.indexed if spec is not None else ():
        if column in layer.columns:
            conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                _index_name(layer.name, column), _table(layer.name), sql.Identifier(column)))
    if spec is not None and spec.key is not None and layer.columns.get(spec.key) == "str":
        conn.execute(sql.SQL('CREATE INDEX IF NOT EXISTS {} ON {} ({} COLLATE "C")').format(
            sql.Identifier(f"{layer.name}_{spec.key}_prefix"[:MAX_NAME]), _table(layer.name),
            sql.Identifier(spec.key)))


def _only_new(conn: psycopg.Connection[Any], info: _Layer | None, column: str,
              frame: pd.DataFrame, seen: set[str]) -> pd.DataFrame:
    """Drop rows whose key is stored already or repeated within this batch."""
    if frame.empty:
        return frame
    if column not in frame.columns:
        raise StoreError("store.unique_key_missing", column=column)
    keys = frame[column].astype(str)
    stored: set[str] = set()
    if info is not None:
        # one-off index so a tablet's retried pin does not scan the whole layer
        conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
            _index_name(info.name, column), _table(info.name), sql.Identifier(column)))
        stored = {str(r[0]) for r in conn.execute(
            sql.SQL("SELECT {}::text FROM {} WHERE {}::text = ANY(%s)").format(
                sql.Identifier(column), _table(info.name), sql.Identifier(column)),
            (keys.unique().tolist(),))}
    fresh = ~keys.isin(stored | seen) & ~keys.duplicated()
    seen.update(keys[fresh])
    return frame[fresh.to_numpy()]


def _index_name(layer: str, column: str) -> sql.Identifier:
    """The name of the B-tree index on ``column`` of ``layer`` (one per column)."""
    return sql.Identifier(f"{layer}_{column}_key"[:MAX_NAME])


def _copy_rows(conn: psycopg.Connection[Any], info: _Layer, frame: pd.DataFrame) -> None:
    """``COPY`` the rows of ``frame`` into the layer's table (columns matched by name).

    The rows travel as CSV written by Arrow in one piece: feeding ``COPY`` row by row from
    Python took most of an import's time. Arrow quotes every text value and leaves NULL
    unquoted and empty, which is how PostgreSQL's CSV tells NULL from the empty string.
    """
    columns = {c: pa.array(column_values(frame[c], kind, c), type=WRITE_TYPES[kind])
               for c, kind in info.columns.items()}
    if info.geometry_type is not None:
        columns[GEOMETRY_COLUMN] = pa.array(_ewkb(frame.geometry, info.geometry_type),
                                            type=pa.string())
    sink = pa.BufferOutputStream()
    pacsv.write_csv(pa.table(columns), sink,
                    write_options=pacsv.WriteOptions(include_header=False))
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        _table(info.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    try:
        with conn.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(memoryview(sink.getvalue()))
    except psycopg.OperationalError:
        raise  # a lost connection or a full disk, not these rows: the connection reports it
    except psycopg.Error as exc:
        raise StoreError("store.write_failed", layer=info.name, detail=exc) from exc


def _ewkb(geometry: gpd.GeoSeries, geometry_type: str) -> list[str | None]:
    """Hex EWKB (SRID 4326) of each geometry, 2D, single parts promoted to multi-part.

    Promotion mirrors the GeoPackage backend, which stores e.g. a Polygon in a MultiPolygon
    layer as a one-part MultiPolygon.
    """
    geoms = promoted(geometry, geometry_type)
    hexes = shapely.to_wkb(shapely.set_srid(geoms, 4326), hex=True, include_srid=True)
    return [None if h is None else str(h) for h in hexes]


#: Arrow type the values of a column of each kind are written as.
WRITE_TYPES: Final = {"str": pa.string(), "int64": pa.int64(), "int32": pa.int32(),
                      "float64": pa.float64(), "float32": pa.float32(), "bool": pa.bool_(),
                      "datetime": pa.timestamp("us"), "datetimetz": pa.timestamp("us", "UTC")}
#: Arrow type a column of each kind is parsed as (datetimes arrive as epoch seconds).


def _pandas(kind: str, column: pa.Array | pa.ChunkedArray) -> Any:
    """``column`` (as Arrow reads the catalog ``kind``) as pyogrio would read it from a
    GeoPackage: all-NULL text as None objects, times as datetimes in ms."""
    if kind == "str" and column.null_count == len(column):
        return np.full(len(column), None, dtype=object)
    if kind.startswith("datetime"):
        stamps = pd.to_datetime(column.to_numpy(zero_copy_only=False), unit="s",
                                utc=kind == "datetimetz")
        return stamps.as_unit("ms")
    return column.to_pandas()


def _frame(info: _Layer, text: bytes) -> gpd.GeoDataFrame | pd.DataFrame:
    """The rows ``COPY … (FORMAT csv)`` sent, as pyogrio would read them from a GeoPackage.

    Row by row conversion in Python took most of a read; Arrow's CSV reader parses the whole
    answer at once. CSV keeps NULL (unquoted empty) apart from the empty string (quoted).
    """
    names = list(info.columns)
    types = {name: packed.KINDS[kind] for name, kind in info.columns.items()}
    if info.geometry_type is not None:
        types[GEOMETRY_COLUMN] = pa.string()
    if text:
        table = pacsv.read_csv(
            pa.py_buffer(text),
            read_options=pacsv.ReadOptions(column_names=list(types)),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False,
                true_values=["t"], false_values=["f"]))
    else:
        table = pa.table({name: pa.array([], type=kind) for name, kind in types.items()})
    frame = pd.DataFrame({name: _pandas(kind, table.column(name))
                          for name, kind in info.columns.items()}, columns=names)
    if info.geometry_type is None:
        return frame
    wkb = table.column(GEOMETRY_COLUMN).to_numpy(zero_copy_only=False)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapely.from_wkb(wkb),
                                                          crs=STORAGE_CRS), crs=STORAGE_CRS)
