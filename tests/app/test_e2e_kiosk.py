"""The kiosk on a tablet and a phone, and a public session link, in a real touch browser.

One served app for the module. A facilitator locks the kiosk at 768×1024 with touch: every
pictogram button is whole inside the screen and above the bottom bar, Save is in view, the
pictograms are loaded SVG images, text is at least 18 px and targets at least 48 px; the same
holds at 1024×768 and 390×844; leaving needs the PIN. A resident opens a public link in a
fresh context (a phone): consent, a pin with an answer to the session's own question, stored
pending; a link after its end time and an unknown one are refused in Czech. axe-core finds no
serious or critical violation on the locked kiosk and on the public form.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from app.ui.i18n import plural, translate
from layers.mapping import links, questions
from layers.mapping.capture import load_session
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PIN_ANSWERS, PINS
from layers.store import open_store
from tests.app import e2e_support as e2e
from tests.app.access_support import PASSWORD, USERS, add_accounts

pytestmark = pytest.mark.e2e
SIZES = ({"width": 768, "height": 1024}, {"width": 1024, "height": 768},
         {"width": 390, "height": 844})
PIN = "2468"
#: Every button of the current screen (grid and bar): its box, and the bar's top edge.
GEOMETRY = """() => {
    const box = el => { const r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height}; };
    const bar = document.querySelector('.st-key-kiosk-bar');
    const grid = [...document.querySelectorAll('.st-key-kiosk-grid button')].map(b => ({
        ...box(b), font: parseFloat(getComputedStyle(b.querySelector('p')).fontSize),
        images: [...b.querySelectorAll('img')].map(i => ({src: i.getAttribute('src'),
            loaded: i.complete && i.naturalWidth > 0})),
        text: b.innerText}));
    const barButtons = [...bar.querySelectorAll('button')].map(b => ({...box(b),
        text: b.innerText}));
    return {grid, bar: box(bar), barButtons, width: innerWidth, height: innerHeight,
            scrolled: document.scrollingElement.scrollTop};
}"""


#: axe-core 4.14.1 (MPL-2.0, its licence beside it), injected into the page under test.
AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe" / "axe.min.js"


def _axe_serious(page: Page) -> list[str]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.map(
            n => n.html.slice(0, 200) + ' ' + n.failureSummary).join(' | '))""")
    return list(found)


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path
          ) -> tuple[Path, str, str, str]:
    """A store with a tablet session of Karlovy Vary holding one question, an open link and
    one that ended yesterday."""
    path = tmp_path_factory.mktemp("kiosk") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "admin")
    store = open_store(path)
    session = create_session(store, SessionInput(
        town_id="karlovy-vary", date=dt.date.today().isoformat(), place="KC Rybáře",
        organiser="KC Rybáře", age_group="13-18", participants=20, method="tablet",
        consent="souhlas zaznamenán"))
    questions.add_question(store, load_session(store, session), "single",
                           "Chodíš tudy do školy?", ["ano", "ne"])
    now = dt.datetime.now(dt.UTC)
    open_link = links.create_link(store, session)
    ended = links.create_link(store, session, starts_at=now - dt.timedelta(days=2),
                              until=now - dt.timedelta(days=1))
    return path, session, open_link.link_id, ended.link_id


@pytest.fixture(scope="module")
def served(setup: tuple[Path, str, str, str], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[str, Browser]]:
    with e2e.serve_app(setup[0], tmp_path_factory.mktemp("log")) as url, \
            sync_playwright() as playwright:
        browser = e2e.launch_chromium(playwright)
        yield url, browser
        browser.close()


def _touch_page(browser: Browser, traffic: e2e.Traffic, size: dict[str, int]) -> Page:
    context = e2e.offline_context(browser, traffic, viewport=size, has_touch=True,
                              is_mobile=size["width"] < 500)
    return e2e.watch(context.new_page(), traffic)


