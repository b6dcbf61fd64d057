"""Patrol planning and public space end to end in a real browser, offline: a city police
officer plans a round for Janov and downloads its GPX (read back with gpxpy); an urbanist
opens the Public space page, sees white spots on the map and places a safety audit by a
click on the map."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import gpxpy
import pytest
import shapely
from playwright.sync_api import Page, expect

from app.ui.i18n import translate
from layers.access.audit import read_log
from layers.crs import METRIC_CRS, to_metric, to_storage
from layers.schema import SERVICES, TOWNS
from layers.store import open_store
from layers.urban.accessibility import town_accessibility
from layers.urban.audits import load_audits
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    DOWNLOAD_TIMEOUT_MS,
    MAP_TOOLTIPS,
    app_page,
    choose,
    click_map,
    component_frame,
    login,
    navigate,
    rerun,
    type_into,
    wait_idle,
)

pytestmark = pytest.mark.e2e


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("patrol") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "police", "urbanist")
    return path


def _open(page: Page, role: str, nav: str) -> None:
    """Log in as ``role`` from the public map, then follow the navigation to ``nav``."""
    component_frame(page)
    login(page, USERS[role][0], PASSWORD)
    navigate(page, nav)


def _map_tips(page: Page, ready: Callable[[list[str]], bool]) -> list[str]:
    """The tooltips of the live map, once the app is idle with its map drawn; ``ready`` must
    hold for them."""
    tips: list[str] = component_frame(page).evaluate(MAP_TOOLTIPS)
    assert ready(tips), f"the map does not show what was expected: {tips}"
    return tips


def test_police_plans_a_round_for_janov_and_downloads_the_gpx(
        store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with app_page(store_path, tmp_path_factory.mktemp("log"),
                  accept_downloads=True) as (page, traffic):
        _open(page, "police", "nav.patrol")
        expect(page.locator("h1", has_text=cs("patrol.title", area=""))).to_be_visible()
        sidebar_town = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
        choose(page, sidebar_town.first, "Litvínov")
        expect(page.locator("h1", has_text=cs("patrol.title", area="Litvínov"))).to_be_visible()
        locality = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
        choose(page, locality, "Janov")
        expect(page.locator("h1", has_text=cs("patrol.title", area="Litvínov – Janov"))
               ).to_be_visible()
        # each numbered place named by its address, stop or part of town, then its window
        numbered = re.compile(r"(^|>)\s*\d+\. [^·<]*[^\W\d][^·<]* · (\d\d:\d\d|–)")
        _map_tips(page, lambda tips: sum(bool(numbered.search(t)) for t in tips) == 6)
        expect(page.get_by_text(cs("patrol.table"))).to_be_visible()

        wait_idle(page)
        with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download:
            page.get_by_role("button", name=cs("patrol.download.gpx")).click()
        assert download.value.suggested_filename == "hlidka-litvinov-litvinov-1.gpx"
        gpx = gpxpy.parse(Path(download.value.path()).read_text(encoding="utf-8"))
        assert [w.name.split(".")[0] for w in gpx.waypoints if w.name] == \
            ["1", "2", "3", "4", "5", "6"]
        janov = open_store(store_path).read("localities", "litvinov")
        area = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0]
        for waypoint in gpx.waypoints:  # places of Janov (within a cell of its edge)
            point = shapely.Point(waypoint.longitude, waypoint.latitude)
            assert area.distance(point) < 0.002
        points = [p for t in gpx.tracks for s in t.segments for p in s.points]
        assert len(points) >= 7 and gpx.length_2d() > 500
        assert points[0].latitude == pytest.approx(points[-1].latitude)
        assert traffic.blocked == [] and traffic.errors == []


def test_urbanist_sees_white_spots_and_places_an_audit_by_a_click(
        store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with app_page(store_path, tmp_path_factory.mktemp("log")) as (page, traffic):
        _open(page, "urbanist", "nav.urban")
        expect(page.locator("h1", has_text=cs("urban.title", town=""))).to_be_visible()
        sidebar_town = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
        choose(page, sidebar_town.first, "Litvínov")
        expect(page.locator("h1", has_text=cs("urban.title", town="Litvínov"))).to_be_visible()
        count = len(town_accessibility(open_store(store_path), "litvinov", 500).white_spots)
        assert count > 0
        wait_idle(page)
        metric = page.locator('[data-testid="stMetric"]').filter(
            has_text=cs("urban.white.count")).first
        expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(str(count))
        white = cs("urban.map.white")
        _map_tips(page, lambda tips: sum(white in tip for tip in tips) == count)

        # a place away from the services' badges (a badge takes the click for itself)
        store = open_store(store_path)
        towns = to_metric(store.read(TOWNS, "litvinov"))
        services = to_metric(store.read(SERVICES, "litvinov"))
        spot = to_storage(gpd.GeoDataFrame(geometry=[towns.geometry.iloc[0].difference(
            services.geometry.buffer(250).union_all()).representative_point()],
            crs=METRIC_CRS)).geometry.iloc[0]
        place = page.get_by_role("combobox", name=cs("urban.audit.place"), exact=True)
        prefix = cs("urban.audit.clicked", place="").split(" (")[0]
        clicked = re.compile("^" + re.escape(prefix))
        click_map(page, spot.y, spot.x)
        expect(place).to_have_value(clicked)
        _map_tips(page, lambda tips: any(cs("urban.map.chosen") in tip for tip in tips))
        wait_idle(page)
        form = page.locator('[data-testid="stForm"]').filter(
            has=page.get_by_role("button", name=cs("urban.audit.submit"), exact=True))
        type_into(form.get_by_label(cs("urban.audit.label"), exact=True), "Roh u kliknutí")
        rerun(page, form.get_by_role("button", name=cs("urban.audit.submit"), exact=True).click)
        expect(page.get_by_text(cs("urban.audit.done"))).to_be_visible()
        audits = load_audits(open_store(store_path), "litvinov")
        assert list(audits["place_label"]) == ["Roh u kliknutí"]
        assert audits["auditor_role"].item() == "urbanist"
        # the clicked pixel is the spot within a few metres at zoom 16
        assert audits.geometry.iloc[0].distance(spot) < 1e-4
        log = read_log(open_store(store_path))
        assert "add_safety_audit" in set(log.loc[log["username"] == USERS["urbanist"][0],
                                                 "action"])
        assert traffic.blocked == [] and traffic.errors == []
