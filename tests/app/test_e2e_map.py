"""The map page end to end: ``streamlit run app/server.py`` against a demo store, driven by a
real headless Chromium (/usr/bin/chromium; without it these tests fail, never skip).

Every request to a host other than 127.0.0.1/localhost is aborted and recorded: the page must
work in a community centre without internet (plumbing in ``tests/app/e2e_support.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Frame, Locator, Page, expect, sync_playwright
from shapely.geometry import Point

from app.features.map.model import sources_table
from app.features.map.panel import NEAR_M
from app.ui.i18n import label, number, translate
from app.ui.server_address import with_address
from app.ui.town import PUBLIC_K, load_town
from layers.store import open_store
from layers.summary import area_summary
from tests.app.e2e_support import (
    COMPONENT_IFRAME,
    MAP_SETTLED,
    Traffic,
    choose,
    component_frame,
    launch_chromium,
    offline_context,
    rerun,
    serve_app,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/map.png")


@pytest.fixture(scope="module")
def app_url(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the app served by ``streamlit run`` on a free port, reading the demo store."""
    with serve_app(demo_store_path, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for this module only: a live sync Playwright keeps an event loop running,
    which other modules' own ``sync_playwright()`` (and AppTest) refuse to run inside."""
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser, app_url: str) -> Iterator[tuple[Page, Traffic]]:
    traffic = Traffic()
    context = offline_context(browser, traffic, viewport={"width": 1500, "height": 1150})
    page = watch(context.new_page(), traffic)
    page.goto(app_url)
    yield page, traffic
    context.close()


#: Ready (inside the map component) when the map is drawn and still, with its legend and
#: its layer control's overlays.
_MAP_READY = (f"() => ({MAP_SETTLED})() && document.querySelector('.mapa-legend')"
              " && document.querySelector('.leaflet-control-layers-overlays label')")


def _map_frame(page: Page) -> Frame:
    """The st_folium component's frame, once the app is idle and Leaflet has drawn the map
    and its controls."""
    return component_frame(page, _MAP_READY)


_COUNT_FEATURES = """() => {
    const counts = {};
    window.map.eachLayer(layer => {
        const kind = layer.feature && layer.feature.properties && layer.feature.properties.kind;
        if (kind) counts[kind] = (counts[kind] || 0) + 1;
    });
    return counts;
}"""


def _feature_counts(frame: Frame) -> dict[str, int]:
    counts: dict[str, int] = frame.evaluate(_COUNT_FEATURES)
    return counts


def _layer_names(frame: Frame) -> list[str]:
    # the folded control keeps its entries in the page, hidden until it is opened
    return [text.strip() for text in
            frame.locator(".leaflet-control-layers-overlays label").all_text_contents()]


def _click_at(page: Page, x: float, y: float, shown: Locator) -> None:
    """Click the page at (x, y), on the map, wait for the rerun the click makes, and see
    ``shown``."""
    rerun(page, lambda: page.mouse.click(x, y))
    expect(shown).to_be_visible()


def _choose_town(page: Page, name: str) -> None:
    """Pick a town in the sidebar and wait for its page (unless it is open already)."""
    heading = page.locator("h1", has_text=translate("map.title", "cs", town=name))
    _map_frame(page)
    if not heading.is_visible():
        choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]'),
               name)
    expect(heading).to_be_visible()


def _expected(store_path: Path, town_id: str) -> tuple[dict[str, int], list[str]]:
    data = load_town(open_store(store_path), town_id)
    counts = {"locality": len(data.localities), "district": len(data.districts),
              "service": len(data.services)}
    names = []
    for key, layer in (("map.layer.context", "context_lines"),
                       ("map.layer.districts", "police_districts"),
                       ("map.layer.boundary", "towns"), ("map.layer.localities", "localities"),
                       ("map.layer.pin_cells", "pins"), ("map.layer.pins", "pins"),
                       ("map.layer.services", "services")):
        name = translate(key, "cs")
        names.append(translate("map.synthetic_suffix", "cs", name=name)
                     if data.is_synthetic(layer) else name)
    # the town's own streets and its stops, where the store has them
    names += [translate(key, "cs") for key, frame in (("map.layer.streets", data.streets),
                                                      ("map.layer.stops", data.stops))
              if len(frame)]
    return counts, names


