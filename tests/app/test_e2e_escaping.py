"""Names that people and files give things are text on every map, never script.

A store copy gets hostile names through the real entry points: localities and services
through ``mapa import`` (names, operators, addresses), a measure through the strategy editor
behind the Area page's form, a safety audit through the one behind the Public space form. The
served app is then opened in Chromium, offline, as the public (Map), a strategy coordinator
(Area) and an urbanist (Public space); on each map every tooltip and popup is opened as
Leaflet opens it. No payload may run (each would count up ``top.__xss`` on the page of the
logged-in user), and each must show literally.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from app.ui.i18n import translate
from layers.access.principal import Principal
from layers.access.roles import ADMIN
from layers.schema import AUDIT_ASPECTS, LOCALITIES
from layers.store import open_store
from layers.strategy.editing import add_measure, point_link
from layers.urban.audits import Audit, add_audit
from scripts.mapa import main
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import app_page, choose, component_frame, login, navigate

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
#: One payload per place a name reaches; each counts up ``top.__xss`` if it ever runs.
LOCALITY = '<img src=x onerror="top.__xss=(top.__xss||0)+1">Janov'
SERVICE = "<svg onload=top.__xss=(top.__xss||0)+1>NZDM"
OPERATOR = "`+(top.__xss=(top.__xss||0)+1)+`"
MEASURE = "${top.__xss=(top.__xss||0)+1} Lavičky</script><script>top.__xss=1</script>"
AUDIT_PLACE = "<iframe srcdoc=\"<script>top.__xss=1</script>\"></iframe>Zastávka"
#: Leaflet's own way of showing each tooltip and popup of every layer (a GeoJSON layer's
#: tooltip belongs to the group, and is made for each of its features), put into the
#: document; returns the texts shown.
OPEN_ALL = """() => {
    const texts = [];
    const show = (content) => {
        const div = document.createElement('div');
        if (typeof content === 'string') { div.innerHTML = content; }
        else if (content) { div.appendChild(content); }
        document.body.appendChild(div);
        texts.push(div.textContent);
    };
    window.map.eachLayer(layer => {
        const owners = [layer, ...Object.values(layer._eventParents || {})];
        for (const owner of owners) {
            if (owner === layer && layer.eachLayer) continue;  // a group: its features show
            for (const overlay of [owner.getTooltip && owner.getTooltip(),
                                   owner.getPopup && owner.getPopup()]) {
                if (!overlay) continue;
                const content = overlay._content;
                show(typeof content === 'function' ? content(layer) : content);
            }
        }
    });
    texts.push(document.querySelector('.leaflet-control-layers')?.textContent || '');
    return texts;
}"""
#: Ready when a layer of the live map names ``text`` (in its feature or its own tooltip).
NAMES = """(text) => window.map && Object.values(window.map._layers).some(layer =>
    Object.values((layer.feature || {}).properties || {}).concat(
        [layer.getTooltip && layer.getTooltip() && layer.getTooltip()._content])
    .some(value => typeof value === 'string' && value.includes(text)))"""
RAN = """() => [window.__xss, top.__xss,
              document.querySelectorAll('img[src=x], svg[onload], iframe[srcdoc]').length]"""


def _hostile_file(source: str, out: Path, rename: dict[str, str]) -> Path:
    """A copy of the fixture ``source`` whose first feature's properties are ``rename``d."""
    collection = json.loads((FIXTURES / source).read_text(encoding="utf-8"))
    collection["features"][0]["properties"].update(rename)
    out.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "store.gpkg"
    shutil.copy(demo_store_path, path)
    localities = _hostile_file("localities_4326.geojson", folder / "lokality.geojson",
                               {"name": LOCALITY})
    services = _hostile_file("services_osm.geojson", folder / "sluzby.geojson",
                             {"name": SERVICE, "operator": OPERATOR})
    for layer, file in (("localities", localities), ("services", services)):
        assert main(["import", layer, str(file), "--town", "litvinov",
                     "--store", str(path)]) == 0
    store = open_store(path)
    editor = Principal("t-setup", ADMIN)
    janov = store.read(LOCALITIES, "litvinov")
    place = janov[janov["name"] == LOCALITY].geometry.iloc[0].representative_point()
    add_measure(store, editor, "litvinov-pp9", "litvinov-pp9:goal:1.1.1", MEASURE,
                ["odbor dopravy"], "in_progress", "2026",
                [point_link(place.x, place.y, "Zastávka Janov")])
    add_audit(store, editor, Audit("litvinov", AUDIT_PLACE, "2026-11-30", place.x, place.y,
                                   {aspect: 3 for aspect in AUDIT_ASPECTS}), "2026-11-30T10:00")
    add_accounts(path, "strategy_coordinator", "urbanist")
    return path


@pytest.fixture()
def page(store_path: Path, tmp_path: Path) -> Iterator[Page]:
    with app_page(store_path, tmp_path) as (page, _traffic):
        yield page


def _shown_on_map(page: Page, name: str) -> tuple[Frame, list[str]]:
    """The live map frame once a layer names ``name``, and the texts of all its tooltips,
    popups and layer names."""
    frame = component_frame(page, f"() => ({NAMES})({json.dumps(name)})")
    return frame, frame.evaluate(OPEN_ALL)


def _litvinov(page: Page) -> None:
    """Choose Litvínov in the sidebar (the first town, Karlovy Vary, opens)."""
    choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first,
           "Litvínov")


def _assert_inert(page: Page, frame: Frame, texts: list[str], *names: str) -> None:
    for name in names:
        assert any(name in text for text in texts), f"{name!r} not shown literally: {texts}"
    assert frame.evaluate(RAN) == [None, None, 0]
    assert page.evaluate("() => window.__xss") is None


def _open(page: Page, role: str, nav: str) -> None:
    login(page, USERS[role][0], PASSWORD)
    navigate(page, nav)


def test_public_map_shows_hostile_names_as_text(page: Page) -> None:
    _litvinov(page)
    frame, texts = _shown_on_map(page, "Janov")
    _assert_inert(page, frame, texts, LOCALITY, SERVICE, OPERATOR)


def test_area_map_shows_hostile_names_as_text(page: Page) -> None:
    _litvinov(page)
    _shown_on_map(page, "Janov")
    _open(page, "strategy_coordinator", "nav.area")
    page.locator("h1", has_text=translate("area.title", "cs", area="Litvínov")).wait_for()
    frame, texts = _shown_on_map(page, "Lavičky")
    _assert_inert(page, frame, texts, LOCALITY, MEASURE)


def test_public_space_map_shows_hostile_names_as_text(page: Page) -> None:
    _litvinov(page)
    _shown_on_map(page, "Janov")
    _open(page, "urbanist", "nav.urban")
    page.locator("h1").filter(has_text=translate("urban.title", "cs", town="Litvínov")).wait_for()
    frame, texts = _shown_on_map(page, "Zastávka")
    _assert_inert(page, frame, texts, LOCALITY, SERVICE, AUDIT_PLACE)
