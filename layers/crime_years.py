"""Crime over the years: counts, the index per 10,000 residents and the solved share of an
area by year and by the ten categories of the police's summary table (TSK ranges), with the
region and the country as reference, and when offences happen (hour × weekday, month).

Two kinds of area rows (``level``):
- ``"department"``: the police department's own statistics (``crime_stats``, e.g. the 2013
  "Statistický výkaz č. 1"), the index over the department's residents (``police_districts``);
- ``"municipality"``: the town's offences from the police's open-data export
  (``police_offences``), counted per calendar year, the index over the town's residents
  (``towns.population`` of ``population_year``).

An offence belongs to every category whose TSK range holds its type: a type code that is a
TSK code (101–903) by that code; otherwise by its Czech type name, then its group name (the
export's ``types.json`` names; see :data:`NAME_CODES`); a type neither places counts in the
total only. Solved = the export's state says "objasněný" (not "neobjasněný").

Reference rows (``level`` ``"region"``/``"country"``): the police's 2024/2025 summaries by TSK
range shipped in ``geodata/sources/police_crime`` (counts and solved, no population published)
and the store's ``crime_reference`` indices (2013 regions, 2020 Czech Republic). Nothing is
estimated; a figure without its population has no index (NaN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from layers.crime import crime_index_series
from layers.errors import NotFound
from layers.sources.real import CRIME_TYPES, SOURCES_DIR
from layers.sources.real import read_table as read_source_table

#: The TSK code ranges of each category (the 2013 summary table's, inclusive).
CATEGORY_RANGES: Final[dict[str, tuple[int, int]]] = {
    "total": (101, 903), "general": (101, 690), "violent": (101, 190),
    "morality": (201, 290), "burglary": (311, 390), "theft_simple": (411, 490),
    "property": (311, 590), "other_criminal": (611, 690), "remaining": (721, 790),
    "economic": (801, 890),
}
#: Word stems of Czech type or group names → a TSK code of the category they belong to
#: (first match wins, so burglary is tried before theft and theft before property).
NAME_CODES: Final[tuple[tuple[str, int], ...]] = (
    ("vloupán", 311), ("krádež", 411), ("kapesní", 411),
    ("vražd", 101), ("loupež", 101), ("ublížen", 101), ("násil", 101), ("rvač", 101),
    ("vydírán", 101), ("mravn", 201), ("znásil", 201), ("sexu", 201),
    ("hospodář", 801), ("majetk", 511), ("podvod", 511), ("zpronevěr", 511),
    ("poškozování cizí", 511), ("zbývající", 721), ("dopravní", 721), ("ostatní trest", 611),
)
#: The shipped summaries: TSK range as published → category (the ranges are the 2013 table's,
#: written by hundreds).
SUMMARY_RANGES: Final[dict[str, str]] = {
    "0-999": "total", "100-699": "general", "100-199": "violent", "200-299": "morality",
    "300-399": "burglary", "400-499": "theft_simple", "300-599": "property",
    "600-699": "other_criminal", "700-799": "remaining", "800-899": "economic",
}
SUMMARY_FILE: Final = Path("police_crime") / "crime_kraje_2024_2025_policie_cr_summary.csv"
#: Publisher's unit name in the summaries → the region's name in the store.
SUMMARY_UNITS: Final[dict[str, str]] = {"Ústecký": "Ústecký kraj",
                                        "Karlovarský": "Karlovarský kraj",
                                        "Česká republika": "Česká republika"}
COUNTRY: Final = "Česká republika"
_SOLVED: Final = re.compile(r"(?<!ne)objasněn", re.IGNORECASE)
#: Columns of every yearly table.
YEAR_COLUMNS: Final = ("area", "level", "year", "crime_type", "found", "solved", "population",
                       "per_10k", "solved_share", "source")


class NoCrimeYear(NotFound):
    """The year asked for has no crime figures; ``years`` are those that have (ascending)."""

    def __init__(self, year: int, years: tuple[int, ...]) -> None:
        self.year, self.years = year, years
        super().__init__("crime.no_year", year=year,
                         years=", ".join(map(str, years)) if years else "–")


def type_code_categories(code: int) -> tuple[str, ...]:
    """The categories (:data:`CRIME_TYPES` order) whose TSK range holds ``code``."""
    return tuple(c for c in CRIME_TYPES
                 if CATEGORY_RANGES[c][0] <= code <= CATEGORY_RANGES[c][1])


def tsk_code(type_code: object, type_name: object, type_group: object) -> int | None:
    """The TSK code an offence type stands for: the code itself when it is one (101–903),
    else the first :data:`NAME_CODES` stem in the name, then in the group; None if neither."""
    try:
        code = int(type_code)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        code = 0
    if CATEGORY_RANGES["total"][0] <= code <= CATEGORY_RANGES["total"][1]:
        return code
    for text in (type_name, type_group):
        words = str(text or "").casefold()
        for stem, tsk in NAME_CODES:
            if stem in words:
                return tsk
    return None


def category_matrix(offences: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per category (:data:`CRIME_TYPES`), one row per offence of
    ``offences`` (columns ``type_code``, ``type_name``, ``type_group``): does the offence
    count in it. Every offence counts in ``total``."""
    kinds = offences[["type_code", "type_name", "type_group"]].drop_duplicates()
    codes = {tuple(row): tsk_code(*row) for row in kinds.itertuples(index=False)}
    tsk = pd.Series([codes[tuple(row)] for row in offences[["type_code", "type_name",
                                                           "type_group"]].itertuples(index=False)],
                    index=offences.index, dtype="float")
    out = pd.DataFrame(index=offences.index)
    for category in CRIME_TYPES:
        low, high = CATEGORY_RANGES[category]
        out[category] = (tsk >= low) & (tsk <= high)
    out["total"] = True
    return out


