"""Small frames the store tests write (services, localities, crime stats, pins placed in
S-JTSK grid cells)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from layers.crs import METRIC_CRS, STORAGE_CRS

#: The grid cell (metres) :func:`town_pins` keep well inside of.
CELL_M = 200.0


def frames() -> dict[str, pd.DataFrame]:
    """Two services, one locality and one crime-stats row (towns "a" and "b")."""
    square = MultiPolygon([Polygon([(13.6, 50.6), (13.61, 50.6), (13.61, 50.61), (13.6, 50.6)])])
    services = gpd.GeoDataFrame(
        {"service_id": ["a-1", "b-1"], "town_id": ["a", "b"], "name": ["Klub", "Škola Ř"],
         "service_type": ["nzdm", "school"], "synthetic": [True, False]},
        geometry=[Point(13.6012345, 50.6054321), Point(12.5, 50.3)], crs="EPSG:4326")
    localities = gpd.GeoDataFrame({"locality_id": ["a-1"], "town_id": ["a"], "name": ["Janov"],
                                   "population_est": [3900]}, geometry=[square], crs="EPSG:4326")
    table = pd.DataFrame({"oop_code": ["040812"], "year": [2013], "crime_type": ["total"],
                          "found": [1052.0], "solved": [500.0]})
    return {"services": services, "localities": localities, "crime_stats": table}


def more_services(n: int, prefix: str) -> gpd.GeoDataFrame:
    """``n`` services of town "a" with ids ``{prefix}-0`` …"""
    return gpd.GeoDataFrame(
        {"service_id": [f"{prefix}-{i}" for i in range(n)], "town_id": "a",
         "name": [f"Služba {i}" for i in range(n)], "service_type": "school",
         "synthetic": True},
        geometry=[Point(13.6 + i * 1e-4, 50.6) for i in range(n)], crs="EPSG:4326")


def town_pins(seed: int = 7, n: int = 120) -> gpd.GeoDataFrame:
    """``n`` pins of towns "a" and "b" near Kraslice, each 40–100 m from its cell's edges;
    mixed statuses and categories; EPSG:4326."""
    rng = np.random.default_rng(seed)
    col = rng.integers(-4_460, -4_454, n)  # S-JTSK cells around Kraslice (x ≈ -891 km)
    row = rng.integers(-5_023, -5_017, n)
    x = (col + rng.uniform(0.2, 0.8, n)) * CELL_M
    y = (row + rng.uniform(0.2, 0.8, n)) * CELL_M
    metric = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=METRIC_CRS)
    return gpd.GeoDataFrame({
        "pin_id": [f"p{i}" for i in range(n)],
        "town_id": rng.choice(["a", "b"], n),
        "session_id": "s1",
        "category": rng.choice(["dark_place", "drugs", "dangerous_people"], n),
        "feeling": rng.integers(1, 6, n),
        "status": rng.choice(["approved", "pending"], n, p=[0.8, 0.2]),
    }, geometry=metric.to_crs(STORAGE_CRS).to_numpy(), crs=STORAGE_CRS)


def town_services() -> gpd.GeoDataFrame:
    """Three services of town "a" (NZDM, police, playground) and one of "b", EPSG:4326."""
    points = gpd.GeoSeries([Point(-891_300, -1_004_100), Point(-890_500, -1_003_500),
                            Point(-891_900, -1_003_300), Point(-890_000, -1_004_500)],
                           crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return gpd.GeoDataFrame({"service_id": ["s1", "s2", "s3", "s4"],
                             "town_id": ["a", "a", "a", "b"],
                             "name": ["Klub", "Policie", "Hřiště", "Klub B"],
                             "service_type": ["nzdm", "police", "playground", "nzdm"]},
                            geometry=points.to_numpy(), crs=STORAGE_CRS)


def town_localities() -> gpd.GeoDataFrame:
    """Two localities of town "a"; the police station of :func:`town_services` lies in
    "l2"."""
    shapes = gpd.GeoSeries([box(-891_500, -1_004_300, -891_000, -1_003_900),
                            box(-890_600, -1_003_600, -890_300, -1_003_300)],
                           crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return gpd.GeoDataFrame({"locality_id": ["l1", "l2"], "town_id": ["a", "a"],
                             "name": ["Centrum", "Sever"]},
                            geometry=[shapely.multipolygons([g]) for g in shapes],
                            crs=STORAGE_CRS)


def pins(n: int, prefix: str, session: str = "s1") -> gpd.GeoDataFrame:
    """``n`` pending pins of town "a" and session ``session``, ids ``{prefix}-0`` …"""
    return gpd.GeoDataFrame(
        {"pin_id": [f"{prefix}-{i}" for i in range(n)], "town_id": "a", "session_id": session,
         "category": "x", "feeling": 1, "seen": "", "time_of_day": "", "safety_action": "",
         "age_group": "", "place_note": "", "status": "pending", "transcribed": False,
         "created_at": "2026-01-01T00:00:00", "synthetic": True, "comment": "",
         "comment_held": False, "source_value": "", "moderation_note": ""},
        geometry=[Point(13.6 + i * 1e-5, 50.6) for i in range(n)], crs="EPSG:4326")
