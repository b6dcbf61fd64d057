"""The store interface every backend implements, and what the backends share."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.crs import STORAGE_CRS
from layers.errors import StoreFailure
from layers.schema import LAYERS_BY_NAME, ColumnKind, LayerSpec

if TYPE_CHECKING:
    from layers.store.spatial import Area, Filters

#: A layer as the store's methods take it: its spec, or (for generic tools that handle layers
#: they do not know, e.g. copying a whole store) its name.
Layer = LayerSpec | str
#: The town key of rows that belong to no town (layers not kept per town).
NO_TOWN: Final = ""
#: pandas kind a column of each spec kind is stored and read back as.
SPEC_KINDS: Final[dict[ColumnKind, str]] = {"text": "str", "integer": "int64",
                                            "real": "float64", "boolean": "bool"}
#: shapely's type ids of the single-part types a multi-part layer promotes.
SINGLE_TYPE_IDS: Final = {"Point": 0, "LineString": 1, "Polygon": 3}



class StoreError(StoreFailure):
    """The store cannot do what was asked (missing, unreadable, or a write was refused)."""


def layer_name(layer: Layer) -> str:
    """The name of ``layer``."""
    return layer.name if isinstance(layer, LayerSpec) else layer


@dataclass(frozen=True)
class RowMatch:
    """Rows of ``layer`` to delete or update: every ``equals`` column holds its value, with
    ``prefix`` = (column, text) that column's text starts with ``text`` (exact, no wildcards),
    and with ``before`` = (column, text) that column's text sorts before ``text`` byte by byte (ISO
    8601 times of one format sort as they follow: old rows are pruned this way).

    Ids of imported rows start with their batch id, so one prefix match removes a whole batch
    without listing a million ids. ``layer`` is the layer's name: an import keeps the matches
    that undo it as JSON.
    """

    layer: str
    equals: Mapping[str, object] = field(default_factory=dict)
    prefix: tuple[str, str] | None = None
    before: tuple[str, str] | None = None

    @property
    def prefix_range(self) -> tuple[str, str] | None:
        """(low, high): the texts that start with ``prefix``'s text are those from ``low``
        (included) to ``high`` (excluded) byte by byte, so a B-tree index on the column finds
        them; None without a prefix (or one that ends in the last code point)."""
        if not self.prefix or not self.prefix[1] or self.prefix[1][-1] == chr(0x10FFFF):
            return None
        text = self.prefix[1]
        return text, text[:-1] + chr(ord(text[-1]) + 1)

    @property
    def columns(self) -> list[str]:
        """Every column the match names (none: it would match every row, and is refused)."""
        return [*self.equals, *(part[0] for part in (self.prefix, self.before)
                                if part is not None)]


class Store(ABC):
    """Layers of a safety map, stored in EPSG:4326.

    Layers are named by their :class:`~layers.schema.LayerSpec`; a layer's columns get the
    types its spec gives them (a layer no spec describes keeps its first frame's dtypes).
    Spatial layers come back as GeoDataFrames in EPSG:4326, attribute tables as DataFrames.
    Writes are atomic: after a failed write the store holds exactly what it held before.
    Several writes are made one with :meth:`transaction`.
    """

    #: Human-readable location (a path or URL without secrets).
    location: str

    @abstractmethod
    def exists(self) -> bool:
        """True when the store has been built."""

    @abstractmethod
    def layer_names(self) -> list[str]:
        """Names of the layers present."""

    @abstractmethod
    def read(self, layer: Layer, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """Rows of ``layer`` (all, or one town's). Raises ``StoreError`` for an unknown layer."""

    @abstractmethod
    def read_columns(self, layer: Layer, columns: Sequence[str]) -> pd.DataFrame:
        """``columns`` of every row of ``layer``, without its geometry (a table to look names
        or codes up in, which would not pay for reading every outline), in stored order.
        Raises ``StoreError`` for an unknown layer or column."""

    @abstractmethod
    def read_where(self, layer: Layer, column: str, values: Iterable[str]
                   ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Rows of ``layer`` whose ``column`` holds one of ``values``, found through the
        column's index when the spec indexes it (its key, town column or a lookup), in
        stored order. Raises ``StoreError`` for an unknown layer or column."""

    @abstractmethod
    def read_intersecting(self, layer: LayerSpec, area: Area, town_id: str | None = None
                          ) -> gpd.GeoDataFrame:
        """Rows of spatial ``layer`` (all, or one town's) whose geometry intersects ``area``
        (EPSG:4326: a box or a geometry; boundaries touching count), found through the
        spatial index so only those rows are read; as :meth:`read` gives them, in stored
        order. Raises ``StoreError`` for an unknown or attribute layer or an empty area."""

    @abstractmethod
    def read_points(self, layer: LayerSpec, columns: Sequence[str], town_id: str | None = None
                    ) -> pd.DataFrame:
        """``columns`` of point ``layer``'s rows (all, or one town's) with each point's
        EPSG:5514 coordinates in metres as columns ``x`` and ``y`` (NaN for a row without a
        geometry), in stored order, without building a geometry: what a metric analysis of
        many points reads. Raises ``StoreError`` for an unknown or non-point layer, an
        unknown column or one named ``x`` or ``y``."""

    @abstractmethod
    def cell_counts(self, layer: LayerSpec, cell_m: float, town_id: str | None = None,
                    by: str | None = None, where: Filters | None = None) -> pd.DataFrame:
        """How many rows of point ``layer`` (all, or one town's, only those whose columns
        hold one of the ``where`` values) lie in each square cell of ``cell_m`` metres of
        EPSG:5514, computed where the rows are.

        Columns ``col``, ``row`` (cell ``col·cell_m ≤ x < (col+1)·cell_m``, likewise y, in
        EPSG:5514 metres), ``by`` (the value of that column, one row per cell and value;
        absent without ``by``) and ``count`` (≥ 1); sorted by col, row (and ``by``). Rows
        without a geometry are not counted. Raises ``StoreError`` for an unknown layer or
        column, or a cell size that is not a positive number.
        """

    @abstractmethod
    def nearest_distances(self, points: LayerSpec | gpd.GeoSeries, targets: LayerSpec,
                          town_id: str | None = None, where: Filters | None = None
                          ) -> pd.Series:
        """Distance in EPSG:5514 metres from each of ``points`` to the nearest row of
        ``targets`` (the town's, if given, holding one of the ``where`` values), found by
        the targets' spatial index: 0 when a point lies on its target or a polygon holds it,
        inf when there is no target.

        ``points`` is a layer (its town's rows; the answer is indexed by the layer's key,
        in stored order) or geometries in any CRS (the answer has their index). Raises
        ``StoreError`` for an unknown layer or column, ``ValueError`` for geometries
        without a CRS.
        """

    @abstractmethod
    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace the whole store with ``frames`` (layer name → frame), atomically."""

    @abstractmethod
    def append_batch(self, items: Iterable[tuple[Layer, pd.DataFrame]],
                     unique_keys: Mapping[str, str] | None = None) -> dict[str, int]:
        """Add rows to layers, as one batch: ``items`` yields (layer, frame) pairs.

        ``unique_keys`` (layer name → key column) makes the write idempotent for those layers: rows
        whose key is already stored (or repeated in the batch) are skipped, not duplicated —
        a retried submission from a tablet adds nothing the second time.

        Layers absent from the store are created. All or nothing: when any item fails (wrong
        CRS, other columns than the layer's, an exception raised by the iterator itself, e.g.
        a broken input file half-way), the store is left exactly as it was. Spatial frames must
        be in EPSG:4326. Returns rows added per layer name; raises ``StoreError`` for a
        refused frame. Concurrent writers are serialised: none is lost.
        """

    @abstractmethod
    def update_rows(self, layer: Layer, key: str, changes: pd.DataFrame) -> int:
        """Set attribute columns of the rows whose ``key`` matches, in one transaction.

        ``changes`` holds the ``key`` column and the columns to set (no geometry). Returns
        the number of rows changed; raises ``StoreError`` for an unknown layer or column.
        """

    @abstractmethod
    def delete_rows(self, layer: Layer, key: str, values: Iterable[str]) -> int:
        """Delete the rows whose ``key`` is in ``values``, in one transaction; return how many."""

    @abstractmethod
    def delete_matching(self, matches: Sequence[RowMatch]) -> dict[str, int]:
        """Delete the rows each of ``matches`` describes, across layers, in ONE transaction.

        All or nothing: an unknown layer or column raises ``StoreError`` before anything is
        deleted, and a failure half-way leaves the store exactly as it was (undo of an import
        batch relies on this). A match that finds no row is not an error. Returns rows
        deleted per layer. Concurrent writers are serialised, as for :meth:`append_batch`.
        """

    @abstractmethod
    def update_matching(self, match: RowMatch, values: Mapping[str, object]) -> int:
        """Set the ``values`` columns of every row ``match`` describes, in ONE statement.

        Set-based, on the layer's indexes: a moderator's decision over a 25,000-pin import
        costs one indexed update, not one per row. Raises ``StoreError`` for an unknown layer
        or column (nothing changed); returns the number of rows changed.
        """

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """``with store.transaction():`` makes the writes inside one: they are stored together
        when the block ends, or none is when it raises (the exception propagates).

        Other writers wait until the block ends; readers see the store before or after it.
        Writes inside a nested block belong to the outermost one. Read what a change needs
        before the block: whether reads inside it see its own writes differs by backend.
        """

    def append(self, layer: Layer, frame: pd.DataFrame) -> None:
        """Add the rows of ``frame`` to ``layer`` atomically (see :meth:`append_batch`)."""
        self.append_batch([(layer, frame)])

    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the stored data change (for caches)."""

    def version_of(self, parts: Iterable[tuple[Layer, str | None]]) -> str:
        """A token that changes whenever rows of the given (layer, town) pairs change.

        ``town`` None means the whole layer. A write changes the token of the towns whose
        rows it adds, changes or deletes (and of the whole layer); rows of no town (a layer
        not kept per town) count for every town. Replacing the store changes every token.
        """
        wanted = [(layer_name(layer), town) for layer, town in parts]
        generation, counters = self._counters({name for name, _ in wanted})
        counts = []
        for name, town in wanted:
            counts.append(sum(count for (layer, at), count in counters.items() if layer == name
                              and (town is None or at in (town, NO_TOWN))))
        return f"{generation}:{'.'.join(map(str, counts))}"

    @abstractmethod
    def _counters(self, layers: set[str]) -> tuple[str, dict[tuple[str, str], int]]:
        """The store's generation (new with every :meth:`replace_all`) and the write counters
        of ``layers`` by (layer, town); see :meth:`version_of`."""

    @abstractmethod
    def check(self) -> list[str]:
        """Integrity problems of the stored data and their indexes, one line each (none: [])."""

    def remove_leftovers(self) -> int:
        """Delete what a killed writer left beside the store, unless a writer is at work now;
        return how many files were removed. Nothing to do by default (a database rolls an
        unfinished transaction back itself)."""
        return 0

    def counts(self) -> dict[str, int]:
        """Number of rows per layer."""
        return {name: len(self.read(name)) for name in self.layer_names()}

    def counts_by_town(self) -> dict[str, dict[str, int]]:
        """Rows per town for every layer that has a ``town_id`` column."""
        out: dict[str, dict[str, int]] = {}
        for name in self.layer_names():
            frame = self.read(name)
            if "town_id" in frame.columns:
                out[name] = {str(k): int(v) for k, v in frame["town_id"].value_counts().items()}
        return out


def check_crs(layer: str, frame: pd.DataFrame) -> None:
    """Raise ``StoreError`` unless ``frame`` is an attribute table or in its layer's CRS
    (the spec's; EPSG:4326 for every layer, and for a layer no spec describes)."""
    spec = LAYERS_BY_NAME.get(layer)
    crs = CRS.from_user_input(spec.crs if spec is not None else STORAGE_CRS)
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None \
            and frame.crs.to_epsg() != crs.to_epsg():
        raise StoreError("store.not_storage_crs", layer=layer, crs=frame.crs)


def attribute_columns(frame: pd.DataFrame) -> list[str]:
    """The names of ``frame``'s columns other than its geometry."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [str(c) for c in frame.columns if c != geometry]


def check_required(layer: str, frame: pd.DataFrame) -> None:
    """Raise ``StoreError`` when ``frame`` leaves a column its spec requires (not nullable)
    empty: every backend refuses such rows alike."""
    spec = LAYERS_BY_NAME.get(layer)
    for column in spec.fields if spec is not None else ():
        if not column.nullable and column.name in frame.columns \
                and bool(frame[column.name].isna().any()):
            raise StoreError("store.empty_key", layer=layer, column=column.name)


def column_kinds(layer: str, frame: pd.DataFrame) -> dict[str, str]:
    """The pandas kind each attribute column of a new ``layer`` is stored as: its spec's type,
    or for a column no spec describes the kind of its dtype in ``frame``."""
    spec = LAYERS_BY_NAME.get(layer)
    kinds = {}
    for name in attribute_columns(frame):
        column = spec.column(name) if spec is not None else None
        kinds[name] = SPEC_KINDS[column.kind] if column is not None else dtype_kind(frame[name])
    return kinds


def typed(layer: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column the layer's spec types converted to that type, for a
    backend that takes a new layer's column types from its first frame's dtypes.

    Integers and booleans with missing values become pandas' nullable dtypes. Raises
    ``StoreError`` for a value that does not fit (e.g. 1.5 for an integer column).
    """
    spec = LAYERS_BY_NAME.get(layer)
    converted = {}
    for column in spec.fields if spec is not None else ():
        if column.kind == "text" or column.name not in frame.columns:
            continue
        values = column_values(frame[column.name], SPEC_KINDS[column.kind], column.name)
        missing = any(v is None for v in values)
        dtype = {"integer": "Int64" if missing else "int64", "real": "float64",
                 "boolean": "boolean" if missing else "bool"}[column.kind]
        converted[column.name] = pd.Series(values, index=frame.index, dtype=dtype)
    return frame.assign(**converted) if converted else frame


def dtype_kind(series: pd.Series) -> str:
    """The kind a column of ``series``' dtype is stored and read back as (pyogrio's
    GeoPackage types): str, int64, int32, float64, float32, bool, datetime or datetimetz."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int64" if int(getattr(dtype, "itemsize", 8)) >= 8 else "int32"
    if pd.api.types.is_float_dtype(dtype):
        return "float32" if int(getattr(dtype, "itemsize", 8)) == 4 else "float64"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetimetz"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "datetime"
    return "str"


def column_values(series: pd.Series, kind: str, name: str) -> list[Any]:
    """The values of ``series`` as Python objects for a column of ``kind`` (None = NULL).

    Raises ``StoreError`` when a value does not fit (e.g. 1.5 for an integer column).
    """
    mask = series.isna().to_numpy()
    out: list[Any]
    try:
        if kind == "str":
            out = [v if isinstance(v, str) else str(v)
                   for v in series.to_numpy(dtype=object)]
        elif kind in ("int64", "int32"):
            numeric = pd.to_numeric(series).to_numpy(dtype="float64", na_value=0.0) \
                if mask.any() or not pd.api.types.is_integer_dtype(series.dtype) \
                else series.to_numpy()
            if not np.all(np.mod(numeric, 1) == 0):
                raise ValueError("not whole numbers")
            out = np.asarray(numeric).astype(np.int64).tolist()
        elif kind in ("float64", "float32"):
            out = pd.to_numeric(series).to_numpy(dtype="float64", na_value=np.nan).tolist()
        elif kind == "bool":
            out = [bool(v) for v in series.to_numpy(dtype=object)]
        else:  # datetime kinds
            out = list(pd.to_datetime(series).dt.to_pydatetime())
    except (TypeError, ValueError) as exc:
        raise StoreError("store.column_type", column=name, type=kind, detail=exc) from exc
    for index in np.flatnonzero(mask):
        out[index] = None
    return out


def promoted(geometry: gpd.GeoSeries, geometry_type: str) -> np.ndarray:
    """The geometries of ``geometry`` in 2D, single parts promoted to the multi-part
    ``geometry_type`` of their layer (a Polygon becomes a one-part MultiPolygon)."""
    geoms = np.asarray(geometry.values, dtype=object)
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    if geometry_type.startswith("Multi"):
        single = geometry_type.removeprefix("Multi")
        promote = {"Point": shapely.multipoints, "LineString": shapely.multilinestrings,
                   "Polygon": shapely.multipolygons}[single]
        singles = shapely.get_type_id(geoms) == SINGLE_TYPE_IDS[single]
        geoms[singles] = promote(geoms[singles][:, np.newaxis])  # one part each
    return geoms


def towns_of(layer: str, frame: pd.DataFrame) -> set[str]:
    """The towns whose rows ``frame`` holds, for the layer's write counters: the values of
    its town column, or :data:`NO_TOWN` for a layer not kept per town."""
    spec = LAYERS_BY_NAME.get(layer)
    if spec is None or spec.town_column is None or spec.town_column not in frame.columns:
        return {NO_TOWN}
    return {NO_TOWN if pd.isna(town) else str(town) for town in frame[spec.town_column].unique()}