def is_solved(state_name: pd.Series) -> pd.Series:
    """True where the state names a solved case ("objasněný", not "neobjasněný")."""
    return state_name.fillna("").astype(str).str.contains(_SOLVED)


def offence_years(offences: pd.DataFrame, area: str, population: float | None,
                  population_year: int | None, source: str) -> pd.DataFrame:
    """Counts per year and category of ``offences`` (``police_offences`` columns; ``date``
    ISO) as a :data:`YEAR_COLUMNS` table (``level`` "municipality"); the index uses
    ``population`` (of ``population_year``, named in ``source``). Categories without an
    offence in a year that has offences are 0, not missing."""
    if offences.empty:
        return pd.DataFrame(columns=list(YEAR_COLUMNS))
    years = pd.to_datetime(offences["date"], errors="coerce").dt.year
    matrix = category_matrix(offences)
    solved = is_solved(offences["state_name"])
    rows = []
    for year in sorted(int(y) for y in years.dropna().unique()):
        this = (years == year).to_numpy()
        for category in CRIME_TYPES:
            inside = this & matrix[category].to_numpy()
            rows.append({"year": year, "crime_type": category, "found": float(inside.sum()),
                         "solved": float((inside & solved.to_numpy()).sum())})
    table = pd.DataFrame(rows)
    pop_note = f"; obyvatel {population_year}" if population_year else ""
    return _finish(table, area, "municipality", population, source + pop_note)


def department_years(stats: pd.DataFrame, code: str, name: str, population: float | None,
                     source: str) -> pd.DataFrame:
    """The department ``code``'s own statistics (``crime_stats`` rows) as a
    :data:`YEAR_COLUMNS` table (``level`` "department")."""
    mine = stats[stats["oop_code"].astype(str) == code]
    table = mine[["year", "crime_type", "found", "solved"]].astype(
        {"year": int, "found": float, "solved": float})
    return _finish(table, name, "department", population, source)


def reference_years(reference: pd.DataFrame, region: str,
                    sources: Path = SOURCES_DIR) -> pd.DataFrame:
    """The region's and the country's figures as :data:`YEAR_COLUMNS` rows (``level``
    "region"/"country"): the shipped summaries by category (when the file is there) and the
    store's ``crime_reference`` rows (``area``, ``year``, ``crimes``, ``per_10k``,
    ``source``) of ``region`` and the Czech Republic, as totals."""
    parts = []
    path = sources / SUMMARY_FILE
    if path.is_file():
        summary = read_source_table(path, ("year", "unit", "tsk_range", "registered", "solved"))
        summary = summary[summary["tsk_range"].astype(str).isin(SUMMARY_RANGES)].assign(
            area=summary["unit"].astype(str).map(SUMMARY_UNITS))
        summary = summary[summary["area"].isin({region, COUNTRY})]
        parts.append(pd.DataFrame({
            "area": summary["area"], "year": summary["year"].astype(int),
            "crime_type": summary["tsk_range"].astype(str).map(SUMMARY_RANGES),
            "found": summary["registered"].astype(float),
            "solved": summary["solved"].astype(float), "population": np.nan,
            "per_10k": np.nan,
            "source": [f"Policie ČR, Kriminalita dle TSK {y} (via seerondrej/kriminalita)"
                       for y in summary["year"]]}))
    own = reference[reference["area"].astype(str).isin({region, COUNTRY})]
    parts.append(pd.DataFrame({
        "area": own["area"].astype(str), "year": own["year"].astype(int), "crime_type": "total",
        "found": own["crimes"].astype(float), "solved": np.nan,
        "population": own["population"].astype(float) if "population" in own else np.nan,
        "per_10k": own["per_10k"].astype(float), "source": own["source"].astype(str)}))
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=list(YEAR_COLUMNS))
    # one row per area, year and category: the per-category summary over a bare total
    table = table.sort_values("solved", na_position="first").drop_duplicates(
        ["area", "year", "crime_type"], keep="last")
    table["level"] = np.where(table["area"] == COUNTRY, "country", "region")
    table["solved_share"] = table["solved"] / table["found"].where(table["found"] > 0)
    return table.sort_values(["level", "year"]).reset_index(drop=True)[list(YEAR_COLUMNS)]


