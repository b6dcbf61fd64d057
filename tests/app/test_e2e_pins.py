"""The pin layer in a real headless Chromium: clusters, markers and lazy popups work offline.

A standalone folium page (assets localised by ``app.ui.maps.assets.localize``) is served with
``app/static`` at ``/app/static`` from a loopback http.server; every other request is blocked
and reported. Chromium is /usr/bin/chromium; without it the test fails.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import folium
import geopandas as gpd
import pytest
from playwright.sync_api import Page, Route, sync_playwright

from app.ui.maps.assets import STATIC_DIR, localize
from app.ui.maps.pins import CATEGORY_COLOURS, PinLayer
from layers.schema import FEELINGS, PIN_CATEGORIES
from tests.app.e2e_support import MAP_SETTLED

pytestmark = pytest.mark.e2e

CATEGORY_LABELS = {code: f"Kat. {code}" for code in PIN_CATEGORIES}
FEELING_LABELS = {value: f"Pocit {value}" for value in FEELINGS}
LONE = (50.6200, 13.5600)  # an isolated pin: syringes, feeling 1
N_GROUP = 30


def _pins() -> gpd.GeoDataFrame:
    """30 pins within ~30 m (20 dogs, 10 traffic) and one lone pin 3 km away."""
    lats = [50.6000 + 0.0001 * (i % 5) for i in range(N_GROUP)] + [LONE[0]]
    lons = [13.6000 + 0.0001 * (i // 5) for i in range(N_GROUP)] + [LONE[1]]
    categories = ["dogs"] * 20 + ["traffic"] * 10 + ["syringes"]
    feelings = [3] * N_GROUP + [1]
    return gpd.GeoDataFrame({"category": categories, "feeling": feelings},
                            geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def page_url(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """URL of the standalone page and the JS name of its pin layer."""
    m = folium.Map(location=[50.605, 13.58], zoom_start=12, tiles=None, maxZoom=19)
    layer = PinLayer(_pins(), name="Pocitová mapa", category_labels=CATEGORY_LABELS,
                     feeling_labels=FEELING_LABELS)
    layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m)
    (tmp_path / "index.html").write_text(m.get_root().render(), encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "static").symlink_to(STATIC_DIR)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/index.html", layer.get_name()
    finally:
        server.shutdown()
        server.server_close()


def _open(page: Page, url: str, blocked: list[str], errors: list[str]) -> None:
    def guard(route: Route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector(".mapa-pin-cluster", timeout=15_000)


def test_pins_cluster_and_popups_show_category_and_feeling(page_url: tuple[str, str]) -> None:
    url, layer_name = page_url
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 700})
            _open(page, url, blocked, errors)

            assert page.evaluate(f"{layer_name}.getLayers().length") == N_GROUP + 1
            cluster = page.locator(".mapa-pin-cluster")
            assert cluster.count() == 1
            assert cluster.inner_text().strip() == str(N_GROUP)
            inner = cluster.locator("div").first
            assert inner.get_attribute("title") == CATEGORY_LABELS["dogs"]
            colour = page.evaluate(
                "c => { const d = document.createElement('div'); d.style.background = c;"
                " return d.style.backgroundColor; }", CATEGORY_COLOURS["dogs"])
            assert inner.evaluate("d => d.style.backgroundColor") == colour
            assert "Pocitová mapa" in page.locator(".leaflet-control-layers").inner_text()

            # Zoom onto the lone pin and click it where the canvas draws it.
            point = page.evaluate(
                """([name, lat, lon]) => {
                    const map = Object.values(window).find(v => v instanceof L.Map);
                    map.setView([lat, lon], 17, {animate: false});
                    const p = map.latLngToContainerPoint([lat, lon]);
                    const box = map.getContainer().getBoundingClientRect();
                    return [box.left + p.x, box.top + p.y];
                }""", [layer_name, *LONE])
            # the page's map (as ``window.map``, where MAP_SETTLED looks) is still at its pin
            page.wait_for_function(
                f"""() => (window.map = Object.values(window).find(v => v instanceof L.Map))
                    && ({MAP_SETTLED})()""", polling="raf")
            page.mouse.click(point[0], point[1])
            popup = page.locator(".leaflet-popup-content .mapa-pin-popup")
            popup.wait_for(timeout=5_000)
            text = popup.inner_text()
            assert CATEGORY_LABELS["syringes"] in text
            assert FEELING_LABELS[1] in text
        finally:
            browser.close()
    assert blocked == []
    assert errors == []
