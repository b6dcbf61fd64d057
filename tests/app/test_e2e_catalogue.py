"""The Catalogue page end to end in a real browser, offline, in Czech: a keyword without
diacritics finds the NZDM entries; children and youth + Litvínov + within 1 km of Janov give
the expected list on the list and on the map; a detail card shows the linked measures. And
the Data page imports a register fixture, then a newer edition, without duplicates, listing
the services without a position."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Locator, Page, expect

from app.ui.i18n import translate
from layers.catalogue.entries import read_entries
from layers.catalogue.search import Query, search_catalogue
from layers.schema import LOCALITIES
from layers.store import open_store
from layers.vocabulary import TARGET_GROUP
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    MAP_TOOLTIPS,
    Traffic,
    app_page,
    choose,
    component_frame,
    login,
    navigate,
    rerun,
)

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"
CODELISTS = [FIXTURES / "druhy-socialni-sluzby.json", FIXTURES / "cilove-skupiny.json",
             FIXTURES / "formy-socialni-sluzby.json"]


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "admin")
    return path


@pytest.fixture(scope="module")
def catalogue_page(store_path: Path, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[tuple[Page, Traffic]]:
    with app_page(store_path, tmp_path_factory.mktemp("log")) as (page, traffic):
        component_frame(page)
        choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first,
               "Litvínov")
        navigate(page, "nav.catalogue")
        expect(page.locator("h1", has_text=cs("catalogue.title", town="Litvínov"))
               ).to_be_visible()
        yield page, traffic


def _select(page: Page, label_key: str) -> Locator:
    return page.locator('[data-testid="stSelectbox"]').filter(has_text=cs(label_key))


def _listed(page: Page) -> list[str]:
    """The names in the results table (its index column), once the app is idle."""
    component_frame(page)
    rows = page.locator('.st-key-catalogue-results [data-testid="stTable"] tbody tr th')
    return [text.strip() for text in rows.all_inner_texts()]


def test_keyword_without_diacritics_finds_the_nzdm_entries(
        catalogue_page: tuple[Page, Traffic], store_path: Path) -> None:
    page, traffic = catalogue_page
    query = page.get_by_label(cs("catalogue.query"))
    rerun(page, lambda: (query.fill("nizkoprahove"), query.press("Enter")))
    expect(page.get_by_text(cs("catalogue.found", count=2))).to_be_visible()
    assert sorted(_listed(page)) == ["Nízkoprahový klub pro děti a mládež",
                                     "Terénní program NZDM – sídliště Janov"]
    rerun(page, lambda: (query.fill(""), query.press("Enter")))
    assert traffic.clean(), traffic


def test_children_in_litvinov_within_1_km_of_janov_on_list_and_map(
        catalogue_page: tuple[Page, Traffic], store_path: Path) -> None:
    page, traffic = catalogue_page
    store = open_store(store_path)
    janov = store.read(LOCALITIES, "litvinov").set_index("name").geometry["Janov"]
    expected = search_catalogue(store, Query(town_id="litvinov",
                                             target_group="children_youth", near=janov,
                                             distance_m=1000))
    assert 3 <= len(expected) < len(search_catalogue(store, Query(town_id="litvinov")))
    choose(page, _select(page, "catalogue.target"), TARGET_GROUP.label("children_youth", "cs"))
    choose(page, _select(page, "catalogue.near"), cs("catalogue.near.locality", name="Janov"))
    expect(page.get_by_text(cs("catalogue.found", count=len(expected)))).to_be_visible()
    assert _listed(page) == list(expected["name"])
    tips = {html.unescape(re.sub(r"<[^>]+>", "", tip)).strip()
            for tip in component_frame(page).evaluate(MAP_TOOLTIPS)}
    everything = set(search_catalogue(store, Query(town_id="litvinov"))["name"])
    assert tips & everything == set(expected.loc[expected["positioned"], "name"])
    assert cs("catalogue.near.locality", name="Janov") in tips
    assert traffic.clean(), traffic


def test_detail_card_shows_the_linked_measures(catalogue_page: tuple[Page, Traffic]) -> None:
    page, traffic = catalogue_page
    choose(page, _select(page, "catalogue.card"), "Sousedský dům Libuše (MY Litvínov)")
    card = page.locator(".st-key-catalogue-card")
    expect(card).to_contain_text("Sousedský dům Libuše (MY Litvínov)")
    expect(card).to_contain_text(cs("catalogue.card.measures"))
    expect(card).to_contain_text("zapojení dětí do aktualizace mapy")
    expect(card).to_contain_text("spolek MY Litvínov")
    assert traffic.clean(), traffic


def test_register_import_adds_then_updates_without_duplicates(
        catalogue_page: tuple[Page, Traffic], store_path: Path) -> None:
    page, traffic = catalogue_page
    login(page, USERS["admin"][0], PASSWORD)
    navigate(page, "nav.data")
    section = page.locator(".st-key-data-register")
    expect(section).to_contain_text(cs("data.register"))
    inputs = section.locator('[data-testid="stFileUploaderDropzoneInput"]')
    rerun(page, lambda: inputs.nth(1).set_input_files([str(p) for p in CODELISTS]))
    for edition, done in (("rpss_2025-01.json", cs("data.register.done", added=4, updated=0,
                                                   unchanged=0, withdrawn=0)),
                          ("rpss_2025-02.json", cs("data.register.done", added=1, updated=1,
                                                   unchanged=2, withdrawn=1))):
        rerun(page, lambda e=edition: inputs.nth(0).set_input_files(str(FIXTURES / e)))
        rerun(page, section.get_by_role("button", name=cs("data.register.run")).click)
        expect(section.get_by_text(done)).to_be_visible()
        expect(section.get_by_text(cs("data.register.unplaced", count=4))).to_be_visible()
        expect(section.locator('[data-testid="stTable"]')).to_contain_text(
            "Rodina v pohodě Litvínov")
    expect(section).to_contain_text(cs("data.register.updated", id="rpss-1111111",
                                       fields="capacity, phone"))
    entries = read_entries(open_store(store_path))
    register = entries[entries["origin"] == "register"]
    assert register["service_id"].is_unique and len(register) == 5
    # the imported entries are in Litvínov's catalogue at once, found by search without a
    # position (the register covers the region; each town's catalogue lists its own services)
    page.goto(urljoin(page.url, "/catalogue?mesto=litvinov"))
    expect(page.locator("h1", has_text=cs("catalogue.title", town="Litvínov"))).to_be_visible()
    component_frame(page)
    query = page.get_by_label(cs("catalogue.query"))
    rerun(page, lambda: (query.fill("Rodina v pohodě"), query.press("Enter")))
    expect(page.locator(".st-key-catalogue-results")).to_contain_text(
        cs("catalogue.no_position"))
    assert traffic.clean(), traffic
