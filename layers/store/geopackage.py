"""GeoPackage backend: one SQLite file, read and written through pyogrio (GDAL)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from layers.crs import STORAGE_CRS
from layers.schema import LAYERS_BY_NAME
from layers.store.base import Store, StoreError


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
            raise StoreError(f"store {self.path} does not exist; build it with `mapa build-demo`")

    def layer_names(self) -> list[str]:
        self._require()
        try:
            return [str(name) for name, _ in pyogrio.list_layers(self.path)]
        except DataSourceError as exc:
            raise StoreError(f"store {self.path} is not a readable GeoPackage: {exc}") from exc

    def read(self, layer: str, town_id: str | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        self._require()
        spec = LAYERS_BY_NAME.get(layer)
        where = None
        if town_id is not None:
            if spec is None or spec.town_column is None:
                raise StoreError(f"layer {layer!r} is not kept per town")
            where = f"{spec.town_column} = '{_sql_literal(town_id)}'"
        try:
            frame = pyogrio.read_dataframe(self.path, layer=layer, where=where)
        except (DataLayerError, DataSourceError) as exc:
            raise StoreError(f"cannot read layer {layer!r} from {self.path}: {exc}") from exc
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
            frame = frame.set_crs(STORAGE_CRS)
        return frame

    def replace_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        for name, frame in frames.items():
            if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None \
                    and frame.crs.to_epsg() != 4326:
                raise StoreError(f"layer {name!r} must be in EPSG:4326, got {frame.crs}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.gpkg",
                                        dir=self.path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # GDAL wants to create the file itself
        try:
            for name, frame in frames.items():
                _write_layer(tmp, name, frame)
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def version(self) -> str:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return "missing"
        return f"{stat.st_mtime_ns}-{stat.st_size}"


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    if isinstance(frame, gpd.GeoDataFrame):
        spec = LAYERS_BY_NAME.get(name)
        geometry_type = spec.geometry if spec is not None and spec.geometry else None
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                                geometry_type=geometry_type, promote_to_multi=
                                bool(geometry_type and geometry_type.startswith("Multi")))
    else:
        pyogrio.write_dataframe(pd.DataFrame(frame), path, layer=name, driver="GPKG")


def _sql_literal(value: str) -> str:
    return value.replace("'", "''")
