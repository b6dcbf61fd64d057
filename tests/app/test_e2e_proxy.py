"""Several processes behind a proxy: ``mapa serve --processes 2 --proxy`` on one PostGIS, in a
real browser.

The command starts two ``streamlit run`` processes and Debian's nginx in front of them. The
public opens process 2's map first, so process 2 caches the town as it was. A facilitator
captures a pin through a browser kept on process 1 and another through one kept on process 2,
whose count includes process 1's pin; a moderator approves both through process 1, and
process 2's map shows them: app processes keep no state of their own, the data version comes
from the database. Every request of each browser, its websocket included, reached its own
process. Then process 1 is killed: the command serves on, the saved pins are all in the
database, the browser that was on process 1 reconnects to process 2 still logged in, and new
browsers are served by process 2. SIGTERM stops it all. Without nginx the test fails, it
never skips.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from app.features.moderation.model import session_names
from app.ui.i18n import number, plural, translate
from app.ui.town import load_town
from layers.crs import METRIC_CRS
from layers.schema import LOCALITIES, PINS, SESSIONS
from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.commands.serve import NGINX, ROUTE_COOKIE, UPSTREAM_HEADER
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    ROOT,
    TIMEOUT_MS,
    Traffic,
    capture_pin,
    choose,
    component_frame,
    launch_chromium,
    login,
    navigate,
    offline_context,
    rerun,
    watch,
)

pytestmark = pytest.mark.e2e

TOWN = "karlovy-vary"  # the first town in the sidebar
SESSION = "karlovy-vary-mladez-nzdm"  # the facilitator's centre's tablet session (demo data)
#: Seconds the command may take to start both processes and nginx.
START_S = 180


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@dataclass
class Served:
    """The running ``mapa serve``: its process, its report (``--json``), its stderr."""

    command: subprocess.Popen[bytes]
    report: dict[str, Any]
    stderr: Path

    @property
    def url(self) -> str:
        return str(self.report["url"])

    def upstream(self, process: int) -> str:
        """``address:port`` of app process ``process`` (1, 2), as the proxy names it."""
        return str(self.report["processes"][process - 1]["url"]).removeprefix("http://")

    def pid(self, process: int) -> int:
        return int(self.report["processes"][process - 1]["pid"])

    def access_log(self) -> list[str]:
        return (Path(self.report["proxy"]["run_dir"]) / "access.log").read_text().splitlines()

    def wait_for(self, done: Callable[[], bool], what: str) -> None:
        """Return once ``done()``; between tries wait for the command to end (it must not),
        not for the clock. Fails after the page timeout or when the command ended."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not done():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.command.wait(timeout=0.2)
            if self.command.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what}; mapa serve said:\n{self.stderr.read_text()[-3000:]}")


def _free_ports(count: int) -> int:
    """A port P such that P..P+count-1 are all free on loopback now."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            first = int(sock.getsockname()[1])
        with contextlib.ExitStack() as stack:
            try:
                for port in range(first, first + count):
                    stack.enter_context(socket.socket()).bind(("127.0.0.1", port))
            except OSError:
                continue
        return first


@pytest.fixture(scope="module")
def db_url(pg_cluster: TemporaryCluster, demo_store: Store) -> Iterator[str]:
    """A database holding the demo store, a facilitator and a moderator account."""
    url = pg_cluster.new_database()
    copy_store(demo_store, open_store(url))
    add_accounts(url, "facilitator", "moderator")
    yield url
    close_pools(url)


@pytest.fixture(scope="module")
def served(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``mapa serve --processes 2 --proxy --json`` on the database, started from an empty
    folder (no ``.streamlit/`` of the developer's: no secrets, no config), until it reports."""
    if not Path(NGINX).is_file():
        pytest.fail(f"{NGINX} is missing: apt-get install nginx (./scripts/test installs it)")
    folder = tmp_path_factory.mktemp("serve")
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    env = {**{k: v for k, v in os.environ.items()
              if k not in ("MAPA_ADMIN_USER", "MAPA_ADMIN_PASSWORD", "MAPA_DB_URL")},
           "PYTHONPATH": str(ROOT), "MAPA_BASEMAP": "none"}
    with out.open("w") as stdout, err.open("w") as stderr:
        # its own process group: whatever happens, the teardown can stop every child
        command = subprocess.Popen(
            [sys.executable, "-m", "scripts.mapa", "serve", "--processes", "2", "--proxy",
             "--port", str(_free_ports(3)), "--store", db_url, "--json"],
            cwd=folder, env=env, stdout=stdout, stderr=stderr, start_new_session=True)
    try:
        deadline = time.monotonic() + START_S
        while not (lines := [line for line in out.read_text().splitlines()
                             if line.startswith("{")]):
            with contextlib.suppress(subprocess.TimeoutExpired):
                command.wait(timeout=0.3)
            if command.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"mapa serve did not start:\n{err.read_text()[-3000:]}")
        yield Served(command, json.loads(lines[0]), err)
    finally:
        # stopped as an operator would (it removes its run folder), killed if it hangs
        command.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            command.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(command.pid, signal.SIGKILL)
        command.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _route_to(served: Served, process: int) -> str:
    """A route cookie value the proxy sends to app process ``process``: first requests
    without one get a new random one each, until one lands there."""
    for _ in range(64):  # each lands on either process: 64 misses in a row never happen
        with urllib.request.urlopen(f"{served.url}/_stcore/health", timeout=10) as response:
            if response.headers[UPSTREAM_HEADER] == served.upstream(process):
                found = re.search(f"{ROUTE_COOKIE}=([0-9a-f]+)",
                                  " ".join(response.headers.get_all("Set-Cookie") or ()))
                assert found is not None
                return found.group(1)
    raise AssertionError(f"no route to process {process}")


