"""The Data page end to end in a real browser, offline: upload a localities GeoJSON, see the
preview (problems and features on a map), commit, find the locality on the Map page's map,
undo the batch, and find it gone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from app.ui.i18n import translate
from layers.ingest.templates import template_bytes, template_name
from layers.store import open_store
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    DOWNLOAD_TIMEOUT_MS,
    Traffic,
    app_page,
    choose,
    component_frame,
    login,
    navigate,
    rerun,
)

pytestmark = pytest.mark.e2e
FILE = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "localities_4326.geojson"
NAME = "Janov – sídliště"

_NAMES = """kind => {
    const names = [];
    window.map.eachLayer(layer => {
        const p = layer.feature && layer.feature.properties;
        if (p && p.kind === kind) names.push(p.name || p.label);
    });
    return names;
}"""


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path) -> Path:
    path = tmp_path_factory.mktemp("data") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "admin")
    return path


@pytest.fixture(scope="module")
def data_page(store_path: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Page, Traffic]]:
    with app_page(store_path, tmp_path_factory.mktemp("log")) as (page, traffic):
        component_frame(page)
        login(page, USERS["admin"][0], PASSWORD)
        yield page, traffic


def _open(page: Page, nav_key: str, shown: Locator) -> None:
    """Follow the sidebar link ``nav_key`` and see ``shown``."""
    navigate(page, nav_key)
    expect(shown.first).to_be_visible()


def _map_names(page: Page, kind: str) -> list[str]:
    """Names of the live map's features of ``kind``, once the app is idle with its map drawn."""
    frame: Frame = component_frame(page)
    names: list[str] = frame.evaluate(_NAMES, kind)
    return names


def test_upload_preview_commit_map_and_undo(data_page: tuple[Page, Traffic],
                                            store_path: Path) -> None:
    page, traffic = data_page
    _open(page, "nav.data", page.locator("h1", has_text=cs("data.title", town="")))
    title = page.locator("h1", has_text=cs("data.title", town="Litvínov"))
    choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first,
           "Litvínov")
    expect(title).to_be_visible()

    # upload and preview (the kind defaults to localities)
    # the first uploader is the layer upload (the register's come below it)
    rerun(page, lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
          .set_input_files(str(FILE)))
    expect(page.get_by_role("button", name=f"Remove {FILE.name}")).to_be_visible()
    rerun(page, page.get_by_role("button", name=cs("data.check")).click)
    expect(page.get_by_text(cs("data.preview", name=FILE.name))).to_be_visible()
    problems = page.locator('[data-testid="stTable"]')
    expect(problems).to_contain_text("feature 3")
    expect(problems).to_contain_text("outside the boundary of litvinov")
    assert sorted(_map_names(page, "preview")) == sorted([NAME, "Šířava"])
    assert "import_batches" not in open_store(store_path).layer_names()

    # commit: one batch, the localities on the Map page
    rerun(page, page.get_by_role("button", name=cs("data.commit")).click)
    expect(page.get_by_text("Uloženo jako dávka")).to_be_visible()
    batches = open_store(store_path).read("import_batches")
    assert list(batches["status"]) == ["committed"] and list(batches["added"]) == [2]
    _open(page, "nav.map", page.locator("h1", has_text=cs("map.title", town="Litvínov")))
    assert NAME in _map_names(page, "locality")

    # undo on the Data page: gone from the store and from the map
    _open(page, "nav.data", title)
    rerun(page, page.get_by_role("button", name=cs("data.undo")).click)
    removes = cs("data.undo.count", layer="Sociálně vyloučené lokality", count=2)
    expect(page.get_by_text(removes)).to_be_visible()
    rerun(page, page.get_by_role("button", name=cs("data.undo.yes")).click)
    expect(page.get_by_text("vrácena zpět").first).to_be_visible()
    assert list(open_store(store_path).read("import_batches")["status"]) == ["undone"]
    _open(page, "nav.map", page.locator("h1", has_text=cs("map.title", town="Litvínov")))
    names = _map_names(page, "locality")
    assert NAME not in names and "Janov" in names
    assert traffic.blocked == [] and traffic.errors == []


def test_template_download_and_an_import_with_czech_values(
        data_page: tuple[Page, Traffic], store_path: Path, tmp_path: Path) -> None:
    page, traffic = data_page
    _open(page, "nav.data", page.locator("h1", has_text=cs("data.title", town="Litvínov")))
    choose(page, page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first,
           cs("data.kind.services"))

    # the template: Czech headers and the example row, as the importer reads them
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download:
        page.get_by_role("button", name=cs("data.template.csv")).click()
    saved = download.value.path()
    assert download.value.suggested_filename == template_name("services", "csv")
    assert saved.read_bytes() == template_bytes("services", "csv")

    # filled in as people write it: service types in words, decimal commas
    filled = tmp_path / "sluzby.csv"
    filled.write_text("název;typ;zeměpisná šířka;zeměpisná délka\n"
                      "Klub Ulice;NZDM;50,6085;13,6310\n"
                      "Klub Kotelna;nízkoprahové zařízení;50,6090;13,6320\n"
                      "KC Janov;komunitní centrum;50,6095;13,6330\n"
                      "Kavárna U Nádraží;kavárna;50,6100;13,6340\n", encoding="utf-8")
    rerun(page, lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
          .set_input_files(str(filled)))
    rerun(page, page.get_by_role("button", name=cs("data.check")).click)
    problems = page.locator('[data-testid="stTable"]')
    expect(problems).to_contain_text("line 5")
    expect(problems).to_contain_text("'kavárna'")
    expect(problems).to_contain_text("Komunitní centrum (community_centre)")
    rerun(page, page.get_by_role("button", name=cs("data.commit")).click)
    expect(page.get_by_text("Uloženo jako dávka")).to_be_visible()
    services = open_store(store_path).read("services", "litvinov").set_index("name")
    assert services.loc[["Klub Ulice", "Klub Kotelna", "KC Janov"], "service_type"].tolist() == [
        "nzdm", "nzdm", "community_centre"]
    assert "Kavárna U Nádraží" not in services.index
    assert traffic.blocked == [] and traffic.errors == []
