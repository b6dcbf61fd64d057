"""Every page in Czech and in English, in a real browser: no English on a Czech page, and
accessible in both languages.

One served app, one admin (who sees every page) and one browser page walk the pages twice:

* in Czech, the visible text of each page (the app and its map frames, without icon
  ligatures and quoted document text) holds no word of :data:`ENGLISH_WORDS`, a list of
  English words that are no Czech words; Streamlit's own texts (skip link, file uploader,
  hints) are Czech too, and the page says it is Czech (``<html lang="cs">``);
* in both languages axe-core (vendored under ``tests/app/vendor/axe-core``, served from the
  test itself, never from a CDN) finds no serious or critical violation in the page or its
  frames; that includes labelled form fields and readable contrast;
* from the keyboard alone, every control of the Map page is reached in order by Tab, and the
  focused control shows a visible focus ring.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect, sync_playwright

from app.navigation import PAGES
from app.ui.i18n import translate
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    Traffic,
    choose,
    launch_chromium,
    login,
    offline_context,
    rerun,
    serve_app,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e

TOWN = "Kraslice"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
#: English words that are no Czech words (so "data", "index", "to", "by", "no", "map", "min"
#: or "hotspot", which Czech pages use, are not here). Any of them on a Czech page is a text
#: someone forgot to translate.
ENGLISH_WORDS = frozenset(re.findall(r"\w+", """
    the and of for with from is are was were not none yes true false nan null undefined file
    files upload browse drag drop limit per page found error warning loading running click
    select choose search show hide download delete remove add save cancel submit press enter
    apply option options result results date time name count total cell cells score place
    places why line lines straight street streets week month year hot cold session sessions
    layer layers legend source sources new open close edit view batch batches undo approve
    reject pending approved rejected town towns locality localities service services pins
    answer answers category categories fear crime grid width height mean median value values
    column columns row rows main content skip menu settings deploy rerun clear cache
    inhabitants people children youth walking route minutes hours days unknown invalid missing
    required empty nothing back next previous help about login logout password username account
    users collapse expand sidebar whole area areas measure measures goal goals indicator
    indicators status planned done off round stop
"""))
#: The visible text of a document: text nodes shown on screen, without Material icon
#: ligatures (an icon's name is no text a person reads) and without scripts and styles.
VISIBLE_TEXT = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, [data-testid="stIconMaterial"]')) continue;
        if (!parent.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        texts.push(node.nodeValue);
    }
    return texts.join(' ');
}"""
#: axe-core over the document and (with axe injected there too) its frames: the serious and
#: critical violations, each with the first elements it concerns.
AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations'],
                                            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',
                                                      'wcag21a', 'wcag21aa', 'best-practice']}});
    return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
             v.nodes.slice(0, 3).map(n => n.html.slice(0, 160)).join(' | '));
}"""
#: The focusable controls a person tabs through, visible on screen, in document order.
CONTROLS = """() => [...document.querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.checkVisibility()
                 && e.getBoundingClientRect().width > 0)
    .map(e => e.outerHTML.slice(0, 120))"""
#: Whether the focused element shows where the focus is: an outline or a ring (box shadow)
#: that it does not have unfocused.
FOCUS_SHOWN = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {html: e.outerHTML.slice(0, 120), shown: outline || style.boxShadow !== 'none'
            || getComputedStyle(e.parentElement).boxShadow !== 'none'};
}"""


@pytest.fixture(scope="module")
def admin_page(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Page, Traffic]]:
    """One served app on a store copy, logged in as the admin (every page), in Czech, on
    :data:`TOWN`."""
    folder = tmp_path_factory.mktemp("language-a11y")
    store_path = folder / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    add_accounts(store_path, "admin")
    traffic = Traffic()
    with serve_app(store_path, folder) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = offline_context(browser, traffic, viewport={"width": 1500, "height": 1300})
        page = watch(context.new_page(), traffic)
        page.goto(url)
        login(page, USERS["admin"][0], PASSWORD)
        # the smallest town: its pages are the quickest to compute
        choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]'),
               TOWN)
        yield page, traffic
        context.close()
        browser.close()


