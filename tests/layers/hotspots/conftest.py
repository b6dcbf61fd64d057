"""Fixtures of the hotspot tests: a small square town in a tiny store, points in EPSG:5514."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.schema import PINS, POLICE_OFFENCES
from layers.store import GeoPackageStore, open_store

#: South-west corner of the test town (EPSG:5514, near Litvínov) and its side in metres.
ORIGIN = (-785_000.0, -985_000.0)
SIDE = 3_000.0


def town_square() -> shapely.Geometry:
    return shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + SIDE, ORIGIN[1] + SIDE)


def pins_frame(x: np.ndarray, y: np.ndarray, **columns: object) -> gpd.GeoDataFrame:
    """Approved pins at EPSG:5514 ``(x, y)`` in the store's schema (EPSG:4326)."""
    n = len(x)
    data: dict[str, object] = {
        "pin_id": [f"t-p{i:05d}" for i in range(n)], "town_id": "t", "session_id": "s1",
        "category": "dark_place", "feeling": 2, "seen": "own", "time_of_day": "evening",
        "safety_action": "avoid", "age_group": "13-18", "place_note": "", "status": "approved",
        "transcribed": False, "created_at": "2024-05-01", "synthetic": True,
        "comment": "", "comment_held": False, "source_value": "",
    }
    data.update(columns)
    frame = gpd.GeoDataFrame({c: data.get(c, "") for c in PINS.columns},
                             geometry=gpd.points_from_xy(x, y), crs=METRIC_CRS)
    return frame.to_crs(STORAGE_CRS)


def planted(rng: np.random.Generator, background: int = 300, cluster: int = 60,
            spread: float = 60.0) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Uniform background pins plus a tight cluster around a known centre."""
    centre = (ORIGIN[0] + 2_000.0, ORIGIN[1] + 1_000.0)
    x = np.concatenate([rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, background),
                        rng.normal(centre[0], spread, cluster)])
    y = np.concatenate([rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, background),
                        rng.normal(centre[1], spread, cluster)])
    return x, y, centre


def police_offences_frame(x: np.ndarray, y: np.ndarray, dates: list[str], exact: np.ndarray
                          ) -> gpd.GeoDataFrame:
    """Police open-data offences at EPSG:5514 ``(x, y)`` in the store's schema (EPSG:4326)."""
    n = len(x)
    frame = gpd.GeoDataFrame({
        "offence_id": [f"p{i}" for i in range(n)], "town_id": "t", "date": dates,
        "hour": None, "type_code": 18, "type_name": "Krádež", "type_group": "Majetková",
        "exact": exact, "state": 1, "state_name": "objasněno", "relevance": 3,
        "relevance_name": "místo spáchání", "source": "test", "batch_id": "b"},
        geometry=gpd.points_from_xy(x, y), crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return frame[[*POLICE_OFFENCES.columns, "geometry"]]


@dataclass(frozen=True)
class PlantedCube:
    """Points over ``months`` months (EPSG:5514, ``month`` 0-based): uniform background, a
    cluster at ``old_at`` in every month that weakens, one at ``new_at`` in the last only."""

    x: np.ndarray
    y: np.ndarray
    month: np.ndarray
    months: int
    new_at: tuple[float, float]
    old_at: tuple[float, float]


def planted_cube(rng: np.random.Generator, months: int = 24) -> PlantedCube:
    new_at = (ORIGIN[0] + 700.0, ORIGIN[1] + 2_300.0)
    old_at = (ORIGIN[0] + 2_300.0, ORIGIN[1] + 700.0)
    xs, ys, ts = [], [], []
    for t in range(months):
        xs.append(rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, 150))
        ys.append(rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, 150))
        ts.append(np.full(150, t))
        clusters = [(old_at, 150 - 4 * t)]
        if t == months - 1:
            clusters.append((new_at, 100))
        for (cx, cy), k in clusters:
            xs.append(rng.normal(cx, 150.0, k))
            ys.append(rng.normal(cy, 150.0, k))
            ts.append(np.full(k, t))
    return PlantedCube(np.concatenate(xs), np.concatenate(ys), np.concatenate(ts), months,
                       new_at, old_at)


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[gpd.GeoDataFrame], GeoPackageStore]:
    """A store with the square town ``t`` (and its police district) holding ``pins``."""

    def make(pins: gpd.GeoDataFrame) -> GeoPackageStore:
        boundary = gpd.GeoSeries([town_square()], crs=METRIC_CRS).to_crs(STORAGE_CRS)
        towns = gpd.GeoDataFrame({"town_id": ["t"], "name": ["Testov"], "kraj": ["Testkraj"]},
                                 geometry=[shapely.MultiPolygon([boundary.iloc[0]])],
                                 crs=STORAGE_CRS)
        districts = gpd.GeoDataFrame(
            {"oop_code": ["000001"], "town_id": ["t"], "oop_name": ["OOP Testov"],
             "population": [10_000.0]},
            geometry=[shapely.MultiPolygon([boundary.iloc[0].buffer(0.01)])],
            crs=STORAGE_CRS)
        stats = pd.DataFrame({"oop_code": ["000001"], "year": [2013], "crime_type": ["total"],
                              "found": [400.0], "solved": [200.0]})
        reference = pd.DataFrame({"area": ["Testkraj"], "year": [2013], "crimes": [1.0],
                                  "population": [1.0], "per_10k": [300.0], "source": ["test"]})
        store = open_store(tmp_path / "t.gpkg")
        assert isinstance(store, GeoPackageStore)
        store.replace_all({"towns": towns, "pins": pins, "police_districts": districts,
                           "crime_stats": stats, "crime_reference": reference})
        return store

    return make
