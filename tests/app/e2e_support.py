"""Shared plumbing of the end-to-end tests: serve the app, drive Debian's Chromium offline.

The app runs as a real ``streamlit run app/main.py`` on a free loopback port; Chromium is
/usr/bin/chromium (without it the tests fail, never skip); every request to a host other than
127.0.0.1/localhost is aborted and recorded, because the app must work without internet.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)

from app.ui.i18n import translate

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
COMPONENT_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000
#: A secrets file that never exists: served apps and AppTests must not read the developer's
#: ``.streamlit/secrets.toml`` (``./scripts/run`` keeps the first admin's password there).
NO_SECRETS = ROOT / "tests" / "no-secrets.toml"
#: Script for ``component_frame(page).evaluate``: the tooltip texts of every layer on the live
#: map (markers, circles, GeoJSON layers).
MAP_TOOLTIPS = """() => {
    const texts = [];
    window.map.eachLayer(layer => {
        const tip = layer.getTooltip && layer.getTooltip();
        if (tip) {
            const content = tip.getContent();
            texts.push(typeof content === 'string' ? content : String(content.textContent));
        }
    });
    return texts;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_app(store_path: Path, log_dir: Path,
              env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app/main.py`` on ``store_path``; yield its URL; stop it after.

    ``env`` adds to the server's environment (e.g. ``MAPA_DB_URL``, which wins over the path).
    """
    port = free_port()
    # a file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server
    log_path = log_dir / "streamlit.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app/main.py", "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(NO_SECRETS)],
            cwd=ROOT, env={**{k: v for k, v in os.environ.items()
                              if k not in ("MAPA_ADMIN_USER", "MAPA_ADMIN_PASSWORD")},
                           "MAPA_STORE": str(store_path), "MAPA_BASEMAP": "none",
                           **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not become healthy:\n{log_path.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; a missing binary fails the test with the reason."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium to run the e2e tests")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Traffic:
    """Requests the page tried to send off the machine, and local requests that failed."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.blocked or self.failed or self.errors)


def offline_context(browser: Browser, traffic: Traffic, **options: object) -> BrowserContext:
    """A browser context that aborts (and records) every non-loopback request."""
    context = browser.new_context(**options)  # type: ignore[arg-type]

    def guard(route: Route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            traffic.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


def watch(page: Page, traffic: Traffic) -> Page:
    """Record failed responses, failed requests and page errors of ``page``."""
    page.set_default_timeout(TIMEOUT_MS)
    page.on("response", lambda r: traffic.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    page.on("requestfailed", lambda r: traffic.failed.append(f"{r.failure} {r.url}"))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    return page


def component_frame(page: Page, ready: str = "() => window.map") -> Frame:
    """The st_folium component's frame, once ``ready`` (JS) holds inside it."""
    # During a rerun an old, collapsed component iframe can linger beside the live one, and
    # the live one can be replaced between finding it and entering it: find and enter it in
    # one step, and look again when the iframe found was swapped out.
    for _attempt in range(4):
        handle = page.wait_for_function(
            """sel => {
                const shown = [...document.querySelectorAll(sel)].filter(f => f.offsetWidth > 0);
                return shown.length === 1 ? shown[0] : null;
            }""", arg=COMPONENT_IFRAME).as_element()
        frame = handle.content_frame() if handle is not None else None
        if frame is None:
            continue
        try:
            frame.wait_for_function(ready)
        except PlaywrightError:
            if frame.is_detached():
                continue
            raise
        return frame
    raise AssertionError("the map component kept being replaced; no live iframe to enter")


def wait_idle(page: Page, settle_ms: int = 400) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone).

    A rerun can replace the map component while a test looks at it; waiting here, and a
    moment more for the component to draw, keeps taps on the live map.
    """
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(settle_ms)


@contextlib.contextmanager
def app_page(store_path: Path, log_dir: Path, path: str = "",
             **context_options: object) -> Iterator[tuple[Page, Traffic]]:
    """A served app on ``store_path`` and an offline Chromium page opened at ``path``."""
    traffic = Traffic()
    with serve_app(store_path, log_dir) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = offline_context(browser, traffic, viewport={"width": 1500, "height": 1300},
                                  **context_options)
        page = watch(context.new_page(), traffic)
        page.goto(f"{url}/{path}" if path else url)
        yield page, traffic
        context.close()
        browser.close()


def login(page: Page, username: str, password: str) -> None:
    """Log in through the sidebar form and wait until the sidebar names the user."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    form = sidebar.locator('[data-testid="stForm"]')
    form.locator("input[type=text]").fill(username)
    form.locator("input[type=password]").fill(password)
    form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click()
    sidebar.get_by_text(username, exact=False).first.wait_for()
    wait_idle(page)


#: A child's answers on the kiosk: a dark place, feeling 1, seen it, in the evening.
KIOSK_ANSWERS = ("category-dark_place", "feeling-1", "seen-own", "time_of_day-evening")
_AIM = """([lat, lng]) => {
    window.map.setView([lat, lng], 16, {animate: false});
    const size = window.map.getSize();
    return {x: size.x / 2, y: size.y / 2};
}"""
_AIMED = """([lat, lng]) => {
    const centre = window.map.getCenter();
    return window.map.getZoom() === 16 && Math.abs(centre.lat - lat) < 1e-6
        && Math.abs(centre.lng - lng) < 1e-6;
}"""


def capture_pin(page: Page, lat: float, lon: float, mine: int,
                answers: tuple[str, ...] = KIOSK_ANSWERS) -> str:
    """On the open Kiosk page, tap the map at (lat, lon), choose ``answers`` (pictogram keys)
    and save; wait for the count line saying this device placed ``mine`` pins; return it."""
    # the capture map may be drawn anew once more after the page looks idle (back at the
    # town's view): aim again until the view holds, then tap its centre
    for _ in range(20):
        wait_idle(page)
        frame = component_frame(page)
        point = frame.evaluate(_AIM, [lat, lon])
        page.wait_for_timeout(500)
        if frame.evaluate(_AIMED, [lat, lon]):
            break
    else:
        pytest.fail("the capture map never kept the view aimed at")
    # force: the map may be busy redrawing after the last save; the tap must still land there
    frame.locator("#map_div").click(position={"x": point["x"], "y": point["y"]}, force=True)
    expect(page.get_by_text(translate("capture.placed", "cs"))).to_be_visible(timeout=15_000)
    for key in answers:
        button = page.locator(f".st-key-{key} button")  # Streamlit marks keyed elements
        wait_idle(page, settle_ms=100)
        button.click()
        # as a child would, wait until the choice shows before the next tap
        expect(button).to_have_attribute("data-testid", "stBaseButton-primary")
    wait_idle(page, settle_ms=100)
    page.get_by_role("button", name=translate("capture.save", "cs")).click()
    done = re.escape(translate("capture.count", "cs", mine=mine, all=999999)
                     ).replace("999999", r"(\d+)")
    line = page.get_by_text(re.compile(done))
    expect(line).to_be_visible(timeout=15_000)
    return line.inner_text()
