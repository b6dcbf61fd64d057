"""Names on the offline base map, in a real browser, offline: zoomed in on the Map page after
a search, a stop's name and an address's name are written in the map; zoomed out, none is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from app.ui.i18n import translate
from app.ui.maps.names import ADDRESS_ZOOM, STREET_ZOOM
from layers.crs import to_metric
from layers.geocode import address_names
from layers.schema import ADDRESS_POINTS, TRANSIT_STOPS
from layers.store import open_store
from tests.app.e2e_support import MAP_SETTLED, app_page, component_frame, rerun

pytestmark = pytest.mark.e2e

#: The texts of the names written in the map, by kind.
WRITTEN = """kind => [...document.querySelectorAll('.mapa-name-' + kind)]
    .map(e => e.textContent)"""


@pytest.fixture(scope="module")
def page(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with app_page(demo_store_path, tmp_path_factory.mktemp("names-logs"),
                  path="?mesto=litvinov") as (page, _):
        yield page


def _stop_and_address(store_path: Path) -> tuple[str, str, tuple[float, float]]:
    """A stop of Litvínov, the name of the address point nearest to it and the stop's
    position (lat, lon): the pair closest together of the town."""
    store = open_store(store_path)
    stops = store.read(TRANSIT_STOPS, "litvinov").reset_index(drop=True)
    addresses = store.read(ADDRESS_POINTS, "litvinov")
    addresses = addresses[addresses["street"] != ""].reset_index(drop=True)
    metric_stops, metric_addresses = to_metric(stops), to_metric(addresses)
    gaps = [metric_addresses.distance(point) for point in metric_stops.geometry]
    stop = min(range(len(stops)), key=lambda i: float(gaps[i].min()))
    address = int(gaps[stop].argmin())
    point = stops.geometry.iloc[stop]
    return (str(stops["name"].iloc[stop]), str(address_names(addresses).iloc[address]),
            (float(point.y), float(point.x)))


def _zoom(frame: Frame, at: tuple[float, float], zoom: int) -> None:
    frame.evaluate("([lat, lon, zoom]) => { window.map.setView([lat, lon], zoom, "
                   "{animate: false}); }", [*at, zoom])
    frame.wait_for_function(MAP_SETTLED, polling="raf")


def test_zoomed_in_a_stop_and_an_address_are_named_in_the_map(
        page: Page, demo_store_path: Path) -> None:
    stop, address, at = _stop_and_address(demo_store_path)
    frame = component_frame(page)
    _zoom(frame, at, STREET_ZOOM - 3)
    assert frame.evaluate(WRITTEN, "stop") == []  # a whole town's names are never written
    box = page.get_by_label(translate("map.search", "cs"))
    box.fill(f"{address}, Litvínov")
    rerun(page, lambda: box.press("Enter"))
    frame = component_frame(page)
    _zoom(frame, at, ADDRESS_ZOOM + 1)
    frame.wait_for_function(
        "([stop, address]) => { const text = [...document.querySelectorAll('.mapa-name')]"
        ".map(e => e.textContent); return text.includes(stop) && text.includes(address); }",
        arg=[stop, address], polling="raf")
    assert stop in frame.evaluate(WRITTEN, "stop")
    assert address in frame.evaluate(WRITTEN, "address")
    assert frame.locator(".mapa-name-stop", has_text=stop).first.is_visible()
    assert frame.locator(".mapa-name-address", has_text=address).first.is_visible()
    # zoomed out again, the addresses go first, then every name
    _zoom(frame, at, ADDRESS_ZOOM - 1)
    assert frame.evaluate(WRITTEN, "address") == [] and frame.evaluate(WRITTEN, "stop")
    _zoom(frame, at, STREET_ZOOM - 1)
    assert frame.evaluate("() => document.querySelectorAll('.mapa-name').length") == 0
