"""Crime over the years on the Area page, in a real browser, offline, as a strategy
coordinator, with a several-year police export (the published shape) imported into the demo
store: the years there are, the trend chart with Czech titles, the table of all crime by year
and the category table with the year of every figure, the hour × weekday heat table, a year
without figures naming the years there are, and the yearly security analysis downloaded as a
DOCX that python-docx reads back. One served app, one page; a change of the year waits for
its rerun (``rerun``), never for a time."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as read_docx
from playwright.sync_api import Locator, Page, expect

from app.ui.i18n import translate
from layers.analysis.content import CHAPTERS
from layers.ingest.batches import run_import
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import DOWNLOAD_TIMEOUT_MS, app_page, open_town_page, rerun, wait_idle
from tests.police_export import YEARS, rows_of, write_export

pytestmark = pytest.mark.e2e
TOWN = "litvinov"
ALL_YEARS = ", ".join(map(str, (2013, *YEARS)))


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Iterator[Page]:
    folder = tmp_path_factory.mktemp("area-crime")
    path = Path(shutil.copy(demo_store_path, folder / "store.gpkg"))
    store = open_store(path)
    for export in write_export(folder / "export", store, TOWN):
        run_import(store, "police-open-data", export, town_id=TOWN)
    add_accounts(path, "strategy_coordinator")
    with app_page(path, tmp_path_factory.mktemp("log"), accept_downloads=True) as (page, _):
        open_town_page(page, USERS["strategy_coordinator"][0], PASSWORD, "nav.area",
                       cs("area.title", area="Litvínov"), "Litvínov")
        yield page


def _main(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"]')


def _year(page: Page, year: int) -> None:
    box = _main(page).locator('input[data-testid="stNumberInputField"]'
                              f'[aria-label="{cs("area.crime.year")}"]')
    wait_idle(page)
    if box.input_value() != str(year):  # the same value makes no rerun
        box.fill(str(year))
        rerun(page, lambda: box.press("Enter"))


def test_the_trend_and_the_tables_name_the_year_of_every_figure(page: Page) -> None:
    main = _main(page)
    expect(main.get_by_text(cs("area.crime.years", years=ALL_YEARS))).to_be_visible()
    _year(page, 2024)
    expect(main.get_by_text(cs("area.crime.trend"))).to_be_visible()
    # the chart (SVG with its marks' accessible labels): Czech titles, Czech numbers
    chart = main.locator('[data-testid="stVegaLiteChart"]')
    expect(chart.locator(f"[aria-label^=\"X-axis titled '{cs('area.crime.axis.year')}'\"]")
           ).to_have_count(1)
    expect(chart.locator('[aria-label*="Území: OOP Litvínov"][aria-label*="391,3"]').first
           ).to_be_attached()
    expect(chart.locator('[aria-label*="Rok: 2024"][aria-label*="Území: Litvínov;"]').first
           ).to_be_attached()
    # the category table: the area's and the references' columns, each with its year
    table = main.locator('[data-testid="stTable"]').filter(
        has_text=f"Litvínov (2024) – {cs('area.col.found')}")
    expect(table).to_have_count(1)
    expect(table).to_contain_text(f"Ústecký kraj (2024) – {cs('area.col.found')}")
    expect(table).to_contain_text(f"Česká republika (2024) – {cs('area.col.solved')}")
    total = table.locator("tr").filter(has_text="Celková kriminalita")
    cells = total.first.locator("td")
    expect(cells.first).to_have_text(str(len(rows_of(2024))))
    expect(total.first).to_contain_text("15\u00a0858")  # Ústecký kraj 2024, Czech format
    # the table of all crime by year: the department's 2013 row with its index
    grid = main.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator('[role="gridcell"]', has_text="391,3")).first
    expect(grid).to_be_attached()


def test_the_heat_table_counts_the_offences_with_a_time(page: Page) -> None:
    main = _main(page)
    _year(page, 2024)
    expect(main.get_by_text(cs("area.crime.heat", year=2024))).to_be_visible()
    heat = main.locator('[data-testid="stTable"]').filter(has_text="pondělí")
    expect(heat).to_have_count(1)
    expect(heat.locator("tbody tr")).to_have_count(7)
    values = [int(v) for v in heat.locator("tbody td").all_inner_texts()]
    assert len(values) == 7 * 24
    assert sum(values) == sum(r.hour is not None for r in rows_of(2024))
    # the busiest cell is coloured darker than an empty one
    colours = heat.locator("tbody td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).backgroundColor)")
    busiest = values.index(max(values))
    assert colours[busiest] != colours[values.index(0)]


def test_a_year_without_figures_names_the_years_there_are(page: Page) -> None:
    _year(page, 2016)
    expect(_main(page).get_by_text(cs("area.crime.no_year", year=2016, years=ALL_YEARS))
           ).to_be_visible()
    _year(page, 2024)
    expect(_main(page).get_by_text(cs("area.crime.heat", year=2024))).to_be_visible()


def test_the_analysis_downloads_as_a_docx_with_maps(page: Page) -> None:
    _year(page, 2023)
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download:
        _main(page).get_by_role("button", name=cs("area.analysis.docx")).click()
    assert download.value.suggested_filename.endswith("-2023.docx")
    doc = read_docx(str(download.value.path()))
    headings = [p.text for p in doc.paragraphs
                if p.style is not None and str(p.style.name).startswith("Heading")]
    assert [h for h in headings if h in CHAPTERS] == list(CHAPTERS)
    assert len(doc.inline_shapes) >= 2
    assert any(h.startswith(f"Kriminalita 2023 (Litvínov): {len(rows_of(2023))} skutků")
               for h in headings)