def _open(page: Page, lang: str, title_key: str) -> None:
    """Follow the sidebar's link to a page and wait until it is drawn."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(
        translate(title_key, lang), exact=True)
    rerun(page, link.click)


def _frames(page: Page) -> list[Frame]:
    """The page's own document and its map components' frames."""
    return [page.main_frame, *[frame for frame in page.frames
                               if frame != page.main_frame and not frame.is_detached()]]


def _violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page and in its frames."""
    source = AXE.read_text(encoding="utf-8")
    for frame in _frames(page):
        # the app's own document lives on across page changes: axe is loaded there once
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.add_script_tag(content=source)
    found: list[str] = page.evaluate(AXE_RUN)
    return found


#: Quoted text ("„hot spot strachu“" in a transcribed document) is the document's own word.
QUOTED = re.compile(r"„[^“”]*[“”]|“[^”]*”|\"[^\"]*\"")


def _english_words(page: Page) -> list[str]:
    """Words of :data:`ENGLISH_WORDS` outside quotes in the visible text of the page and its
    frames, each with the text around it (what to look for)."""
    found = []
    for frame in _frames(page):
        text = QUOTED.sub(" ", frame.evaluate(VISIBLE_TEXT))
        found += [f"{match.group()} in …{text[max(0, match.start() - 40):match.end() + 40]}…"
                  for match in re.finditer(r"[^\W\d_]+", text)
                  if match.group().lower() in ENGLISH_WORDS]
    return found


def test_czech_pages_hold_no_english_and_pass_axe(admin_page: tuple[Page, Traffic]) -> None:
    page, traffic = admin_page
    assert page.evaluate("() => document.documentElement.lang") == "cs"
    problems: dict[str, object] = {}
    for spec in PAGES:
        _open(page, "cs", spec.title_key)
        english = _english_words(page)
        violations = _violations(page)
        if english or violations:
            problems[spec.url_path] = {"english": english, "axe": violations}
        if spec.url_path == "data":
            _uploader_is_czech(page)
        if spec.url_path == "catalogue":
            _field_hint_is_czech(page)
    assert problems == {}
    expect(page.get_by_text(translate("chrome.skip", "cs"))).to_have_count(1)
    assert traffic.clean(), traffic


def _uploader_is_czech(page: Page) -> None:
    """Streamlit's file uploader: its button and its size limit in Czech."""
    uploader = page.locator('[data-testid="stFileUploader"]').first
    expect(uploader.get_by_role("button", name=translate("chrome.upload", "cs"))).to_be_visible()
    expect(uploader).to_contain_text(
        translate("chrome.per_file", "cs").replace("{1}", "200").replace("{2}", "MB"))


def _field_hint_is_czech(page: Page) -> None:
    """The hint Streamlit shows under a text field being typed in (the catalogue's search;
    the sidebar's collapsed password form has text fields too, hidden)."""
    search = page.locator('[data-testid="stMain"]').get_by_label(
        translate("catalogue.query", "cs"), exact=True)
    search.fill("x")
    expect(page.get_by_text(translate("chrome.enter_apply", "cs"))).to_be_visible()
    search.fill("")
    wait_idle(page)


def test_english_pages_pass_axe(admin_page: tuple[Page, Traffic]) -> None:
    page, traffic = admin_page
    sidebar = page.locator('[data-testid="stSidebar"]')
    rerun(page, sidebar.get_by_text(translate("lang.en", "en"), exact=True).click)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    problems = {}
    for spec in PAGES:
        _open(page, "en", spec.title_key)
        violations = _violations(page)
        if violations:
            problems[spec.url_path] = violations
    assert problems == {}
    rerun(page, sidebar.get_by_text(translate("lang.cs", "cs"), exact=True).click)
    assert traffic.clean(), traffic


def test_every_control_is_reached_by_tab_with_a_visible_focus(
        admin_page: tuple[Page, Traffic]) -> None:
    page, _ = admin_page
    _open(page, "cs", "nav.map")
    wait_idle(page)
    controls: list[str] = page.evaluate(CONTROLS)
    assert len(controls) > 10
    # start at the top of the page, as a freshly opened page does (not at the link last clicked)
    page.evaluate("""() => {
        document.body.tabIndex = -1;
        document.body.focus();
        document.body.removeAttribute('tabindex');
    }""")
    reached: list[str] = []
    hidden: list[str] = []
    for _ in range(len(controls) + 40):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SHOWN)
        if focus["html"].startswith("<iframe"):
            continue  # inside a map: its own controls, which Leaflet draws
        if focus["html"].startswith("<body") or (reached and focus["html"] == reached[0]):
            break  # round to the start
        reached.append(focus["html"])
        if not focus["shown"]:
            hidden.append(focus["html"])
    assert [c for c in controls if c not in reached] == []
    assert hidden == []
