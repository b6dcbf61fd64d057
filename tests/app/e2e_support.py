"""Shared plumbing of the end-to-end tests: serve the app, drive Debian's Chromium offline,
and wait on the app's state, never on the clock.

The app runs as a real ``streamlit run app/server.py`` on a free loopback port; Chromium is
/usr/bin/chromium (without it the tests fail, never skip); every request to a host other than
127.0.0.1/localhost is aborted and recorded, because the app must work without internet.

Waiting: every browser context gets :data:`TRACKER`, a script that follows the app's
conversation with the server (rerun requests sent, script runs started and finished) and the
messages between the app and its map components. :func:`wait_idle` waits until Streamlit's
script state (``data-test-script-state`` on ``stApp``) is ``notRunning``, no rerun request is
unanswered or about to be sent, and every map component has drawn its map;
:func:`rerun` does something that makes the app rerun and waits for that rerun to end;
:func:`component_frame` waits for the live map and a condition on its own layers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Locator,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)
from playwright.sync_api import (
    TimeoutError as PlaywrightTimeoutError,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from app.ui.i18n import plural, translate
from scripts.commands.serve import free_port, healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
#: Chromium resolves no host but the loopback: a request off the machine fails at once
#: (``net::ERR_NAME_NOT_RESOLVED``), in the browser itself. Not Playwright's request routing:
#: it sends every request through the test process and turns off the browser's cache, which
#: made each page load fetch and compile Streamlit's whole frontend again.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
LOOPBACK: Final = ("127.0.0.1", "localhost")
COMPONENT_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000
#: Playwright's assertions wait 5 s by default, pages 30 s: one ceiling for every wait, since a
#: rerun that draws a map can take longer than 5 s while the other test process loads the CPU.
expect.set_options(timeout=TIMEOUT_MS)
#: The ceiling on a generated document's download (a PDF or DOCX with maps renders for
#: seconds, longer on a busy machine); the test still waits on the download event itself.
DOWNLOAD_TIMEOUT_MS = 120_000
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
#: Ready (inside a map component) when Leaflet has drawn the map and no zoom, pan or marker
#: cluster animation is under way: the view and the markers stay where they are.
MAP_SETTLED = """() => {
    const map = window.map;
    if (!map || !map._loaded || map._animatingZoom || (map._panAnim && map._panAnim._inProgress)
        || document.querySelector('.leaflet-cluster-anim')) return false;
    return Object.values(map._layers).every(layer => !layer._inZoomAnimation);
}"""
#: Streamlit's protocol as the installed streamlit defines it: the field of a rerun request
#: in a BackMsg, of a run's start and end in a ForwardMsg, and the end status of a run cut
#: short by the next one.
PROTOCOL = {
    "rerun": BackMsg.DESCRIPTOR.fields_by_name["rerun_script"].number,
    "started": ForwardMsg.DESCRIPTOR.fields_by_name["new_session"].number,
    "finished": ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number,
    "early": ForwardMsg.FINISHED_EARLY_FOR_RERUN,
}
#: Init script of every page and frame; ``window.__mapa`` follows
#:
#: * in the app: each rerun request sent on the websocket (``lastRequest``), the requests that
#:   the run in progress covers (``covering``: those sent before its start arrived) and those a
#:   finished run answered (``answered``; a run cut short for a rerun answers nothing), and the
#:   last component value delivered (``lastValue``), which Streamlit turns into a rerun request
#:   on its next flush; events are numbered in one sequence (``seq``), so "after" is exact;
#: * in a component's frame: the values the component sent to the app and those the app
#:   received (``valuesSent``, ``valuesDelivered``), the renders the app posted to the
#:   component and those delivered (``rendersPosted``, ``rendersDelivered``). The app counts
#:   its side into the frame's ``__mapa``; the counting wrappers run in the realm of the
#:   window that posts, so each message keeps its true source.
TRACKER = """(protocol) => {
    const state = window.__mapa = {seq: 0, lastRequest: 0, covering: 0, answered: 0,
                                   lastValue: 0, valuesSent: 0, valuesDelivered: 0,
                                   rendersPosted: 0, rendersDelivered: 0};
    const type = event => event.data && event.data.type;
    if (window.top !== window) {
        window.addEventListener('message', event => {
            if (type(event) === 'streamlit:render') state.rendersDelivered += 1;
        }, true);
        // streamlit-folium publishes its Streamlit object as window.Streamlit
        Object.defineProperty(window, 'Streamlit', {configurable: true, set(api) {
            const send = api.setComponentValue;
            api.setComponentValue = (...args) => {
                state.valuesSent += 1;
                return send.apply(api, args);
            };
            Object.defineProperty(window, 'Streamlit', {value: api, writable: true,
                                                        configurable: true});
        }});
        return;
    }
    window.addEventListener('message', event => {
        const source = event.source;
        const own = source && source !== window && source.__mapa;
        if (!own) return;
        if (type(event) === 'streamlit:componentReady' && !source.__mapaCounted) {
            const post = source.postMessage;
            source.postMessage = (message, ...rest) => {
                if (message && message.type === 'streamlit:render') own.rendersPosted += 1;
                return post.call(source, message, ...rest);
            };
            source.__mapaCounted = true;
        }
        if (type(event) === 'streamlit:setComponentValue') {
            own.valuesDelivered += 1;
            // a value from a component still on the page makes Streamlit request a rerun
            if ([...document.querySelectorAll('iframe')].some(f => f.contentWindow === source)) {
                state.lastValue = ++state.seq;
            }
        }
    }, true);
    const fields = bytes => {  // top-level protobuf fields: number -> varint value or true
        const found = new Map();
        let i = 0;
        const varint = () => {
            let value = 0, shift = 0, byte;
            do { byte = bytes[i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; }
            while (byte & 0x80 && i < bytes.length);
            return value;
        };
        while (i < bytes.length) {
            const tag = varint(), number = Math.floor(tag / 8), wire = tag % 8;
            if (wire === 0) found.set(number, varint());
            else if (wire === 2) { const length = varint(); i += length; found.set(number, true); }
            else if (wire === 1) i += 8;
            else if (wire === 5) i += 4;
            else break;
        }
        return found;
    };
    const Socket = window.WebSocket;
    const send = Socket.prototype.send;
    Socket.prototype.send = function (data) {
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
            : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset,
                                                        data.byteLength) : null;
        if (bytes && fields(bytes).has(protocol.rerun)) state.lastRequest = ++state.seq;
        return send.call(this, data);
    };
    window.WebSocket = class extends Socket {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => {
                if (!(event.data instanceof ArrayBuffer)) return;
                const message = fields(new Uint8Array(event.data));
                if (message.has(protocol.started)) state.covering = state.lastRequest;
                if (message.has(protocol.finished)
                        && message.get(protocol.finished) !== protocol.early) {
                    state.answered = state.covering;
                }
            });
        }
    };
}"""
#: True (in the app) when it is idle: connected, Streamlit's script state ``notRunning``,
#: every rerun request answered by a finished run, no component value waiting to become a
#: request, and every map component's map drawn with all values and renders between it and
#: the app delivered. It must hold on two animation frames in a row with nothing new in
#: between, so that what the last run sent has been rendered.
IDLE = """(selector) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = window.__mapa;
    const idle = () => {
        if (!app || !state || app.dataset.testConnectionState !== 'CONNECTED'
            || app.dataset.testScriptState !== 'notRunning'
            || state.answered !== state.lastRequest || state.lastValue > state.lastRequest) {
            return false;
        }
        return [...document.querySelectorAll(selector)].every(frame => {
            const inner = frame.contentWindow;
            const own = inner && inner.__mapa;
            return Boolean(own && inner.map && own.valuesSent === own.valuesDelivered
                           && own.rendersPosted === own.rendersDelivered);
        });
    };
    if (!idle()) {
        if (state) state.idleAt = null;
        return false;
    }
    const mark = String(state.seq);
    if (state.idleAt === mark) return true;
    state.idleAt = mark;
    return false;
}"""


def wait_healthy(process: subprocess.Popen[Any], url: str, log_path: Path | None = None
                 ) -> None:
    """Return once the Streamlit server ``process`` at ``url`` answers its health endpoint;
    fail the test when it ends first or takes over a minute (with its log, if any). Between
    tries it waits for the process to end (a failed start ends it), not for the clock."""
    deadline = time.monotonic() + 60
    while not healthy(url):
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.3)
        if process.poll() is not None or time.monotonic() > deadline:
            log = log_path.read_text() if log_path else ""
            pytest.fail(f"streamlit did not become healthy:\n{log}")


@contextlib.contextmanager
def serve_app(store_path: Path, log_dir: Path, env: Mapping[str, str] | None = None,
              secrets: Path = NO_SECRETS, port: int | None = None) -> Iterator[str]:
    """Run ``streamlit run app/server.py`` on ``store_path``; yield its URL; stop it after.

    ``env`` adds to the server's environment (e.g. ``MAPA_DB_URL``, which wins over the path);
    ``secrets`` is the secrets file it reads (none by default); ``port`` its port (a free one
    by default).
    """
    port = port or free_port()
    # a file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server
    log_path = log_dir / "streamlit.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app/server.py", "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(secrets)],
            cwd=ROOT, env={**{k: v for k, v in os.environ.items()
                              if k not in ("MAPA_ADMIN_USER", "MAPA_ADMIN_PASSWORD")},
                           "MAPA_STORE": str(store_path), "MAPA_BASEMAP": "none",
                           **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(process, url, log_path)
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


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless (:func:`launch_chromium`), closed after the block."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Traffic:
    """Requests the page tried to send off the machine, and local requests that failed."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.blocked or self.failed or self.errors)


