"""A community-centre session end to end in a real browser, offline.

Create a session, place three pins by tapping the kiosk map and answering the pictograms,
see them pending in moderation, approve them, and find them on the public map.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.features.moderation.model import session_names
from app.ui.i18n import number, translate
from app.ui.town import load_town
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    Traffic,
    app_page,
    capture_pin,
    choose,
    component_frame,
    login,
    navigate,
    rerun,
    type_into,
)

pytestmark = pytest.mark.e2e


#: The labels of the moderation map's pending pins, cut after their number.
_PENDING = """() => {
    const found = [];
    window.map.eachLayer(layer => {
        const p = layer.feature && layer.feature.properties;
        if (p && p.kind === "pending") found.push(p.label.split(" ")[0] + " ");
    });
    return found;
}"""


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("mapping") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "admin")
    return path


@pytest.fixture(scope="module")
def session_page(store_path: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Page, Traffic]]:
    with app_page(store_path, tmp_path_factory.mktemp("log"), "") as opened:
        component_frame(opened[0])
        login(opened[0], USERS["admin"][0], PASSWORD)  # one person in every role
        yield opened


def _public_pin_count(store_path: Path, town_id: str) -> int:
    town = load_town(open_store(store_path), town_id)
    return len(town.pins_exact) + int(town.pin_cells["count"].sum())


def test_session_capture_moderation_and_public_map(session_page, store_path: Path) -> None:
    page, traffic = session_page
    town_id = "karlovy-vary"  # the first town in the sidebar
    before = _public_pin_count(store_path, town_id)

    # 1. a facilitator creates the session
    navigate(page, "nav.sessions")
    page.get_by_text(cs("sessions.new")).click()
    type_into(page.get_by_label(cs("sessions.place")), "NZDM Rybáře")
    type_into(page.get_by_label(cs("sessions.organiser")), "NZDM Rybáře")
    rerun(page, page.get_by_role("button", name=cs("sessions.create")).click)
    created = page.get_by_text(re.compile(r"Setkání (karlovy-vary-[0-9a-f]{8}) bylo založeno"))
    expect(created).to_be_visible()
    session_id = re.search(r"karlovy-vary-[0-9a-f]{8}", created.inner_text()).group(0)

    # 2. three children tap the kiosk map and answer with pictograms
    navigate(page, "nav.capture")
    expect(page.get_by_role("heading", name=cs("capture.title"))).to_be_visible()
    targets = open_store(store_path).read("localities", town_id).representative_point()
    for index, target in enumerate(targets.iloc[:3], start=1):
        capture_pin(page, target.y, target.x, mine=index)

    pins = open_store(store_path).read("pins", town_id)
    mine = pins[pins["session_id"] == session_id]
    assert len(mine) == 3 and set(mine["status"]) == {"pending"}
    assert set(mine["category"]) == {"dark_place"} and set(mine["time_of_day"]) == {"evening"}
    assert len(set(zip(mine.geometry.x, mine.geometry.y, strict=True))) == 3  # three places

    # 3. a moderator sees them pending and approves them
    navigate(page, "nav.moderation")
    expect(page.get_by_role("heading", name=cs("moderation.title", town="Karlovy Vary")))\
        .to_be_visible()
    names = session_names(open_store(store_path).read("sessions", town_id))
    choose(page, page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first,
           names[session_id])
    expect(page.get_by_text(cs("moderation.pending", n=3))).to_be_visible()
    # the pending pins on the map beside the list, numbered as in the list
    assert sorted(component_frame(page).evaluate(_PENDING)) == ["1. ", "2. ", "3. "]
    rerun(page, page.get_by_role("button", name=cs("moderation.approve_all", n=3)).click)
    expect(page.get_by_text(cs("moderation.none"))).to_be_visible()
    pins = open_store(store_path).read("pins", town_id)
    assert set(pins[pins["session_id"] == session_id]["status"]) == {"approved"}

    # 4. the public map now counts them
    navigate(page, "nav.map")
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=cs("map.metric.pins"))
    expect(metric).to_contain_text(number(before + 3, "cs"))
    assert traffic.blocked == []
    assert traffic.errors == []
