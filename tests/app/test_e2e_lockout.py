"""An anonymous client cannot lock the admin out, end to end in a real browser, offline.

The app runs as behind nginx on the same host: each browser context sends its own
``X-Forwarded-For`` (as nginx sets it) over a loopback connection, which Streamlit's server
believes, so the two contexts are two client addresses to the app. Were they one address, the
admin's login would be refused and the test would fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from app.ui.i18n import translate
from layers.access.audit import read_log
from layers.access.throttle import PAIR_FREE
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    Traffic,
    launch_chromium,
    login,
    navigate,
    offline_context,
    rerun,
    serve_app,
    type_into,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e

STRANGER, ADMIN_HOME = "203.0.113.7", "198.51.100.9"


def _try(page: Page, username: str, password: str) -> None:
    """Submit the sidebar's login form once and wait for the run it makes."""
    form = page.locator('[data-testid="stSidebar"] [data-testid="stForm"]')
    wait_idle(page)
    type_into(form.locator("input[type=text]"), username)
    type_into(form.locator("input[type=password]"), password)
    rerun(page, form.locator('[data-testid="stBaseButton-secondaryFormSubmit"]').click)


def test_a_stranger_guessing_at_admin_does_not_keep_the_admin_out(
        tmp_path: Path, demo_store_path: Path) -> None:
    store_path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, store_path)
    add_accounts(store_path, "admin")
    admin = USERS["admin"][0]
    traffic = Traffic()
    with serve_app(store_path, tmp_path) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        contexts = {address: offline_context(browser, traffic,
                                             viewport={"width": 1500, "height": 1300},
                                             extra_http_headers={"X-Forwarded-For": address})
                    for address in (STRANGER, ADMIN_HOME)}
        stranger = watch(contexts[STRANGER].new_page(), traffic)
        stranger.goto(url)
        for _ in range(PAIR_FREE):
            _try(stranger, admin, "guessed wrong!")
            expect(stranger.get_by_text(translate("access.failed", "cs"))).to_be_visible()
        _try(stranger, admin, PASSWORD)  # even the right password: this address must wait
        expect(stranger.get_by_text(translate("access.throttled", "cs", minutes=1))
               ).to_be_visible()

        home = watch(contexts[ADMIN_HOME].new_page(), traffic)
        home.goto(url)
        login(home, admin, PASSWORD)  # from another address the admin logs in at once
        navigate(home, "nav.admin")
        logins = home.get_by_text(translate("admin.logins", "cs"), exact=True)
        expect(logins).to_be_visible()
        for context in contexts.values():
            context.close()
        browser.close()
    assert traffic.clean(), traffic
    log = read_log(open_store(store_path))
    assert list(log["action"]).count("login_failed") == PAIR_FREE
    assert log.iloc[-1]["action"] in {"login", "view_audit"}
