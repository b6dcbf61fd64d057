"""``mapa bench pages``: one user's wait from navigation to a drawn map, page by page, against
the floor of the same map as a static HTML file, in the same run.

The bench copies the store (``--store``, or a freshly built demo store when that does not
exist) to a private GeoPackage, adds a police account (the Patrol page needs its right) and
serves the app with one ``streamlit run`` process. One headless Debian Chromium, offline, then
opens each page of ``--pages`` ``--repeat`` times, each time in a new tab of one browser
context (a new Streamlit session; the browser's cache and the login cookie kept, as for a
person coming back), and times it by the page's own clock (``performance.now()``, from
the navigation) until the map is drawn: the Leaflet map
inside the ``st_folium`` component's frame has loaded and holds all its layers (as many as
after the page's first, uncounted visit).

The floor: the first visit also records what the component received (the map's script,
header, HTML, scripts and stylesheets, exactly as ``st_folium`` sends them); the bench writes
that map as one static HTML file, serves it and the same local assets (``app/static``) from a
plain local HTTP server, and times opening it the same way, alternating with the app's page.

The floor within Streamlit: the same recorded map, alone on a Streamlit page (no sidebar, no
other element) served by a second ``streamlit run`` with the app's settings and assets and
drawn through streamlit-folium's component with the very arguments the app sent. What a page
takes beyond it is the page's own (its other elements, its script run); what this floor takes
beyond the static file is Streamlit's and the component's (the frontend's start, the
websocket, the component's frame).

Figures: p50 and p95 of the three in milliseconds and the ratios ours / static and ours /
Streamlit floor (p50 and p95). The browser, the app and the bench share the machine's cores:
compare the ratios, not the times, between machines or busy moments.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import json
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

try:  # a test dependency: only the browser benchmarks drive a browser
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - reported when the bench runs
    sync_playwright = None  # type: ignore[assignment]

from layers.access.accounts import create_user
from layers.access.principal import Principal
from layers.access.roles import ADMIN, POLICE
from layers.build import build_demo
from layers.store import open_store
from layers.store.transfer import copy_store
from scripts.bench.harness import percentiles_ms, report
from scripts.bench.load import CHROMIUM, CHROMIUM_ARGS, COMPONENT_IFRAME, ROOT, serve
from scripts.commands.common import (
    WHOLE_STORE,
    CommandError,
    add_town_option,
    store_from,
    subcommand,
)

#: The benchmarked pages by name: their URL path and whether they need the police login.
PAGES: Final = {"map": ("map", False), "hotspots": ("hotspots", False),
                "patrol": ("patrol", True)}
USER: Final = "bench-police"
TIMEOUT_MS: Final = 120_000
#: Init script of every frame: a map component's frame keeps the arguments of the first render
#: the app posted to it (what ``st_folium`` sent: script, header, html, js_links …).
RECORD_ARGS: Final = """() => {
    if (window.top === window) return;
    window.addEventListener('message', event => {
        const data = event.data;
        if (data && data.type === 'streamlit:render' && !window.__mapaArgs) {
            window.__mapaArgs = data.args;
        }
    }, true);
}"""
#: In the app's page: the map component ``index`` (in document order) has loaded its Leaflet
#: map and the map holds at least ``n`` layers: then the milliseconds since the navigation
#: began, by the page's own clock (``n`` 0: the count, or -1 while there is no drawn map).
#: Nothing here reads the layout: a check that did (``offsetWidth``) on every animation frame
#: would slow the page it times.
APP_LAYERS: Final = """([sel, n, index]) => {
    const frame = document.querySelectorAll(sel)[index];
    const map = frame && frame.contentWindow && frame.contentWindow.map;
    if (!map || !map._loaded) return n ? false : -1;
    const count = Object.keys(map._layers).length;
    return n ? count >= n && performance.now() : count;
}"""
#: The index of the one shown map component whose map has loaded (the page's first visit,
#: not timed), or -1.
SHOWN_MAP: Final = """sel => {
    const frames = [...document.querySelectorAll(sel)];
    const shown = frames.filter(f => f.offsetWidth > 0);
    const map = shown.length === 1 && shown[0].contentWindow && shown[0].contentWindow.map;
    return map && map._loaded ? frames.indexOf(shown[0]) : -1;
}"""
#: The Streamlit floor's page script: the recorded map named by ``?map=`` (its arguments in
#: the JSON file beside the script), drawn by streamlit-folium's component and nothing else.
BARE_PAGE: Final = '''"""One recorded map alone on a Streamlit page (mapa bench pages)."""
import json
from pathlib import Path

import streamlit as st
import streamlit_folium

st.set_page_config(layout="wide")
name = Path(st.query_params.get("map", "")).name
args = json.loads((Path(__file__).parent / f"{name}.json").read_text(encoding="utf-8"))
streamlit_folium._component_func(**args)
'''
#: The same in the static file, whose script names the map ``window.map`` too.
STATIC_LAYERS: Final = """(n) => {
    const map = window.map;
    if (!map || !map._loaded) return n ? false : -1;
    const count = Object.keys(map._layers).length;
    return n ? count >= n && performance.now() : count;
}"""
#: Idle (the app's page): connected, no script run, no status widget (running / rerun).
APP_IDLE: Final = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return Boolean(app && app.dataset.testConnectionState === 'CONNECTED'
                   && app.dataset.testScriptState === 'notRunning'
                   && !document.querySelector('[data-testid="stStatusWidget"]'));
}"""


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "pages",
                        "navigation to a drawn map per page, against the same map as a static "
                        "file", run)
    parser.add_argument("--pages", default=",".join(PAGES),
                        help=f"comma-separated pages of {', '.join(PAGES)} "
                             f"(default %(default)s)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed visits per page and per kind (default %(default)s)")
    add_town_option(parser, required=False,
                    help_text="town: its id or name (default: the app's first town)")
    # a benchmark serves a copy of the whole store: an operator's tool, not a town's
    parser.set_defaults(tenancy=WHOLE_STORE)


