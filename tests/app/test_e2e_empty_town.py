"""The folium maps of every page for towns made with ``mapa import town`` (a town with no
layer but its boundary, and one with an approved feeling map only), in a real headless
Chromium, offline: each map is drawn by Leaflet with the town's boundary, no script error,
and the page names the missing layers in Czech.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.ui.i18n import translate
from app.ui.missing import missing_text
from app.ui.town import load_town
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    Traffic,
    app_page,
    choose,
    component_frame,
    login,
    navigate,
    rerun,
)
from tests.app.empty_town_support import TOWNS, make_empty_towns
from tests.app.test_empty_town import NEEDS

pytestmark = pytest.mark.e2e

#: Inside the map's frame: Leaflet drew the map and at least one vector path (the boundary).
_DRAWN = ("() => window.map && window.map._loaded"
          " && document.querySelectorAll('path.leaflet-interactive, svg path').length > 0")


@pytest.fixture(scope="module")
def store_path(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_empty_towns(demo_store_path, tmp_path_factory.mktemp("towns"))
    add_accounts(path, "admin")
    return path


def _town(page: Page, town_id: str) -> None:
    sidebar_town = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    choose(page, sidebar_town.first, TOWNS[town_id][1])


def _map_with_note(page: Page, traffic: Traffic, store_path: Path, feature: str,
                   town_id: str) -> None:
    """The page's live map is drawn and the note names the missing layers; no page error."""
    component_frame(page, _DRAWN)
    note = missing_text(load_town(open_store(store_path), town_id), NEEDS[feature], "cs")
    assert note is not None
    expect(page.get_by_text(note)).to_be_visible()
    assert traffic.errors == [], traffic.errors
    assert traffic.blocked == [], traffic.blocked


def test_maps_of_a_town_with_nothing_but_its_boundary(
        store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with app_page(store_path, tmp_path_factory.mktemp("log")) as (page, traffic):
        component_frame(page)  # the public map of the first town
        _town(page, "ostrov")
        _map_with_note(page, traffic, store_path, "map", "ostrov")
        login(page, USERS["admin"][0], PASSWORD)
        for feature, nav in (("area", "nav.area"), ("public_space", "nav.urban")):
            navigate(page, nav)
            _map_with_note(page, traffic, store_path, feature, "ostrov")
        navigate(page, "nav.data")
        rerun(page, page.get_by_text(translate("data.draw", "cs")).click)
        _map_with_note(page, traffic, store_path, "data", "ostrov")


def test_maps_of_a_town_with_a_feeling_map_only(
        store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with app_page(store_path, tmp_path_factory.mktemp("log")) as (page, traffic):
        component_frame(page)
        _town(page, "sokolov")
        _map_with_note(page, traffic, store_path, "map", "sokolov")
        navigate(page, "nav.hotspots")
        _map_with_note(page, traffic, store_path, "hotspots", "sokolov")
        login(page, USERS["admin"][0], PASSWORD)
        for feature, nav in (("patrol", "nav.patrol"), ("public_space", "nav.urban"),
                             ("area", "nav.area")):
            navigate(page, nav)
            _map_with_note(page, traffic, store_path, feature, "sokolov")
