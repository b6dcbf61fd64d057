"""Crime over the years from a several-year police export (the published shape) imported
into the demo store: counts, index and solved share by year and category equal a plain count
of the planted rows; the department's 2013 statistics and the region's and country's
references come beside them with their years; hour × weekday and month tables; a year
without figures names the years there are."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from layers.area_figures import area_crime
from layers.crime_years import (
    CATEGORY_RANGES,
    NoCrimeYear,
    category_matrix,
    hour_weekday,
    is_solved,
    month_counts,
    tsk_code,
    type_code_categories,
)
from layers.ingest.batches import run_import
from layers.schema import LOCALITIES, POLICE_OFFENCES, TOWNS
from layers.store import Store, open_store
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from tests.police_export import YEARS, rows_of, write_export

TOWN = "litvinov"
#: The planted types' categories: burglary, simple theft, violent (plus the wider ones).
EXPECTED = {18: {"total", "general", "property", "burglary"},
            25: {"total", "general", "property", "theft_simple"},
            64: {"total", "general", "violent"}}


@pytest.fixture(scope="module", params=["geopackage", "postgis"])
def imported(request: pytest.FixtureRequest, demo_store_path: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo store with the several-year export imported, in either backend (one per
    module: the tests only read it)."""
    folder = tmp_path_factory.mktemp("crime-years")
    store = open_store(shutil.copy(demo_store_path, folder / "demo.gpkg"))
    url = None
    if request.param == "postgis":
        url = request.getfixturevalue("pg_cluster").new_database()
        target = open_store(url)
        copy_store(store, target)
        store = target
    for path in write_export(folder / "export", store, TOWN):
        result = run_import(store, "police-open-data", path, town_id=TOWN)
        assert not result.report.rejected
    yield store
    if url is not None:
        close_pools(url)


def test_tsk_codes_and_names_fall_into_the_summary_categories() -> None:
    assert set(type_code_categories(315)) == {"total", "general", "property", "burglary"}
    assert set(type_code_categories(805)) == {"total", "economic"}
    assert tsk_code(18, "Krádeže vloupáním do obchodů", "Majetková kriminalita") == 311
    assert tsk_code(7, "Neznámý druh", "Hospodářská kriminalita") == 801
    assert tsk_code(7, "Neznámý druh", "") is None
    frame = pd.DataFrame({"type_code": [18, 25, 64, 7], "type_group": ["", "", "", ""],
                          "type_name": ["Krádeže vloupáním do obchodů", "Krádeže jízdních kol",
                                        "Úmyslné ublížení na zdraví", "Neznámý druh"]})
    matrix = category_matrix(frame)
    assert [set(matrix.columns[matrix.iloc[i]]) for i in range(3)] == [
        EXPECTED[18], EXPECTED[25], EXPECTED[64]]
    assert set(matrix.columns[matrix.iloc[3]]) == {"total"}
    assert len(CATEGORY_RANGES) == 10
    assert is_solved(pd.Series(["Trestný čin – objasněný", "Trestný čin – neobjasněný",
                                None])).tolist() == [True, False, False]


def test_years_categories_index_and_solved_share_equal_a_plain_count(imported: Store) -> None:
    crime = area_crime(imported, TOWN)
    town = imported.read(TOWNS, TOWN).iloc[0]
    assert set(YEARS) | {2013} == set(crime.years.years)
    municipal = crime.years.areas[crime.years.areas["level"] == "municipality"]
    for year in YEARS:
        planted = rows_of(year)
        for category in ("total", "burglary", "theft_simple", "violent", "property",
                         "economic"):
            mine = [r for r in planted if category in EXPECTED[r.type_code]]
            row = municipal[(municipal["year"] == year)
                            & (municipal["crime_type"] == category)].iloc[0]
            assert row["found"] == len(mine)
            assert row["solved"] == sum(r.solved for r in mine)
            if mine:
                assert row["solved_share"] == pytest.approx(
                    sum(r.solved for r in mine) / len(mine))
        total = municipal[(municipal["year"] == year) & (municipal["crime_type"] == "total")]
        assert total["per_10k"].iloc[0] == pytest.approx(
            len(planted) * 10_000 / float(town["population"]))
    # the department's own 2013 statistics: OOP Litvínov's 1,052 crimes, index 391.3
    department = crime.years.areas[crime.years.areas["level"] == "department"]
    total_2013 = department[(department["year"] == 2013)
                            & (department["crime_type"] == "total")].iloc[0]
    assert total_2013["found"] == 1052 and round(total_2013["per_10k"], 1) == 391.3


