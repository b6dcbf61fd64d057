"""Export of a town's pins as CSV, GeoJSON or GeoPackage, for internal use or the public.

An internal export holds every pin with all its columns (moderators, police). A public export
(``public=True``) holds only approved pins, no free text, and sensitive categories only as
grid cells with at least k answers (``layers.privacy.public_pin_view``): no exact sensitive
point and no screened comment can leave through it.

Illustrative (generated) answers are marked in every format: an ``illustrative`` column on
every row (a cell is illustrative when any of its answers is), and in the file's metadata
(GeoPackage layer metadata, the GeoJSON description) how many rows are illustrative.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.crs import METRIC_CRS
from layers.privacy import public_pin_view
from layers.schema import PINS, TOWNS
from layers.spreadsheet import neutralise_formulas
from layers.store import Store

FORMATS: Final = ("csv", "geojson", "gpkg")
#: What the metadata says of illustrative rows.
ILLUSTRATIVE_NOTE: Final = ("ilustrativní data: generované odpovědi, nikoli skutečné "
                            "(illustrative data: generated answers, not real ones)")


def export_pins(store: Store, town_id: str, out: Path, fmt: str, *,
                session_id: str | None = None, public: bool = False, k: int = 5) -> dict[str, int]:
    """Write the pins of ``town_id`` (optionally one session) to ``out``; return counts.

    Returns ``{"pins": n, "cells": m}`` (cells only in public exports of the whole town).
    Raises ``ValueError`` for an unknown format or town; the file is written whole or not at
    all.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    if store.read(TOWNS, town_id).empty:
        raise ValueError(f"unknown town {town_id!r}")
    pins = store.read(PINS, town_id)
    if session_id is not None:
        pins = pins[pins["session_id"] == session_id]
    cells = None
    generated = pins["synthetic"].fillna(False).astype(bool)
    if public:
        pins, cells = public_pin_view(pins, k=k)
        if session_id is not None:
            # one session's cells against the whole town's would differ by fewer than k
            # answers (layers.hotspots.public_sets): a public export of a session has none
            cells = cells.iloc[0:0]
        cells = cells.assign(illustrative=bool(generated.any()))
    pins = pins.assign(illustrative=pins["synthetic"].fillna(False).astype(bool))
    tmp = out.with_name(f".{out.stem}.part{out.suffix}")
    tmp.unlink(missing_ok=True)
    try:
        _write(tmp, fmt, gpd.GeoDataFrame(pins), cells)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"pins": len(pins), "cells": 0 if cells is None else len(cells)}


def _metadata(frame: pd.DataFrame) -> dict[str, str]:
    """How many rows of ``frame`` are illustrative, and the note saying what that means."""
    count = int(frame["illustrative"].sum())
    return {"illustrative_rows": str(count), "rows": str(len(frame)),
            "note": ILLUSTRATIVE_NOTE if count else ""}


def _write(path: Path, fmt: str, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None) -> None:
    if fmt == "gpkg":
        pyogrio.write_dataframe(pins, path, layer="pins", driver="GPKG",
                                layer_metadata=_metadata(pins))
        if cells is not None:
            pyogrio.write_dataframe(cells, path, layer="sensitive_cells", driver="GPKG",
                                    append=True, layer_metadata=_metadata(cells))
        return
    parts = [pins.assign(kind="pin")]
    if cells is not None:
        parts.append(cells.assign(kind="cell"))
    both = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=pins.crs)
    if fmt == "geojson":
        meta = _metadata(both)
        description = (f"{meta['note']} ({meta['illustrative_rows']}/{meta['rows']})"
                       if meta["note"] else "")
        pyogrio.write_dataframe(both, path, driver="GeoJSON", DESCRIPTION=description)
        return
    # CSV: points as lon/lat; a cell is written with its centre and its count, never a pin
    centres = both.geometry.to_crs(METRIC_CRS).centroid.to_crs(both.crs)
    table = pd.DataFrame(both.drop(columns="geometry"))
    for column in ("feeling", "count"):
        if column in table:
            table[column] = table[column].astype("Int64")
    table.insert(0, "lon", centres.x.round(6))
    table.insert(1, "lat", centres.y.round(6))
    neutralise_formulas(table).to_csv(path, index=False, encoding="utf-8")
