"""Loaders for the real open data shipped in ``geodata/sources/`` (see its SOURCES.md).

Each loader reads one upstream file, checks it (CRS, required columns, codes of the demo
towns) and returns a frame in the store's schema (``layers/schema.py``), EPSG:4326.
Every loader raises :class:`SourceError` naming the file and the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataSourceError

from layers.crime import crime_index
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.exclusion import band_from_ministry_label, band_of
from layers.sources.errors import SourceError
from layers.vocabulary import CRIME_TYPE

SOURCES_DIR: Final = Path(__file__).resolve().parents[2] / "geodata" / "sources"


@dataclass(frozen=True)
class Town:
    """A demo town: store id, RÚIAN municipality code and display name."""

    town_id: str
    kod_obec: str
    name: str


DEMO_TOWNS: Final = (
    Town("litvinov", "567256", "Litvínov"),
    Town("kraslice", "560472", "Kraslice"),
    Town("karlovy-vary", "554961", "Karlovy Vary"),
)

#: Crime types of the police summary table ("Statistický výkaz č. 1", TSK ranges).
CRIME_TYPES: Final = CRIME_TYPE.codes
#: A police department belongs to a town when they share at least this share of either's area.
DISTRICT_OVERLAP_SHARE: Final = 0.05
#: Context lines are kept within this distance of the town boundary (metres).
CONTEXT_MARGIN_M: Final = 1_000.0


#: Where the 2020 crime indices of Czechia and Litvínov come from.
LITVINOV_REPORT: Final = ("Závěrečná zpráva poradenského programu Litvínov "
                          "(Mapa kriminality, index kriminality 2020)")


def read_vector(path: Path, required: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Read a vector file; check it has a CRS, geometries and the ``required`` columns.

    Returns the frame in EPSG:4326. Raises ``SourceError`` when the file is missing or broken,
    has no CRS, has empty geometries only, or lacks a required column.
    """
    if not path.is_file():
        raise SourceError(path, "file not found")
    try:
        frame = pyogrio.read_dataframe(path)
    except (DataSourceError, ValueError, RuntimeError) as exc:
        raise SourceError(path, f"cannot be read as a vector file ({exc})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise SourceError(path, "has no geometries")
    if frame.crs is None:
        raise SourceError(path, "has no coordinate reference system; expected EPSG:4326")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(path, f"missing required columns {missing}")
    frame = frame.to_crs(STORAGE_CRS)
    _check_within_czechia(path, frame)
    return frame


def read_table(path: Path, required: tuple[str, ...], dtype: dict[str, type] | None = None
               ) -> pd.DataFrame:
    """Read a UTF-8 CSV table and check its ``required`` columns. Raises ``SourceError``."""
    if not path.is_file():
        raise SourceError(path, "file not found")
    try:
        frame = pd.read_csv(path, dtype=dtype, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise SourceError(path, f"cannot be read as a UTF-8 CSV table ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(path, f"missing required columns {missing}")
    return frame


def _check_within_czechia(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Refuse data that cannot be in Czechia: the usual sign of a wrong or mislabelled CRS."""
    minx, miny, maxx, maxy = frame.total_bounds
    if not (minx >= 11.5 and maxx <= 19.5 and miny >= 48.2 and maxy <= 51.3):
        raise SourceError(
            path,
            f"coordinates {minx:.4g},{miny:.4g} … {maxx:.4g},{maxy:.4g} are not in Czechia in "
            "EPSG:4326 (is the file's CRS right? S-JTSK data must say EPSG:5514)",
        )


def clean_police_name(name: str) -> str:
    """Repair the mis-encoded unit names of the 2013 police files.

    The upstream KML carries stray C1 control characters (``OOP A\\x9aš``) and upper-case
    letters inside words (``RybáŘe``): drop the former, lower-case the latter.
    """
    no_controls = re.sub(r"[\x80-\x9f]", "", name)
    return re.sub(r"(?<=[a-záčďéěíňóřšťúůýž])([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])",
                  lambda m: m.group(1).lower(), no_controls)


def load_towns(sources: Path = SOURCES_DIR, towns: tuple[Town, ...] = DEMO_TOWNS
               ) -> gpd.GeoDataFrame:
    """Municipality polygons of ``towns`` with population (2020), the ISV 2023 and centre.

    The centre (``center_lat``/``center_lon``) is RÚIAN's definition point of the municipality.
    """
    polygons_path = sources / "boundaries" / "obce_polygons_KVK_ULK_simplified_datarozhlas.geojson"
    polygons = read_vector(polygons_path, ("KOD_OBEC", "NAZ_OBEC", "NAZ_CZNUTS3", "KOD_CZNUTS3"))
    isv_path = sources / "social" / "isv_2023_KVK_ULK_short.csv"
    isv = read_table(isv_path, ("kod_obce", "isv_2023_body_0_30", "isv_2023_kategorie", "orp"),
                     dtype={"kod_obce": str})
    points_path = sources / "boundaries" / "obce_points_KVK_ULK_ruian_2024-06.geojson"
    definition_points = read_vector(points_path, ("KOD_OBEC",))
    pop_path = sources / "population" / "obyvatele_obci_KVK_ULK_2020_datarozhlas.csv"
    population = read_table(pop_path, ("KOD_OBEC", "obyvatel_2020"), dtype={"KOD_OBEC": str})

    rows = []
    for town in towns:
        poly = polygons[polygons["KOD_OBEC"] == town.kod_obec]
        if poly.empty:
            raise SourceError(polygons_path, f"no polygon for {town.name} ({town.kod_obec})")
        index_row = isv[isv["kod_obce"] == town.kod_obec]
        if index_row.empty:
            raise SourceError(isv_path, f"no exclusion index for {town.name} ({town.kod_obec})")
        pop_row = population[population["KOD_OBEC"] == town.kod_obec]
        if pop_row.empty:
            raise SourceError(pop_path, f"no population for {town.name} ({town.kod_obec})")
        points = float(index_row["isv_2023_body_0_30"].iloc[0])
        band = band_from_ministry_label(str(index_row["isv_2023_kategorie"].iloc[0]))
        if band != band_of(points):
            raise SourceError(isv_path, f"{town.name}: {points} points but category {band}")
        point_row = definition_points[definition_points["KOD_OBEC"] == town.kod_obec]
        if point_row.empty:
            raise SourceError(points_path, f"no definition point for {town.name}")
        # RÚIAN's definition point sits in the town centre; the polygon's centroid may not.
        center = point_row.geometry.iloc[0].centroid
        geom = poly.geometry.iloc[0]
        rows.append({
            "town_id": town.town_id, "name": town.name, "kod_obec": town.kod_obec,
            "okres": str(poly["NAZ_OKRES"].iloc[0]), "orp": str(index_row["orp"].iloc[0]),
            "kraj": str(poly["NAZ_CZNUTS3"].iloc[0]),
            "kod_kraj": str(poly["KOD_CZNUTS3"].iloc[0]),
            "population": int(pop_row["obyvatel_2020"].iloc[0]), "population_year": 2020,
            "isv_2023": points, "isv_band": band,
            "center_lat": float(center.y), "center_lon": float(center.x), "geometry": geom,
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


def load_regions(towns: gpd.GeoDataFrame, sources: Path = SOURCES_DIR) -> gpd.GeoDataFrame:
    """Polygons of the regions (kraje) the towns lie in, for context."""
    path = sources / "boundaries" / "kraje_CZ_ruian_2024-06.geojson"
    regions = read_vector(path, ("KOD_KRAJ", "KOD_CZNUTS3", "NAZ_CZNUTS3"))
    chosen = regions[regions["KOD_CZNUTS3"].isin(set(towns["kod_kraj"]))]
    if len(chosen) != towns["kod_kraj"].nunique():
        raise SourceError(path, "a demo town's region is missing")
    return gpd.GeoDataFrame({
        "kod_kraj": chosen["KOD_CZNUTS3"].astype(str), "nuts3": chosen["KOD_CZNUTS3"].astype(str),
        "name": chosen["NAZ_CZNUTS3"].astype(str), "geometry": chosen.geometry,
    }, geometry="geometry", crs=STORAGE_CRS).reset_index(drop=True)


def load_police(towns: gpd.GeoDataFrame, sources: Path = SOURCES_DIR
                ) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """Police departments (OOP, 2013) of the towns, their crime counts, and reference indices.

    Returns ``(police_districts, crime_stats, crime_reference)``. A department belongs to a town
    when at least ``DISTRICT_OVERLAP_SHARE`` of its or the town's area overlaps (EPSG:5514).
    The regional reference is computed the same way as the districts' index (sum of the
    region's departments); the national 2020 reference is the figure quoted in seed 001.
    """
    police_dir = sources / "police_crime"
    districts_path = police_dir / "police_oop_districts_2013_KVK_ULK_mapakriminality.geojson"
    districts = read_vector(districts_path, ("oop_code", "oop_name", "uo_name", "krp_name",
                                             "population_2013_src", "area_km2"))
    stats_path = sources / "police_crime" / "crime_by_oop_2013_KVK_ULK_mapakriminality.csv"
    wide = read_table(stats_path, ("oop_code", "krp_name_xls", "population_2013_src",
                                   *(f"found_{t}" for t in CRIME_TYPES)), dtype={"oop_code": str})

    metric_districts = districts.to_crs(METRIC_CRS)
    metric_towns = towns.to_crs(METRIC_CRS)
    chosen = []
    for _, town in metric_towns.iterrows():
        shared = metric_districts.intersection(town.geometry).area
        keep = (shared >= DISTRICT_OVERLAP_SHARE * metric_districts.area) | (
            shared >= DISTRICT_OVERLAP_SHARE * town.geometry.area)
        part = districts[keep.to_numpy()].copy()
        part["town_id"] = town["town_id"]
        chosen.append(part)
    police = pd.concat(chosen, ignore_index=True)
    police_districts = gpd.GeoDataFrame({
        "oop_code": police["oop_code"].astype(str), "town_id": police["town_id"],
        "oop_name": police["oop_name"].map(clean_police_name),
        "uo_name": police["uo_name"].map(clean_police_name),
        "krp_name": police["krp_name"].map(clean_police_name),
        "population": police["population_2013_src"].astype(float),
        "area_km2": police["area_km2"].astype(float), "geometry": police.geometry,
    }, geometry="geometry", crs=STORAGE_CRS)

    long_rows = []
    for crime_type in CRIME_TYPES:
        part = wide[["oop_code", f"found_{crime_type}", f"solved_{crime_type}"]].rename(
            columns={f"found_{crime_type}": "found", f"solved_{crime_type}": "solved"})
        long_rows.append(part.assign(year=2013, crime_type=crime_type))
    crime_stats = pd.concat(long_rows, ignore_index=True)[
        ["oop_code", "year", "crime_type", "found", "solved"]]

    by_region = wide.dropna(subset=["population_2013_src"]).groupby("krp_name_xls").agg(
        crimes=("found_total", "sum"), population=("population_2013_src", "sum"))
    region_names = {"KŘP ÚSTECKÉHO KRAJE": "Ústecký kraj",
                    "KŘP KARLOVARSKÉHO KRAJE": "Karlovarský kraj"}
    reference = [
        {"area": region_names.get(str(krp), str(krp)), "year": 2013,
         "crimes": float(row["crimes"]), "population": float(row["population"]),
         "per_10k": crime_index(float(row["crimes"]), float(row["population"])),
         "source": "Policie ČR, Statistický výkaz č. 1 (2013), via mapakriminality.cz; "
                   "sum of the region's departments"}
        for krp, row in by_region.iterrows()
    ]
    # the national and Litvínov figures are those the Litvínov programme's report quotes
    reference.append({"area": "Česká republika", "year": 2020, "crimes": float("nan"),
                      "population": float("nan"), "per_10k": 148.6,
                      "source": LITVINOV_REPORT})
    reference.append({"area": "Litvínov (PČR Litvínov a Litvínov-Hamr)", "year": 2020,
                      "crimes": float("nan"), "population": float("nan"), "per_10k": 158.7,
                      "source": LITVINOV_REPORT})
    return police_districts, crime_stats, pd.DataFrame([*reference, *_region_totals(sources)])


#: The regions' police directorates in the 2024–2025 summary (``unit``) → region name.
_SUMMARY_REGIONS: Final = {"Ústecký": "Ústecký kraj", "Karlovarský": "Karlovarský kraj"}


def _region_totals(sources: Path) -> list[dict[str, object]]:
    """All crimes registered in each region in 2024 and 2025 (Policie ČR, "Kriminalita dle
    TSK"); no population is published with them, so no index (``per_10k`` NaN)."""
    path = sources / "police_crime" / "crime_kraje_2024_2025_policie_cr_summary.csv"
    table = read_table(path, ("year", "unit", "tsk_range", "registered"))
    totals = table[(table["tsk_range"].astype(str) == "0-999")
                   & table["unit"].astype(str).isin(_SUMMARY_REGIONS)]
    if totals.empty:
        raise SourceError(path, "no regional totals (TSK 0-999)")
    return [{"area": _SUMMARY_REGIONS[str(row["unit"])], "year": int(row["year"]),
             "crimes": float(row["registered"]), "population": float("nan"),
             "per_10k": float("nan"),
             "source": f"Policie ČR, Kriminalita dle TSK {int(row['year'])} "
                       "(via seerondrej/kriminalita)"}
            for _, row in totals.iterrows()]


#: Year of the shipped social-exclusion index edition.
EXCLUSION_YEAR: Final = 2023


def load_municipalities(sources: Path = SOURCES_DIR) -> gpd.GeoDataFrame:
    """Every municipality of the shipped regions (simplified polygon, EPSG:4326) with its
    social-exclusion index 2023 (points 0–30 and band; NaN where the table has none)."""
    polygons_path = sources / "boundaries" / "obce_polygons_KVK_ULK_simplified_datarozhlas.geojson"
    polygons = read_vector(polygons_path, ("KOD_OBEC", "NAZ_OBEC", "NAZ_OKRES", "KOD_CZNUTS3"))
    isv_path = sources / "social" / "isv_2023_KVK_ULK_short.csv"
    isv = read_table(isv_path, ("kod_obce", "isv_2023_body_0_30", "isv_2023_kategorie"),
                     dtype={"kod_obce": str}).set_index("kod_obce")
    codes = polygons["KOD_OBEC"].astype(str)
    points = pd.to_numeric(codes.map(isv["isv_2023_body_0_30"]), errors="coerce")
    labels = codes.map(isv["isv_2023_kategorie"])
    bands = [band_from_ministry_label(str(lab)) if pd.notna(p) else ""
             for p, lab in zip(points, labels, strict=True)]
    for code, p, band in zip(codes, points, bands, strict=True):
        if pd.notna(p) and band != band_of(float(p)):
            raise SourceError(isv_path, f"{code}: {p} points but category {band}")
    return gpd.GeoDataFrame({
        "kod_obec": codes, "name": polygons["NAZ_OBEC"].astype(str),
        "okres": polygons["NAZ_OKRES"].astype(str),
        "kod_kraj": polygons["KOD_CZNUTS3"].astype(str), "isv": points.astype(float),
        "isv_band": bands, "isv_year": EXCLUSION_YEAR, "geometry": polygons.geometry,
    }, geometry="geometry", crs=STORAGE_CRS).reset_index(drop=True)


def department_key(name: str) -> str:
    """A police department's name compared across tables ("OOP Litvínov - Hamr" and
    "OOP Litvínov-Hamr" are one department)."""
    return re.sub(r"\s+", "", clean_police_name(name)).casefold()


def load_jurisdiction(towns: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                      sources: Path = SOURCES_DIR) -> pd.DataFrame:
    """The police jurisdiction rows of each town: the department of the municipality
    (``ku_code`` empty) and of each cadastral area the table assigns to one of the town's
    departments, with the table's note. Departments are matched by name to ``districts``
    (``oop_code``); a row naming a department outside the town's districts is left out."""
    path = sources / "police_crime" / "oop_jurisdiction_obce_KVK_ULK_mapakriminality.csv"
    table = read_table(path, ("obec_or_ku", "okres", "pcr_unit", "ku_code",
                              "note_original_assignment"), dtype={"ku_code": str})
    table = table.fillna({"ku_code": "", "note_original_assignment": ""})
    rows = []
    for _, town in towns.iterrows():
        mine = districts[districts["town_id"] == town["town_id"]]
        codes = {department_key(str(n)): str(c)
                 for n, c in zip(mine["oop_name"], mine["oop_code"], strict=True)}
        in_okres = table[table["okres"].astype(str) == str(town["okres"])]
        for _, row in in_okres.iterrows():
            code = codes.get(department_key(str(row["pcr_unit"])))
            is_town = not row["ku_code"] and str(row["obec_or_ku"]) == str(town["name"])
            if code is None or not (is_town or row["ku_code"]):
                continue
            rows.append({"town_id": town["town_id"], "area_name": str(row["obec_or_ku"]),
                         "ku_code": str(row["ku_code"]).removesuffix(".0"), "oop_code": code,
                         "oop_name": clean_police_name(str(row["pcr_unit"])),
                         "note": str(row["note_original_assignment"])})
    if not any(r["ku_code"] == "" for r in rows):
        raise SourceError(path, "no demo town is in the police jurisdiction table")
    return pd.DataFrame(rows, columns=["town_id", "area_name", "ku_code", "oop_code",
                                       "oop_name", "note"])


def load_context_lines(towns: gpd.GeoDataFrame, sources: Path = SOURCES_DIR
                       ) -> gpd.GeoDataFrame:
    """Roads, railways and rivers within ``CONTEXT_MARGIN_M`` of each town, clipped."""
    files = {
        "road": ("roads_KVK_ULK_rczechia.geojson", "CISLO_SILNICE"),
        "railway": ("railways_KVK_ULK_data200_2021-07.geojson", None),
        "river": ("rivers_KVK_ULK_data200_2022-06.geojson", "NAZEV"),
    }
    parts = []
    metric_towns = towns.to_crs(METRIC_CRS)
    for kind, (name, label_column) in files.items():
        lines = read_vector(sources / "context" / name).to_crs(METRIC_CRS)
        for _, town in metric_towns.iterrows():
            area = town.geometry.buffer(CONTEXT_MARGIN_M)
            clipped = gpd.clip(lines, area)
            clipped = clipped[~clipped.geometry.is_empty]
            labels = (clipped[label_column].fillna("").astype(str) if label_column
                      else pd.Series("", index=clipped.index))
            parts.append(gpd.GeoDataFrame({
                "town_id": town["town_id"], "kind": kind, "label": labels,
                "geometry": clipped.geometry}, geometry="geometry", crs=METRIC_CRS))
    merged = pd.concat(parts, ignore_index=True)
    merged = merged[merged.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=METRIC_CRS).to_crs(STORAGE_CRS)


#: Attribution of every layer, shown in the app (licences from geodata/sources/SOURCES.md).
ATTRIBUTION_PATH: Final = SOURCES_DIR.parent / "attribution.toml"


def load_attribution(path: Path = ATTRIBUTION_PATH) -> tuple[dict[str, str], ...]:
    """The ``[[source]]`` rows of ``path`` (layer, title, licence, attribution, vintage), in
    file order. Raises ``OSError`` for an unreadable file, ``tomllib.TOMLDecodeError`` for
    bad TOML."""
    with path.open("rb") as file:
        return tuple({key: str(value) for key, value in row.items()}
                     for row in tomllib.load(file)["source"])


REAL_SOURCES: Final = load_attribution()