def test_reference_rows_carry_the_region_and_country_by_category(imported: Store) -> None:
    reference = area_crime(imported, TOWN).years.reference
    region = reference[(reference["area"] == "Ústecký kraj") & (reference["year"] == 2024)]
    assert region.set_index("crime_type").loc["total", "found"] == 15_858
    assert set(region["crime_type"]) == set(CATEGORY_RANGES)
    country = reference[(reference["level"] == "country") & (reference["year"] == 2024)]
    assert country.set_index("crime_type").loc["total", "solved_share"] == pytest.approx(
        78_178 / 173_322)
    # the 2020 national index the Litvínov programme quotes, as a total
    assert reference[(reference["level"] == "country") & (reference["year"] == 2020)][
        "per_10k"].iloc[0] == pytest.approx(148.6)


def test_category_table_names_the_year_of_every_column(imported: Store) -> None:
    table = area_crime(imported, TOWN).years.categories(2024)
    areas = {column[0] for column in table.columns}
    assert "Litvínov (2024)" in areas and "Ústecký kraj (2024)" in areas
    assert "Česká republika (2024)" in areas
    assert table[("Litvínov (2024)", "found")]["total"] == len(rows_of(2024))
    # a year without a reference of its own: the nearest reference year is named
    early = area_crime(imported, TOWN).years.categories(2013)
    assert {"Ústecký kraj (2013)", "Česká republika (2020)"} <= {c[0] for c in early.columns}
    assert early[("Ústecký kraj (2013)", "per_10k")]["total"] > 0


def test_a_year_without_figures_names_the_years_there_are(imported: Store) -> None:
    with pytest.raises(NoCrimeYear) as caught:
        area_crime(imported, TOWN).years.categories(2030)
    assert caught.value.years == (2013, *YEARS)
    assert "2013, 2019, 2020, 2021, 2022, 2023, 2024" in str(caught.value)


def test_hour_weekday_and_month_tables_count_the_timed_offences(imported: Store) -> None:
    offences = area_crime(imported, TOWN).offences
    table = hour_weekday(offences, 2024)
    planted = [r for r in rows_of(2024) if r.hour is not None]
    assert table.shape == (7, 24) and int(table.to_numpy().sum()) == len(planted)
    first = planted[0]
    assert first.hour is not None
    weekday = pd.Timestamp(first.date).weekday()
    assert int(table.to_numpy()[weekday, first.hour]) >= 1
    months = month_counts(offences, 2024)
    assert months.sum() == len(rows_of(2024)) and months.index.tolist() == list(range(1, 13))
    assert int(hour_weekday(offences.iloc[0:0]).to_numpy().sum()) == 0


def test_a_locality_counts_the_offences_inside_its_outline(imported: Store) -> None:
    offences = imported.read(POLICE_OFFENCES, TOWN)
    minx, miny, maxx, maxy = offences.total_bounds
    # a locality over the western half, its edge on the westernmost offences: on the edge
    # is not inside
    outline = shapely.box(minx, miny, (minx + maxx) / 2, maxy)
    imported.append(LOCALITIES, gpd.GeoDataFrame(
        {"locality_id": ["west-half"], "town_id": [TOWN], "name": ["Západ"],
         "population_est": [1000], "isv": [None], "isv_band": [None], "description": [None],
         "source": ["test"], "synthetic": [True]},
        geometry=[shapely.multipolygons([outline])], crs="EPSG:4326"))
    crime = area_crime(imported, TOWN, "west-half")
    # what the page computed before the store's spatial read: the whole layer, filtered
    expected = offences[offences.geometry.within(outline)]
    assert crime.offences["offence_id"].tolist() == expected["offence_id"].tolist()
    assert 0 < len(expected) < len(offences)
