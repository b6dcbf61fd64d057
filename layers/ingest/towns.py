"""Any Czech municipality as a new town, by its RÚIAN code (``kod_obec``).

The boundary comes from a file the town provides (any vector file; when it holds several
municipalities, the one whose code column matches) or from the shipped municipality polygons:
those of Karlovarský and Ústecký kraj (with ORP and region), else the simplified outlines of
all 6,279 municipalities of Czechia (region found by the shipped region polygons). A town may
later replace such an outline with a precise one. The social-exclusion index is joined by
code from an imported edition (``exclusion_index``, newest year) or the shipped 2023 table;
the population from the shipped 2020 tables, else the index table's population 15+. Each join
is said in the report.
The town is one batch: ``undo_batch`` removes it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from layers.crs import STORAGE_CRS
from layers.exclusion import band_of
from layers.files import sha256_of
from layers.ingest.batches import (
    ImportRefused,
    ImportResult,
    new_batch_id,
    record_rows,
)
from layers.ingest.checks import find_columns, text
from layers.ingest.geometry import check_polygons
from layers.ingest.pipeline import ImportContext, positions
from layers.ingest.reading import open_source
from layers.ingest.report import ValidationReport
from layers.schema import EXCLUSION_INDEX, TOWNS
from layers.sources.real import SOURCES_DIR
from layers.store import Store
from layers.store.base import RowMatch

POLYGONS: Final = Path("boundaries") / "obce_polygons_KVK_ULK_simplified_datarozhlas.geojson"
#: Every municipality of Czechia, strongly simplified (fields kod_obce, nazev_obce, okres,
#: obyvatel_2020); used for codes outside the two regions.
NATIONAL_POLYGONS: Final = (Path("boundaries")
                            / "obce_polygons_CZ_simplified_datarozhlas.geojson")
REGION_POLYGONS: Final = Path("boundaries") / "kraje_CZ_ruian_2024-06.geojson"
ISV_TABLE: Final = Path("social") / "isv_2023_KVK_ULK_short.csv"
POPULATION: Final = Path("population") / "obyvatele_obci_KVK_ULK_2020_datarozhlas.csv"
CODE_FIELDS: Final = {"kod_obec": ("kod_obce", "kód obce", "kod"),
                      "name": ("naz_obec", "nazev_obce", "nazev", "název")}


def import_town(store: Store, kod_obec: str, *, town_id: str, name: str | None = None,
                boundary: Path | None = None, crs: str | None = None, dry_run: bool = False,
                licence: str = "", sources: Path = SOURCES_DIR) -> ImportResult:
    """Add municipality ``kod_obec`` as ``town_id`` (unless ``dry_run``), as one batch.

    Raises ``ImportRefused`` (bad code, town id taken, no boundary for the code),
    ``SourceError`` (unreadable boundary file, unknown CRS) or ``StoreError``; the store is
    then unchanged.
    """
    code = kod_obec.strip()
    if not (code.isdigit() and len(code) == 6):
        raise ImportRefused("import.bad_ruian_code", code=kod_obec)
    if len(store.read(TOWNS, town_id)):
        raise ImportRefused("import.town_exists", town=town_id)
    try:
        override = CRS.from_user_input(crs) if crs else None
    except CRSError as exc:
        raise ImportRefused("import.unknown_crs", crs=crs) from exc
    label = boundary.name if boundary else f"RÚIAN {code}"
    digest = sha256_of(boundary) if boundary else hashlib.sha256(label.encode()).hexdigest()
    now = dt.datetime.now(dt.UTC)
    report = ValidationReport(source_name=label)
    ctx = ImportContext(town_id=town_id, town_area=shapely.Polygon(),
                        batch_id=new_batch_id("town", digest, now), source_label=label,
                        report=report, crs_override=override)
    shipped = _shipped_polygon(sources, code)
    if boundary is not None:
        area, file_name = _boundary_from_file(boundary, code, ctx)
    elif shipped is not None:
        area, file_name = shipped.geometry.iloc[0], ""
        report.rows = 1
        report.notes.append(f"boundary: shipped municipality polygons ({shipped.attrs['file']})")
    else:
        raise ImportRefused("import.no_shipped_boundary", code=code)
    isv, band, (population, year), index_name = _joins(store, sources, code, report)
    if not population and shipped is not None and shipped["obyvatel_2020"].iloc[0] > 0:
        population, year = int(shipped["obyvatel_2020"].iloc[0]), 2020
        report.notes.append("population 2020: shipped national municipality table (ČSÚ)")
    def attribute(column: str) -> str:
        return str(shipped[column].iloc[0]) if shipped is not None else ""

    row: dict[str, object] = {
        "town_id": town_id, "kod_obec": code,
        "name": name or file_name or index_name or attribute("NAZ_OBEC") or code,
        "okres": attribute("NAZ_OKRES"), "orp": attribute("NAZ_ORP"),
        "kraj": attribute("NAZ_CZNUTS3"), "kod_kraj": attribute("KOD_CZNUTS3"),
        "population": population, "population_year": year, "isv_2023": isv, "isv_band": band,
    }
    centre = area.representative_point()
    row.update({"center_lat": centre.y, "center_lon": centre.x})
    town = gpd.GeoDataFrame([row], geometry=[area], crs=STORAGE_CRS)[[*TOWNS.columns,
                                                                     "geometry"]]
    report.added[TOWNS.name] = 1
    ctx.undo.append(RowMatch(TOWNS.name, equals={"town_id": town_id}))
    if not dry_run:
        store.append_batch([(TOWNS, town),
                            *record_rows(ctx, "town", TOWNS.name, digest, licence, now)])
    return ImportResult(ctx.batch_id, "town", town_id, dry_run, report,
                        preview={TOWNS.name: town})


def _shipped_polygon(sources: Path, code: str) -> gpd.GeoDataFrame | None:
    """The shipped outline of ``code`` (a 6-digit string) with the regional file's columns
    (``NAZ_OBEC``, ``NAZ_OKRES``, ``NAZ_ORP``, ``KOD_CZNUTS3``, ``NAZ_CZNUTS3``,
    ``obyvatel_2020``) in EPSG:4326, ``attrs["file"]`` naming the file; None when neither
    shipped file has the code."""
    regional = sources / POLYGONS
    if regional.is_file():
        polygons = gpd.read_file(regional, where=f"KOD_OBEC = '{code}'")
        if len(polygons):
            polygons.attrs["file"] = POLYGONS.name
            return polygons.to_crs(STORAGE_CRS)
    national = sources / NATIONAL_POLYGONS
    if not national.is_file():
        return None
    # the code is checked to be 6 digits, so it is safe as a number in the filter
    polygons = gpd.read_file(national, where=f"kod_obce = {int(code)}").to_crs(STORAGE_CRS)
    if not len(polygons):
        return None
    polygons = polygons.rename(columns={"nazev_obce": "NAZ_OBEC", "okres": "NAZ_OKRES"})
    polygons["NAZ_ORP"] = ""
    regions = gpd.read_file(sources / REGION_POLYGONS).to_crs(STORAGE_CRS)
    inside = regions[regions.contains(polygons.geometry.iloc[0].representative_point())]
    polygons["KOD_CZNUTS3"] = inside["KOD_CZNUTS3"].iloc[0] if len(inside) else ""
    polygons["NAZ_CZNUTS3"] = inside["NAZ_CZNUTS3"].iloc[0] if len(inside) else ""
    polygons.attrs["file"] = NATIONAL_POLYGONS.name
    return polygons


def _boundary_from_file(path: Path, code: str, ctx: ImportContext
                        ) -> tuple[shapely.MultiPolygon, str]:
    """The polygon of ``code`` in ``path`` (all features when it has no code column)."""
    parts: list[shapely.Geometry] = []
    names: list[str] = []
    with open_source(path) as source:
        for chunk in source.chunks():
            ctx.report.rows += len(chunk.frame)
            columns = find_columns(list(chunk.frame.columns), CODE_FIELDS, (), source.name)
            geoms, ok = check_polygons(positions(chunk, source, ctx), chunk.labels, ctx.report)
            if "kod_obec" in columns:
                ok &= (text(chunk.frame, columns["kod_obec"]) == code).to_numpy()
            parts += list(geoms[ok])
            names += list(text(chunk.frame, columns.get("name"))[ok])
    if not parts:
        raise ImportRefused("import.no_polygon", file=path.name, code=code)
    merged = shapely.union_all(np.array(parts, dtype=object))
    polygons = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons), next((n for n in names if n), "")


def _joins(store: Store, sources: Path, code: str, report: ValidationReport
           ) -> tuple[float, str, tuple[int, int], str]:
    """(index points, band, (population, its year), name) joined by ``code``; each source
    is said in ``report.notes``."""
    isv, band, population, year, name = math.nan, "", 0, 0, ""
    imported = (store.read(EXCLUSION_INDEX) if EXCLUSION_INDEX.name in store.layer_names()
                else pd.DataFrame(columns=list(EXCLUSION_INDEX.columns)))
    mine = imported[imported["kod_obec"].astype(str) == code].sort_values("year")
    shipped_isv = pd.read_csv(sources / ISV_TABLE, dtype={"kod_obce": str})
    shipped_row = shipped_isv[shipped_isv["kod_obce"] == code]
    if len(mine):
        last = mine.iloc[-1]
        isv, name = float(last["isv"]), str(last["name"])
        population_15, index_year = float(last["population_15"]), int(last["year"])
        report.notes.append(f"exclusion index {int(last['year'])}: imported edition")
    elif len(shipped_row):
        isv, name = float(shipped_row["isv_2023_body_0_30"].iloc[0]), str(
            shipped_row["nazev_obce"].iloc[0])
        population_15, index_year = float(shipped_row["obyv_15plus_2023"].iloc[0]), 2023
        report.notes.append("exclusion index 2023: shipped MMR table")
    else:
        population_15, index_year = math.nan, 0
        report.notes.append("no exclusion index for this code: import an edition first "
                            "(mapa import exclusion-index)")
    band = band_of(isv) if not math.isnan(isv) else ""
    people = pd.read_csv(sources / POPULATION, dtype={"KOD_OBEC": str})
    people_row = people[people["KOD_OBEC"] == code]
    if len(people_row):
        population, year = int(people_row["obyvatel_2020"].iloc[0]), 2020
        report.notes.append("population 2020: shipped ČSÚ table")
    elif not math.isnan(population_15):
        population, year = int(population_15), index_year
        report.notes.append("population: residents aged 15+ from the index table (no total)")
    return isv, band, (population, year), name