def run(args: argparse.Namespace) -> int:
    pages = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = sorted(set(pages) - set(PAGES))
    if unknown or not pages:
        raise CommandError("cli.bench_pages", pages=", ".join(unknown), known=", ".join(PAGES))
    if args.repeat < 1:
        raise CommandError("cli.repeat")
    if not Path(CHROMIUM).is_file():
        raise CommandError("cli.no_chromium", path=CHROMIUM)
    if sync_playwright is None:
        raise CommandError("cli.no_playwright")
    with tempfile.TemporaryDirectory(prefix="mapa-pages-") as name:
        folder = Path(name)
        source = store_from(args)
        if not source.exists():
            build_demo(folder / "demo.gpkg")
            source = open_store(folder / "demo.gpkg")
        store = open_store(folder / "bench.gpkg")
        copy_store(source, store)
        password = secrets.token_urlsafe(16)
        create_user(store, Principal("bench", ADMIN), USER, password, POLICE)
        bare = _bare_folder(folder / "bare")
        with serve({"MAPA_STORE": str(store.location)}, folder / "app.log") as (url, _), \
                serve({}, folder / "bare.log", str(bare / "bare.py")) as (bare_url, _), \
                _static_server(folder / "static") as static_url:
            rows = _bench(Servers(url, static_url, bare_url), folder, pages, args, password)
    _report(args, rows)
    return 0


@dataclass(frozen=True)
class Servers:
    """Where the bench opens the three: the app, the static files, the Streamlit floor."""

    app: str
    static: str
    bare: str


def _bare_folder(folder: Path) -> Path:
    """``folder`` with the Streamlit floor's page script and the app's assets beside it (what
    Streamlit serves at ``/app/static``); the recorded maps' arguments are added to it."""
    folder.mkdir()
    (folder / "bare.py").write_text(BARE_PAGE, encoding="utf-8")
    (folder / "static").symlink_to(ROOT / "app" / "static", target_is_directory=True)
    return folder