def _live_counts(page: Page) -> dict[str, Any]:
    """Feature counts of the live map, once the app is idle and the map drawn (after a switch
    of town, the component is a new one)."""
    return _feature_counts(_map_frame(page))


def test_map_renders_offline_with_layers_and_features(page, demo_store_path) -> None:
    page, traffic = page
    _choose_town(page, "Kraslice")
    expected, names = _expected(demo_store_path, "kraslice")
    counts = _live_counts(page)
    frame = _map_frame(page)
    assert {k: counts.get(k) for k in expected} == expected
    assert _layer_names(frame) == names
    assert frame.locator(".mapa-service").count() == expected["service"]
    # the pin layer drew clusters or markers, and the legend is there with the band colours
    assert frame.locator(".marker-cluster, .leaflet-marker-icon").count() > expected["service"]
    # the legend starts folded to its title and unfolds with a click
    legend = frame.locator(".mapa-legend")
    assert legend.inner_text().strip() == translate("map.legend.title", "cs")
    legend.locator("summary").first.click()
    assert "Index sociálního vyloučení" in legend.inner_text()
    assert "12–30 vysoké" in legend.inner_text()
    legend.locator("summary").first.click()
    assert traffic.blocked == []
    assert traffic.failed == []
    assert traffic.errors == []


#: The town's localities and services: how many lie outside the first view, and the names
#: of those that a folded control (layers, legend) covers.
_COVERED = """() => {
    const map = window.map, frame = map.getContainer().getBoundingClientRect();
    const controls = [...document.querySelectorAll(".leaflet-control-layers, .mapa-legend")]
        .map(e => e.getBoundingClientRect());
    const found = {outside: 0, covered: [], seen: 0};
    map.eachLayer(layer => {
        const p = layer.feature && layer.feature.properties;
        if (!p || !["locality", "service"].includes(p.kind)) return;
        found.seen += 1;
        const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
        if (!map.getBounds().contains(b)) found.outside += 1;
        const nw = map.latLngToContainerPoint(b.getNorthWest());
        const se = map.latLngToContainerPoint(b.getSouthEast());
        const box = {left: frame.left + nw.x, top: frame.top + nw.y,
                     right: frame.left + se.x, bottom: frame.top + se.y};
        if (controls.some(c => box.left < c.right && box.right > c.left
                               && box.top < c.bottom && box.bottom > c.top)) {
            found.covered.push(p.name || p.kind);
        }
    });
    return found;
}"""


def test_first_view_fits_the_towns_data_and_no_control_covers_it(page,
                                                                 demo_store_path) -> None:
    page, traffic = page
    _choose_town(page, "Kraslice")
    expected, _ = _expected(demo_store_path, "kraslice")
    found = _map_frame(page).evaluate(_COVERED)
    assert found["seen"] == expected["locality"] + expected["service"] > 0
    assert found["outside"] == 0 and found["covered"] == []
    assert traffic.blocked == [] and traffic.errors == []


def test_switching_towns_changes_the_map(page, demo_store_path) -> None:
    page, traffic = page
    seen = {}
    for town_id, name in (("kraslice", "Kraslice"), ("karlovy-vary", "Karlovy Vary")):
        _choose_town(page, name)
        expected, _ = _expected(demo_store_path, town_id)
        counts = _live_counts(page)
        assert {k: counts.get(k) for k in expected} == expected
        seen[town_id] = expected
    assert seen["kraslice"] != seen["karlovy-vary"]
    assert traffic.blocked == [] and traffic.failed == [] and traffic.errors == []


_FREE_POINT = """([areaId, latlngs]) => {
    // fit the view to the area, then find one of the given points inside it where a click
    // reaches the map (not a marker, cluster, open popup or control, which keep their clicks)
    let target = null;
    window.map.eachLayer(layer => {
        if (layer.feature && layer.feature.properties.area_id === areaId) target = layer;
    });
    if (!target) return null;
    window.map.fitBounds(target.getBounds(), {animate: false});
    for (const latlng of latlngs) {
        const p = window.map.latLngToContainerPoint(latlng);
        const box = window.map.getContainer().getBoundingClientRect();
        const x = box.left + p.x, y = box.top + p.y;
        const hit = document.elementFromPoint(x, y);
        if (hit && !hit.closest(".leaflet-marker-pane, .leaflet-popup-pane, .leaflet-control")) {
            return [x, y];
        }
    }
    return null;
}"""