def _open(browser: Browser, traffic: Traffic, served: Served, route: str = "",
          upstreams: list[str] | None = None) -> tuple[Page, str]:
    """A new browser (context) on the proxy's map page, with the route cookie ``route`` if
    given; every response's upstream is appended to ``upstreams``. The page and the process
    that answered its first request."""
    context = offline_context(browser, traffic, viewport={"width": 1500, "height": 1300})
    if route:
        context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": served.url}])
    page = watch(context.new_page(), traffic)
    if upstreams is not None:
        _record_upstreams(page, served, upstreams)
    response = page.goto(served.url)
    assert response is not None
    component_frame(page)
    return page, response.headers[UPSTREAM_HEADER.lower()].split(", ")[-1]


def _uncached(page: Page) -> None:
    """Route ``page``'s requests through Playwright, which turns its browser's cache off:
    every later response comes from the proxy and names the process that answers it now,
    none comes from the cache naming a process that has since died. Only where a process
    died: a route sends every request through this test process, which slows a page load."""
    page.context.route("**/*", lambda request: request.continue_())


def _record_upstreams(page: Page, served: Served, upstreams: list[str]) -> None:
    """Append the process that answered each of ``page``'s requests to the proxy (the last
    address the proxy names: after a refused connection it names both) to ``upstreams``."""
    page.on("response", lambda r: upstreams.append(
        r.headers.get(UPSTREAM_HEADER.lower(), "").split(", ")[-1])
        if r.url.startswith(served.url) else None)


def _go(page: Page, nav_key: str, heading: str) -> None:
    navigate(page, nav_key)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def _to_capture(page: Page) -> None:
    """Log in as the facilitator and open the Kiosk page (via Mapping sessions: the capture
    map could otherwise take over the map page's component)."""
    login(page, USERS["facilitator"][0], PASSWORD)
    _go(page, "nav.sessions", cs("sessions.title", town="Karlovy Vary"))
    _go(page, "nav.capture", cs("capture.title"))


def _approve_all(page: Page, store: Store, pending: int) -> None:
    """Log in as the moderator and approve the ``pending`` pins of the facilitator's
    session (listed by its place and date)."""
    login(page, USERS["moderator"][0], PASSWORD)
    _go(page, "nav.moderation", cs("moderation.title", town="Karlovy Vary"))
    choose(page, page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first,
           session_names(store.read(SESSIONS, TOWN))[SESSION])
    expect(page.get_by_text(cs("moderation.pending", n=pending))).to_be_visible()
    rerun(page, page.get_by_role("button", name=cs("moderation.approve_all", n=pending)).click)
    expect(page.get_by_text(cs("moderation.none"))).to_be_visible()


def _public_pins(url: str) -> int:
    """Pins the public map of the town counts (exact ones and those in cells)."""
    town = load_town(open_store(url), TOWN)
    return len(town.pins_exact) + int(town.pin_cells["count"].sum())


def _routed_lines(lines: list[str], route: str) -> list[str]:
    """The access log's lines of ``route`` up to and including its first websocket."""
    mine = [line for line in lines if f"route={route} " in line]
    stream = next((i for i, line in enumerate(mine) if "/_stcore/stream" in line), None)
    return [] if stream is None else mine[:stream + 1]


