"""The real figures of a town or locality, each with its year and source: the social-exclusion
index of the town (a locality's own score is not published) beside its region's, and the
police department that covers the area with its crime index, its crimes by category and the
region's recent totals.

The department comes from the police's jurisdiction table (``police_jurisdiction``): a
locality named like one of the town's cadastral areas ("Janov" – k.ú. Janov u Litvínova)
belongs to that area's department, anything else to the municipality's. A store without the
table (an older or an imported town) falls back on the department district covering the
place. All figures are read from the store; nothing here is estimated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from layers.crime import district_index_table
from layers.crime_years import CrimeYears, department_years, offence_years, reference_years
from layers.crs import to_storage
from layers.schema import (
    CRIME_REFERENCE,
    CRIME_STATS,
    LOCALITIES,
    MUNICIPALITIES,
    POLICE_DISTRICTS,
    POLICE_JURISDICTION,
    POLICE_OFFENCES,
    SOURCES,
    TOWNS,
)
from layers.sources.real import CRIME_TYPES, EXCLUSION_YEAR
from layers.store import Store

#: The band of highest exclusion (the regional reference counts municipalities in it).
HIGH_BAND = "12-30"


@dataclass(frozen=True)
class ExclusionFigure:
    """The town's index (``score`` points 0–30, its ``band``) of ``year``; for a locality
    ``score`` is None (not published) and ``town_score`` is the town's. The region's
    reference: median points of its municipalities and how many of them are in the highest
    band."""

    score: float | None
    town_score: float
    band: str
    year: int
    source: str
    region: str
    region_median: float | None
    region_high: int
    region_count: int


@dataclass(frozen=True)
class DepartmentFigure:
    """The police department (6-digit ``code``) covering the area, how that was decided
    (``basis``: "cadastral_area", "municipality" or "district"; ``basis_name`` the area),
    its crimes per 10,000 inhabitants and crimes found by category (:data:`CRIME_TYPES`)
    in ``year``."""

    code: str
    name: str
    basis: str
    basis_name: str
    crimes_per_10k: float | None
    year: int | None
    categories: tuple[tuple[str, float], ...]
    source: str


@dataclass(frozen=True)
class RegionTotal:
    """All crimes registered in a region in a year, with the source."""

    region: str
    year: int
    crimes: float
    source: str


def _source_of(store: Store, layer: str) -> str:
    sources = store.read(SOURCES)
    rows = sources[sources["layer"] == layer]
    return "" if rows.empty else f"{rows['title'].iloc[0]} ({rows['attribution'].iloc[0]})"


def exclusion_figure(store: Store, town_id: str, locality: bool = False
                     ) -> ExclusionFigure | None:
    """The town's exclusion index and its region's reference; None when the town has none."""
    town = store.read(TOWNS, town_id).iloc[0]
    score = town.get("isv_2023")
    if score is None or pd.isna(score):
        return None
    region_median, high, count = None, 0, 0
    source = ""
    if MUNICIPALITIES.name in store.layer_names():
        region = store.read(MUNICIPALITIES)
        region = region[region["kod_kraj"].astype(str) == str(town["kod_kraj"])]
        points = pd.to_numeric(region["isv"], errors="coerce").dropna()
        if len(points):
            region_median = float(points.median())
            high, count = int((region["isv_band"] == HIGH_BAND).sum()), len(points)
        source = _source_of(store, MUNICIPALITIES.name)
    if not source:
        sources = store.read(SOURCES)
        rows = sources[(sources["layer"] == "towns")
                       & sources["title"].astype(str).str.contains("vyloučení")]
        source = "" if rows.empty else f"{rows['title'].iloc[0]} ({rows['attribution'].iloc[0]})"
    return ExclusionFigure(None if locality else float(score), float(score),
                           str(town["isv_band"]), EXCLUSION_YEAR, source, str(town["kraj"]),
                           region_median, high, count)


def _area_key(name: str) -> str:
    """A cadastral area's or locality's name without case and without the "u <town>" that
    tells like-named areas apart ("JANOV U LITVÍNOVA" → "janov")."""
    return re.sub(r"\s+u\s+.*$", "", name.strip().casefold())


def department_figure(store: Store, town_id: str, locality_id: str | None = None
                      ) -> DepartmentFigure | None:
    """The police department covering the town (or its locality ``locality_id``) with its
    figures of the latest year in ``crime_stats``; None when the store knows no department."""
    town = store.read(TOWNS, town_id).iloc[0]
    locality_name = None
    place = Point(float(town["center_lon"]), float(town["center_lat"]))
    if locality_id is not None:
        localities = store.read(LOCALITIES, town_id)
        shape = localities[localities["locality_id"] == locality_id]
        locality_name = str(shape["name"].iloc[0])
        place = to_storage(shape).geometry.iloc[0].representative_point()
    districts = store.read(POLICE_DISTRICTS, town_id)
    chosen = None
    if POLICE_JURISDICTION.name in store.layer_names():
        table = store.read(POLICE_JURISDICTION, town_id)
        if locality_name is not None:
            areas = table[(table["ku_code"] != "")
                          & (table["area_name"].map(_area_key) == _area_key(locality_name))]
            if len(areas):
                chosen = (areas.iloc[0], "cadastral_area")
        if chosen is None:
            whole = table[table["ku_code"] == ""]
            if len(whole):
                chosen = (whole.iloc[0], "municipality")
    if chosen is not None:
        row, basis = chosen
        code, name, basis_name = str(row["oop_code"]), str(row["oop_name"]), str(row["area_name"])
        if basis == "cadastral_area":
            basis_name = basis_name.title().replace(" U ", " u ")
    else:
        covering = to_storage(districts)[to_storage(districts).geometry.covers(place)]
        if covering.empty:
            return None
        code, name = str(covering["oop_code"].iloc[0]), str(covering["oop_name"].iloc[0])
        basis, basis_name = "district", name
    stats = store.read(CRIME_STATS)
    mine = stats[stats["oop_code"] == code]
    per_10k: float | None = None
    year: int | None = None
    categories: tuple[tuple[str, float], ...] = ()
    if len(mine):
        year = int(mine["year"].max())
        table = district_index_table(stats, pd.DataFrame(districts), year)
        value = table.loc[table["oop_code"] == code, "per_10k"]
        if len(value) and not math.isnan(float(value.iloc[0])):
            per_10k = round(float(value.iloc[0]), 1)
        found = mine[mine["year"] == year].set_index("crime_type")["found"]
        categories = tuple((t, float(found[t])) for t in CRIME_TYPES if t in found.index)
    return DepartmentFigure(code, name, basis, basis_name, per_10k, year, categories,
                            _source_of(store, POLICE_DISTRICTS.name))


def region_totals(store: Store, town_id: str) -> tuple[RegionTotal, ...]:
    """All crimes registered in the town's region per year the store holds (newest last)."""
    region = str(store.read(TOWNS, town_id)["kraj"].iloc[0])
    refs = store.read(CRIME_REFERENCE)
    rows = refs[(refs["area"].astype(str) == region) & refs["per_10k"].isna()
                & refs["crimes"].notna()].sort_values("year")
    return tuple(RegionTotal(region, int(r["year"]), float(r["crimes"]), str(r["source"]))
                 for _, r in rows.iterrows())