def offline_context(browser: Browser, traffic: Traffic, **options: object) -> BrowserContext:
    """A browser context that records every non-loopback request (which fails: a browser from
    :func:`launch_chromium` reaches only the loopback), with :data:`TRACKER` in every page (so
    :func:`wait_idle` can follow the app's state)."""
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.add_init_script(script=f"({TRACKER})({json.dumps(PROTOCOL)})")
    context.on("request", lambda request: None if urlparse(request.url).hostname in LOOPBACK
               or not request.url.startswith("http") else traffic.blocked.append(request.url))
    return context


#: What Streamlit's frontend asks first when a page is opened by its path (``/catalogue``):
#: it tries the page's path as the server's base (``/catalogue/_stcore/health`` and
#: ``…/host-config``), which Streamlit's server answers 404 on purpose, and then the root.
_BASE_PROBES: Final = ("/_stcore/health", "/_stcore/host-config")


def _base_probe(response: Response) -> bool:
    """Whether ``response`` is the 404 of that probe: the main frame asking under its own
    (non-root) path; any other failure, the root's included, still counts."""
    request = response.request
    frame_path = urlparse(request.frame.url).path.rstrip("/")
    return (response.status == 404 and bool(frame_path) and request.frame.parent_frame is None
            and urlparse(request.url).path in {frame_path + probe for probe in _BASE_PROBES})