def _points_inside(geometry: Any, n: int = 15) -> list[list[float]]:
    """A grid of (lat, lng) points inside ``geometry``, centre first."""
    minx, miny, maxx, maxy = geometry.bounds
    grid = [Point(minx + (maxx - minx) * i / n, miny + (maxy - miny) * j / n)
            for i in range(1, n) for j in range(1, n)]
    inside = [p for p in grid if geometry.contains(p)]
    centre = geometry.representative_point()
    inside.sort(key=lambda p: p.distance(centre))
    return [[p.y, p.x] for p in inside]


def test_clicking_janov_opens_its_panel(page, demo_store_path) -> None:
    page, traffic = page
    _choose_town(page, "Litvínov")
    frame = _map_frame(page)
    janov = load_town(open_store(demo_store_path), "litvinov").localities
    janov_id = str(janov.loc[janov["name"] == "Janov", "locality_id"].iloc[0])
    candidates = _points_inside(janov.loc[janov["locality_id"] == janov_id].geometry.iloc[0])
    frame.evaluate(_FREE_POINT, [janov_id, candidates])  # fit first: clusters then re-spread
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    point = frame.evaluate(_FREE_POINT, [janov_id, candidates])
    assert point is not None, "no part of Janov free of markers to click"
    box = page.locator(COMPONENT_IFRAME).bounding_box()
    assert box is not None
    _click_at(page, box["x"] + point[0], box["y"] + point[1],
              page.locator("h3", has_text="Janov"))
    page.get_by_text(translate("map.panel.pins", "cs")).wait_for()
    page.get_by_text(translate("map.panel.goals", "cs"), exact=True).wait_for()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert translate("map.panel.locality", "cs") in body
    # the panel's counts are the ones layers.summary computes for Janov
    data = load_town(open_store(demo_store_path), "litvinov")
    summary = area_summary(janov.loc[janov["locality_id"] == janov_id].geometry.iloc[0],
                           data.pins_approved, data.services, within_m=NEAR_M, k=PUBLIC_K)
    assert summary.pins_shown > 0
    assert translate("map.panel.pins_total", "cs", n=summary.pins_shown) in body
    top_category, top_count = next(iter(summary.pin_counts.items()))
    assert f"{label('pin.category', top_category, 'cs')}\t{top_count}" in body
    _map_frame(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # then a police district, outside the locality
    district = data.districts.iloc[0]
    outside = district.geometry.difference(janov.geometry.union_all())
    frame = _map_frame(page)
    frame.evaluate(_FREE_POINT, [str(district["oop_code"]), _points_inside(outside)])
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    point = frame.evaluate(_FREE_POINT, [str(district["oop_code"]), _points_inside(outside)])
    assert point is not None, "no part of the district free of markers to click"
    box = page.locator(COMPONENT_IFRAME).bounding_box()  # the open panel moved the page
    assert box is not None
    _click_at(page, box["x"] + point[0], box["y"] + point[1],
              page.locator("h3", has_text=str(district["oop_name"])))
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert translate("map.panel.district", "cs") in body
    assert number(data.crime.index_of(str(district["oop_code"])), "cs", 1) in body
    assert traffic.blocked == [] and traffic.failed == [] and traffic.errors == []


def test_the_sources_table_loads_when_it_is_opened(page, demo_store_path) -> None:
    page, traffic = page
    _map_frame(page)
    main = page.locator('[data-testid="stMain"]')
    # the page and its map come without a data grid: the sources are read on demand
    expect(main.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    expander = main.locator('[data-testid="stExpander"]').filter(
        has_text=translate("map.sources", "cs"))
    rerun(page, expander.locator("summary").click)
    grid = main.locator('[data-testid="stDataFrame"]')
    expect(grid).to_have_count(1)
    expect(grid).to_contain_text(translate("map.sources.licence", "cs"))
    first = sources_table(load_town(open_store(demo_store_path), "karlovy-vary"), "cs")
    expect(grid).to_contain_text(str(first.iloc[0, 0]))  # the first layer's name, as it reads
    expect(grid).to_contain_text(str(first.iloc[0, 1]))  # and the title of its source
    assert _feature_counts(_map_frame(page))  # the map is still drawn after the rerun
    assert traffic.blocked == [] and traffic.errors == []


def test_a_page_connects_at_the_servers_address_at_once(browser: Browser, app_url: str) -> None:
    """Opened at ``/map``, the frontend asks the server at the app's root straight away, not
    first at ``/map/_stcore/`` (404) and again after a pause (app.ui.server_address)."""
    traffic = Traffic()
    context = offline_context(browser, traffic)
    page = watch(context.new_page(), traffic)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlparse(request.url).path))
    page.goto(f"{app_url}/map")
    _map_frame(page)
    assert "/_stcore/health" in asked
    assert [path for path in asked if path.startswith("/map/")] == []
    assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == f"{app_url}/"
    # behind a proxy that serves the app under a prefix of its own, the root is found too
    page.route("http://mapa.test/**", lambda route: route.fulfill(
        body=with_address(b"<html><head></head><body></body></html>", 1),
        content_type="text/html"))
    page.goto("http://mapa.test/obec/map?mesto=kraslice#x")
    assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == "http://mapa.test/obec/"
    context.close()


