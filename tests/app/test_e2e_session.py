"""Links and logins that survive a reload, end to end in a real Chromium, offline.

* A facilitator reloads the Sessions page and stays logged in, on the same session and town;
  a new tab is logged in too; the login cookie is HttpOnly (no script reads it). A logout ends
  the cookie: a reload is logged out, and the old cookie opens nothing.
* A bookmarked Area link for Kraslice opens Kraslice (after the login it asks for); a measure
  being written makes the browser ask before the page is left.
* An unknown page says so in Czech.
* The admin lifts a lockout and resets a password in the UI; the temporary password, shown
  once, must be changed at the next login.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from app.ui.i18n import translate
from layers.access import accounts, sessions, throttle
from layers.access.principal import Principal
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import SESSIONS
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    TIMEOUT_MS,
    Traffic,
    chromium,
    login,
    offline_context,
    pick,
    rerun,
    serve_app,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e

KEY = "k" * 40


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("session") / "s.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "facilitator", "admin", "police")
    # a second session of the facilitator's centre, so the choice of one is visible
    create_session(open_store(path), SessionInput(
        "karlovy-vary", "2026-11-20", "Klub Rybáře", USERS["facilitator"][1], "13-18", 8,
        "paper", "souhlas zákonných zástupců zaznamenán"))
    return path


@pytest.fixture(scope="module")
def app_url(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(store_path, tmp_path_factory.mktemp("session-log"),
                   env={sessions.SESSION_KEY: KEY}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def context(browser: Browser) -> Iterator[tuple[BrowserContext, Traffic]]:
    """A fresh browser profile (no cookies) for each test."""
    traffic = Traffic()
    context = offline_context(browser, traffic, viewport={"width": 1400, "height": 1000})
    yield context, traffic
    context.close()


def _open(context: BrowserContext, traffic: Traffic, url: str) -> Page:
    page = watch(context.new_page(), traffic)
    page.goto(url)
    wait_idle(page)
    return page


def _sidebar(page: Page) -> Locator:
    return page.locator('[data-testid="stSidebar"]')


def test_a_facilitator_reloads_and_stays_on_the_same_session_and_town(
        app_url: str, store_path: Path, browser: Browser,
        context: tuple[BrowserContext, Traffic]) -> None:
    browser_context, traffic = context
    username, centre = USERS["facilitator"]
    own = open_store(store_path).read(SESSIONS)
    own = own[own["organiser"] == centre]
    town = str(own["town_id"].iloc[0])
    ids = list(own[own["town_id"] == town]["session_id"])
    assert len(ids) >= 2
    page = _open(browser_context, traffic, f"{app_url}/sessions?mesto={town}")
    expect(page.get_by_text(cs("access.login_first"))).to_be_visible()
    login(page, username, PASSWORD)
    # back on the page the login was asked from, with its town
    assert "/sessions" in page.url and f"mesto={town}" in page.url
    select = page.locator(".st-key-sessions_session")
    rerun(page, lambda: pick(page, select, ids[0]))
    expect(select.get_by_role("combobox")).to_have_value(ids[0])
    assert f"setkani={ids[0]}" in page.url

    cookie = next(c for c in browser_context.cookies() if c["name"] == sessions.COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert sessions.COOKIE not in page.evaluate("() => document.cookie")

    page.reload()
    wait_idle(page)
    expect(_sidebar(page).get_by_text(username, exact=False).first).to_be_visible()
    expect(page.locator(".st-key-sessions_session").get_by_role("combobox")).to_have_value(ids[0])
    assert f"mesto={town}" in page.url and f"setkani={ids[0]}" in page.url

    other = _open(browser_context, traffic, page.url)  # a new tab, the same link
    expect(_sidebar(other).get_by_text(username, exact=False).first).to_be_visible()
    expect(other.locator(".st-key-sessions_session").get_by_role("combobox")).to_have_value(
        ids[0])

    # a logout (in the new tab) ends the cookie, and the login in the first tab with it
    with other.expect_navigation(url=lambda url: "/mapa-login/" not in url):
        _sidebar(other).locator(".st-key-logout button").click()
    wait_idle(other)
    assert sessions.COOKIE not in {c["name"] for c in browser_context.cookies()}
    page.reload()
    wait_idle(page)
    expect(_sidebar(page).locator('[data-testid="stForm"]')).to_be_visible()
    # the old cookie, kept by someone, opens nothing: the session ended on the server
    stolen = Traffic()
    thief = offline_context(browser, stolen)
    thief.add_cookies([cookie])
    taken = _open(thief, stolen, f"{app_url}/sessions?mesto={town}")
    expect(taken.get_by_text(cs("access.login_first"))).to_be_visible()
    expect(_sidebar(taken).get_by_text(username, exact=False)).to_have_count(0)
    thief.close()
    assert not traffic.blocked and not traffic.errors, traffic


def test_an_unknown_page_says_so_in_czech(app_url: str,
                                          context: tuple[BrowserContext, Traffic]) -> None:
    browser_context, traffic = context
    page = _open(browser_context, traffic, f"{app_url}/neexistuje")
    expect(page.get_by_role("heading", name=cs("nav.not_found"))).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not traffic.blocked and not traffic.errors, traffic


def test_kraslice_bookmark_admin_unlock_and_reset_unsaved_measure(
        app_url: str, store_path: Path, context: tuple[BrowserContext, Traffic]) -> None:
    """One admin login: a bookmarked Area link for Kraslice opens Kraslice, and a measure
    being written there makes the browser ask before the tab is closed; in a new tab the admin
    lifts a lockout and resets a password."""
    browser_context, traffic = context
    area = _open(browser_context, traffic, f"{app_url}/area?mesto=kraslice")
    login(area, USERS["admin"][0], PASSWORD)
    heading = area.get_by_role("heading", name=cs("area.title", area="Kraslice"))
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    area.reload()  # a reload of the bookmark keeps it (and nothing typed: no question)
    wait_idle(area)
    expect(heading).to_be_visible()
    field = area.get_by_label(cs("area.form.text"), exact=True).first
    field.click()
    area.keyboard.type("Posílit osvětlení podchodu")
    assert area.evaluate("() => window.__mapaUnsaved")
    with area.expect_event("dialog") as asked:
        area.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.accept()

    store = open_store(store_path)
    target = USERS["police"][0]
    for _ in range(throttle.PAIR_FREE):  # locked out from one place
        assert accounts.authenticate(store, target, "wrong password!", "elsewhere",
                                     pause=lambda _s: None) is None
    page = _open(browser_context, traffic, f"{app_url}/admin")  # logged in by the cookie
    # the account with failed logins comes first in the unlock choice
    expect(page.locator(".st-key-admin_unlock_user").get_by_role("combobox")).to_have_value(
        target)
    rerun(page, page.locator(".st-key-admin_unlock button").click)
    unlocked = cs("admin.unlocked", user=target, count=throttle.PAIR_FREE)
    expect(page.get_by_text(unlocked)).to_be_visible()

    reset = page.locator(".st-key-admin_reset_user")
    rerun(page, lambda: pick(page, reset, target))
    rerun(page, page.locator(".st-key-admin_reset button").click)
    shown = page.locator(".st-key-admin_temporary code").first
    expect(shown).to_be_visible()
    temporary = shown.inner_text().strip()
    assert len(temporary) >= 10
    # shown once: the next run of the page no longer has it
    rerun(page, lambda: pick(page, reset, USERS["facilitator"][0]))
    expect(page.get_by_text(temporary)).to_have_count(0)
    assert Principal(target, "police") == accounts.authenticate(store, target, temporary)
    assert accounts.must_change_password(store, target)
    assert not traffic.blocked and not traffic.errors, traffic