def watch(page: Page, traffic: Traffic) -> Page:
    """Record failed responses (but the frontend's probe of a page's path as the server's base,
    :func:`_base_probe`), failed requests and page errors of ``page``."""
    page.set_default_timeout(TIMEOUT_MS)
    page.on("response", lambda r: traffic.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not _base_probe(r) else None)
    # a load cut off because the page was left (a login's trip through the cookie route)
    # failed nothing: the page that wanted it is gone
    page.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED"
            else traffic.failed.append(f"{r.failure} {r.url}"))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    return page


def wait_idle(page: Page) -> None:
    """Wait until the app is idle (:data:`IDLE`): no script run in progress or requested,
    nothing on its way between the app and its map components, every map drawn."""
    page.wait_for_function(IDLE, arg=COMPONENT_IFRAME, polling="raf")


def rerun(page: Page, act: Callable[[], object]) -> None:
    """Do ``act`` (a click, a choice, a tap on a map: anything that makes the app rerun) once
    the app is idle, then wait until that rerun was requested and the app is idle again."""
    wait_idle(page)
    before = page.evaluate("() => window.__mapa.lastRequest")
    act()
    page.wait_for_function("before => window.__mapa.lastRequest > before", arg=before,
                           polling="raf")
    wait_idle(page)


