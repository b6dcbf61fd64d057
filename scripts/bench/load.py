"""``mapa bench load``: simulated users in Chromium on app processes over one store, on loopback.

The bench copies the store (``--store``, or a freshly built demo store when that does not
exist) into a throwaway store of the chosen backend (``--backend``): a database of a throwaway
PostgreSQL + PostGIS cluster (default), or a GeoPackage file in a temporary folder. It adds a
strategy coordinator's account and starts ``--processes`` ``streamlit run`` processes on that
store (default 3 on PostGIS; a GeoPackage is one file that one process writes, so it is served
by exactly one). Then ``--users`` simulated users arrive evenly spread over ``--ramp`` seconds,
at most ``--concurrent`` of them at once, each on process 1, 2, … in turn; a user is one
browser context (its own cookies, its own Streamlit session) in one headless Debian Chromium,
offline, or with ``--client websocket`` a Streamlit protocol client
(:mod:`scripts.bench.streamlit_client`: no browser, so the cores stay with the app and the
store). Every user goes through :data:`USER_STEPS`: the public Map page, the Hotspots page,
a login, the Area page.

``--seconds`` is a hard deadline on the browser part (warm-up and users): a user still busy
then is stopped and its unfinished page counted as a timeout. Starting the servers is bounded
by their health check.

Measured:

* per page, the time from the navigation (``page.goto``) to the rendered page: its script run
  finished and every map component on it drawn by Leaflet (:data:`RENDERED`); for a protocol
  client, from the connection to the end of the page's run with its map delivered; p50, p95,
  max (the login: from the form's submission to the page back, or for a protocol client to
  the cookie received);
* errors: steps that failed, steps that timed out, and errors thrown in the pages;
* each app process's peak resident memory (``VmRSS`` of ``/proc/<pid>/status``), sampled
  while the users run;
* server side, the page's data queries: the app processes run with ``MAPA_QUERY_LOG`` set,
  so every data function of ``app.ui.cache`` appends its duration (see ``app.ui.cache.timed``);
  reported as count, p50, p95 and max per query kind and per process.

Chromium, the app processes and PostgreSQL share the machine's cores: the figures are those
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
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

try:  # a test dependency: only this benchmark drives a browser
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright
except ImportError:  # pragma: no cover - reported when the bench runs
    async_playwright = None  # type: ignore[assignment]
    PlaywrightTimeout = TimeoutError  # type: ignore[assignment,misc]

from layers.access.accounts import create_user
from layers.access.principal import Principal
from layers.access.roles import ADMIN, STRATEGY_COORDINATOR
from layers.build import build_demo
from layers.store import open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.bench.harness import percentiles_ms
from scripts.bench.streamlit_client import ProtocolError, StreamlitClient, has_login_form
from scripts.commands.common import CommandError, emit, format_table, store_from, subcommand
from scripts.commands.serve import free_port, healthy

ROOT: Final = Path(__file__).resolve().parents[2]
CHROMIUM: Final = "/usr/bin/chromium"
#: Offline by name resolution (Chromium resolves no host but the loopback), not by routing: a
#: route sends every request of every user through this process and turns the browser's
#: cache off, which would add the driver's latency to every request of the app's pages.
CHROMIUM_ARGS: Final = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, "
                        "EXCLUDE 127.0.0.1"]
COMPONENT_IFRAME: Final = 'iframe[title="streamlit_folium.st_folium"]'
COORDINATOR_NAME: Final = "bench-coordinator"
BACKENDS: Final = ("postgis", "gpkg")
#: Who the simulated users are: browser contexts, or ``scripts.bench.streamlit_client``.
CLIENTS: Final = ("browser", "websocket")
#: How the readable report names a user of each client, and what its page times measure.
WHO: Final = {"browser": "one browser context",
              "websocket": "one Streamlit protocol client (no browser)"}
WHEN: Final = {
    "browser": "Pages, from the navigation to the page rendered with its maps drawn:",
    "websocket": "Pages, from the connection to the end of the page's run with its map "
                 "delivered (nothing drawn):"}
#: The longest one step may take (a page on a loaded machine), within the overall deadline.
STEP_TIMEOUT_MS: Final = 120_000
#: How often each app process's resident memory is read, in seconds.
RSS_EVERY_S: Final = 0.25
#: The measured pages, by the URL path a user opens, in the order a user opens them.
PAGES: Final = {"map": "", "hotspots": "hotspots", "area": "area"}
#: What each simulated user does, in order (each step is timed on the client).
USER_STEPS: Final = [
    "map: open the app (the public Map page) until it is rendered",
    "hotspots: open the Hotspots page until it is rendered",
    "login: log in as a strategy coordinator in the sidebar form",
    "area: open the Area page (logged in) until it is rendered"]
#: True (in the app's page) when the page is rendered: connected, no script run in progress,
#: at least one map component shown and every shown one with its Leaflet map loaded (the
#: components' frames are served by the app itself, so their windows are readable here).
RENDERED: Final = """(selector) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED'
        || app.dataset.testScriptState !== 'notRunning') return false;
    const shown = [...document.querySelectorAll(selector)].filter(f => f.offsetWidth > 0);
    return shown.length > 0 && shown.every(f => {
        const inner = f.contentWindow;
        return Boolean(inner && inner.map && inner.map._loaded);
    });
}"""


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "load",
                        "simulated users (Map, Hotspots, logged-in Area) on app processes "
                        "over one store", run)
    parser.add_argument("--users", type=int, default=50, help="users (default %(default)s)")
    parser.add_argument("--processes", type=int, default=None,
                        help="streamlit processes (default 3 on postgis, 1 on gpkg)")
    parser.add_argument("--backend", choices=BACKENDS, default="postgis",
                        help="the store the app serves (default %(default)s)")
    parser.add_argument("--seconds", type=float, default=300,
                        help="hard deadline of the browser part, warm-up and users "
                             "(default %(default)s)")
    parser.add_argument("--ramp", type=float, default=10,
                        help="users arrive evenly over this time (default %(default)s)")
    parser.add_argument("--concurrent", type=int, default=50,
                        help="at most this many users at once (default %(default)s)")
    parser.add_argument("--client", choices=CLIENTS, default="browser",
                        help="each user a Chromium context (browser: time to the map drawn) "
                             "or a Streamlit protocol client (websocket: time to the map "
                             "delivered, nothing drawn) (default %(default)s)")


def run(args: argparse.Namespace) -> int:
    if args.processes is None:
        args.processes = 3 if args.backend == "postgis" else 1
    if (args.users < 1 or args.seconds <= 0 or args.ramp < 0 or args.concurrent < 1
            or args.processes < 1):
        raise CommandError("cli.load_options")
    if args.backend == "gpkg" and args.processes != 1:
        raise CommandError("cli.load_gpkg_processes", processes=args.processes)
    if args.client == "browser" and not Path(CHROMIUM).is_file():
        raise CommandError("cli.no_chromium", path=CHROMIUM)
    password = secrets.token_urlsafe(16)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mapa-load-")))
        source = store_from(args)
        if not source.exists():
            build_demo(folder / "demo.gpkg")
            source = open_store(folder / "demo.gpkg")
        if args.backend == "postgis":
            cluster = stack.enter_context(TemporaryCluster(durable=True))
            location = cluster.new_database("mapa")
            stack.callback(close_pools, location)
            env = {"MAPA_DB_URL": location}
        else:
            location = str(folder / "bench.gpkg")
            env = {"MAPA_STORE": location}
        store = open_store(location)
        copy_store(source, store)
        create_user(store, Principal("bench", ADMIN), COORDINATOR_NAME, password,
                    STRATEGY_COORDINATOR)
        query_log = folder / "queries.jsonl"
        env["MAPA_QUERY_LOG"] = str(query_log)
        servers = [stack.enter_context(serve(env, folder / f"app{i + 1}.log"))
                   for i in range(args.processes)]
        started = time.time()
        with _peak_rss([pid for _, pid in servers]) as peaks:
            users = asyncio.run(_drive([u for u, _ in servers], args, password, query_log))
        wall = time.time() - started
        processes = {pid: index + 1 for index, (_, pid) in enumerate(servers)}
        queries = _query_stats(query_log, processes)
        rss = {f"process {processes[pid]}": round(kb / 1024, 1) for pid, kb in peaks.items()}
    result = _result(args, users, queries, wall, rss)
    emit(args, _readable(result), result)
    return 0


@contextlib.contextmanager
def serve(env: dict[str, str], log_path: Path,
          script: str = "app/server.py") -> Iterator[tuple[str, int]]:
    """One ``streamlit run`` of ``script`` (the app's server by default; a path relative to
    the checkout or absolute) with ``env`` added to its environment (the store:
    ``MAPA_DB_URL`` or ``MAPA_STORE``; ``MAPA_QUERY_LOG`` …), the app's Streamlit settings,
    offline base map, its output in ``log_path``; yields (URL, pid) once it answers, stops
    it after."""
    port = free_port()
    env = {**os.environ, "MAPA_BASEMAP": "none", **env}
    with log_path.open("w") as log:  # a file: a pipe nobody reads would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise CommandError("cli.streamlit_start", log=log_path.read_text()[-2000:])
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.3)  # a failed start ends the process
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def rss_kb(pid: int) -> int | None:
    """The resident memory of process ``pid`` in kB (``VmRSS``); None once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