def _finish(table: pd.DataFrame, area: str, level: str, population: float | None,
            source: str) -> pd.DataFrame:
    """``table`` (year, crime_type, found, solved) with the area, index, share and source."""
    out = table.copy()
    out["area"], out["level"], out["source"] = area, level, source
    out["population"] = float(population) if population is not None else np.nan
    out["per_10k"] = crime_index_series(out["found"], out["population"])
    out["solved_share"] = out["solved"] / out["found"].where(out["found"] > 0)
    return out.sort_values(["year", "crime_type"]).reset_index(drop=True)[list(YEAR_COLUMNS)]


@dataclass(frozen=True)
class CrimeYears:
    """An area's yearly figures (``areas``: department and municipality rows) and the
    reference rows (region, country), all :data:`YEAR_COLUMNS` tables."""

    areas: pd.DataFrame
    reference: pd.DataFrame

    @property
    def years(self) -> tuple[int, ...]:
        """The years the area itself has figures for (ascending)."""
        return tuple(sorted({int(y) for y in self.areas["year"]}))

    def check_year(self, year: int) -> None:
        """Raise :class:`NoCrimeYear` (naming the years there are) if ``year`` has none."""
        if year not in self.years:
            raise NoCrimeYear(year, self.years)

    def trend(self, crime_type: str = "total") -> pd.DataFrame:
        """Area and reference rows of ``crime_type`` (one row per area and year)."""
        both = pd.concat([f for f in (self.areas, self.reference) if len(f)], ignore_index=True)
        if both.empty:
            return pd.DataFrame(columns=list(YEAR_COLUMNS))
        return both[both["crime_type"] == crime_type].sort_values(["level", "year"]
                                                                  ).reset_index(drop=True)

    def categories(self, year: int) -> pd.DataFrame:
        """Every category in ``year`` (rows :data:`CRIME_TYPES`), one column group per area
        with figures that year: ``found``, ``per_10k``, ``solved_share`` keyed
        ``(area (year), measure)``; each reference area of its year nearest to ``year`` (the
        earlier of two as near), that year in its key.

        Raises :class:`NoCrimeYear` when the area has no figures in ``year``."""
        self.check_year(year)
        columns: dict[tuple[str, str], pd.Series] = {}
        mine = self.areas[self.areas["year"] == year]
        for area, rows in mine.groupby("area", sort=False):
            frame = rows.set_index("crime_type").reindex(list(CRIME_TYPES))
            for measure in ("found", "per_10k", "solved_share"):
                columns[(f"{area} ({year})", measure)] = frame[measure]
        for area, rows in self.reference.groupby("area", sort=False):
            near = min({int(y) for y in rows["year"]}, key=lambda y: (abs(y - year), y))
            frame = rows[rows["year"] == near].set_index("crime_type").reindex(list(CRIME_TYPES))
            for measure in ("found", "per_10k", "solved_share"):
                columns[(f"{area} ({near})", measure)] = frame[measure]
        table = pd.DataFrame(columns)
        table.index.name = "crime_type"
        return table


#: Weekday numbers (Monday 0) and hours of a heat table.
WEEKDAYS: Final = tuple(range(7))
HOURS: Final = tuple(range(24))


def hour_weekday(offences: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Offences with a time, by weekday (rows 0 = Monday … 6) and hour (columns 0–23), of
    ``year`` or every year; all zeros when none has a time."""
    dates = pd.to_datetime(offences["date"], errors="coerce")
    timed = offences["hour"].notna().to_numpy() & dates.notna().to_numpy()
    if year is not None:
        timed &= (dates.dt.year == year).to_numpy()
    counts = np.zeros((7, 24), dtype=int)
    if timed.any():
        np.add.at(counts, (dates[timed].dt.day_of_week.to_numpy(),
                           offences["hour"][timed].astype(int).to_numpy()), 1)
    return pd.DataFrame(counts, index=pd.Index(WEEKDAYS, name="weekday"),
                        columns=pd.Index(HOURS, name="hour"))


def month_counts(offences: pd.DataFrame, year: int) -> pd.Series:
    """Offences of ``year`` per month (index 1–12, zeros included)."""
    dates = pd.to_datetime(offences["date"], errors="coerce")
    months = dates[dates.dt.year == year].dt.month
    return months.value_counts().reindex(range(1, 13), fill_value=0).rename_axis("month")
