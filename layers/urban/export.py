"""Export a view's layers (with their attributes) to one GeoPackage for QGIS.

Each frame becomes a layer in EPSG:4326 (GeoPackage readers expect it and the store serves
it); booleans stay integers 0/1 as GDAL writes them, infinite distances become empty (NULL)
values so QGIS does not show ``inf``. The file is written next to its target and renamed over
it, so a reader never sees half a file.

:func:`mark_illustrative` adds the ``illustrative`` column to a view's layers and
:func:`illustrative_metadata` the layer metadata saying the data are generated.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pyogrio

from layers.crs import to_storage
from layers.errors import InvalidInput
from layers.files import atomic_output

#: What the metadata of an export from illustrative data says.
ILLUSTRATIVE_NOTE: Final = ("ilustrativní data: lokality, služby nebo odpovědi, z nichž vrstvy "
                            "vycházejí, jsou generované, nikoli skutečné (illustrative data: "
                            "the localities, services or answers behind the layers are "
                            "generated, not real)")


def mark_illustrative(layers: Mapping[str, gpd.GeoDataFrame], illustrative: bool
                      ) -> dict[str, gpd.GeoDataFrame]:
    """``layers`` with an ``illustrative`` column: a row's own ``synthetic`` flag where the
    layer has one (services), else ``illustrative`` (the view is computed from generated
    data)."""
    return {name: frame.assign(illustrative=frame["synthetic"].fillna(False).astype(bool)
                               if "synthetic" in frame.columns else illustrative)
            for name, frame in layers.items()}


def illustrative_metadata(illustrative: bool) -> dict[str, str]:
    """Layer metadata for :func:`export_gpkg`: the note when the view is illustrative."""
    return {"illustrative": ILLUSTRATIVE_NOTE} if illustrative else {}


def export_gpkg(layers: Mapping[str, gpd.GeoDataFrame], out: Path,
                metadata: Mapping[str, str] | None = None) -> dict[str, int]:
    """Write ``layers`` (name → GeoDataFrame with a CRS) to ``out``; return rows per layer.
    ``metadata`` (e.g. an illustrative-data note) is written as every layer's metadata.

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
            pyogrio.write_dataframe(clean, tmp, layer=layer, driver="GPKG",
                                    layer_metadata=dict(metadata) if metadata else None)
    return {layer: len(frame) for layer, frame in written.items()}


def export_bytes(layers: Mapping[str, gpd.GeoDataFrame],
                 metadata: Mapping[str, str] | None = None) -> bytes:
    """The GeoPackage of :func:`export_gpkg` as bytes (for a download button)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        export_gpkg(layers, path, metadata)
        return path.read_bytes()
