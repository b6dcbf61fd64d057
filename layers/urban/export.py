"""Export a view's layers (with their attributes) to one GeoPackage for QGIS.

Each frame becomes a layer in EPSG:4326 (GeoPackage readers expect it and the store serves
it); booleans stay integers 0/1 as GDAL writes them, infinite distances become empty (NULL)
values so QGIS does not show ``inf``. The file is written next to its target and renamed over
it, so a reader never sees half a file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio

from layers.crs import to_storage
from layers.errors import InvalidInput
from layers.files import atomic_output


def export_gpkg(layers: Mapping[str, gpd.GeoDataFrame], out: Path) -> dict[str, int]:
    """Write ``layers`` (name → GeoDataFrame with a CRS) to ``out``; return rows per layer.

    Empty layers are skipped (a GeoPackage layer needs a geometry type). Raises
    ``InvalidInput`` ("export.nothing", naming the layers) when nothing is left to write, and
    ``ValueError`` when a frame has no CRS.
    """
    written = {name: frame for name, frame in layers.items() if len(frame)}
    if not written:
        raise InvalidInput("export.nothing", layers=", ".join(layers))
    with atomic_output(out) as tmp:
        for layer, frame in written.items():
            clean = to_storage(frame).copy()
            for column in clean.columns:
                if column != clean.geometry.name and clean[column].dtype.kind == "f":
                    values = clean[column].to_numpy(dtype=float)
                    clean[column] = np.where(np.isfinite(values), values, np.nan)
            pyogrio.write_dataframe(clean, tmp, layer=layer, driver="GPKG")
    return {layer: len(frame) for layer, frame in written.items()}


def export_bytes(layers: Mapping[str, gpd.GeoDataFrame]) -> bytes:
    """The GeoPackage of :func:`export_gpkg` as bytes (for a download button)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        export_gpkg(layers, path)
        return path.read_bytes()
