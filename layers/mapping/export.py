"""Export of a town's pins in the formats the people who use them open: a styled GeoPackage
for QGIS, RFC 7946 GeoJSON, CSV for Czech Excel, KML for Google Earth and My Maps, and
FlatGeobuf — for internal use or the public.

An internal export holds every pin with all its columns (moderators, police), and one column
per question of its session (``layers.mapping.questions``). A public export (``public=True``)
holds only approved pins, no free text (nor text questions), and sensitive categories only as
grid cells with at least k answers (``layers.privacy.public_pin_view``): no exact sensitive
point and no screened comment can leave through it.

What each format carries:

* ``gpkg``: layers ``pins`` and (public) ``sensitive_cells``, ``created_at`` a real date/time
  field, booleans as boolean fields, and a ``layer_styles`` table (the one QGIS reads) with a
  QML and an SLD style per layer in the app's legend colours (``layers.mapping.styles``).
  WGS 84, or S-JTSK / Krovak East North with ``crs="5514"``.
* ``geojson``: RFC 7946 — no ``crs`` member, lon/lat in WGS 84 rounded to 7 decimals,
  numbers and booleans as JSON types, the collection named (``name``); pins and cells in one
  collection told apart by ``kind``.
* ``csv``: for Czech Excel — UTF-8 with a BOM, ``;`` between cells, Czech headers and labels
  instead of codes, no internal ids, lon/lat with 6 decimals (a decimal comma with
  ``decimal_comma``), formula-like text neutralised (``layers.spreadsheet``).
* ``kml``: one folder of placemarks named by their Czech category label (a cell by its
  count).
* ``fgb``: one FlatGeobuf layer of pins and cells (``kind``), WGS 84 or S-JTSK.

Illustrative (generated) answers are marked in every format: an ``illustrative`` column on
every row (a cell is illustrative when any of its answers is), and in the file's metadata
(GeoPackage layer metadata, the GeoJSON description) how many rows are illustrative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.errors import InvalidInput
from layers.mapping.questions import answer_columns
from layers.mapping.styles import category_qml, category_sld, cells_qml, cells_sld
from layers.privacy import public_pin_view
from layers.schema import PINS, TOWNS
from layers.spreadsheet import neutralise_formulas
from layers.store import Store
from layers.vocabulary import (
    EXPORT_COLUMN,
    EXPORT_KIND,
    EXPORT_LABELS,
    PIN_CATEGORY,
)

FORMATS: Final = ("csv", "geojson", "gpkg", "kml", "fgb")
#: Output CRS by the name ``--crs`` takes; only GeoPackage and FlatGeobuf may leave WGS 84
#: (RFC 7946, KML and the CSV's lon/lat columns are WGS 84 by definition).
OUTPUT_CRS: Final = {"4326": STORAGE_CRS, "5514": METRIC_CRS}
METRIC_FORMATS: Final = ("gpkg", "fgb")
#: Decimals of RFC 7946 coordinates (about 1 cm) and of the CSV's lon/lat (about 10 cm).
GEOJSON_DECIMALS: Final = 7
CSV_DECIMALS: Final = 6
PINS_LAYER: Final = "pins"
CELLS_LAYER: Final = "sensitive_cells"
#: The language of labels and headers in a CSV and of the QGIS legend.
EXPORT_LANGUAGE: Final = "cs"
BOOLEAN_COLUMNS: Final = ("transcribed", "synthetic", "comment_held", "illustrative")


@dataclass(frozen=True)
class ExportOptions:
    """How to write: ``crs`` a key of :data:`OUTPUT_CRS` (``"5514"`` only for
    :data:`METRIC_FORMATS`); ``decimal_comma`` writes the CSV's numbers with a comma."""

    crs: str = "4326"
    decimal_comma: bool = False


DEFAULT_OPTIONS: Final = ExportOptions()
#: What the metadata says of illustrative rows.
ILLUSTRATIVE_NOTE: Final = ("ilustrativní data: generované odpovědi, nikoli skutečné "
                            "(illustrative data: generated answers, not real ones)")


