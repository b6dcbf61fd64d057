"""The Area page end to end in a real browser, offline, as a strategy coordinator: Janov's
goals, a new measure linked to a place clicked on the map (then shown on the map), and the
council report PDF that lists it; a locality picked by a click on the map; an area drawn with
Leaflet.draw's toolbar and linked to a new measure.

Each action waits for the app to be idle and then for the rerun it makes
(``tests/app/e2e_support.py``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import geopandas as gpd
import pytest
import shapely
from playwright.sync_api import Page, expect

from app.ui.i18n import translate
from layers.schema import LOCALITIES, MEASURE_LINKS, MEASURES, TOWNS
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    DOWNLOAD_TIMEOUT_MS,
    MAP_SETTLED,
    MAP_TOOLTIPS,
    Traffic,
    app_page,
    centre_map,
    choose,
    click_map,
    component_frame,
    login,
    navigate,
    pick,
    rerun,
    type_into,
    wait_idle,
)

pytestmark = pytest.mark.e2e
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
        navigate(page, "nav.area")
        expect(page.locator("h1", has_text=cs("area.title", area=""))).to_be_visible()
        # every test works in Litvínov: under xdist a test may be the first on its worker
        _choose(page, '[data-testid="stSidebar"] [data-testid="stSelectbox"]', "Litvínov",
                cs("area.title", area="Litvínov"))
        yield page, traffic


def _on_map(page: Page, text: str) -> None:
    """Once the app is idle with its map drawn, a layer of the map has a tooltip containing
    ``text``."""
    frame = component_frame(page)
    tips = frame.evaluate(MAP_TOOLTIPS)
    assert any(text in tip for tip in tips), f"no layer on the map mentions {text!r}: {tips}"


def _choose(page: Page, select: str, option: str, heading: str) -> None:
    """Pick ``option`` in the selectbox ``select`` (unless ``heading`` says it is already
    chosen) and see ``heading``."""
    shown = page.locator("h1", has_text=heading)
    wait_idle(page)
    if not shown.is_visible():
        choose(page, page.locator(select).first, option)
    expect(shown).to_be_visible()


def test_janov_measure_on_a_clicked_place_reaches_the_report(area_page, store_path: Path
                                                             ) -> None:
    page, traffic = area_page
    _choose(page, '[data-testid="stMain"] [data-testid="stSelectbox"]', "Janov",
            cs("area.title", area="Litvínov – Janov"))
    goal = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(r"1\.1\.1\s+Na základě poznatků zjištěných z pocitových"))
    expect(goal.first).to_be_visible()

    # choose the place by clicking the map inside Janov
    localities = open_store(store_path).read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    target = janov.representative_point()
    click_map(page, target.y, target.x)
    # the place by its name (nearest address, stop or part of town), never its coordinates
    chosen = page.get_by_text(re.compile(r"^Vybrané místo: "))
    expect(chosen).to_be_visible()
    assert not re.search(r"\d+\.\d{4}", chosen.inner_text())

    # fill in and save the measure under goal 1.1.1
    _add_measure(page, MEASURE, "odbor dopravy")
    listed = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=re.compile(rf"▸\s+{MEASURE}"))
    expect(listed.first).to_be_visible()
    _on_map(page, MEASURE)  # its place is on the map, named after it

    store = open_store(store_path)
    measures = store.read(MEASURES, "litvinov")
    new = measures[measures["title"] == MEASURE]
    assert len(new) == 1 and new["goal_ids"].iloc[0] == '["litvinov-pp9:goal:1.1.1"]'
    links = store.read(MEASURE_LINKS, "litvinov")
    link = links[links["measure_id"] == new["measure_id"].iloc[0]]
    assert list(link["target_kind"]) == ["point"]
    clicked = shapely.from_wkt(link["wkt"].iloc[0])
    assert janov.covers(clicked) and clicked.distance(target) < 0.001  # degrees, ~70 m

    # the council report lists the goals and the new measure
    wait_idle(page)
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download:
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
    # its fields share labels with the measure editor's: look inside this form only
    form = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name=cs("area.form.add"), exact=True))
    goal = form.get_by_role("combobox", name=cs("area.form.goal"), exact=True)
    wait_idle(page)
    # a choice inside a form makes no rerun: the form sends it with the others
    pick(page, form.locator('[data-testid="stSelectbox"]').first, re.compile(r"^1\.1\.1 "))
    expect(goal).to_have_value(re.compile(r"^1\.1\.1 "))
    type_into(form.get_by_label(cs("area.form.text")), text)
    type_into(form.get_by_label(cs("area.form.owner")), owner)
    type_into(form.get_by_label(cs("area.form.time_frame")), "2027")
    rerun(page, form.get_by_role("button", name=cs("area.form.add")).click)
    expect(page.get_by_text(cs("area.form.added"))).to_be_visible()


def _click_mode(page: Page, mode: str) -> None:
    radio = page.get_by_role("radio", name=cs(f"area.click_mode.{mode}"))
    wait_idle(page)
    if not radio.is_checked():
        rerun(page, page.locator('[data-testid="stRadio"]').get_by_text(
            cs(f"area.click_mode.{mode}"), exact=True).click)
    expect(radio).to_be_checked()


def test_a_click_on_the_map_picks_a_locality(area_page, store_path: Path) -> None:
    page, traffic = area_page
    store = open_store(store_path)
    localities = store.read(LOCALITIES, "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    town = store.read(TOWNS)
    outside = town[town["town_id"] == "litvinov"].geometry.iloc[0].difference(
        janov.buffer(0.002)).representative_point()
    main_select = '[data-testid="stMain"] [data-testid="stSelectbox"]'
    whole_town = page.locator("h1").filter(has_text=re.compile(r"– Litvínov$"))
    wait_idle(page)
    if not whole_town.is_visible():
        choose(page, page.locator(main_select).first, cs("area.whole_town"))
    expect(whole_town).to_be_visible()
    _click_mode(page, "locality")
    click_map(page, outside.y, outside.x)
    expect(page.get_by_text(cs("area.click.no_locality"))).to_be_visible()
    inside = janov.representative_point()
    click_map(page, inside.y, inside.x)
    expect(page.locator("h1", has_text=cs("area.title", area="Litvínov – Janov"))
           ).to_be_visible()
    # the list follows the map
    expect(page.locator('[data-testid="stMain"]').get_by_role(
        "combobox", name=cs("area.locality"), exact=True)).to_have_value("Janov")
    _click_mode(page, "place")
    assert traffic.blocked == [] and traffic.errors == []


#: The live map's centre and zoom.
_VIEW = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


def _view_in_address(page: Page) -> list[float]:
    return [float(v) for v in parse_qs(urlparse(page.url).query)["pohled"][0].split(",")]


def test_the_map_opens_on_the_addresss_view_and_keeps_a_pan(area_page, store_path: Path
                                                            ) -> None:
    page, traffic = area_page
    town = open_store(store_path).read(TOWNS)
    inside = town[town["town_id"] == "litvinov"].geometry.iloc[0].representative_point()
    chosen = [round(inside.y, 5), round(inside.x, 5), 15]
    # the whole town (no locality to centre on), opened at a view of the person's choice
    query = {"mesto": "litvinov", "pohled": ",".join(str(v) for v in chosen)}
    page.goto(urlparse(page.url)._replace(query=urlencode(query, safe=",")).geturl())
    expect(page.locator("h1").filter(has_text=re.compile(r"– Litvínov$"))).to_be_visible()
    frame = component_frame(page)
    assert frame.evaluate(_VIEW) == pytest.approx(chosen, abs=1e-5)

    # the person drags the map: the address follows
    box = frame.locator("#map_div").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y - 100, steps=10)
    page.mouse.up()
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    page.wait_for_function("view => !location.search.includes('pohled=' + view)",
                           arg=query["pohled"], polling="raf")
    wait_idle(page)
    moved = _view_in_address(page)
    assert moved == pytest.approx(frame.evaluate(_VIEW), abs=1e-5)
    assert moved[2] == 15 and moved[:2] != pytest.approx(chosen[:2], abs=1e-4)

    page.reload()
    expect(page.locator("h1").filter(has_text=re.compile(r"– Litvínov$"))).to_be_visible()
    assert component_frame(page).evaluate(_VIEW) == pytest.approx(moved, abs=1e-5)
    assert _view_in_address(page) == moved
    assert traffic.blocked == [] and traffic.errors == []


#: Ready (inside the map) when Leaflet.draw's active tool holds ``n`` vertices and takes the
#: next one (it ignores clicks for a moment after each vertex).
_VERTICES = """n => {
    const control = Object.keys(window).map(key => window[key])
        .find(value => value instanceof L.Control.Draw);
    const mode = control && control._toolbars.draw._activeMode;
    const handler = mode && mode.handler;
    return Boolean(handler && handler._markers.length === n && !handler._disableMarkers);
}"""


def _draw_square(page: Page, lon: float, lat: float, half_px: int = 40) -> None:
    """Draw a square around (lon, lat) with the toolbar's polygon tool, by mouse clicks; wait
    for the rerun that the finished drawing makes."""
    frame, centre = centre_map(page, lat, lon)
    frame.locator(".leaflet-draw-draw-polygon").click()
    frame.wait_for_function(_VERTICES, arg=0, polling="raf")
    # the mouse clicks at page coordinates: the whole map in view (pressing it scrolls nothing)
    frame.frame_element().scroll_into_view_if_needed()
    box = frame.locator("#map_div").bounding_box()
    assert box is not None
    x0, y0 = box["x"] + centre["x"], box["y"] + centre["y"]
    corners = [(-half_px, -half_px), (half_px, -half_px), (half_px, half_px),
               (-half_px, half_px)]
    for count, (dx, dy) in enumerate(corners, start=1):
        page.mouse.click(x0 + dx, y0 + dy)
        frame.wait_for_function(_VERTICES, arg=count, polling="raf")  # the tool took it
    # back on the first corner closes the polygon: the component reports the drawing
    rerun(page, lambda: page.mouse.click(x0 - half_px, y0 - half_px))


def test_an_area_drawn_on_the_map_is_linked_to_a_new_measure(area_page, store_path: Path
                                                             ) -> None:
    page, traffic = area_page
    _choose(page, '[data-testid="stMain"] [data-testid="stSelectbox"]', "Janov",
            cs("area.title", area="Litvínov – Janov"))
    localities = open_store(store_path).read("localities", "litvinov")
    janov = localities[localities["locality_id"] == "litvinov-1"].geometry.iloc[0]
    centre = janov.representative_point()
    drawn = page.get_by_text(re.compile(r"^Zakreslená plocha: [\d\u00a0]+ m²$"))
    _draw_square(page, centre.x, centre.y)
    expect(drawn).to_be_visible()

    _add_measure(page, AREA_MEASURE, "odbor životního prostředí")
    expect(drawn).to_have_count(0)  # the drawn area went with the measure
    _on_map(page, cs("area.map.area", measures=AREA_MEASURE))

    store = open_store(store_path)
    measures = store.read(MEASURES, "litvinov")
    new = measures[measures["title"] == AREA_MEASURE]
    assert len(new) == 1
    links = store.read(MEASURE_LINKS, "litvinov")
    link = links[links["measure_id"] == new["measure_id"].iloc[0]]
    assert list(link["target_kind"]) == ["polygon"]
    area = shapely.from_wkt(link["wkt"].iloc[0])
    assert area.is_valid and janov.covers(area) and area.contains(centre)
    # 80 px at zoom 16 and latitude 50.6° are about 121 m: a square of about 1.5 ha
    area_m2 = gpd.GeoSeries([area], crs="EPSG:4326").to_crs("EPSG:5514").area.iloc[0]
    assert 12_000 < area_m2 < 18_000
    assert traffic.blocked == [] and traffic.errors == []
