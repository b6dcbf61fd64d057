"""Area summaries against small fixtures whose answers are computed by hand in EPSG:5514."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from layers.summary import area_summary, crime_overview

# A 1 km square in S-JTSK near Litvínov (x, y in metres).
X0, Y0 = -783_000.0, -977_000.0
SQUARE_M = box(X0, Y0, X0 + 1000, Y0 + 1000)


def _to_4326(geoms: list, **columns: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geoms, crs="EPSG:5514").to_crs("EPSG:4326")


@pytest.fixture
def square() -> object:
    return gpd.GeoSeries([SQUARE_M], crs="EPSG:5514").to_crs("EPSG:4326").iloc[0]


@pytest.fixture
def pins() -> gpd.GeoDataFrame:
    inside = [Point(X0 + 100 + 10 * i, Y0 + 500) for i in range(9)]
    categories = ["dark_place"] * 3 + ["traffic"] * 2 + ["drug_dealing"] * 2 + ["racism"] * 2
    # outside: a dark place 50 m east of the square, must not count
    return _to_4326([*inside, Point(X0 + 1050, Y0 + 500)], category=[*categories, "dark_place"])


@pytest.fixture
def services() -> gpd.GeoDataFrame:
    geoms = [
        Point(X0 + 500, Y0 + 500),     # inside
        Point(X0 + 1300, Y0 + 500),    # 300 m east of the edge
        Point(X0 + 500, Y0 - 499),     # 499 m south of the edge
        Point(X0 + 1700, Y0 + 500),    # 700 m east: too far
        Point(X0 - 384, Y0 + 1288),    # off the corner: sqrt(384² + 288²) = 480 m
    ]
    return _to_4326(geoms, service_id=["s1", "s2", "s3", "s4", "s5"],
                    name=["Klub", "Škola", "Hřiště", "Policie", "Poradna"],
                    service_type=["nzdm", "school", "playground", "police", "debt_counselling"])


def test_counts_pins_inside_by_category(square, pins, services) -> None:
    summary = area_summary(square, pins, services, k=1)
    assert summary.pin_counts == {"dark_place": 3, "drug_dealing": 2, "racism": 2, "traffic": 2}
    assert summary.pins_shown == 9
    assert summary.suppressed == ()


def test_suppresses_small_sensitive_counts(square, pins, services) -> None:
    summary = area_summary(square, pins, services, k=3)
    # dark_place and traffic are not sensitive: shown whatever their count
    assert summary.pin_counts == {"dark_place": 3, "traffic": 2}
    assert summary.suppressed == ("drug_dealing", "racism")
    assert summary.pins_shown == 5


def test_services_inside_and_within_metres(square, pins, services) -> None:
    summary = area_summary(square, pins, services, within_m=500)
    assert [s.service_id for s in summary.services_inside] == ["s1"]
    assert summary.services_inside[0].distance_m == 0
    assert [s.service_id for s in summary.services_near] == ["s2", "s5", "s3"]
    distances = [s.distance_m for s in summary.services_near]
    assert distances == pytest.approx([300.0, 480.0, 499.0], abs=0.01)


def test_smaller_radius_drops_far_services(square, pins, services) -> None:
    summary = area_summary(square, pins, services, within_m=350)
    assert [s.service_id for s in summary.services_near] == ["s2"]


def test_empty_frames_give_empty_summary(square) -> None:
    empty_pins = gpd.GeoDataFrame({"category": []}, geometry=[], crs="EPSG:4326")
    empty_services = gpd.GeoDataFrame({"service_id": [], "name": [], "service_type": []},
                                      geometry=[], crs="EPSG:4326")
    summary = area_summary(square, empty_pins, empty_services)
    assert summary.pin_counts == {}
    assert summary.services_inside == () and summary.services_near == ()


def test_rejects_negative_radius_and_missing_crs(square, pins, services) -> None:
    with pytest.raises(ValueError, match="within_m"):
        area_summary(square, pins, services, within_m=-1)
    with pytest.raises(ValueError, match="CRS"):
        area_summary(square, pins.set_crs(None, allow_override=True), services)


def test_crime_overview_picks_latest_year_and_nearest_baseline() -> None:
    stats = pd.DataFrame({
        "oop_code": ["A", "A", "B", "B", "Z"],
        "year": [2012, 2013, 2013, 2013, 2020],
        "crime_type": ["total", "total", "total", "violent", "total"],
        "found": [100, 150, 30, 5, 999],
        "solved": [50, 60, 10, 2, 1],
    })
    districts = pd.DataFrame({"oop_code": ["A", "B"], "population": [10_000, 2_000]})
    reference = pd.DataFrame({
        "area": ["Česká republika", "Ústecký kraj", "Ústecký kraj", "Ústecký kraj"],
        "year": [2013, 2010, 2015, 2016],
        "crimes": [1, 2, 3, 4], "population": [1, 1, 1, 1],
        "per_10k": [300.0, 200.0, 250.0, 260.0], "source": ["x"] * 4,
    })
    overview = crime_overview(stats, districts, reference, baseline_area="Ústecký kraj")
    assert overview.year == 2013  # district Z's 2020 is not one of ours
    assert overview.index_of("A") == pytest.approx(150.0)  # 150 / 10,000 × 10,000
    assert overview.index_of("B") == pytest.approx(150.0)  # 30 / 2,000 × 10,000
    assert math.isnan(overview.index_of("C"))
    # the region's rows are 3, 2 and 3 years away from 2013: 2015 wins
    assert overview.baseline is not None
    assert (overview.baseline.area, overview.baseline.year) == ("Ústecký kraj", 2015)
    assert overview.baseline.per_10k == 250.0
    assert [r.year for r in overview.references] == [2016, 2015, 2013, 2010]


def test_crime_overview_without_figures_or_baseline() -> None:
    stats = pd.DataFrame(columns=["oop_code", "year", "crime_type", "found", "solved"])
    districts = pd.DataFrame({"oop_code": ["A"], "population": [100]})
    reference = pd.DataFrame({"area": ["Česká republika"], "year": [2020], "crimes": [1],
                              "population": [1], "per_10k": [148.6], "source": ["x"]})
    overview = crime_overview(stats, districts, reference, baseline_area="Česká republika")
    assert overview.year is None
    assert math.isnan(overview.index_of("A"))
    assert overview.baseline is None
    assert len(overview.references) == 1
