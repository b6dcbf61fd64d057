"""Towns as tenants in the app (AppTest): a facilitator of Kraslice is offered Kraslice only,
sees Kraslice's sessions, and the sessions page of Litvínov refuses it even when asked for
directly; public pages show every town to the public."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from app.ui.access import PRINCIPAL_KEY
from app.ui.i18n import translate
from layers.access import accounts
from layers.access.principal import Principal
from layers.store import open_store
from tests.app.access_support import PASSWORD

APP = Path(__file__).resolve().parents[2] / "app"
CENTRE = "terénní pracovníci"


@pytest.fixture
def kraslice_facilitator(tmp_path: Path, demo_store_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> Principal:
    """A store copy with a facilitator of Kraslice's centre, logged in as its account says."""
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    store = open_store(path)
    accounts.create_user(store, Principal("test-setup", "admin"), "k-fac", PASSWORD,
                         "facilitator", CENTRE, scope=accounts.resolve_scope(store, ["kraslice"]))
    found = accounts.principal_of(store, "k-fac")
    assert found is not None and found.towns == frozenset({"kraslice"})
    return found


def _sessions_page(principal: Principal | None, town: str) -> AppTest:
    at = AppTest.from_file(str(APP / "main.py"), default_timeout=60)
    at.session_state["town_id"] = town
    if principal is not None:
        at.session_state[PRINCIPAL_KEY] = principal
    return at


def test_a_kraslice_facilitator_cannot_see_litvinovs_sessions(
        kraslice_facilitator: Principal) -> None:
    # asked for Litvínov (a bookmark): the picker offers Kraslice alone and the page shows it
    at = _sessions_page(kraslice_facilitator, "litvinov").run()
    at.switch_page(page_script("sessions"))
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="town_id").options == ["Kraslice"]
    assert at.session_state["town_id"] == "kraslice"
    shown = set(at.dataframe[0].value["session_id"])
    assert shown == {"kraslice-deti-nzdm"}
    assert not any(s.startswith("litvinov") for s in shown)


def test_the_sessions_page_run_directly_for_litvinov_refuses_it(
        kraslice_facilitator: Principal) -> None:
    """Without the sidebar (a direct run of the page), the page's own gate takes the town."""
    at = AppTest.from_file(str(APP / page_script("sessions")), default_timeout=60)
    at.session_state["town_id"] = "litvinov"
    at.session_state[PRINCIPAL_KEY] = kraslice_facilitator
    at.run()
    assert [e.value for e in at.error] == [translate("access.other_town", "cs",
                                                     town="Litvínov")]
    assert not at.dataframe


def test_the_public_is_offered_every_town(kraslice_facilitator: Principal) -> None:
    at = _sessions_page(None, "litvinov").run()
    assert not at.exception, at.exception
    assert sorted(at.sidebar.selectbox(key="town_id").options) == ["Karlovy Vary", "Kraslice",
                                                                   "Litvínov"]
    assert at.session_state["town_id"] == "litvinov"


def _store_path() -> Path:
    return Path(os.environ["MAPA_STORE"])


def _admin_page(principal: Principal) -> AppTest:
    at = _sessions_page(principal, "kraslice").run()
    at.switch_page(page_script("admin"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_admin_page_gives_an_account_a_region(kraslice_facilitator: Principal) -> None:
    store = open_store(_store_path())
    accounts.create_user(store, Principal("test-setup", "admin"), "boss", PASSWORD, "admin")
    boss = accounts.principal_of(store, "boss")
    assert boss is not None and boss.towns is None
    at = _admin_page(boss)
    reach = translate("admin.col.reach", "cs")
    table = at.dataframe[0].value
    assert table.set_index(translate("admin.col.username", "cs")).loc["k-fac", reach] == "Kraslice"
    at.selectbox(key="admin_towns_user").set_value("k-fac").run()
    # the fields start from the account's present towns
    assert at.multiselect(key="admin_towns_towns_k-fac").value == ["kraslice"]
    at.multiselect(key="admin_towns_towns_k-fac").set_value([])
    at.multiselect(key="admin_towns_regions_k-fac").set_value(["CZ041"])
    next(b for b in at.button if b.label == translate("admin.towns.button", "cs")).click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [translate(
        "admin.towns.done", "cs", user="k-fac", reach="Karlovarský kraj")]
    found = accounts.principal_of(store, "k-fac")
    assert found is not None and found.towns == frozenset({"kraslice", "karlovy-vary"})


def test_an_admin_of_one_town_is_offered_that_town_only(kraslice_facilitator: Principal) -> None:
    store = open_store(_store_path())
    accounts.create_user(store, Principal("test-setup", "admin"), "k-admin", PASSWORD, "admin",
                         scope=accounts.resolve_scope(store, ["kraslice"]))
    found = accounts.principal_of(store, "k-admin")
    assert found is not None
    at = _admin_page(found)
    at.selectbox(key="admin_towns_user").set_value("k-fac").run()
    assert at.multiselect(key="admin_towns_towns_k-fac").options == ["Kraslice"]
    # Karlovarský kraj holds Karlovy Vary too: not this admin's to give
    assert at.multiselect(key="admin_towns_regions_k-fac").options == []
    assert not [c for c in at.checkbox if c.key == "admin_towns_all_k-fac"]
    # nor does the table list accounts of other towns
    users = at.dataframe[0].value[translate("admin.col.username", "cs")]
    assert set(users) == {"k-fac", "k-admin"}