@contextlib.contextmanager
def _peak_rss(pids: list[int]) -> Iterator[dict[int, int]]:
    """Sample each process's resident memory every :data:`RSS_EVERY_S` during the block;
    the yielded dict (pid → peak kB) is complete when the block has ended."""
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while True:
            for pid in pids:
                kb = rss_kb(pid)
                if kb is not None:
                    peaks[pid] = max(kb, peaks.get(pid, 0))
            if done.wait(RSS_EVERY_S):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peaks
    finally:
        done.set()
        sampler.join()


# --- simulated users -----------------------------------------------------------------------

async def _drive(servers: list[str], args: argparse.Namespace, password: str,
                 query_log: Path) -> list[dict[str, Any]]:
    """Run every user until done or until the deadline (``args.seconds`` from now); return one
    record per user: its process, step times, failed steps, timed-out steps, page errors.

    Each process first serves one user's whole visit, not counted (its query times are
    dropped): a fresh process imports the app's libraries on its first pages.
    """
    deadline = time.monotonic() + args.seconds
    records = [_record(i + 1, i % len(servers) + 1) for i in range(args.users)]
    if args.client == "websocket":
        async def visit(record: dict[str, Any], server: str) -> None:
            await _protocol_user(server, password, record, deadline)

        await _arrive(visit, servers, records, args, query_log, deadline)
    else:
        if async_playwright is None:
            raise CommandError("cli.no_playwright")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)

            async def in_browser(record: dict[str, Any], server: str) -> None:
                context = await browser.new_context(viewport={"width": 1400, "height": 1000})
                try:
                    page = await context.new_page()
                    page.on("pageerror", lambda error: record["page_errors"].append(
                        _first_line(error)))
                    await _user(page, server, password, record, deadline)
                finally:
                    await context.close()

            try:
                await _arrive(in_browser, servers, records, args, query_log, deadline)
            finally:
                await browser.close()
    for record in records:  # the deadline stopped it: its next step ran out of time
        if not record["ended"]:
            record["timeouts"].append(_step_names()[len(record["steps"])])
    return records


