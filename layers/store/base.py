"""The store interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd


class StoreError(RuntimeError):
    """The store cannot do what was asked (missing, unreadable, or a write was refused)."""


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
    def version(self) -> str:
        """A token that changes whenever the stored data change (for caches)."""

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