def _check_screen(page: Page, pictograms: bool = True) -> None:
    """Every button of the screen whole in view, above the bar; Save in view; pictograms
    (``pictograms``: one on each button) loaded SVG images; words ≥ 18 px; targets ≥ 48 px
    high; nothing scrolled."""
    e2e.wait_idle(page)
    # an image that does not load (a missing file, a CDN) never gets here
    page.wait_for_function("() => [...document.querySelectorAll('.st-key-kiosk-grid img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    shape = page.evaluate(GEOMETRY)
    assert shape["scrolled"] == 0
    assert shape["bar"]["bottom"] <= shape["height"] + 0.5 and shape["bar"]["top"] > 0
    save = [b for b in shape["barButtons"] if cs("capture.save") in b["text"]]
    assert save and save[0]["bottom"] <= shape["height"] and save[0]["height"] >= 48
    assert shape["grid"]
    for button in shape["grid"]:
        assert button["left"] >= 0 and button["right"] <= shape["width"] + 0.5, button
        assert button["top"] >= 0 and button["bottom"] <= shape["bar"]["top"], button
        assert button["height"] >= 48 and button["font"] >= 18, button
        if pictograms:
            assert len(button["images"]) == 1 and button["images"][0]["loaded"], button
            assert button["images"][0]["src"].endswith(".svg"), button


def test_locked_kiosk_on_a_tablet_and_a_phone(served, setup) -> None:
    url, browser = served
    _, session, _, _ = setup
    traffic = e2e.Traffic()
    # the facilitator sets the kiosk up on a wide screen (the sidebar open), then the tablet
    page = _touch_page(browser, traffic, {"width": 1500, "height": 1300})
    page.goto(url)
    e2e.wait_idle(page)
    e2e.login(page, USERS["admin"][0], PASSWORD)
    e2e.navigate(page, "nav.capture")
    expect(page.get_by_role("heading", name=cs("capture.title"))).to_be_visible()
    # the facilitator locks the kiosk with a PIN
    page.get_by_text(cs("kiosk.lock.title")).click()
    e2e.type_into(page.get_by_label(cs("kiosk.lock.pin")), PIN)
    e2e.rerun(page, page.get_by_role("button", name=cs("kiosk.lock.start")).click)
    expect(page.locator(".st-key-kiosk-leave button")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stSidebarNav"]')).to_be_hidden()
    expect(page.get_by_role("combobox")).to_have_count(0)  # no session picker
    page.set_viewport_size(SIZES[0])

    target = open_store(setup[0]).read("localities", "karlovy-vary").representative_point()
    e2e.click_map(page, target.iloc[0].y, target.iloc[0].x)
    expect(page.get_by_text(cs("capture.placed"))).to_be_visible()
    for size in (SIZES[0], SIZES[1], SIZES[2], SIZES[0]):  # the categories, 13 buttons
        page.set_viewport_size(size)
        _check_screen(page)
    assert _axe_serious(page) == []
    e2e.rerun(page, page.locator(".st-key-category-dark_place button").tap)
    for size in SIZES:  # the feelings
        page.set_viewport_size(size)
        _check_screen(page)
    e2e.rerun(page, page.locator(".st-key-feeling-2 button").tap)
    e2e.rerun(page, page.locator(".st-key-kiosk-save button").tap)
    one = plural("count.pins", 1, "cs")  # "1 bod": the count line speaks Czech plurals
    expect(page.get_by_text(cs("capture.count", mine=one, all=one))).to_be_visible()
    # a double tap on Save of the now empty answer stores nothing more
    e2e.rerun(page, page.locator(".st-key-kiosk-save button").tap)
    pins = open_store(setup[0]).read(PINS, "karlovy-vary")
    assert int((pins["session_id"] == session).sum()) == 1

    # leaving: a wrong PIN keeps the kiosk locked, the right one brings the sidebar back
    e2e.rerun(page, page.locator(".st-key-kiosk-leave button").tap)
    e2e.type_into(page.get_by_label(cs("kiosk.leave.pin")), "1357")
    e2e.rerun(page, page.get_by_role("button", name=cs("kiosk.leave.submit")).click)
    expect(page.get_by_text(cs("kiosk.leave.wrong"))).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    e2e.type_into(page.get_by_label(cs("kiosk.leave.pin")), PIN)
    e2e.rerun(page, page.get_by_role("button", name=cs("kiosk.leave.submit")).click)
    page.set_viewport_size({"width": 1500, "height": 1300})
    expect(page.locator('[data-testid="stSidebarNav"]')).to_be_visible()
    assert traffic.blocked == [] and traffic.errors == []
    page.context.close()


def test_public_link_on_a_phone(served, setup) -> None:
    url, browser = served
    path, session, token, ended = setup
    traffic = e2e.Traffic()
    page = _touch_page(browser, traffic, SIZES[2])  # a fresh context: nobody logged in
    page.goto(links.link_url(url, token))
    e2e.wait_idle(page)
    e2e.rerun(page, page.get_by_role("button", name=cs("answer.consent.agree")).click)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    target = open_store(path).read("localities", "karlovy-vary").representative_point()
    e2e.click_map(page, target.iloc[1].y, target.iloc[1].x)
    _check_screen(page)
    assert _axe_serious(page) == []
    e2e.rerun(page, page.locator(".st-key-category-traffic button").tap)
    e2e.rerun(page, page.locator(".st-key-feeling-3 button").tap)
    for _ in range(3):  # seen, when, what I do: skipped
        e2e.rerun(page, page.locator(".st-key-kiosk-next button").tap)
    expect(page.get_by_role("heading", name="Chodíš tudy do školy?")).to_be_visible()
    _check_screen(page, pictograms=False)  # the session's own question: words only
    e2e.rerun(page, page.locator(".st-key-kiosk-grid button").filter(has_text="ne").tap)
    e2e.rerun(page, page.locator(".st-key-kiosk-save button").tap)
    expect(page.get_by_text(cs("answer.saved"))).to_be_visible()
    store = open_store(path)
    pins = store.read(PINS, "karlovy-vary")
    mine = pins[pins["session_id"] == session]
    mine = mine[mine["category"] == "traffic"]
    assert len(mine) == 1 and list(mine["status"]) == ["pending"]
    answers = store.read(PIN_ANSWERS)
    assert list(answers[answers["pin_id"] == mine["pin_id"].iloc[0]]["value"]) == ["ne"]

    page.goto(links.link_url(url, ended))
    expect(page.get_by_text("Odkaz už je uzavřený", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name=cs("answer.consent.agree"))).to_have_count(0)
    page.goto(links.link_url(url, "neznamy-odkaz"))
    expect(page.get_by_text("Tento odkaz neznáme", exact=False)).to_be_visible()
    assert traffic.blocked == [] and traffic.errors == []
    page.context.close()