async def _arrive(visit: Callable[[dict[str, Any], str], Awaitable[None]], servers: list[str],
                  records: list[dict[str, Any]], args: argparse.Namespace, query_log: Path,
                  deadline: float) -> None:
    """The warm-up visit on each process (its query times dropped), then every user of
    ``records`` arriving over the ramp, at most ``args.concurrent`` at once, until done or
    until ``deadline``."""
    gate = asyncio.Semaphore(args.concurrent)
    spacing = args.ramp / args.users

    async def user(record: dict[str, Any]) -> None:
        await asyncio.sleep((record["user"] - 1) * spacing)
        async with gate:
            await visit(record, servers[record["process"] - 1])

    for number, server in enumerate(servers, start=1):
        await _bounded(visit(_record(0, number), server), deadline)
    query_log.unlink(missing_ok=True)
    await _bounded(asyncio.gather(*(user(r) for r in records)), deadline)


def _record(user: int, process: int) -> dict[str, Any]:
    """A user's empty record: step times (ms), failed steps (their errors), timed-out steps,
    errors thrown in its pages, and whether its visit ended by itself."""
    return {"user": user, "process": process, "steps": {}, "failed": {}, "timeouts": [],
            "page_errors": [], "ended": False}


async def _bounded(work: Awaitable[Any], deadline: float) -> None:
    """Await ``work`` until ``deadline`` (``time.monotonic``); past it, cancel what is left."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(work, timeout=max(0.0, deadline - time.monotonic()))


def _step_names() -> list[str]:
    return [step.split(":", 1)[0] for step in USER_STEPS]


def _first_line(error: object) -> str:
    return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"


async def _user(page: Any, url: str, password: str, record: dict[str, Any],
                deadline: float) -> None:
    """One user's steps (:data:`USER_STEPS`) in the browser ``page``, walked by
    :func:`_walk`: a page is done when it is rendered (:data:`RENDERED`)."""

    async def open_page(path: str) -> None:
        await page.goto(f"{url}/{path}")
        await page.wait_for_function(RENDERED, arg=COMPONENT_IFRAME)

    async def login() -> None:
        sidebar = page.locator('[data-testid="stSidebar"]')
        form = sidebar.locator('[data-testid="stForm"]')
        await form.locator("input[type=text]").fill(COORDINATOR_NAME)
        await form.locator("input[type=password]").fill(password)
        # the login goes through the cookie route (app.ui.login_cookie) back to the page
        async with page.expect_navigation(url=lambda u: "/mapa-login/" not in u):
            await form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click()
        await sidebar.get_by_text(COORDINATOR_NAME, exact=False).first.wait_for()

    await _walk(_actions(open_page, login), record, deadline, page.set_default_timeout)


async def _protocol_user(url: str, password: str, record: dict[str, Any],
                         deadline: float) -> None:
    """:func:`_user` as a Streamlit protocol client (:mod:`scripts.bench.streamlit_client`):
    a page is served when its run has ended with its map delivered; the login submits the
    open Hotspots page's form and fetches the cookie; the Area page must come logged in."""
    client = StreamlitClient(url)

    async def open_page(path: str) -> None:
        run = await client.open(path)
        if not run.maps:
            raise ProtocolError(f"no map on the page /{path}")
        if client.cookie and has_login_form(run):
            raise ProtocolError(f"/{path} came without the login")

    async def login() -> None:
        await client.log_in(COORDINATOR_NAME, password)

    try:
        await _walk(_actions(open_page, login), record, deadline)
    finally:
        await client.close()


