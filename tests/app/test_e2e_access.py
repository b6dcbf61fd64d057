"""The login gate end to end in a real browser, offline.

* A public (not logged in) session receives no exact coordinate of a sensitive pin anywhere
  in what the server sends: every websocket frame, the HTML/JSON responses and the map
  components' iframe HTML are searched for the coordinates of every sensitive pin in the store.
* A facilitator sees its own centre's sessions and none of another centre's.
* Each role's pages open only after login: as the public, their URLs ask for a login.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, Response, WebSocket, expect, sync_playwright

from app.features.map.map import build_map
from app.ui.i18n import translate
from app.ui.town import load_town
from layers.mapping.pin_payload import ALPHABET
from layers.schema import PIN_CATEGORIES, PINS, SENSITIVE_CATEGORIES
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    COMPONENT_IFRAME,
    TIMEOUT_MS,
    Traffic,
    component_frame,
    launch_chromium,
    login,
    navigate,
    offline_context,
    rerun,
    serve_app,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e

TOWN = "karlovy-vary"  # the first town in the sidebar
TOWN_NAME = "Karlovy Vary"
#: A number carrying at least 6 decimals; folium writes coordinates with full precision, and
#: a leak rounded to 6 decimals (about 0.1 m) still counts.
NUMBER = re.compile(rb"-?\d{1,3}\.\d{6,}")
#: Two numbers match a pin when both are within this many degrees (about 5 cm): so close that
#: no cell corner or other point lands there by chance, while 6-decimal rounding still does.
TOLERANCE = 6e-7


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


#: The compact pin layer (``app.ui.maps.pins``): its JSON may arrive escaped inside a frame.
PIN_LAYER = re.compile(rb"mapaPinLayer\((\{.*?\})\s*,")
FIELD = r'\\*"{name}\\*"\s*:\s*\\*"?([A-Za-z0-9+/]*)'


def decode_column(text: str) -> np.ndarray:
    """Inverse of ``layers.mapping.pin_payload.encode_column`` (zigzag varints, 5 bits a
    character)."""
    values, value, shift = [], 0, 0
    for char in text:
        digit = ALPHABET.index(char)
        value |= (digit & 31) << shift
        shift += 5
        if not digit & 32:
            values.append((value >> 1) ^ -(value & 1))
            value, shift = 0, 0
    return np.array(values, dtype=np.int64)


def pin_layers(payloads: list[bytes]) -> pd.DataFrame:
    """Every pin of every compact pin layer in ``payloads``: lon, lat and category."""
    rows = []
    for payload in payloads:
        for match in PIN_LAYER.finditer(payload):
            body = match.group(1).decode("utf-8", "replace")
            fields = {name: re.search(FIELD.format(name=name), body) for name in
                      ("lat", "lon", "cat", "scale")}
            if not all(fields.values()):
                continue
            column = {k: decode_column(m.group(1)) for k, m in fields.items()
                      if k != "scale" and m is not None}
            scale = float(fields["scale"].group(1))  # type: ignore[union-attr]
            rows.append(pd.DataFrame({
                "lon": np.cumsum(column["lon"]) / scale, "lat": np.cumsum(column["lat"]) / scale,
                "category": [PIN_CATEGORIES[i] for i in column["cat"]]}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["lon", "lat", "category"])


def leaked(payloads: list[bytes], pins: gpd.GeoDataFrame) -> list[tuple[float, float]]:
    """The (lon, lat) of sensitive ``pins`` found in ``payloads``.

    Two ways a point travels: as two neighbouring decimal numbers (GeoJSON writes
    [lon, lat], Leaflet [lat, lon]), or in a compact pin layer, where a pin of a sensitive
    category is a leak whatever its place.
    """
    lon = pins.geometry.x.to_numpy()
    lat = pins.geometry.y.to_numpy()
    found: set[tuple[float, float]] = set()
    for payload in payloads:
        numbers = np.array([float(m) for m in NUMBER.findall(payload)])
        for first, second in itertools.pairwise(numbers):
            for x, y in ((first, second), (second, first)):
                hit = (np.abs(lon - x) < TOLERANCE) & (np.abs(lat - y) < TOLERANCE)
                found.update((float(a), float(b)) for a, b in zip(lon[hit], lat[hit],
                                                                  strict=True))
    layer = pin_layers(payloads)
    exposed = layer[layer["category"].isin(SENSITIVE_CATEGORIES)]
    found.update(zip(exposed["lon"].round(5), exposed["lat"].round(5), strict=True))
    return sorted(found)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("access") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path)
    return path


@pytest.fixture(scope="module")
def app_url(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(store_path, tmp_path_factory.mktemp("log")) as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[tuple[Page, Traffic]]:
    """A fresh offline browser context (a new Streamlit session, nobody logged in)."""
    traffic = Traffic()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = offline_context(browser, traffic, viewport={"width": 1500, "height": 1300})
        yield watch(context.new_page(), traffic), traffic
        context.close()
        browser.close()


class Capture:
    """Everything the server sends a page: websocket frames and text responses.

    Call :meth:`drain` before each navigation: a response's body is gone once its page is.
    """

    def __init__(self, page: Page) -> None:
        self.frames: list[bytes] = []
        self.bodies: list[bytes] = []
        self._responses: list[Response] = []
        page.on("websocket", self._socket)
        page.on("response", lambda response: self._responses.append(response))

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self.frames.append(
            payload if isinstance(payload, bytes) else payload.encode("utf-8")))

    def drain(self) -> None:
        """Keep the bodies of the HTML, JSON and data responses received so far."""
        wanted = ("html", "json", "csv", "geo")
        for response in self._responses:
            if response.status == 200 and any(
                    kind in (response.headers.get("content-type") or "") for kind in wanted):
                self.bodies.append(response.body())
        self._responses.clear()


def _open_refused(page: Page, url: str) -> None:
    """Open a gated page's URL as the public: the page asks for a login (in Czech), and
    shows nothing else of itself."""
    page.goto(url)
    expect(page.get_by_text(cs("access.login_first"))).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)


def _iframes_html(page: Page) -> list[bytes]:
    frames = [handle.content_frame() for handle in page.query_selector_all(COMPONENT_IFRAME)]
    return [frame.content().encode("utf-8") for frame in frames if frame is not None]


def test_the_detector_finds_exact_sensitive_pins(store_path: Path) -> None:
    """The leak check can fail: a map drawn with every pin exact is caught."""
    store = open_store(store_path)
    town = load_town(store, TOWN)
    pins = store.read(PINS, TOWN)
    sensitive = pins[pins["category"].isin(SENSITIVE_CATEGORIES) & (pins["status"] == "approved")]
    leaky = town.__class__(**{**town.__dict__, "pins_exact": sensitive})
    html = build_map(leaky, "cs", "none").get_root().render().encode("utf-8")
    # the pin layer keeps 1e-5°: a few pins share a place there
    places = len(set(zip(sensitive.geometry.x.round(5), sensitive.geometry.y.round(5),
                         strict=True)))
    assert len(leaked([html], sensitive)) == places > 20
    # as a frame would carry it: the HTML as an escaped JSON string
    assert len(leaked([json.dumps(html.decode()).encode()], sensitive)) == places
    cells = sensitive.to_json().encode("utf-8")  # exact points as GeoJSON numbers
    assert len(leaked([cells], sensitive)) == len(sensitive)
    public = build_map(town, "cs", "none").get_root().render().encode("utf-8")
    assert leaked([public], sensitive) == []
    assert _same_places(pin_layers([public]), town.pins_exact)


def _same_places(layer: pd.DataFrame, pins: gpd.GeoDataFrame) -> bool:
    """True when the decoded pin layer holds exactly ``pins`` (to its 1e-5° resolution)."""
    decoded = sorted(zip(layer["lon"].round(5), layer["lat"].round(5), strict=True))
    expected = sorted(zip(pins.geometry.x.round(5), pins.geometry.y.round(5), strict=True))
    return len(decoded) == len(expected) and np.allclose(decoded, expected, atol=1e-9)


def test_public_session_receives_no_exact_sensitive_pin(app_url: str, store_path: Path,
                                                        browser_page) -> None:
    page, traffic = browser_page
    capture = Capture(page)
    page.goto(app_url)
    component_frame(page)  # the public map has drawn
    wait_idle(page)
    iframes = _iframes_html(page)
    navigate(page, "nav.hotspots")
    expect(page.get_by_role("heading", name=cs("hotspots.title", town=TOWN_NAME)))\
        .to_be_visible(timeout=TIMEOUT_MS)
    component_frame(page)
    wait_idle(page)
    iframes += _iframes_html(page)
    for path in ("sessions", "capture", "moderation", "area", "admin"):
        capture.drain()
        _open_refused(page, f"{app_url}/{path}")
        iframes += _iframes_html(page)
    capture.drain()
    pins = open_store(store_path).read("pins", TOWN)
    sensitive = pins[pins["category"].isin(SENSITIVE_CATEGORIES)]
    payloads = capture.frames + capture.bodies + iframes
    assert len(capture.frames) > 20 and len(iframes) >= 2 and len(sensitive) > 20
    # the capture holds the map: its pin layer is exactly the public exact pins
    layer = pin_layers(capture.frames).drop_duplicates()
    assert _same_places(layer, load_town(open_store(store_path), TOWN).pins_exact)
    assert leaked(payloads, sensitive) == []
    # sessions reach the public by place and date only (the Hotspots page's fixed selections)
    session_ids = open_store(store_path).read("sessions", TOWN)["session_id"].astype(str)
    assert len(session_ids) and not [sid for sid in session_ids
                                     if any(sid.encode() in payload for payload in payloads)]
    assert traffic.clean(), traffic


def test_facilitator_sees_only_its_centres_sessions(app_url: str, store_path: Path,
                                                    browser_page) -> None:
    page, traffic = browser_page
    capture = Capture(page)
    page.goto(app_url)
    component_frame(page)
    login(page, USERS["facilitator"][0], PASSWORD)
    expect(page.locator('[data-testid="stSidebarNav"]')
           .get_by_text(cs("nav.moderation"), exact=True)).to_have_count(0)
    capture.frames.clear()
    navigate(page, "nav.sessions")
    expect(page.get_by_role("heading", name=cs("sessions.title", town=TOWN_NAME)))\
        .to_be_visible(timeout=TIMEOUT_MS)
    # inside the collapsed "new session" form: the organiser is the centre, not a choice
    expect(page.get_by_text(cs("sessions.organiser.fixed", centre="NZDM Rybáře")))\
        .to_be_attached(timeout=TIMEOUT_MS)
    expect(page.get_by_label(cs("sessions.organiser"))).to_have_count(0)
    wait_idle(page)
    sessions = open_store(store_path).read("sessions", TOWN)
    own = sessions["organiser"] == USERS["facilitator"][1]
    sent = b"".join(capture.frames)
    assert own.any() and (~own).any()
    for session_id in sessions.loc[own, "session_id"]:
        assert session_id.encode() in sent
    for session_id in sessions.loc[~own, "session_id"]:
        assert session_id.encode() not in sent, session_id
    assert traffic.clean(), traffic


@pytest.mark.parametrize(("role", "path", "nav", "title"), [
    ("facilitator", "sessions", "nav.sessions", "sessions.title"),
    ("moderator", "moderation", "nav.moderation", "moderation.title"),
    ("strategy_coordinator", "area", "nav.area", "area.title"),
    ("admin", "admin", "nav.admin", "admin.title"),
])
def test_role_pages_open_only_after_login(app_url: str, browser_page, role: str, path: str,
                                          nav: str, title: str) -> None:
    page, traffic = browser_page
    heading = cs(title, town=TOWN_NAME, area=TOWN_NAME)
    _open_refused(page, f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    sidebar_nav = page.locator('[data-testid="stSidebarNav"]')
    expect(sidebar_nav.get_by_text(cs(nav), exact=True)).to_have_count(0)
    login(page, USERS[role][0], PASSWORD)
    navigate(page, nav)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=TIMEOUT_MS)
    assert not traffic.blocked and not traffic.errors, traffic


def test_police_gets_exact_sensitive_pins_only_with_the_toggle(app_url: str, store_path: Path,
                                                               browser_page) -> None:
    page, traffic = browser_page
    capture = Capture(page)
    page.goto(app_url)
    component_frame(page)
    login(page, USERS["police"][0], PASSWORD)
    component_frame(page)
    wait_idle(page)
    pins = open_store(store_path).read("pins", TOWN)
    sensitive = pins[pins["category"].isin(SENSITIVE_CATEGORIES)]
    assert leaked(capture.frames, sensitive) == []  # logged in, toggle off: the public view
    capture.frames.clear()
    rerun(page, page.get_by_text(cs("access.exact_pins"), exact=True).click)
    expect(page.get_by_text(cs("access.exact_pins.audited"))).to_be_visible(timeout=TIMEOUT_MS)
    component_frame(page)
    wait_idle(page)
    approved = pins[pins["status"] == "approved"]
    places = {(round(x, 5), round(y, 5), c) for x, y, c in
              zip(approved.geometry.x, approved.geometry.y, approved["category"], strict=True)}
    layer = pin_layers(capture.frames)
    assert set(zip(layer["lon"].round(5), layer["lat"].round(5), layer["category"],
                   strict=True)) == places
    assert approved["category"].isin(SENSITIVE_CATEGORIES).sum() > 20
    log = open_store(store_path).read("audit_log")
    assert USERS["police"][0] in set(log.loc[log["action"] == "view_exact_pins", "username"])
    assert traffic.clean(), traffic
