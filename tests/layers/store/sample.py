"""Small frames the store tests write (services, localities, crime stats)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon


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


def pins(n: int, prefix: str, session: str = "s1") -> gpd.GeoDataFrame:
    """``n`` pending pins of town "a" and session ``session``, ids ``{prefix}-0`` …"""
    return gpd.GeoDataFrame(
        {"pin_id": [f"{prefix}-{i}" for i in range(n)], "town_id": "a", "session_id": session,
         "category": "x", "feeling": 1, "seen": "", "time_of_day": "", "safety_action": "",
         "age_group": "", "place_note": "", "status": "pending", "transcribed": False,
         "created_at": "2026-01-01T00:00:00", "synthetic": True, "comment": "",
         "comment_held": False, "source_value": "", "moderation_note": ""},
        geometry=[Point(13.6 + i * 1e-5, 50.6) for i in range(n)], crs="EPSG:4326")