def component_frame(page: Page, ready: str = MAP_SETTLED) -> Frame:
    """The live map component's frame once the app is idle and ``ready`` (JS) holds inside
    it; by default, once Leaflet has drawn the map and it is still (:data:`MAP_SETTLED`).

    A rerun that ``ready`` waits for (e.g. a measure just saved) can replace the component's
    iframe while this waits in the old one: then the old frame is detached, and the new one
    is looked up and waited on in its turn, until the overall timeout.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        wait_idle(page)
        handle = page.wait_for_function(
            """sel => {
                const shown = [...document.querySelectorAll(sel)].filter(f => f.offsetWidth > 0);
                return shown.length === 1 ? shown[0] : null;
            }""", arg=COMPONENT_IFRAME).as_element()
        frame = handle.content_frame() if handle is not None else None
        if frame is None:
            raise AssertionError("the map component has no frame")
        left = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            frame.wait_for_function(ready, timeout=left, polling="raf")
        except PlaywrightError:
            if frame.is_detached() and time.monotonic() < deadline:
                continue  # replaced by a rerun: wait in the new one
            raise
        return frame


#: Centre the map on (lat, lng) at zoom 16 without animation; that point's pixel in the map's
#: container, as the map itself places it.
_AIM = """([lat, lng]) => {
    window.map.setView([lat, lng], 16, {animate: false});
    const point = window.map.latLngToContainerPoint([lat, lng]);
    return {x: point.x, y: point.y};
}"""


def centre_map(page: Page, lat: float, lon: float) -> tuple[Frame, dict[str, float]]:
    """The live map frame, centred on (lat, lon) at zoom 16 and settled there, and that
    point's pixel in the frame."""
    frame = component_frame(page)
    point: dict[str, float] = frame.evaluate(_AIM, [lat, lon])
    frame.wait_for_function(MAP_SETTLED, polling="raf")
    return frame, point


def click_map(page: Page, lat: float, lon: float) -> None:
    """Tap the live map at (lat, lon) and wait for the rerun the tap makes (the component
    reports the click to the app)."""
    frame, point = centre_map(page, lat, lon)
    pane = frame.locator("#map_div")
    # on a touch screen a touch, not a mouse click: Chromium's touch emulation turns a click
    # into a gesture, which a busy renderer can take for a long press (no click follows)
    touch = bool(page.evaluate("() => navigator.maxTouchPoints > 0"))
    act = pane.tap if touch else pane.click
    # force: a tap on the map's own pane, whatever Leaflet draws over it
    rerun(page, lambda: act(position={"x": point["x"], "y": point["y"]}, force=True))


#: The option named ``name`` (a string: the exact name; else a regular expression's source)
#: once the selectbox ``box``'s list shows it. While the list is shut, the field is focused
#: anew and sent the down arrow again: in about one full run in three, a down arrow pressed on
#: the focused field opened nothing (seen with the field focused and enabled, before and 20 s
#: after the key), and the option was waited for in vain.
_SHOWN_OPTION = """([box, name, exact]) => {
    const wanted = exact ? (text => text === name) : (text => new RegExp(name).test(text));
    const option = [...document.querySelectorAll('[role=option]')]
        .find(o => o.getBoundingClientRect().height > 0 && wanted(o.textContent.trim()));
    if (option) return option;
    const field = box.querySelector('[role=combobox]');
    if (field && field.getAttribute('aria-expanded') !== 'true') {
        field.blur();
        field.focus();
        field.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', code: 'ArrowDown',
                                                          keyCode: 40, bubbles: true}));
    }
    return null;
}"""


def pick(page: Page, select: Locator, option: str | re.Pattern[str]) -> None:
    """Open the selectbox ``select`` from the keyboard (the down arrow on its field opens the
    full list at its first option), wait until its list shows ``option`` and click it. A
    click on the field would open the list only if the field did not have the focus already.
    """
    # the box before the key: with its list open, the page around the list is hidden from
    # the accessibility tree, and ``select`` may be found through it (a form by its button)
    box = select.element_handle()
    select.get_by_role("combobox").press("ArrowDown")
    name = option if isinstance(option, str) else option.pattern
    page.wait_for_function(_SHOWN_OPTION, arg=[box, name, isinstance(option, str)],
                           polling="raf")
    # clicked through a locator, not the element found: the list may draw its options anew
    # (on a hover, a scroll into view), and a locator finds the option again where a handle
    # would be left detached
    text = re.compile(f"^{re.escape(option)}$") if isinstance(option, str) else option
    page.locator("[role=option]:visible").filter(has_text=text).first.click()