def municipalities_of(store: Store, region_code: str) -> gpd.GeoDataFrame:
    """The region's municipalities with their exclusion index (EPSG:4326); empty when the
    store has no such layer."""
    if MUNICIPALITIES.name not in store.layer_names():
        return gpd.GeoDataFrame({c: [] for c in MUNICIPALITIES.columns}, geometry=[],
                                crs="EPSG:4326")
    frame = store.read(MUNICIPALITIES)
    return frame[frame["kod_kraj"].astype(str) == region_code].reset_index(drop=True)


def _cs(value: float, digits: int = 0) -> str:
    """A number as Czech readers write it ("15 858", "483,9")."""
    return f"{value:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")


def figure_lines(exclusion: ExclusionFigure | None, department: DepartmentFigure | None,
                 totals: tuple[RegionTotal, ...], town: str,
                 locality: str | None = None) -> list[str]:
    """The area's real figures as Czech sentences for the council report, each with its
    year and source."""
    lines = []
    if exclusion is not None:
        own = (f"lokalita {locality}: nezveřejněn (MMR zveřejňuje index jen za obce); "
               if locality else "")
        reference = (f"; {exclusion.region}: medián obcí {_cs(exclusion.region_median, 1)} "
                     f"bodů, {exclusion.region_high} z {exclusion.region_count} obcí v pásmu "
                     "12–30" if exclusion.region_median is not None else "")
        lines.append(f"Index sociálního vyloučení {exclusion.year}: {own}obec {town} "
                     f"{_cs(exclusion.town_score)} bodů{reference}. Zdroj: {exclusion.source}.")
    if department is not None:
        basis = {"cadastral_area": f"katastrální území {department.basis_name}",
                 "municipality": f"obec {department.basis_name}",
                 "district": "obvod oddělení"}[department.basis]
        index = (f": {_cs(department.crimes_per_10k, 1)} trestných činů na 10 000 obyvatel "
                 f"(rok {department.year})" if department.crimes_per_10k is not None else "")
        lines.append(f"Obvodní oddělení PČR: {department.name} ({basis}){index}. "
                     f"Zdroj: {department.source}.")
    if totals:
        values = ", ".join(f"{_cs(t.crimes)} ({t.year})" for t in totals)
        lines.append(f"{totals[0].region} – registrované trestné činy celkem: {values}. "
                     f"Zdroj: {totals[0].source}.")
    return lines


