"""Scale out: two ``streamlit run`` processes serve one PostGIS database, in a real browser.

A facilitator captures a pin through each process, a moderator approves them through the
first, and the second process's public map (whose data it had cached before any of it) shows
them: app processes keep no state of their own, the data version comes from the database.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from app.features.moderation.model import session_names
from app.ui.i18n import number, plural, translate
from app.ui.town import load_town
from layers.access.accounts import create_user
from layers.access.principal import Principal
from layers.access.roles import ADMIN
from layers.crs import METRIC_CRS
from layers.schema import LOCALITIES, PINS, SESSIONS
from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from tests.app.access_support import PASSWORD, USERS, role_of
from tests.app.e2e_support import (
    Traffic,
    capture_pin,
    choose,
    component_frame,
    launch_chromium,
    login,
    navigate,
    offline_context,
    rerun,
    serve_app,
    watch,
)

pytestmark = pytest.mark.e2e

TOWN = "karlovy-vary"  # the first town in the sidebar
SESSION = "karlovy-vary-mladez-nzdm"  # the facilitator's centre's tablet session (demo data)


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def db_url(pg_cluster: TemporaryCluster, demo_store: Store) -> Iterator[str]:
    """A database holding the demo store and a facilitator and a moderator account."""
    url = pg_cluster.new_database()
    store = open_store(url)
    copy_store(demo_store, store)
    for key in ("facilitator", "moderator"):
        username, centre = USERS[key]
        create_user(store, Principal("test-setup", ADMIN), username, PASSWORD, role_of(key),
                    centre=centre)
    yield url
    close_pools(url)


@pytest.fixture(scope="module")
def servers(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """URLs of two app processes on the database (no GeoPackage: the path does not exist)."""
    missing = tmp_path_factory.mktemp("none") / "absent.gpkg"
    env = {"MAPA_DB_URL": db_url}
    with serve_app(missing, tmp_path_factory.mktemp("log1"), env) as first, \
            serve_app(missing, tmp_path_factory.mktemp("log2"), env) as second:
        yield [first, second]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _open(browser: Browser, traffic: Traffic, url: str, login_as: str = "") -> Page:
    """A new browser (context) on the map page at ``url``, logged in as ``USERS[login_as]``
    if given."""
    context: BrowserContext = offline_context(browser, traffic,
                                              viewport={"width": 1500, "height": 1300})
    page = watch(context.new_page(), traffic)
    page.goto(url)
    component_frame(page)
    if login_as:
        login(page, USERS[login_as][0], PASSWORD)
    return page


def _go(page: Page, nav_key: str, heading: str) -> None:
    navigate(page, nav_key)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def _public_pins(url: str) -> int:
    town = load_town(open_store(url), TOWN)
    return len(town.pins_exact) + int(town.pin_cells["count"].sum())


def test_two_processes_write_one_database_and_see_each_others_writes(
        servers: list[str], db_url: str, browser: Browser) -> None:
    traffic = Traffic()
    store = open_store(db_url)
    pins_before = store.read(PINS)
    in_session = int((pins_before["session_id"] == SESSION).sum())
    pending = int(((pins_before["session_id"] == SESSION)
                   & (pins_before["status"] == "pending")).sum())
    public_before = _public_pins(db_url)

    # the public opens process 2's map first, so process 2 caches the town as it was
    public = _open(browser, traffic, servers[1])
    metric = public.locator('[data-testid="stMetric"]').filter(has_text=cs("map.metric.pins"))
    expect(metric).to_contain_text(number(public_before, "cs"))

    # a facilitator captures one pin through each process
    localities = store.read(LOCALITIES, TOWN)
    assert isinstance(localities, gpd.GeoDataFrame)
    targets = localities.representative_point()
    lines = []
    for server, target in zip(servers, targets.iloc[:2], strict=True):
        page = _open(browser, traffic, server, login_as="facilitator")
        # via a page without a map: the capture map could otherwise take over the map
        # page's component, and a tap aimed at the old map would land on the new one
        _go(page, "nav.sessions", cs("sessions.title", town="Karlovy Vary"))
        _go(page, "nav.capture", cs("capture.title"))
        lines.append(capture_pin(page, target.y, target.x, mine=1))
    # process 2 counts process 1's pin in the session too (an uncached read)
    assert lines[1] == cs("capture.count", mine=plural("count.pins", 1, "cs"),
                           all=plural("count.pins", in_session + 2, "cs"))

    pins = store.read(PINS)
    assert pins["pin_id"].is_unique
    new = pins[~pins["pin_id"].isin(pins_before["pin_id"])]
    assert len(new) == 2 and set(new["session_id"]) == {SESSION}
    assert set(new["category"]) == {"dark_place"} and set(new["status"]) == {"pending"}
    # one pin at each tapped place (metres, in the metric CRS), neither stored twice
    placed = new.geometry.to_crs(METRIC_CRS)
    tapped = targets.iloc[:2].to_crs(METRIC_CRS)
    assert all(placed.distance(t).min() < 5 for t in tapped), (list(placed), list(tapped))

    # a moderator approves the session's pending pins through process 1
    moderator = _open(browser, traffic, servers[0], login_as="moderator")
    _go(moderator, "nav.moderation", cs("moderation.title", town="Karlovy Vary"))
    # the session is listed by its place and date
    session_name = session_names(store.read(SESSIONS, TOWN))[SESSION]
    choose(moderator, moderator.locator('[data-testid="stMain"] [data-testid="stSelectbox"]'
                                        ).first, session_name)
    expect(moderator.get_by_text(cs("moderation.pending", n=pending + 2))).to_be_visible()
    rerun(moderator, moderator.get_by_role(
        "button", name=cs("moderation.approve_all", n=pending + 2)).click)
    expect(moderator.get_by_text(cs("moderation.none"))).to_be_visible()
    approved = store.read(PINS)
    assert set(approved[approved["pin_id"].isin(new["pin_id"])]["status"]) == {"approved"}

    # process 2's map, cached before all this, now shows what process 1 approved
    public_after = _public_pins(db_url)
    assert public_after > public_before
    public.reload()
    component_frame(public)
    expect(metric).to_contain_text(number(public_after, "cs"))
    assert traffic.blocked == [] and traffic.errors == []
