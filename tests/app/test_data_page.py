"""The Data page in Streamlit's AppTest: sources with licences, the batches of the town and
undo (the upload → preview → commit path runs in the browser, tests/app/test_e2e_data.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from app.ui.i18n import translate
from layers.ingest.batches import run_import
from layers.schema import AUDIT_LOG, SERVICES
from layers.store import Store, open_store
from tests.app.access_support import login_as

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def store(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    return open_store(path)


def _opened(store: Store) -> AppTest:
    at = login_as(AppTest.from_file(MAIN, default_timeout=60), Path(store.location), "admin")
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    at.run()
    at.switch_page(page_script("data"))
    return at.run()


def test_sources_and_no_batches_yet(store: Store) -> None:
    at = _opened(store)
    assert not at.exception
    assert at.title[0].value == translate("data.title", "cs", town="Litvínov")
    sources = at.dataframe[0].value
    assert "Licence" in sources.columns and "CC BY 4.0" in set(sources["Licence"])
    assert translate("data.no_batches", "cs") in [c.value for c in at.caption]


def test_a_batch_is_listed_and_undone_from_the_page(store: Store) -> None:
    done = run_import(store, "services", FIXTURES / "services_osm.geojson",
                      town_id="litvinov", licence="ODbL")
    at = _opened(store)
    batches = at.dataframe[1].value
    assert list(batches["Dávka"]) == [done.batch_id] and list(batches["Stav"]) == ["uloženo"]
    sources = at.dataframe[0].value
    assert "ODbL" in set(sources["Licence"])
    # the undo asks first and says what goes, per layer; "no" keeps everything
    at.button(key="data_undo").click().run()
    assert not at.exception
    assert any(translate("data.undo.confirm", "cs", name="services_osm.geojson") == w.value
               for w in at.warning)
    listed = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert listed == [f"- Služby: {done.report.added['services']}\n"
                      f"- Štítky služeb (OpenStreetMap): {done.report.added['service_tags']}"]
    at.button(key="data_undo_no").click().run()
    assert not at.warning and list(at.dataframe[1].value["Stav"]) == ["uloženo"]
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_yes").click().run()
    assert not at.exception
    assert any(done.batch_id in s.value and "vrácena zpět" in s.value for s in at.success)
    assert list(at.dataframe[1].value["Stav"]) == ["vráceno zpět"]
    assert not store.read(SERVICES, "litvinov")["service_id"].str.startswith(
        done.batch_id).any()
    log = store.read(AUDIT_LOG)
    assert list(log[log["action"] == "undo_import"]["object_ids"]) == [f'["{done.batch_id}"]']