def choose(page: Page, select: Locator, option: str) -> None:
    """Pick ``option`` in the selectbox ``select`` and wait for the rerun the choice makes."""
    rerun(page, lambda: pick(page, select, option))


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


def type_into(field: Locator, text: str) -> None:
    """Type ``text`` into the form field ``field`` and leave the field, as a person does
    before pressing the form's button.

    Two full runs lost such a press right after the typing: the browser sent no rerun. A
    field still focused blurs on the press and is drawn anew between the press and the
    release; so the field is left first, and the value it holds is checked.
    """
    field.fill(text)
    field.blur()
    expect(field).to_have_value(text)


def login(page: Page, username: str, password: str) -> None:
    """Log in through the sidebar form and wait until the sidebar names the user.

    A login sends the browser through the cookie route (``app.ui.login_cookie``) back to the
    same page: this waits for that page load and for the app to be idle on it. When no page
    load comes, the test fails with what the sidebar says (a refused login, a wait).
    """
    sidebar = page.locator('[data-testid="stSidebar"]')
    form = sidebar.locator('[data-testid="stForm"]')
    wait_idle(page)
    type_into(form.locator("input[type=text]"), username)
    type_into(form.locator("input[type=password]"), password)
    try:
        with page.expect_navigation(url=lambda url: "/mapa-login/" not in url):
            form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click()
    except PlaywrightTimeoutError as exc:
        raise AssertionError(f"no page load after the login of {username!r}; the sidebar "
                             f"says: {sidebar.inner_text()!r}") from exc
    wait_idle(page)
    sidebar.get_by_text(username, exact=False).first.wait_for()


def navigate(page: Page, nav_key: str) -> None:
    """Follow the sidebar's link ``nav_key`` and wait for the page's run to end."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(
        translate(nav_key, "cs"), exact=True)
    rerun(page, link.click)


#: A child's answers on the kiosk: a dark place, feeling 1, seen it, in the evening.
KIOSK_ANSWERS = ("category-dark_place", "feeling-1", "seen-own", "time_of_day-evening")


def capture_pin(page: Page, lat: float, lon: float, mine: int,
                answers: tuple[str, ...] = KIOSK_ANSWERS) -> str:
    """On the open Kiosk page, tap the map at (lat, lon), choose ``answers`` (pictogram keys,
    one a screen, in the screens' order) and save; wait for the count line saying this device
    placed ``mine`` pins (on the map's screen, where a save returns); return it."""
    click_map(page, lat, lon)
    expect(page.get_by_text(translate("capture.placed", "cs"))).to_be_visible()
    for key in answers:
        button = page.locator(f".st-key-{key} button")  # Streamlit marks keyed elements
        rerun(page, button.click)
        expect(button).to_be_hidden()  # a tap moves on to the next question's screen
    rerun(page, page.locator(".st-key-kiosk-save button").click)
    done = re.escape(translate("capture.count", "cs", mine=plural("count.pins", mine, "cs"),
                               all="999999")).replace("999999", r"[\d\u00a0]+ bod\w*")
    line = page.get_by_text(re.compile(done))
    expect(line).to_be_visible()
    return line.inner_text()


def open_town_page(page: Page, username: str, password: str, nav_key: str, heading: str,
                   town: str) -> None:
    """Log in, follow the navigation to ``nav_key`` and, unless its ``heading`` (an h1) is
    already shown, choose ``town`` in the sidebar; wait until the heading is visible."""
    component_frame(page)
    login(page, username, password)
    navigate(page, nav_key)
    shown = page.locator("h1", has_text=heading)
    wait_idle(page)
    if not shown.is_visible():
        choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first,
               town)
    shown.wait_for()
