import math

import pandas as pd
import pytest

from layers.crime import crime_index, crime_index_series, district_index_table
from layers.schema import CRIME_STATS, POLICE_DISTRICTS
from layers.sources.real import SOURCES_DIR


def test_scalar_index() -> None:
    assert crime_index(1052, 26885) == pytest.approx(391.3, abs=0.05)


def test_zero_or_missing_population_gives_nan() -> None:
    assert math.isnan(crime_index(10, 0))
    assert crime_index_series(pd.Series([10.0, 5.0]), pd.Series([0.0, None])).isna().all()


def test_index_reproduces_every_published_figure() -> None:
    """crimes × 10,000 / population equals the stored mapakriminality index for every unit."""
    csv = SOURCES_DIR / "police_crime" / "crime_by_oop_2013_KVK_ULK_mapakriminality.csv"
    table = pd.read_csv(csv,
                        dtype={"oop_code": str})
    published = table.dropna(subset=["crimes_per_10k_2013"])
    assert len(published) >= 70
    ours = crime_index_series(published["found_total"], published["population_2013_src"])
    assert (ours - published["crimes_per_10k_2013"]).abs().max() < 0.051


def test_district_table_from_store(demo_store) -> None:
    districts = demo_store.read(POLICE_DISTRICTS, "litvinov")
    table = district_index_table(demo_store.read(CRIME_STATS), districts, 2013)
    by_code = table.set_index("oop_code")["per_10k"]
    assert by_code["040812"] == pytest.approx(391.3, abs=0.05)
    assert by_code["040817"] == pytest.approx(483.9, abs=0.05)


def test_district_without_figures_is_nan(demo_store) -> None:
    districts = demo_store.read(POLICE_DISTRICTS, "kraslice")
    table = district_index_table(demo_store.read(CRIME_STATS), districts, 1999)
    assert table["per_10k"].isna().all()