def _actions(open_page: Callable[[str], Awaitable[None]], login: Callable[[], Awaitable[None]]
             ) -> dict[str, Callable[[], Awaitable[None]]]:
    """Each step of :data:`USER_STEPS` as a call of a client's ``open_page`` or ``login``."""
    return {"map": lambda: open_page(PAGES["map"]),
            "hotspots": lambda: open_page(PAGES["hotspots"]),
            "login": login, "area": lambda: open_page(PAGES["area"])}


async def _walk(actions: Mapping[str, Callable[[], Awaitable[None]]], record: dict[str, Any],
                deadline: float, step_timeout: Callable[[float], None] | None = None) -> None:
    """Run the steps of :data:`USER_STEPS` by their ``actions``, each timed into ``record``;
    a step that fails is recorded (under ``failed``, or ``timeouts`` when it ran out of
    time: :data:`STEP_TIMEOUT_MS` or the deadline) and ends the user's visit, since the next
    steps need it. ``step_timeout`` is given each step's time left in ms before it starts
    (the browser's own timeout). ``ended`` is set once the visit has ended by itself, not
    stopped by the deadline."""
    for name in _step_names():
        left_ms = max(1.0, min(STEP_TIMEOUT_MS, (deadline - time.monotonic()) * 1000))
        if step_timeout is not None:
            step_timeout(left_ms)
        start = time.perf_counter()
        try:
            # a little beyond the browser's own timeout, which then reports first
            await asyncio.wait_for(actions[name](), timeout=left_ms / 1000 + 1)
        except (PlaywrightTimeout, TimeoutError):
            record["timeouts"].append(name)
            break
        except Exception as exc:  # a failed step is a figure, not a crash
            record["failed"][name] = _first_line(exc)
            break
        record["steps"][name] = (time.perf_counter() - start) * 1000
    record["ended"] = True


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
            queries: dict[str, dict[str, Any]], wall: float, rss: dict[str, float]
            ) -> dict[str, Any]:
    steps: dict[str, list[float]] = {name: [] for name in _step_names()}
    for record in users:
        for name, ms in record["steps"].items():
            steps[name].append(ms)
    failed = sum(len(r["failed"]) for r in users)
    timeouts = sum(len(r["timeouts"]) for r in users)
    page_errors = sum(len(r["page_errors"]) for r in users)

    def page_figures(name: str) -> dict[str, Any]:
        figures: dict[str, Any] = percentiles_ms(steps[name]) if steps[name] else {"n": 0}
        figures["errors"] = sum(name in r["failed"] for r in users) + sum(
            r["timeouts"].count(name) for r in users)
        return figures

    return {
        "users": args.users, "client": args.client, "backend": args.backend,
        "seconds": args.seconds,
        "ramp": args.ramp, "concurrent": args.concurrent, "processes": args.processes,
        "cpu_count": os.cpu_count(), "wall_s": round(wall, 1), "user_steps": USER_STEPS,
        "pages": {name: page_figures(name) for name in PAGES},
        "errors": {"count": failed + timeouts + page_errors, "failed_steps": failed,
                   "timeouts": timeouts, "page_errors": page_errors},
        "rss_mb": rss,
        "failed_users": [r for r in users if r["failed"] or r["timeouts"] or r["page_errors"]],
        "client_ms": {name: percentiles_ms(values) for name, values in steps.items() if values},
        "query_ms": queries,
    }


