"""The Area page end to end in a real browser, offline, as a strategy coordinator: Janov's
goals, a new measure linked to a place clicked on the map (then shown on the map), and the
council report PDF that lists it; a locality picked by a click on the map; an area drawn with
Leaflet.draw's toolbar and linked to a new measure.

Every user action that a rerun in flight can drop (a choice, a click on the map, a drawing) is
repeated, as a user would, until its effect shows."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from playwright.sync_api import Frame, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.ui.i18n import translate
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    MAP_TOOLTIPS,
    Traffic,
    app_page,
    component_frame,
    login,
    wait_idle,
)

pytestmark = pytest.mark.e2e
#: How long to wait for the page to show something (ms): a run of this page takes seconds on
#: a busy machine, so expect's default 5 s is too short.
WAIT = 20_000
MEASURE = "Lavičky a světlo u zastávky Janov"
AREA_MEASURE = "Úklid a zeleň ve vnitrobloku"


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("area") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "strategy_coordinator")
    return path


@pytest.fixture(scope="module")
def area_page(store_path: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Page, Traffic]]:
    # the public has no Area page: open the map, log in, then follow the navigation
    with app_page(store_path, tmp_path_factory.mktemp("log"),
                  accept_downloads=True) as (page, traffic):
        component_frame(page)
        login(page, USERS["strategy_coordinator"][0], PASSWORD)
        _until(page, lambda: page.locator('[data-testid="stSidebarNav"]').get_by_text(
            cs("nav.area"), exact=True).click(),
            page.locator("h1", has_text=cs("area.title", area="")))
        # every test works in Litvínov: under xdist a test may be the first on its worker
        _choose(page, '[data-testid="stSidebar"] [data-testid="stSelectbox"]', "Litvínov",
                cs("area.title", area="Litvínov"))
        yield page, traffic


def _until(page: Page, act: Callable[[], object], shown: Locator | Callable[[float], object],
           tries: int = 4) -> None:
    """Do ``act`` once the app is idle, again when a rerun dropped it, until ``shown`` (a
    locator to see, or a check taking a timeout in ms that raises until it holds)."""
    def check(timeout: float) -> None:
        if isinstance(shown, Locator):
            shown.first.wait_for(timeout=timeout)
        else:
            shown(timeout)

    for _attempt in range(tries):
        wait_idle(page)
        try:
            check(1)
            return
        except (PlaywrightTimeout, AssertionError):
            pass
        try:
            act()
            check(8_000)
            return
        except (PlaywrightTimeout, AssertionError):
            page.keyboard.press("Escape")  # close a list a rerun left open
    check(8_000)


def _pick(page: Page, select: Locator, option: str | re.Pattern[str]) -> None:
    """Open the selectbox ``select`` and click ``option``."""
    select.click()
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click(timeout=5_000)


def _centre_on(page: Page, lon: float, lat: float) -> tuple[Frame, dict[str, float]]:
    """The live map frame, centred on (lon, lat) at zoom 16, and that point's pixel."""
    wait_idle(page)
    frame = component_frame(page)
    point = frame.evaluate("""([lat, lng]) => {
        window.map.setView([lat, lng], 16, {animate: false});
        const size = window.map.getSize();
        return {x: size.x / 2, y: size.y / 2};
    }""", [lat, lon])
    return frame, point


def _click_map(page: Page, lon: float, lat: float) -> None:
    frame, point = _centre_on(page, lon, lat)
    frame.locator("#map_div").click(position={"x": point["x"], "y": point["y"]}, force=True)



def _on_map(page: Page, text: str) -> None:
    """Wait until a layer of the live map has a tooltip containing ``text``."""
    deadline = 3
    for _attempt in range(deadline):
        wait_idle(page)
        frame = component_frame(page)
        try:
            frame.wait_for_function(f"(text) => ({MAP_TOOLTIPS})().some(t => t.includes(text))",
                                    arg=text, timeout=8_000)
            return
        except PlaywrightTimeout:
            continue  # the map was replaced by a rerun while we looked
    raise AssertionError(f"no layer on the map mentions {text!r}: "
                         f"{component_frame(page).evaluate(MAP_TOOLTIPS)}")


def _choose(page: Page, select: str, option: str, heading: str) -> None:
    """Pick ``option`` in the selectbox ``select`` and wait for ``heading``."""
    _until(page, lambda: _pick(page, page.locator(select).first, option),
           page.locator("h1", has_text=heading))


def test_janov_measure_on_a_clicked_place_reaches_the_report(area_page, store_path: Path
                                                             ) -> None:
    page, traffic = area_page
    _choose(page, '[data-testid="stMain"] [data-testid="stSelectbox"]', "Janov",
            cs("area.title", area="Litvínov – Janov"))
    goal = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(r"1\.1\.1\s+Na základě poznatků zjištěných z pocitových"))
    wait_idle(page)
    expect(goal.first).to_be_visible(timeout=WAIT)

    # choose the place by clicking the map inside Janov
    localities = open_store(store_path).read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    target = janov.representative_point()
    _until(page, lambda: _click_map(page, target.x, target.y),
           page.get_by_text(re.compile(r"^Vybrané místo: \d+\.\d{5}, \d+\.\d{5}$")))

    # fill in and save the measure under goal 1.1.1
    _add_measure(page, MEASURE, "odbor dopravy")
    listed = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(rf"▸\s+{MEASURE}"))
    expect(listed.first).to_be_visible(timeout=WAIT)
    _on_map(page, MEASURE)  # its place is on the map, named after it

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


