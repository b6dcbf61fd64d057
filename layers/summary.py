"""What lies in and around one area (a locality or a police district): pins, services, crime.

This is the computation behind the map's side panel. Geometries come in EPSG:4326 (as the
store serves them); containment and distances are computed in EPSG:5514, so ``within_m`` is in
metres on the ground.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from layers.crime import district_index_table
from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric
from layers.schema import SENSITIVE_CATEGORIES


@dataclass(frozen=True)
class NearbyService:
    """A service inside an area (``distance_m`` 0) or near it (metres to the area's edge)."""

    service_id: str
    name: str
    service_type: str
    distance_m: float


@dataclass(frozen=True)
class AreaSummary:
    """Pins and services of one area.

    ``pin_counts`` maps category → number of pins inside, for categories that may be shown;
    ``suppressed`` lists sensitive categories with 1 to k−1 pins inside, which a public view
    reports only as "fewer than k" (an exact small count could point at a person).
    ``pins_shown`` is the sum of ``pin_counts``: it deliberately leaves the suppressed pins out.
    """

    pin_counts: dict[str, int]
    suppressed: tuple[str, ...]
    services_inside: tuple[NearbyService, ...]
    services_near: tuple[NearbyService, ...]

    @property
    def pins_shown(self) -> int:
        return sum(self.pin_counts.values())


def area_summary(area: BaseGeometry, pins: gpd.GeoDataFrame, services: gpd.GeoDataFrame, *,
                 within_m: float = 500.0, k: int = 5,
                 sensitive: Collection[str] = SENSITIVE_CATEGORIES) -> AreaSummary:
    """Count ``pins`` by category inside ``area`` and list ``services`` inside or near it.

    ``area`` is a (Multi)Polygon in EPSG:4326; ``pins`` has a ``category`` column and
    ``services`` ``service_id``, ``name`` and ``service_type``, both in any CRS (they are
    reprojected). A point on the boundary counts as inside. "Near" means outside the area but at
    most ``within_m`` metres from it. The caller decides which pins are eligible (e.g. approved
    ones only). Raises ``ValueError`` when a frame has no CRS or ``within_m`` is negative.
    """
    if within_m < 0:
        raise ValueError(f"within_m must be >= 0 metres, got {within_m}")
    area_m = gpd.GeoSeries([area], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]

    inside_pins = to_metric(pins).geometry.covered_by(area_m) if len(pins) else \
        pd.Series([], dtype=bool)
    counts = pins.loc[inside_pins.to_numpy(), "category"].value_counts() if len(pins) else \
        pd.Series([], dtype=int)
    pin_counts: dict[str, int] = {}
    suppressed: list[str] = []
    for category, n in counts.items():
        if category in sensitive and int(n) < k:
            suppressed.append(str(category))
        else:
            pin_counts[str(category)] = int(n)

    inside: list[NearbyService] = []
    near: list[NearbyService] = []
    if len(services):
        distances = to_metric(services).geometry.distance(area_m)
        for (_, row), dist in zip(services.iterrows(), distances, strict=True):
            if dist > within_m:
                continue
            item = NearbyService(str(row["service_id"]), str(row["name"]),
                                 str(row["service_type"]), float(dist))
            (inside if dist == 0 else near).append(item)
    near.sort(key=lambda s: (s.distance_m, s.name))
    inside.sort(key=lambda s: s.name)
    return AreaSummary(dict(sorted(pin_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                       tuple(sorted(suppressed)), tuple(inside), tuple(near))


@dataclass(frozen=True)
class ReferenceValue:
    """One comparison value of the crime index (e.g. a region's, in one year)."""

    area: str
    year: int
    per_10k: float


@dataclass(frozen=True)
class CrimeOverview:
    """The crime index of a town's police districts and the values to compare it with.

    ``table`` is :func:`layers.crime.district_index_table` for ``year`` (None when there are no
    figures for these districts). ``references`` are all comparison values, newest first;
    ``baseline`` is the one the map's classes are drawn against (the chosen area's value of
    the year closest to ``year``), or None.
    """

    year: int | None
    table: pd.DataFrame
    references: tuple[ReferenceValue, ...]
    baseline: ReferenceValue | None

    def index_of(self, oop_code: str) -> float:
        """The index of one district (NaN when it has no figure)."""
        rows = self.table.loc[self.table["oop_code"] == oop_code, "per_10k"]
        return float(rows.iloc[0]) if len(rows) else float("nan")


def crime_overview(stats: pd.DataFrame, districts: pd.DataFrame, reference: pd.DataFrame,
                   baseline_area: str | None = None, crime_type: str = "total"
                   ) -> CrimeOverview:
    """The latest year with figures for ``districts``, their index, and the reference values.

    ``stats`` is the ``crime_stats`` table, ``districts`` carries ``oop_code`` and
    ``population``, ``reference`` is the ``crime_reference`` table. The baseline is the row of
    ``baseline_area`` (e.g. the town's region) whose year is closest to the districts' year,
    the later one on a tie; None when that area has no row or there are no figures.
    """
    mine = stats[stats["oop_code"].isin(districts["oop_code"])
                 & (stats["crime_type"] == crime_type)]
    year = int(mine["year"].max()) if len(mine) else None
    table = district_index_table(stats, districts, year if year is not None else -1, crime_type)
    rows = reference.dropna(subset=["per_10k"]).sort_values(["year", "area"],
                                                            ascending=[False, True])
    references = tuple(
        ReferenceValue(str(area), int(year), float(value))
        for area, year, value in zip(rows["area"], rows["year"], rows["per_10k"], strict=True)
    )
    candidates = [r for r in references if r.area == baseline_area]
    baseline = None
    if year is not None and candidates:
        baseline = min(candidates, key=lambda r: (abs(r.year - year), -r.year))
    return CrimeOverview(year, table, references, baseline)
