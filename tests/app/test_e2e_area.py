"""The Area page end to end in a real browser, offline: Janov's goals, a new measure linked
to a place clicked on the map, and the council report PDF that lists it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.i18n import translate
from layers.store import open_store
from tests.app.e2e_support import (
    Traffic,
    app_page,
    component_frame,
    wait_idle,
)

pytestmark = pytest.mark.e2e
MEASURE = "Lavičky a světlo u zastávky Janov"


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("area") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    return path


@pytest.fixture(scope="module")
def area_page(store_path: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Page, Traffic]]:
    with app_page(store_path, tmp_path_factory.mktemp("log"), "area",
                  accept_downloads=True) as opened:
        yield opened


def _choose(page: Page, select: str, option: str, heading: str) -> None:
    """Pick ``option`` in the selectbox ``select`` and wait for ``heading``; as a user would,
    choose again when a rerun in flight dropped the choice."""
    shown = page.locator("h1", has_text=heading)
    for _attempt in range(3):
        wait_idle(page)
        page.locator(select).first.click()
        page.get_by_role("option", name=option, exact=True).click()
        try:
            shown.wait_for(timeout=8_000)
            return
        except PlaywrightTimeout:
            continue
    shown.wait_for()


def test_janov_measure_on_a_clicked_place_reaches_the_report(area_page, store_path: Path
                                                             ) -> None:
    page, traffic = area_page
    expect(page.locator("h1", has_text=cs("area.title", area=""))).to_be_visible()
    _choose(page, '[data-testid="stSidebar"] [data-testid="stSelectbox"]', "Litvínov",
            cs("area.title", area="Litvínov"))
    _choose(page, '[data-testid="stMain"] [data-testid="stSelectbox"]', "Janov",
            cs("area.title", area="Litvínov – Janov"))
    goal = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(r"1\.1\.1\s+Na základě poznatků zjištěných z pocitových"))
    expect(goal.first).to_be_visible()

    # choose the place by clicking the map inside Janov
    localities = open_store(store_path).read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    target = janov.representative_point()
    wait_idle(page)
    frame = component_frame(page)
    point = frame.evaluate("""([lat, lng]) => {
        window.map.setView([lat, lng], 16, {animate: false});
        const size = window.map.getSize();
        return {x: size.x / 2, y: size.y / 2};
    }""", [target.y, target.x])
    frame.locator("#map_div").click(position={"x": point["x"], "y": point["y"]}, force=True)
    expect(page.get_by_text(re.compile(r"^Vybrané místo: \d+\.\d{5}, \d+\.\d{5}$"))
           ).to_be_visible(timeout=15_000)

    # fill in and save the measure under goal 1.1.1
    wait_idle(page)
    page.locator('[class*="st-key-area_goal_"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=re.compile(r"^1\.1\.1 ")).click()
    page.get_by_label(cs("area.form.text")).fill(MEASURE)
    page.get_by_label(cs("area.form.owner")).fill("odbor dopravy")
    page.get_by_label(cs("area.form.time_frame")).fill("2027")
    page.get_by_label(cs("area.form.role")).first.fill("koordinátor")
    page.get_by_role("button", name=cs("area.form.add")).click()
    expect(page.get_by_text(cs("area.form.added"))).to_be_visible(timeout=15_000)
    listed = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(rf"▸\s+{MEASURE}"))
    expect(listed.first).to_be_visible()

    store = open_store(store_path)
    measures = store.read("measures", "litvinov")
    new = measures[measures["title"] == MEASURE]
    assert len(new) == 1 and new["goal_ids"].iloc[0] == '["litvinov-pp9:goal:1.1.1"]'
    links = store.read("measure_links", "litvinov")
    link = links[links["measure_id"] == new["measure_id"].iloc[0]]
    assert list(link["target_kind"]) == ["point"]
    clicked = shapely.from_wkt(link["wkt"].iloc[0])
    assert janov.covers(clicked) and clicked.distance(target) < 0.001  # degrees, ~70 m

    # the council report lists the goals and the new measure
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=cs("area.download.pdf")).click()
    pdf = Path(download.value.path())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for number in ("1.1.1", "1.1.5"):
        assert number in text
    assert MEASURE in text
    assert traffic.blocked == [] and traffic.errors == []