def _add_measure(page: Page, text: str, owner: str) -> None:
    """Fill in the add-measure form under goal 1.1.1 and save it."""
    wait_idle(page)
    # its fields share labels with the measure editor's: look inside this form only
    form = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name=cs("area.form.add"), exact=True))
    goal = form.get_by_role("combobox", name=cs("area.form.goal"), exact=True)
    _until(page, lambda: _pick(page, form.locator('[data-testid="stSelectbox"]').first,
                               re.compile(r"^1\.1\.1 ")),
           lambda timeout: expect(goal).to_have_value(re.compile(r"^1\.1\.1 "),
                                                      timeout=timeout))
    form.get_by_label(cs("area.form.text")).fill(text)
    form.get_by_label(cs("area.form.owner")).fill(owner)
    form.get_by_label(cs("area.form.time_frame")).fill("2027")
    form.get_by_role("button", name=cs("area.form.add")).click()
    expect(page.get_by_text(cs("area.form.added"))).to_be_visible(timeout=WAIT)
    # the message comes first; the rest of the page is stale until the run ends
    wait_idle(page)


def _click_mode(page: Page, mode: str) -> None:
    radio = page.get_by_role("radio", name=cs(f"area.click_mode.{mode}"))
    _until(page, lambda: page.locator('[data-testid="stRadio"]').get_by_text(
        cs(f"area.click_mode.{mode}"), exact=True).click(),
        lambda timeout: expect(radio).to_be_checked(timeout=timeout))


def test_a_click_on_the_map_picks_a_locality(area_page, store_path: Path) -> None:
    page, traffic = area_page
    store = open_store(store_path)
    localities = store.read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    town = store.read("towns")
    outside = town[town["town_id"] == "litvinov"].geometry.iloc[0].difference(
        janov.buffer(0.002)).representative_point()
    main_select = '[data-testid="stMain"] [data-testid="stSelectbox"]'
    _until(page, lambda: _pick(page, page.locator(main_select).first,
                               cs("area.whole_town")),
           page.locator("h1").filter(has_text=re.compile(r"– Litvínov$")))
    _click_mode(page, "locality")
    _until(page, lambda: _click_map(page, outside.x, outside.y),
           page.get_by_text(cs("area.click.no_locality")))
    inside = janov.representative_point()
    _until(page, lambda: _click_map(page, inside.x, inside.y),
           page.locator("h1", has_text=cs("area.title", area="Litvínov – Janov")))
    # the list follows the map
    expect(page.locator('[data-testid="stMain"]').get_by_role(
        "combobox", name=cs("area.locality"), exact=True)).to_have_value("Janov", timeout=WAIT)
    _click_mode(page, "place")
    assert traffic.blocked == [] and traffic.errors == []


def _draw_square(page: Page, lon: float, lat: float, half_px: int = 40) -> None:
    """Draw a square around (lon, lat) with the toolbar's polygon tool, by mouse clicks."""
    frame, centre = _centre_on(page, lon, lat)
    frame.locator(".leaflet-draw-draw-polygon").click()
    box = frame.locator("#map_div").bounding_box()
    assert box is not None
    x0, y0 = box["x"] + centre["x"], box["y"] + centre["y"]
    corners = [(-half_px, -half_px), (half_px, -half_px), (half_px, half_px),
               (-half_px, half_px), (-half_px, -half_px)]  # back on the first closes it
    for dx, dy in corners:
        page.mouse.click(x0 + dx, y0 + dy)
        page.wait_for_timeout(150)


def test_an_area_drawn_on_the_map_is_linked_to_a_new_measure(area_page, store_path: Path
                                                             ) -> None:
    page, traffic = area_page
    _choose(page, '[data-testid="stMain"] [data-testid="stSelectbox"]', "Janov",
            cs("area.title", area="Litvínov – Janov"))
    localities = open_store(store_path).read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    centre = janov.representative_point()
    drawn = page.get_by_text(re.compile(r"^Zakreslená plocha: [\d\u00a0]+ m²$"))
    _until(page, lambda: _draw_square(page, centre.x, centre.y), drawn)

    _add_measure(page, AREA_MEASURE, "odbor životního prostředí")
    expect(drawn).to_have_count(0, timeout=WAIT)  # the drawn area went with the measure
    _on_map(page, cs("area.map.area", measures=AREA_MEASURE))

    store = open_store(store_path)
    measures = store.read("measures", "litvinov")
    new = measures[measures["title"] == AREA_MEASURE]
    assert len(new) == 1
    links = store.read("measure_links", "litvinov")
    link = links[links["measure_id"] == new["measure_id"].iloc[0]]
    assert list(link["target_kind"]) == ["polygon"]
    area = shapely.from_wkt(link["wkt"].iloc[0])
    assert area.is_valid and janov.covers(area) and area.contains(centre)
    # 80 px at zoom 16 and latitude 50.6° are about 121 m: a square of about 1.5 ha
    area_m2 = gpd.GeoSeries([area], crs="EPSG:4326").to_crs("EPSG:5514").area.iloc[0]
    assert 12_000 < area_m2 < 18_000
    assert traffic.blocked == [] and traffic.errors == []