def export_pins(store: Store, town_id: str, out: Path, fmt: str, *,
                session_id: str | None = None, public: bool = False, k: int = 5,
                options: ExportOptions = DEFAULT_OPTIONS) -> dict[str, int]:
    """Write the pins of ``town_id`` (optionally one session) to ``out``; return counts.

    Returns ``{"pins": n, "cells": m}`` (cells only in public exports of the whole town).
    Raises ``InvalidInput`` (a ``ValueError``) for an unknown format, an unknown CRS or one
    the format cannot carry, and ``NotFound`` for an unknown town; the file is written whole
    or not at all.
    """
    if fmt not in FORMATS:
        raise InvalidInput("export.format", fmt=fmt, formats=", ".join(FORMATS))
    if options.crs not in OUTPUT_CRS or (options.crs != "4326" and fmt not in METRIC_FORMATS):
        raise InvalidInput("export.crs", crs=options.crs, fmt=fmt,
                           formats=", ".join(METRIC_FORMATS))
    towns = store.read(TOWNS, town_id)
    if towns.empty:
        raise InvalidInput("mapping.unknown_town", town=town_id)
    pins = store.read(PINS, town_id)
    if session_id is not None:
        pins = pins[pins["session_id"] == session_id]
    cells = None
    generated = any_generated(pins)
    if public:
        pins, cells = public_pin_view(pins, k=k)
        if session_id is not None:
            # one session's cells against the whole town's would differ by fewer than k
            # answers (layers.hotspots.public_sets): a public export of a session has none
            cells = cells.iloc[0:0]
        cells = cells.assign(illustrative=generated)
    pins = pins.assign(illustrative=pins["synthetic"].fillna(False).astype(bool))
    # the answers to the sessions' own questions, one column per question
    answers = answer_columns(store, pins, public)
    pins = pins.join(answers)
    title = f"Pocitová mapa – {towns['name'].iloc[0]}"
    tmp = out.with_name(f".{out.stem}.part{out.suffix}")
    tmp.unlink(missing_ok=True)
    try:
        typed = _typed(gpd.GeoDataFrame(pins))
        if fmt == "csv":  # the question columns are not in the CSV's fixed column list
            _write_csv(tmp, typed, cells, title, options, questions=tuple(answers.columns))
        else:
            _WRITERS[fmt](tmp, typed, cells, title, options)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"pins": len(pins), "cells": 0 if cells is None else len(cells)}


def any_generated(pins: pd.DataFrame) -> bool:
    """Whether any of ``pins`` (rows of the pins layer) is illustrative (generated)."""
    return bool(pins["synthetic"].fillna(False).astype(bool).any())


def _metadata(frame: pd.DataFrame) -> dict[str, str]:
    """How many rows of ``frame`` are illustrative, and the note saying what that means."""
    count = int(frame["illustrative"].sum())
    return {"illustrative_rows": str(count), "rows": str(len(frame)),
            "note": ILLUSTRATIVE_NOTE if count else ""}