def test_osm_basemap_is_opt_in_and_the_only_remote_request(page) -> None:
    page, traffic = page
    frame = _map_frame(page)
    assert traffic.blocked == []  # offline by default
    # the person moves the map; switching the base map keeps that view
    frame.evaluate("() => window.map.setView([50.6085, 13.6310], 15, {animate: false})")
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    # a tile request is aborted (and recorded) once the basemap is on
    with page.expect_event("requestfailed",
                           lambda request: "tile.openstreetmap.org" in request.url):
        rerun(page, page.get_by_text(translate("map.basemap.osm", "cs")).click)
    view = _map_frame(page).evaluate(
        "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert view == pytest.approx([50.6085, 13.6310, 15], abs=1e-4)
    hosts = {urlparse(url).hostname for url in traffic.blocked}
    assert hosts and all(str(host).endswith("tile.openstreetmap.org") for host in hosts), hosts
    assert traffic.failed == [] or all("openstreetmap" in f for f in traffic.failed)
    # the ČÚZK topographic map: its WMTS is asked for tiles, nobody else
    traffic.blocked.clear()
    with page.expect_event("requestfailed",
                           lambda request: "geoportal.cuzk.gov.cz" in request.url):
        rerun(page, page.get_by_text(translate("map.basemap.ztm", "cs")).click)
    hosts = {urlparse(url).hostname for url in traffic.blocked}
    # (OpenStreetMap tiles asked for before the switch may still be failing)
    assert "geoportal.cuzk.gov.cz" in hosts, hosts
    assert hosts <= {"geoportal.cuzk.gov.cz", "tile.openstreetmap.org"}, hosts
    assert "podklad=ztm" in page.url  # the choice is in the address, to share or reload


_VIEW = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


def _shown_layers(frame: Frame) -> list[str]:
    """The names of the overlays ticked in the layer control."""
    return [text.strip() for text in frame.locator(
        ".leaflet-control-layers-overlays label:has(input:checked)").all_text_contents()]


def test_layers_and_view_live_in_the_address_without_a_rerun(page, browser: Browser,
                                                              app_url: str) -> None:
    page, traffic = page
    _choose_town(page, "Kraslice")
    frame = _map_frame(page)
    services = translate("map.layer.services", "cs")
    assert any(services in name for name in _shown_layers(frame))
    before = page.evaluate("() => window.__mapa.lastRequest")
    # the person switches the services off in the layer control, moves and zooms in
    toggle = frame.locator(".leaflet-control-layers-toggle").bounding_box()
    assert toggle is not None
    # the pointer on the folded control unfolds it
    page.mouse.move(toggle["x"] + toggle["width"] / 2, toggle["y"] + toggle["height"] / 2)
    frame.locator(".leaflet-control-layers-overlays label", has_text=services).locator(
        "input").uncheck()
    frame.evaluate("() => window.map.setView([50.3230, 12.5170], 14, {animate: false})")
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    page.wait_for_function("() => /[?&]pohled=[^&]*,15(&|$)/.test(location.search)",
                           polling="raf")
    query = parse_qs(urlparse(page.url).query)
    shown = query["vrstvy"][0].split(",")
    assert "sluzby" not in shown and {"lokality-ilustrativni", "hranice"} <= set(shown)
    assert query["mesto"] == ["kraslice"]
    view = [float(v) for v in query["pohled"][0].split(",")]
    assert view == pytest.approx(frame.evaluate(_VIEW), abs=1e-5)
    assert view == pytest.approx([50.3230, 12.5170, 15], abs=1e-3)
    assert page.evaluate("() => window.__mapa.lastRequest") == before  # no rerun at all
    layers_shown = _shown_layers(frame)
    assert not any(services in name for name in layers_shown)

    def same_map(opened: Page) -> None:
        again = _map_frame(opened)
        assert again.evaluate(_VIEW) == pytest.approx(view, abs=1e-5)
        assert _shown_layers(again) == layers_shown
        assert again.locator(".mapa-service").count() == 0
        expect(opened.locator("h1", has_text=translate("map.title", "cs", town="Kraslice"))
               ).to_be_visible()

    shared = page.url
    page.reload()
    same_map(page)
    # a rerun of the page (the base map switched back and forth) keeps the address's view
    rerun(page, page.get_by_text(translate("map.basemap.osm", "cs")).click)
    rerun(page, page.get_by_text(translate("map.basemap.none", "cs")).click)
    assert f"pohled={query['pohled'][0]}" in page.url
    same_map(page)
    # the link opened in another browser
    other_traffic = Traffic()
    context = offline_context(browser, other_traffic, viewport={"width": 1500, "height": 1150})
    try:
        other = watch(context.new_page(), other_traffic)
        other.goto(shared)
        same_map(other)
        # another town drops the view (its map starts on its own data) but keeps the layers
        _choose_town(other, "Karlovy Vary")
        query = parse_qs(urlparse(other.url).query)
        assert "pohled" not in query and "sluzby" not in query["vrstvy"][0].split(",")
        assert _map_frame(other).locator(".mapa-service").count() == 0
        assert other_traffic.errors == [] and other_traffic.failed == []
    finally:
        context.close()
    assert traffic.errors == []


_PATHS = "() => document.querySelectorAll('.leaflet-overlay-pane path').length"


def _hotspot_frame(page: Page) -> Frame:
    """The Hotspots page's first map (the hotspots; the emerging ones come below), drawn."""
    page.locator(COMPONENT_IFRAME).first.wait_for()
    wait_idle(page)
    handle = page.locator(COMPONENT_IFRAME).first.element_handle()
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    return frame


def test_the_hotspots_map_opens_on_the_addresss_layers_and_view(page, app_url: str) -> None:
    page, traffic = page
    page.goto(f"{app_url}/hotspots?mesto=kraslice")
    frame = _hotspot_frame(page)
    drawn = frame.evaluate(_PATHS)
    page.goto(f"{app_url}/hotspots?mesto=kraslice&vrstvy=hranice&pohled=50.31000,12.50000,15")
    frame = _hotspot_frame(page)
    assert frame.evaluate(_VIEW) == pytest.approx([50.31, 12.5, 15], abs=1e-5)
    assert 0 < frame.evaluate(_PATHS) < drawn  # the boundary alone, no cells
    # the person moves the map: the address follows, nothing reruns
    before = page.evaluate("() => window.__mapa.lastRequest")
    frame.evaluate("() => window.map.setView([50.32, 12.51], 14, {animate: false})")
    page.wait_for_function(
        "() => /[?&]pohled=50\\.32000,12\\.51000,14(&|$)/.test(location.search)",
        polling="raf")
    assert parse_qs(urlparse(page.url).query)["vrstvy"] == ["hranice"]
    assert page.evaluate("() => window.__mapa.lastRequest") == before
    assert traffic.errors == []
