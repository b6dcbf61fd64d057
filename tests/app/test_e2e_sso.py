"""Single sign-on end to end: a local OpenID Connect provider (``oidc-provider-mock``, started
here on a free port), the app served by ``streamlit run app/server.py`` with the ``[auth]``
secrets pointing at it, and a real headless Chromium that signs in on the provider's form.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Page, expect, sync_playwright

from app.ui.i18n import translate
from layers.access.audit import stored_log
from layers.store import open_store
from tests.app.e2e_support import (
    Traffic,
    free_port,
    launch_chromium,
    offline_context,
    serve_app,
    wait_idle,
    watch,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The URL of a local OpenID Connect provider that signs in whatever subject is typed."""
    with run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed(provider: str, demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Page, Traffic, str, Path]]:
    """A page of the app served with sign-on configured against ``provider``, its traffic,
    the app's URL and its store."""
    folder = tmp_path_factory.mktemp("sso")
    store_path = folder / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-secret-that-is-long-enough"\n'
        'client_id = "mapa"\nclient_secret = "mapa-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    traffic = Traffic()
    with serve_app(store_path, folder, secrets=secrets, port=port) as url, \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = offline_context(browser, traffic, viewport={"width": 1400, "height": 1000})
        page = watch(context.new_page(), traffic)
        page.goto(url)
        yield page, traffic, url, store_path
        context.close()
        browser.close()


def _sign_in(page: Page, provider: str, subject: str) -> None:
    """Click the sidebar's sign-on button and authorise ``subject`` on the provider's form;
    wait until the app is back and idle."""
    wait_idle(page)
    with page.expect_navigation(url=lambda url: url.startswith(provider)):
        page.get_by_role("button", name=translate("access.sso", "cs")).click()
    page.locator("input[name=sub]").fill(subject)
    with page.expect_navigation(url=lambda url: not url.startswith(provider)
                                and "oauth2callback" not in url):
        page.get_by_role("button", name="Authorize").click()
    wait_idle(page)


def test_a_directory_role_logs_in_as_staff_and_logout_ends_both(
        signed: tuple[Page, Traffic, str, Path], provider: str) -> None:
    page, traffic, _, store_path = signed
    sidebar = page.locator('[data-testid="stSidebar"]')
    moderation = sidebar.locator('[data-testid="stSidebarNav"]').get_by_text(
        translate("nav.moderation", "cs"), exact=True)
    expect(moderation).to_have_count(0)
    httpx.put(f"{provider}/users/anna", json={
        "email": "anna@mesto.example", "mapa_role": ["skupina-ostatni", "moderator"]},
    ).raise_for_status()
    _sign_in(page, provider, "anna")
    expect(sidebar.get_by_text("anna@mesto.example", exact=False).first).to_be_visible()
    expect(sidebar.get_by_text(translate("role.moderator", "cs"), exact=False).first
           ).to_be_visible()
    expect(moderation).to_be_visible()
    # the sign-in survives a reload (Streamlit's signed identity cookie)
    page.reload()
    wait_idle(page)
    expect(moderation).to_be_visible()
    log = stored_log(open_store(store_path))
    logins = log[(log["action"] == "login") & (log["username"] == "sso:anna@mesto.example")]
    assert len(logins) == 1  # the reload is no new login
    assert json.loads(logins["detail"].iloc[0]) == {"via": "oidc"}
    assert logins["role"].iloc[0] == "moderator"

    # logout: the app forgets the person and the provider is asked to end its session
    with page.expect_navigation(url=lambda url: url.startswith(provider)):
        sidebar.get_by_role("button", name=translate("access.logout", "cs")).click()
    with page.expect_navigation(url=lambda url: not url.startswith(provider)):
        page.get_by_role("button", name="End session").click()
    wait_idle(page)
    expect(page.get_by_role("button", name=translate("access.sso", "cs"))).to_be_visible()
    expect(moderation).to_have_count(0)
    assert traffic.errors == []


def test_a_person_without_a_role_stays_public_and_is_told_so(
        signed: tuple[Page, Traffic, str, Path], provider: str) -> None:
    page, traffic, _, store_path = signed
    httpx.put(f"{provider}/users/petr", json={"email": "petr@mesto.example"}
              ).raise_for_status()
    _sign_in(page, provider, "petr")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(translate("access.sso.no_role", "cs",
                                         user="petr@mesto.example"))).to_be_visible()
    expect(sidebar.locator('[data-testid="stSidebarNav"]').get_by_text(
        translate("nav.moderation", "cs"), exact=True)).to_have_count(0)
    log = stored_log(open_store(store_path))
    assert (log[log["username"] == "sso:petr@mesto.example"]["action"] == "login_no_role"
            ).sum() == 1
    assert traffic.errors == []