@dataclass(frozen=True)
class AreaCrime:
    """The area's crime over the years (:class:`~layers.crime_years.CrimeYears`) and its
    offences from the police export (``police_offences`` columns, EPSG:4326; none when the
    store has none). ``illustrative``: a layer it comes from is marked synthetic."""

    years: CrimeYears
    offences: gpd.GeoDataFrame
    illustrative: bool


def area_crime(store: Store, town_id: str, locality_id: str | None = None) -> AreaCrime:
    """Crime by year of the town (or its locality ``locality_id``): the covering police
    department's statistics, the municipality's offences (a locality: those inside its
    outline; no index, its residents are not published) and the region's and country's
    reference."""
    town = store.read(TOWNS, town_id).iloc[0]
    present = store.layer_names()
    offences = (store.read(POLICE_OFFENCES, town_id)
                if POLICE_OFFENCES.name in present and locality_id is None
                else gpd.GeoDataFrame({c: [] for c in POLICE_OFFENCES.columns}, geometry=[],
                                      crs="EPSG:4326"))
    name, population = str(town["name"]), float(town["population"])
    population_year = int(town["population_year"]) if pd.notna(town["population_year"]) \
        else None
    if locality_id is not None:
        shape = store.read_where(LOCALITIES, "locality_id", [locality_id])
        name, population, population_year = str(shape["name"].iloc[0]), float("nan"), None
        outline = shape.geometry.iloc[0]
        if POLICE_OFFENCES.name in present:  # read through the spatial index: only its rows
            offences = store.read_intersecting(POLICE_OFFENCES, outline, town_id)
            offences = offences[offences.geometry.within(outline)]  # not on the edge
    # the layer's own source rows name the imported files: the publisher is said instead
    parts = [offence_years(offences, name, population, population_year,
                           "Policie ČR, otevřená data mapy kriminality")]
    department = department_figure(store, town_id, locality_id)
    if department is not None and CRIME_STATS.name in present:
        districts = store.read(POLICE_DISTRICTS, town_id)
        pop = districts.loc[districts["oop_code"] == department.code, "population"]
        parts.append(department_years(store.read(CRIME_STATS), department.code,
                                      department.name,
                                      float(pop.iloc[0]) if len(pop) else None,
                                      department.source))
    areas = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else parts[0]
    reference = reference_years(store.read(CRIME_REFERENCE), str(town["kraj"]))
    sources = store.read(SOURCES)
    synthetic = sources[sources["layer"].isin([POLICE_OFFENCES.name, CRIME_STATS.name])]
    return AreaCrime(CrimeYears(areas, reference), offences.reset_index(drop=True),
                     bool(synthetic["synthetic"].fillna(False).astype(bool).any()))
