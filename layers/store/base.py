"""The store interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from layers.errors import StoreFailure


class StoreError(StoreFailure):
    """The store cannot do what was asked (missing, unreadable, or a write was refused)."""


@dataclass(frozen=True)
class RowMatch:
    """Rows of ``layer`` to delete: every ``equals`` column holds its value and, with
    ``prefix`` = (column, text), that column's text starts with ``text`` (exact, no wildcards).

    Ids of imported rows start with their batch id, so one prefix match removes a whole batch
    without listing a million ids.
    """

    layer: str
    equals: Mapping[str, object] = field(default_factory=dict)
    prefix: tuple[str, str] | None = None


class Store(ABC):
    """Layers of a safety map, stored in EPSG:4326.

    Spatial layers come back as GeoDataFrames in EPSG:4326, attribute tables as DataFrames.
    Writes are atomic: after a failed write the store holds exactly what it held before.
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
    def read(self, layer: str, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """Rows of ``layer`` (all, or one town's). Raises ``StoreError`` for an unknown layer."""

    @abstractmethod
    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace the whole store with ``frames`` (layer name → frame), atomically."""

    @abstractmethod
    def append_batch(self, items: Iterable[tuple[str, pd.DataFrame]],
                     unique_keys: Mapping[str, str] | None = None) -> dict[str, int]:
        """Add rows to layers, as one batch: ``items`` yields (layer name, frame) pairs.

        ``unique_keys`` (layer → key column) makes the write idempotent for those layers: rows
        whose key is already stored (or repeated in the batch) are skipped, not duplicated —
        a retried submission from a tablet adds nothing the second time.

        Layers absent from the store are created. All or nothing: when any item fails (wrong
        CRS, other columns than the layer's, an exception raised by the iterator itself, e.g.
        a broken input file half-way), the store is left exactly as it was. Spatial frames must
        be in EPSG:4326. Returns rows added per layer; raises ``StoreError`` for a refused
        frame. Concurrent writers are serialised: none is lost.
        """

    @abstractmethod
    def update_rows(self, layer: str, key: str, changes: pd.DataFrame) -> int:
        """Set attribute columns of the rows whose ``key`` matches, in one transaction.

        ``changes`` holds the ``key`` column and the columns to set (no geometry). Returns
        the number of rows changed; raises ``StoreError`` for an unknown layer or column.
        """

    @abstractmethod
    def delete_rows(self, layer: str, key: str, values: Iterable[str]) -> int:
        """Delete the rows whose ``key`` is in ``values``, in one transaction; return how many."""

    @abstractmethod
    def delete_matching(self, matches: Sequence[RowMatch]) -> dict[str, int]:
        """Delete the rows each of ``matches`` describes, across layers, in ONE transaction.

        All or nothing: an unknown layer or column raises ``StoreError`` before anything is
        deleted, and a failure half-way leaves the store exactly as it was (undo of an import
        batch relies on this). A match that finds no row is not an error. Returns rows
        deleted per layer. Concurrent writers are serialised, as for :meth:`append_batch`.
        """

    def append(self, layer: str, frame: pd.DataFrame) -> None:
        """Add the rows of ``frame`` to ``layer`` atomically (see :meth:`append_batch`)."""
        self.append_batch([(layer, frame)])

    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the stored data change (for caches)."""

    @abstractmethod
    def check(self) -> list[str]:
        """Integrity problems of the stored data and their indexes, one line each (none: [])."""

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
