"""A dropped connection while a resident answers through a public link, in a real phone
browser: the answer is kept and sent again, or clearly said not to be saved; never lost, never
stored twice.

The app's websocket runs through Playwright's websocket route, a cable this test can cut:

* cut before Save: Streamlit disables every button, Save too; the bar says in Czech that the
  answer is not saved yet and stays on screen; once the cable is back, the same answer is
  saved with one tap, once;
* cut after Save reached the app: the app stores the answer and finishes its run, but the
  reply never reaches the phone; the phone reconnects to the same session and shows that the
  answer was saved, and it is stored once.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from app.ui.i18n import translate
from layers.mapping import links
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PINS
from layers.store import open_store
from tests.app import e2e_support as e2e

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
SAVE = ".st-key-kiosk-save button"


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


class Cable:
    """The app's websocket between the page and the server, which the test can cut.

    ``mode``: ``"up"`` passes everything; ``"down"`` refuses new connections (the page keeps
    trying); ``"lose_reply"`` passes the page's next rerun request to the app, keeps the
    app's replies from the page until the app has finished its runs, then cuts the cable.
    """

    def __init__(self) -> None:
        self.mode = "up"
        self.open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.connections = 0

    def route(self, page_side: WebSocketRoute) -> None:
        if self.mode == "down":
            page_side.close()
            return
        server = page_side.connect_to_server()
        self.connections += 1
        self.open.append((page_side, server))
        state = {"holding": False}

        def to_server(message: str | bytes) -> None:
            if self.mode == "lose_reply" and isinstance(message, bytes) \
                    and BackMsg.FromString(message).WhichOneof("type") == "rerun_script":
                state["holding"] = True
            server.send(message)

        def to_page(message: str | bytes) -> None:
            if not state["holding"]:
                page_side.send(message)
                return
            # the page never hears of this run; once the app has finished it, the cable breaks
            reply = ForwardMsg.FromString(message) if isinstance(message, bytes) else None
            if reply is not None and reply.WhichOneof("type") == "script_finished" \
                    and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.cut()

        page_side.on_message(to_server)
        server.on_message(to_page)

    def cut(self) -> None:
        """Break every open connection; new ones are refused until :meth:`mend`."""
        self.mode = "down"
        for page_side, server in self.open:
            page_side.close()
            server.close()
        self.open.clear()

    def mend(self) -> None:
        self.mode = "up"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path
          ) -> tuple[Path, str, str]:
    """A store with a session of Karlovy Vary and an open public link."""
    path = tmp_path_factory.mktemp("connection") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    store = open_store(path)
    session = create_session(store, SessionInput(
        town_id="karlovy-vary", date=dt.date.today().isoformat(), place="KC Rybáře",
        organiser="KC Rybáře", age_group="13-18", participants=20, method="tablet",
        consent="souhlas zaznamenán"))
    return path, session, links.create_link(store, session).link_id


@pytest.fixture(scope="module")
def served(setup: tuple[Path, str, str], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[str, Browser]]:
    """The app served on the store, and Debian's Chromium."""
    with e2e.serve_app(setup[0], tmp_path_factory.mktemp("log")) as url, \
            e2e.chromium() as browser:
        yield url, browser


def _answer(page: Page, path: Path, place: int, category: str) -> None:
    """Tap a place, a category and a feeling: the answer is complete, Save waits."""
    target = open_store(path).read("localities", "karlovy-vary").representative_point()
    e2e.click_map(page, target.iloc[place].y, target.iloc[place].x)
    e2e.rerun(page, page.locator(f".st-key-category-{category} button").tap)
    e2e.rerun(page, page.locator(".st-key-feeling-2 button").tap)
    expect(page.locator(SAVE)).to_be_enabled()


def _redrawn(page: Page, times: int) -> None:
    """Wait until the page has been redrawn after ``times`` reconnections, and is idle."""
    page.wait_for_function("times => window.__kioskReconnect.redrawn === times", arg=times)
    e2e.wait_idle(page)


def _stored(path: Path, session: str, category: str) -> int:
    pins = open_store(path).read(PINS, "karlovy-vary")
    return int(((pins["session_id"] == session) & (pins["category"] == category)).sum())


def test_a_dropped_connection_keeps_the_answer_and_never_stores_it_twice(served, setup
                                                                         ) -> None:
    url, browser = served
    path, session, token = setup
    traffic = e2e.Traffic()
    cable = Cable()
    context = e2e.offline_context(browser, traffic, viewport=PHONE, has_touch=True,
                                  is_mobile=True)
    context.route_web_socket("**/_stcore/stream", cable.route)
    page = e2e.watch(context.new_page(), traffic)
    page.goto(links.link_url(url, token))
    e2e.wait_idle(page)
    e2e.rerun(page, page.get_by_role("button", name=cs("answer.consent.agree")).click)
    offline = page.get_by_text(cs("kiosk.offline"))
    expect(offline).to_be_hidden()

    # the cable is cut before Save: the answer stays, Save waits, the phone says why
    _answer(page, path, 0, "traffic")
    cable.cut()
    expect(page.locator(SAVE)).to_be_disabled()
    expect(offline).to_be_visible()
    assert _stored(path, session, "traffic") == 0
    cable.mend()
    expect(offline).to_be_hidden()
    _redrawn(page, 1)
    # the same answer, on the screen after the feeling
    expect(page.get_by_text(f"{cs('kiosk.step', n=4, of=7)} · {cs('capture.placed')}")
           ).to_be_visible()
    e2e.rerun(page, page.locator(SAVE).tap)
    expect(page.get_by_text(cs("answer.saved"))).to_be_visible()
    assert _stored(path, session, "traffic") == 1

    # Save reaches the app, its reply is lost: the app saved it, the phone reconnects to the
    # same session and says so; nothing is stored twice
    _answer(page, path, 1, "dogs")
    connections = cable.connections
    cable.mode = "lose_reply"
    page.locator(SAVE).tap()
    expect(offline).to_be_visible()  # the cable broke after the app had finished
    assert _stored(path, session, "dogs") == 1
    cable.mend()
    _redrawn(page, 2)
    assert cable.connections == connections + 1
    expect(page.get_by_text(cs("answer.saved"))).to_be_visible()
    expect(offline).to_be_hidden()
    assert _stored(path, session, "dogs") == 1
    assert traffic.blocked == [] and traffic.errors == []
    context.close()