@contextlib.contextmanager
def _static_server(folder: Path) -> Iterator[str]:
    """A plain HTTP server on loopback serving ``folder``, in which ``app/static`` is the
    app's (so a static map reaches the same assets at the same URLs); yields its URL."""
    (folder / "app").mkdir(parents=True)
    (folder / "app" / "static").symlink_to(ROOT / "app" / "static", target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def static_html(args: dict[str, Any]) -> str:
    """The page a map component draws, as one static HTML file: the stylesheets, the header
    and the HTML ``st_folium`` sent, the map's div at the component's height, the scripts in
    their order and the map's script (which makes ``map_div``), published as ``window.map``."""
    css = "".join(f'<link rel="stylesheet" href="{html.escape(link)}"/>'
                  for link in args["css_links"])
    js = "".join(f'<script src="{html.escape(link)}"></script>' for link in args["js_links"])
    script = args["script"].replace("</script", "<\\/script")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"/>{css}{args["header"]}</head>'
            f'<body style="margin:0"><div id="map_div" style="height:{int(args["height"])}px;'
            f'width:100%"></div>{args["html"]}{js}'
            f"<script>{script}\nwindow.map = map_div;</script></body></html>")


def _bench(servers: Servers, folder: Path, pages: list[str], args: argparse.Namespace,
           password: str) -> list[dict[str, Any]]:
    assert sync_playwright is not None
    query = f"?mesto={args.town}" if args.town else ""
    rows = []
    with sync_playwright() as playwright:
        # offline: the arguments resolve no host but the loopback
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(script=f"({RECORD_ARGS})()")
        context.set_default_timeout(TIMEOUT_MS)
        logged_in = False
        try:
            for name in pages:
                path, needs_login = PAGES[name]
                if needs_login and not logged_in:
                    _login(context, servers.app, password)
                    logged_in = True
                page_url = f"{servers.app}/{path}{query}"
                # the first visit is not counted: it fills the app's caches and the
                # browser's, and tells how many layers the drawn map has
                tab = context.new_page()
                tab.goto(page_url)
                tab.wait_for_function(APP_IDLE)
                index = _shown_map(tab)
                layers = _settled(tab, APP_LAYERS, [COMPONENT_IFRAME, 0, index])
                recorded = tab.evaluate(
                    "([sel, i]) => document.querySelectorAll(sel)[i].contentWindow.__mapaArgs",
                    [COMPONENT_IFRAME, index])
                tab.close()
                (folder / "static" / f"{name}.html").write_text(static_html(recorded),
                                                                encoding="utf-8")
                file_url = f"{servers.static}/{name}.html"
                tab = context.new_page()
                tab.goto(file_url)
                static_layers = int(_drawn_static(tab, 0))
                tab.close()
                (folder / "bare" / f"{name}.json").write_text(json.dumps(recorded),
                                                              encoding="utf-8")
                bare_url = f"{servers.bare}/?map={name}"
                tab = context.new_page()
                tab.goto(bare_url)
                tab.wait_for_function(APP_IDLE)
                bare_index = _shown_map(tab)
                bare_layers = _settled(tab, APP_LAYERS, [COMPONENT_IFRAME, 0, bare_index])
                tab.close()
                ours, floor, bare = [], [], []
                for _ in range(args.repeat):
                    ours.append(_timed_app(context, page_url, layers, index))
                    tab = context.new_page()
                    tab.goto(file_url, wait_until="commit")
                    floor.append(_drawn_static(tab, static_layers))
                    tab.close()
                    bare.append(_timed_app(context, bare_url, bare_layers, bare_index))
                rows.append(_row(name, {"ours": ours, "static": floor, "streamlit": bare},
                                 {"layers": layers, "static_layers": static_layers,
                                  "streamlit_layers": bare_layers},
                                 len(recorded["script"].encode("utf-8"))))
        finally:
            browser.close()
    return rows


def _shown_map(tab: Any) -> int:
    """The index of the page's one shown map component, once its map has loaded."""
    return int(tab.wait_for_function(f"() => ({SHOWN_MAP})({json.dumps(COMPONENT_IFRAME)}) + 1",
                                     polling="raf").json_value()) - 1


def _timed_app(context: Any, url: str, layers: int, index: int) -> float:
    """One timed visit of a Streamlit page in a new tab: the milliseconds from the navigation
    until its map component ``index`` has drawn ``layers`` layers; the tab is closed once the
    app is idle, so the next visit starts on a quiet server."""
    tab = context.new_page()
    tab.goto(url, wait_until="commit")
    drawn = _drawn_app(tab, layers, index)
    tab.wait_for_function(APP_IDLE)
    tab.close()
    return drawn