def _typed(pins: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``pins`` with ``created_at`` as a date/time (UTC; unreadable → missing), booleans as
    booleans and the feeling as a nullable integer."""
    out = pins.copy()
    if "created_at" in out:
        out["created_at"] = pd.to_datetime(out["created_at"], format="ISO8601", utc=True,
                                           errors="coerce")
    for column in BOOLEAN_COLUMNS:
        if column in out:
            out[column] = out[column].astype("boolean")
    if "feeling" in out:
        out["feeling"] = out["feeling"].astype("Int64")
    return out


def _both(pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Pins and cells in one frame, told apart by ``kind``."""
    parts = [pins.assign(kind="pin")]
    if cells is not None:
        parts.append(cells.assign(kind="cell", count=cells["count"].astype("Int64")))
    both = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(both[["kind", *[c for c in both.columns if c != "kind"]]],
                            geometry="geometry", crs=STORAGE_CRS)


def _write_gpkg(path: Path, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None,
                title: str, options: ExportOptions) -> None:
    crs = OUTPUT_CRS[options.crs]
    pyogrio.write_dataframe(pins.to_crs(crs), path, layer=PINS_LAYER, driver="GPKG",
                            use_arrow=True, layer_metadata=_metadata(pins))
    labels = PIN_CATEGORY.labels(EXPORT_LANGUAGE)
    styles = [(PINS_LAYER, "Point", category_qml("category", labels, None),
               category_sld(PINS_LAYER, "category", labels), title)]
    if cells is not None:
        pyogrio.write_dataframe(cells.to_crs(crs), path, layer=CELLS_LAYER, driver="GPKG",
                                append=True, use_arrow=True, layer_metadata=_metadata(cells))
        cells_title = EXPORT_KIND.label("cell", EXPORT_LANGUAGE)
        styles.append((CELLS_LAYER, "Polygon", cells_qml("count"),
                       cells_sld(CELLS_LAYER, cells_title), cells_title))
    write_layer_styles(path, styles)


def write_layer_styles(path: Path, styles: list[tuple[str, str, str, str, str]]) -> None:
    """Add QGIS's ``layer_styles`` table to the GeoPackage ``path``: one default style per
    ``(layer, geometry type, QML, SLD, description)``, in the columns QGIS reads."""
    table = pd.DataFrame({
        "f_table_catalog": "", "f_table_schema": "",
        "f_table_name": [s[0] for s in styles], "f_geometry_column": "geom",
        "styleName": [s[0] for s in styles], "styleQML": [s[2] for s in styles],
        "styleSLD": [s[3] for s in styles], "useAsDefault": True,
        "description": [s[4] for s in styles], "owner": "", "ui": "",
        "update_time": pd.Timestamp.now(tz="UTC").floor("s")})
    pyogrio.write_dataframe(table, path, layer="layer_styles", driver="GPKG", append=True,
                            layer_options={"FID": "id"})


def _write_geojson(path: Path, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None,
                   title: str, options: ExportOptions) -> None:
    both = _both(pins, cells)
    # RFC 7946: exterior rings counter-clockwise, holes clockwise (section 3.1.6)
    oriented = shapely.orient_polygons(both.geometry.to_numpy(), exterior_cw=False)
    rounded = shapely.transform(oriented, lambda xy: np.round(xy, GEOJSON_DECIMALS))
    properties = both.drop(columns="geometry").astype(object)
    if "created_at" in properties:
        properties["created_at"] = [None if pd.isna(v) else v.isoformat()
                                    for v in both["created_at"]]
    features = [{"type": "Feature",
                 "properties": {k: _json_value(v) for k, v in row.items()},
                 "geometry": shapely.geometry.mapping(geometry)}
                for row, geometry in zip(properties.to_dict("records"), rounded, strict=True)]
    collection: dict[str, Any] = {"type": "FeatureCollection", "name": title}
    meta = _metadata(both)
    if meta["note"]:  # how many features are illustrative (generated answers)
        collection["description"] = (f"{meta['note']} "
                                     f"({meta['illustrative_rows']}/{meta['rows']})")
    collection["features"] = features
    path.write_text(json.dumps(collection, ensure_ascii=False, default=_json_value),
                    encoding="utf-8")


def _json_value(value: Any) -> Any:
    """A cell as its JSON type: missing → null, numpy numbers and booleans → Python's."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _write_csv(path: Path, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None,
               title: str, options: ExportOptions, questions: tuple[str, ...] = ()) -> None:
    # points as lon/lat; a cell is written with its centre and its count, never a pin
    both = _both(pins, cells)
    centres = both.geometry.to_crs(METRIC_CRS).centroid.to_crs(STORAGE_CRS)
    table = pd.DataFrame(both.drop(columns="geometry"))
    table.insert(1, "lon", centres.x.round(CSV_DECIMALS))
    table.insert(2, "lat", centres.y.round(CSV_DECIMALS))
    if "created_at" in table:
        table["created_at"] = table["created_at"].dt.strftime("%d.%m.%Y %H:%M")
    if "category_counts" in table:
        table["category_counts"] = [_counts_text(v) for v in table["category_counts"]]
    for column, vocabulary in EXPORT_LABELS.items():
        if column in table:
            table[column] = [None if pd.isna(v) else vocabulary.label(v, EXPORT_LANGUAGE)
                             for v in table[column]]
    fixed = [c for c in EXPORT_COLUMN.codes if c in table]  # no ids, no raw codes
    table = table[[*fixed, *[q for q in questions if q in table]]]
    table.columns = [*(EXPORT_COLUMN.label(c, EXPORT_LANGUAGE) for c in fixed),
                     *table.columns[len(fixed):]]
    neutralise_formulas(table).to_csv(path, index=False, sep=";", encoding="utf-8-sig",
                                      decimal="," if options.decimal_comma else ".")


def _counts_text(value: object) -> str | None:
    """A cell's ``category_counts`` (JSON object code → count) as Czech text."""
    if not isinstance(value, str):
        return None
    return ", ".join(f"{PIN_CATEGORY.label(code, EXPORT_LANGUAGE)}: {count}"
                     for code, count in json.loads(value).items())


def _write_kml(path: Path, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None,
               title: str, options: ExportOptions) -> None:
    both = _both(pins, cells)
    cell_label = EXPORT_KIND.label("cell", EXPORT_LANGUAGE)
    both.insert(0, "Name", [
        f"{cell_label}: {count}" if kind == "cell"
        else PIN_CATEGORY.label(category, EXPORT_LANGUAGE)
        for kind, category, count in zip(both["kind"], both["category"],
                                         both.get("count", pd.Series(index=both.index)),
                                         strict=True)])
    # a KML layer name is an XML name: GDAL would replace the spaces itself, with a warning
    pyogrio.write_dataframe(both, path, layer=title.replace(" ", "_"), driver="KML",
                            use_arrow=True)


def _write_fgb(path: Path, pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None,
               title: str, options: ExportOptions) -> None:
    pyogrio.write_dataframe(_both(pins, cells).to_crs(OUTPUT_CRS[options.crs]), path,
                            layer=PINS_LAYER, driver="FlatGeobuf", geometry_type="Unknown",
                            use_arrow=True)


_WRITERS: Final = {"gpkg": _write_gpkg, "geojson": _write_geojson, "csv": _write_csv,
                   "kml": _write_kml, "fgb": _write_fgb}