def _readable(result: dict[str, Any]) -> str:
    def rows(figures: dict[str, dict[str, float]], label: str) -> list[list[Any]]:
        return [[label, where, int(s["n"]), round(s["p50_ms"], 1), round(s["p95_ms"], 1),
                 round(s["max_ms"], 1)] for where, s in figures.items()]

    def ms(figures: dict[str, Any], key: str) -> Any:
        return round(figures[key]) if key in figures else "–"

    headers = ["what", "where", "n", "p50 ms", "p95 ms", "max ms"]
    query_rows = [row for kind, figures in result["query_ms"].items()
                  for row in rows(figures, kind)]
    page_rows = [[name, s["n"], ms(s, "p50_ms"), ms(s, "p95_ms"), ms(s, "max_ms"),
                  s["errors"]] for name, s in result["pages"].items()]
    login = result["client_ms"].get("login")
    errors = result["errors"]
    lines = [f"{result['users']} users arriving over {result['ramp']:g} s (at most "
             f"{result['concurrent']} at once, deadline {result['seconds']:g} s) on "
             f"{result['processes']} app process(es) over {result['backend']}, "
             f"{result['cpu_count']} CPU cores shared by the users' "
             f"{'Chromium' if result['client'] == 'browser' else 'clients'}, the app and the "
             "store; "
             f"{result['wall_s']} s in all.",
             f"Each user, {WHO[result['client']]}: " + "; ".join(result["user_steps"]), "",
             WHEN[result["client"]],
             format_table(["page", "n", "p50 ms", "p95 ms", "max ms", "errors"], page_rows),
             "login: " + (f"p50 {login['p50_ms']:.0f} ms, p95 {login['p95_ms']:.0f} ms"
                          if login else "none completed"), "",
             f"errors: {errors['count']} ({errors['failed_steps']} failed steps, "
             f"{errors['timeouts']} timeouts, {errors['page_errors']} page errors)",
             "peak RSS per app process: " + ", ".join(
                 f"{where} {mb:g} MB" for where, mb in result["rss_mb"].items()), "",
             "Server side, the page's data queries (app.ui.cache, MAPA_QUERY_LOG):",
             format_table(headers, query_rows)]
    for r in result["failed_users"]:
        what = [f"{step} failed: {why}" for step, why in r["failed"].items()]
        what += [f"{step} timed out" for step in r["timeouts"]]
        what += [f"page error: {e}" for e in r["page_errors"]]
        lines.append(f"  user {r['user']} (process {r['process']}): " + "; ".join(what))
    return "\n".join(lines)