def _drawn_app(tab: Any, layers: int, index: int) -> float:
    """Wait until the map component ``index`` has drawn its map with ``layers`` layers; the
    milliseconds from the navigation."""
    return float(tab.wait_for_function(APP_LAYERS, arg=[COMPONENT_IFRAME, layers, index],
                                       polling="raf").json_value())


def _drawn_static(tab: Any, layers: int) -> float:
    """Wait until the static file's map is drawn with ``layers`` layers: the milliseconds from
    the navigation; with ``layers`` 0, the count of layers once it is steady."""
    if not layers:
        tab.wait_for_function(STATIC_LAYERS, arg=0, polling="raf")
        return _settled(tab, STATIC_LAYERS, 0)
    return float(tab.wait_for_function(STATIC_LAYERS, arg=layers,
                                       polling="raf").json_value())


def _settled(tab: Any, script: str, arg: Any) -> int:
    """The layer count (``script`` with ``arg`` and n 0) once it is the same on two animation
    frames in a row (a layer control or a cluster layer may add layers just after the
    map's load)."""
    handle = tab.wait_for_function(
        """([script, arg]) => new Promise(resolve => {
            const count = () => (0, eval)(script)(arg);
            let last = count();
            const step = () => requestAnimationFrame(() => {
                const now = count();
                if (now > 0 && now === last) resolve(now); else { last = now; step(); }
            });
            step();
        })""", arg=[script, arg])
    return int(handle.json_value())


def _login(context: Any, url: str, password: str) -> None:
    """Log the context in as the bench's police account through the sidebar form (the login
    cookie then opens every later tab logged in)."""
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_function(APP_IDLE)
    form = tab.locator('[data-testid="stSidebar"] [data-testid="stForm"]')
    form.locator("input[type=text]").fill(USER)
    form.locator("input[type=password]").fill(password)
    with tab.expect_navigation(url=lambda address: "/mapa-login/" not in address):
        form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click()
    tab.locator('[data-testid="stSidebar"]').get_by_text(USER, exact=False).first.wait_for()
    tab.close()


def _row(name: str, times: dict[str, list[float]], layers: dict[str, int],
         script_bytes: int) -> dict[str, Any]:
    """One page's figures: ``times`` of "ours", "static" and "streamlit" (the floor in
    Streamlit) in ms, the layer counts each drew, the map script's size."""
    shown = {kind: percentiles_ms(values) for kind, values in times.items()}
    app, static, bare = shown["ours"], shown["static"], shown["streamlit"]
    return {"page": name, **shown, **layers, "script_bytes": script_bytes,
            "ratio_p50": round(app["p50_ms"] / static["p50_ms"], 2),
            "ratio_p95": round(app["p95_ms"] / static["p95_ms"], 2),
            "streamlit_ratio_p50": round(app["p50_ms"] / bare["p50_ms"], 2),
            "streamlit_ratio_p95": round(app["p95_ms"] / bare["p95_ms"], 2)}


def _report(args: argparse.Namespace, rows: list[dict[str, Any]]) -> None:
    report(args, ["page", "ours p50 ms", "ours p95 ms", "static p50 ms", "static p95 ms",
                  "ratio p50", "ratio p95", "streamlit p50 ms", "streamlit p95 ms",
                  "ours/streamlit p50", "layers", "script MB"],
           [[r["page"], round(r["ours"]["p50_ms"]), round(r["ours"]["p95_ms"]),
             round(r["static"]["p50_ms"]), round(r["static"]["p95_ms"]),
             f"{r['ratio_p50']:.2f}×", f"{r['ratio_p95']:.2f}×",
             round(r["streamlit"]["p50_ms"]), round(r["streamlit"]["p95_ms"]),
             f"{r['streamlit_ratio_p50']:.2f}×", r["layers"],
             f"{r['script_bytes'] / 1e6:.2f}"] for r in rows],
           {"pages": rows, "repeat": args.repeat, "town": args.town},
           title=f"Navigation to a drawn map, {args.repeat} visits per page (one uncounted "
                 f"first); static = the same map as a static HTML file",
           notes=["", "ours = the app's page in a new tab until the st_folium map has loaded "
                      "with all its layers; static = the map the component received, as one "
                      "HTML file on a plain local HTTP server with the same assets; ratio = "
                      "ours / static; streamlit = the same map alone on a Streamlit page "
                      "through the same component. Browser, app and bench share the "
                      "machine's cores."])