def test_processes_share_saved_work_and_the_survivor_serves_when_one_dies(
        served: Served, db_url: str, browser: Browser) -> None:
    traffic = Traffic()
    store = open_store(db_url)
    pins_before = store.read(PINS)
    in_session = int((pins_before["session_id"] == SESSION).sum())
    pending = int(((pins_before["session_id"] == SESSION)
                   & (pins_before["status"] == "pending")).sum())
    public_before = _public_pins(db_url)
    localities = store.read(LOCALITIES, TOWN)
    assert isinstance(localities, gpd.GeoDataFrame)
    targets = localities.representative_point()

    # one facilitator's browser kept on each process captures a pin there
    routes = {process: _route_to(served, process) for process in (1, 2)}
    seen: dict[int, list[str]] = {1: [], 2: []}
    # the public opens process 2's map first, so process 2 caches the town as it was
    public, _ = _open(browser, traffic, served, routes[2], seen[2])
    metric = public.locator('[data-testid="stMetric"]').filter(has_text=cs("map.metric.pins"))
    expect(metric).to_contain_text(number(public_before, "cs"))

    pages: dict[int, Page] = {}
    lines = []
    for process, target in zip((1, 2), targets.iloc[:2], strict=True):
        page, answered = _open(browser, traffic, served, routes[process], seen[process])
        assert answered == served.upstream(process)
        _to_capture(page)
        lines.append(capture_pin(page, target.y, target.x, mine=1))
        pages[process] = page
    # process 2 counts process 1's pin in the session (read from the shared database)
    assert lines[1] == cs("capture.count", mine=plural("count.pins", 1, "cs"),
                          all=plural("count.pins", in_session + 2, "cs"))

    # a moderator approves them through process 1; process 2's map, cached before all this,
    # shows them
    moderator, _ = _open(browser, traffic, served, routes[1], seen[1])
    _approve_all(moderator, store, pending + 2)
    moderator.context.close()
    public_after = _public_pins(db_url)
    assert public_after > public_before
    public.reload()
    component_frame(public)
    expect(metric).to_contain_text(number(public_after, "cs"))
    public.context.close()
    # sticky: every request of each browser reached its own process
    assert {process: set(upstreams) for process, upstreams in seen.items()} == \
        {process: {served.upstream(process)} for process in (1, 2)}

    # the websocket too: nginx logs it when it closes (process 2's browser leaves now,
    # process 1's websocket ends with its process)
    pages[2].context.close()
    os.kill(served.pid(1), signal.SIGKILL)
    served.wait_for(lambda: not Path(f"/proc/{served.pid(1)}").exists(),
                    "process 1 was not reaped")
    served.wait_for(lambda: all(_routed_lines(served.access_log(), routes[p])
                                for p in (1, 2)), "no websocket in the access log")
    log = served.access_log()
    for process in (1, 2):
        assert {line.rsplit("upstream=", 1)[1] for line in _routed_lines(log, routes[process])
                } == {served.upstream(process)}, log
    assert f"process 1 (pid {served.pid(1)}) ended with code -9" in served.stderr.read_text()

    # nothing saved is lost
    pins = store.read(PINS)
    new = pins[~pins["pin_id"].isin(pins_before["pin_id"])]
    assert len(new) == 2 and set(new["session_id"]) == {SESSION}
    assert pins["pin_id"].is_unique
    assert set(new["category"]) == {"dark_place"} and set(new["status"]) == {"approved"}
    # one pin at each tapped place (metres, in the metric CRS), neither stored twice
    placed = new.geometry.to_crs(METRIC_CRS)
    tapped = targets.iloc[:2].to_crs(METRIC_CRS)
    assert all(placed.distance(t).min() < 5 for t in tapped), (list(placed), list(tapped))

    # process 1's browser is served by process 2 now, still logged in on the Kiosk page
    # (the login is a cookie both processes know, its session is in the database)
    survivor: list[str] = []
    _record_upstreams(pages[1], served, survivor)
    _uncached(pages[1])
    pages[1].reload()
    component_frame(pages[1])
    expect(pages[1].get_by_role("heading", name=cs("capture.title"))).to_be_visible()
    pages[1].locator('[data-testid="stSidebar"]').get_by_text(
        USERS["facilitator"][0], exact=False).first.wait_for()
    assert survivor and set(survivor) == {served.upstream(2)}
    pages[1].context.close()

    # new browsers, and one that still carries process 1's route, are served by process 2
    fresh = Traffic()
    for route in ("", routes[1]):
        page, answered = _open(browser, fresh, served, route)
        assert answered == served.upstream(2)
        page.context.close()
    assert fresh.clean(), fresh


def test_sigterm_stops_the_proxy_and_every_process(served: Served) -> None:
    children = [served.pid(2), int(served.report["proxy"]["pid"])]
    assert all(Path(f"/proc/{pid}").exists() for pid in children)
    served.command.send_signal(signal.SIGTERM)
    assert served.command.wait(timeout=60) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    assert not Path(served.report["proxy"]["run_dir"]).exists()
