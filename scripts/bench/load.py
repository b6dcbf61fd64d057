"""``mapa bench load``: simulated users on two app processes serving one PostGIS, on loopback.

The bench starts a throwaway PostgreSQL + PostGIS cluster, copies the store (``--store``, or a
freshly built demo store when that does not exist) into it, adds a facilitator account, and
starts ``--processes`` (default 2) ``streamlit run`` processes on the database. Then
``--users`` simulated users arrive evenly spread over ``--seconds``, at most ``--concurrent``
of them at once, each alternately on process 1, 2, …; a user is one browser context (its own
cookies, its own Streamlit session) in one headless Debian Chromium, offline. Odd users are
map users, even users capture users (see :data:`USER_STEPS`).

Measured:

* server side, the page's data queries: the app processes run with ``MAPA_QUERY_LOG`` set,
  so every data function of ``app.ui.cache`` appends its duration (see ``app.ui.cache.timed``);
  reported as count, p50, p95 and max per query kind and per process;
* client side, each step of a user (page load until the map is drawn, etc.): the same figures.

Chromium, both app processes and PostgreSQL share the machine's cores: the figures are those
of a small loopback setup, not of a server, and they say how the app behaves under
contention, not its best latency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

try:  # a test dependency: only this benchmark drives a browser
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright
except ImportError:  # pragma: no cover - reported when the bench runs
    async_playwright = None  # type: ignore[assignment]
    PlaywrightError = RuntimeError  # type: ignore[assignment,misc]

from layers.access.accounts import create_user
from layers.access.principal import Principal
from layers.access.roles import ADMIN, FACILITATOR
from layers.build import build_demo
from layers.schema import PINS
from layers.store import open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.bench.harness import percentiles_ms
from scripts.commands.common import CommandError, emit, format_table, store_from, subcommand

ROOT: Final = Path(__file__).resolve().parents[2]
#: The app's Czech texts the simulated users click and wait for (``str.format`` templates),
#: by their key in the app's catalogue; ``tests/app/test_i18n.py`` keeps them equal to it.
UI_TEXTS: Final[dict[str, str]] = json.loads(
    (Path(__file__).with_name("load_texts.json")).read_text(encoding="utf-8"))
CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run"]
COMPONENT_IFRAME: Final = 'iframe[title="streamlit_folium.st_folium"]'
FACILITATOR_NAME: Final = "bench-facilitator"
FACILITATOR_CENTRE: Final = "NZDM Rybáře"  # runs the demo's tablet session in Karlovy Vary
OTHER_TOWN: Final = "Litvínov"
STEP_TIMEOUT_MS: Final = 120_000
#: What each kind of simulated user does, in order (each step is timed on the client).
USER_STEPS: Final = {
    "map": ["map_load: open the app (the Map page of Karlovy Vary) until the map is drawn",
            "town_switch: choose Litvínov in the sidebar until its map is drawn"],
    "capture": ["map_load: open the app until the map is drawn",
                "login: log in as a facilitator in the sidebar form",
                "capture_open: go to Mapping sessions, then Kiosk, until its map is drawn",
                "pin_save: tap the map, choose a category and a feeling, save, until the "
                "device's pin count shows 1 (one pin written per capture user)"]}


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "load",
                        "simulated map and capture users on two app processes on one PostGIS",
                        run)
    parser.add_argument("--users", type=int, default=50, help="users (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=60,
                        help="users arrive evenly over this time (default %(default)s)")
    parser.add_argument("--concurrent", type=int, default=10,
                        help="at most this many users at once (default %(default)s)")
    parser.add_argument("--processes", type=int, default=2,
                        help="streamlit processes (default %(default)s)")


def run(args: argparse.Namespace) -> int:
    if args.users < 1 or args.seconds < 0 or args.concurrent < 1 or args.processes < 1:
        raise CommandError("cli.load_options")
    if not Path(CHROMIUM).is_file():
        raise CommandError("cli.no_chromium", path=CHROMIUM)
    password = secrets.token_urlsafe(16)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mapa-load-")))
        cluster = stack.enter_context(TemporaryCluster(durable=True))
        url = cluster.new_database("mapa")
        stack.callback(close_pools, url)
        source = store_from(args)
        if not source.exists():
            build_demo(folder / "demo.gpkg")
            source = open_store(folder / "demo.gpkg")
        store = open_store(url)
        copy_store(source, store)
        create_user(store, Principal("bench", ADMIN), FACILITATOR_NAME, password,
                    FACILITATOR, centre=FACILITATOR_CENTRE)
        pins_before = len(store.read(PINS))
        query_log = folder / "queries.jsonl"
        env = {"MAPA_DB_URL": url, "MAPA_QUERY_LOG": str(query_log)}
        servers = [stack.enter_context(serve(env, folder / f"app{i + 1}.log"))
                   for i in range(args.processes)]
        started = time.time()
        users = asyncio.run(_drive([u for u, _ in servers], args, password, query_log))
        wall = time.time() - started
        pins_written = len(store.read(PINS)) - pins_before
        processes = {pid: index + 1 for index, (_, pid) in enumerate(servers)}
        queries = _query_stats(query_log, processes)
    result = _result(args, users, queries, wall, pins_written)
    emit(args, _readable(result), result)
    return 0


@contextlib.contextmanager
def serve(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, int]]:
    """One ``streamlit run app/server.py`` with ``env`` added to its environment (the store:
    ``MAPA_DB_URL`` or ``MAPA_STORE``; ``MAPA_QUERY_LOG`` …), offline base map, its output
    in ``log_path``; yields (URL, pid) once it answers, stops it after."""
    port = _free_port()
    env = {**os.environ, "MAPA_BASEMAP": "none", **env}
    with log_path.open("w") as log:  # a file: a pipe nobody reads would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app/server.py", "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise CommandError("cli.streamlit_start", log=log_path.read_text()[-2000:])
            time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


# --- simulated users -----------------------------------------------------------------------

async def _drive(servers: list[str], args: argparse.Namespace, password: str,
                 query_log: Path) -> list[dict[str, Any]]:
    """Run every user; return one record per user (kind, process, step times, error).

    Each process first serves one warm-up visit of the map page, not counted (its query
    times are dropped): a fresh process imports the app's libraries on its first page.
    """
    if async_playwright is None:
        raise CommandError("cli.no_playwright")
    gate = asyncio.Semaphore(args.concurrent)
    spacing = args.seconds / args.users

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                   args=CHROMIUM_ARGS)

        for server in servers:
            warm_up = await _new_page(browser)
            await _open_map(warm_up, server)
            await warm_up.context.close()
        query_log.unlink(missing_ok=True)

        async def user(index: int) -> dict[str, Any]:
            await asyncio.sleep(index * spacing)
            kind = "map" if index % 2 == 0 else "capture"
            # pairs of users (a map user, a capture user) take turns on the processes
            process = index // 2 % len(servers)
            record: dict[str, Any] = {"user": index + 1, "kind": kind,
                                      "process": process + 1, "steps": {}}
            async with gate:
                page = await _new_page(browser)
                try:
                    steps = _map_user if kind == "map" else _capture_user
                    await steps(page, servers[process], password, record["steps"])
                except Exception as exc:  # a failed user is a figure, not a crash
                    record["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                finally:
                    await page.context.close()
            return record

        try:
            return list(await asyncio.gather(*(user(i) for i in range(args.users))))
        finally:
            await browser.close()


async def _new_page(browser: Any) -> Any:
    """A page in a new browser context (a new user) that may reach loopback only."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.route("**/*", _loopback_only)
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    return page


async def _loopback_only(route: Any) -> None:
    if re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", route.request.url):
        await route.continue_()
    else:
        await route.abort()


def cs(key: str, **fmt: object) -> str:
    """The app's Czech text ``key`` (of :data:`UI_TEXTS`) with its fields filled."""
    return UI_TEXTS[key].format(**fmt)


async def _timed(steps: dict[str, float], name: str, action: Any) -> None:
    start = time.perf_counter()
    await action
    steps[name] = (time.perf_counter() - start) * 1000


async def _map_drawn(page: Any) -> Any:
    """Wait until exactly one visible map component has drawn its map; return its frame.

    A rerun can swap the component between finding it and entering it: then look again.
    """
    while True:
        handle = await page.wait_for_function(
            "sel => { const shown = [...document.querySelectorAll(sel)]"
            ".filter(f => f.offsetWidth > 0); return shown.length === 1 && shown[0]; }",
            arg=COMPONENT_IFRAME)
        element = handle.as_element()
        frame = await element.content_frame() if element is not None else None
        if frame is not None:
            with contextlib.suppress(PlaywrightError):
                await frame.wait_for_function("() => window.map")
                return frame


async def _idle(page: Any) -> None:
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    await page.wait_for_timeout(200)


async def _open_map(page: Any, url: str) -> None:
    await page.goto(url)
    await _map_drawn(page)


async def _map_user(page: Any, url: str, password: str, steps: dict[str, float]) -> None:
    await _timed(steps, "map_load", _open_map(page, url))
    await _idle(page)

    async def switch() -> None:
        await page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
        await page.get_by_role("option", name=OTHER_TOWN).click()
        await page.get_by_role("heading", name=re.compile(OTHER_TOWN)).wait_for()
        await _idle(page)
        await _map_drawn(page)

    await _timed(steps, "town_switch", switch())


async def _capture_user(page: Any, url: str, password: str, steps: dict[str, float]) -> None:
    await _timed(steps, "map_load", _open_map(page, url))
    await _idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')

    async def login() -> None:
        form = sidebar.locator('[data-testid="stForm"]')
        await form.locator("input[type=text]").fill(FACILITATOR_NAME)
        await form.locator("input[type=password]").fill(password)
        await form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click()
        await sidebar.get_by_text(FACILITATOR_NAME, exact=False).first.wait_for()
        await _idle(page)

    async def open_capture() -> Any:
        nav = page.locator('[data-testid="stSidebarNav"]')
        # via a page without a map, so the kiosk map is a new component (see the e2e tests)
        await nav.get_by_text(cs("nav.sessions"), exact=True).click()
        await page.get_by_role("heading", name=re.compile(re.escape(
            cs("sessions.title", town="")))).wait_for()
        await nav.get_by_text(cs("nav.capture"), exact=True).click()
        await page.get_by_role("heading", name=cs("capture.title")).wait_for()
        await _idle(page)
        return await _map_drawn(page)

    async def save_pin() -> None:
        frame = await _map_drawn(page)
        size = await frame.evaluate("() => window.map.getSize()")
        await frame.locator("#map_div").click(
            position={"x": size["x"] / 2, "y": size["y"] / 2}, force=True)
        await page.get_by_text(cs("capture.placed")).wait_for()
        for key in ("category-dark_place", "feeling-3"):
            await _idle(page)
            button = page.locator(f".st-key-{key} button")
            await button.click()
            await button.wait_for(state="hidden")  # a tap moves on to the next screen
        await _idle(page)
        start = time.perf_counter()
        await page.locator(".st-key-kiosk-save button").click()
        # the counts are plural phrases ("1 bod", "81 bodů"): a number and its noun
        done = re.escape(cs("capture.count", mine="111", all="999999")).replace(
            "111", r"1 \w+").replace("999999", r"[\d\u00a0]+ \w+")
        await page.get_by_text(re.compile(done)).wait_for()
        steps["pin_save"] = (time.perf_counter() - start) * 1000

    await _timed(steps, "login", login())
    await _timed(steps, "capture_open", open_capture())
    await save_pin()


# --- figures -------------------------------------------------------------------------------

def _query_stats(log: Path, processes: dict[int, int]) -> dict[str, dict[str, Any]]:
    """Per query kind: all processes together and each process, from ``MAPA_QUERY_LOG``."""
    samples: dict[str, dict[str, list[float]]] = {}
    if log.exists():
        for line in log.read_text().splitlines():
            entry = json.loads(line)
            where = f"process {processes.get(entry['pid'], '?')}"
            by_kind = samples.setdefault(entry["kind"], {})
            by_kind.setdefault("all", []).append(entry["ms"])
            by_kind.setdefault(where, []).append(entry["ms"])
    return {kind: {where: percentiles_ms(values) for where, values in sorted(groups.items())}
            for kind, groups in sorted(samples.items())}


def _result(args: argparse.Namespace, users: list[dict[str, Any]],
            queries: dict[str, dict[str, Any]], wall: float, pins_written: int
            ) -> dict[str, Any]:
    steps: dict[str, list[float]] = {}
    for record in users:
        for name, ms in record["steps"].items():
            steps.setdefault(f"{record['kind']}:{name}", []).append(ms)
    capture_done = sum(1 for r in users if r["kind"] == "capture" and "pin_save" in r["steps"])
    return {
        "users": args.users, "seconds": args.seconds, "concurrent": args.concurrent,
        "processes": args.processes, "cpu_count": os.cpu_count(), "wall_s": round(wall, 1),
        "user_steps": USER_STEPS,
        "failed_users": [r for r in users if "error" in r],
        "pins_saved_by_users": capture_done, "pins_written": pins_written,
        "client_ms": {name: percentiles_ms(values) for name, values in sorted(steps.items())},
        "query_ms": queries,
    }


def _readable(result: dict[str, Any]) -> str:
    def rows(figures: dict[str, dict[str, float]], label: str) -> list[list[Any]]:
        return [[label, where, int(s["n"]), round(s["p50_ms"], 1), round(s["p95_ms"], 1),
                 round(s["max_ms"], 1)] for where, s in figures.items()]

    headers = ["what", "where", "n", "p50 ms", "p95 ms", "max ms"]
    query_rows = [row for kind, figures in result["query_ms"].items()
                  for row in rows(figures, kind)]
    client_rows = [row for name, s in result["client_ms"].items()
                   for row in rows({"browser": s}, name)]
    lines = [f"{result['users']} users over {result['seconds']:g} s (at most "
             f"{result['concurrent']} at once) on {result['processes']} app processes and one "
             f"PostGIS, {result['cpu_count']} CPU cores shared by Chromium, the app and the "
             f"database; {result['wall_s']} s in all.",
             "A user is one browser context; odd users are map users, even users capture users:"]
    lines += [f"  {kind}: " + "; ".join(steps) for kind, steps in result["user_steps"].items()]
    lines += ["", "Server side, the page's data queries (app.ui.cache, MAPA_QUERY_LOG):",
              format_table(headers, query_rows), "",
              "Client side, each step of a user:", format_table(headers, client_rows), "",
              f"pins saved by users: {result['pins_saved_by_users']}, pins written to the "
              f"store: {result['pins_written']}; failed users: {len(result['failed_users'])}"]
    lines += [f"  user {r['user']} ({r['kind']}, process {r['process']}): {r['error']}"
              for r in result["failed_users"]]
    return "\n".join(lines)
