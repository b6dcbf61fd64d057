"""The Map page's exact sensitive pins: offered to view_exact_sensitive roles only, audited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.features.map.page import EXACT_PINS_KEY
from app.ui.access import PRINCIPAL_KEY
from app.ui.i18n import translate
from layers.access.audit import read_log
from layers.schema import SENSITIVE_CATEGORIES
from layers.store import open_store
from tests.app.access_support import USERS, login_as, principal

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
TOWN = "karlovy-vary"


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    for name in ("MAPA_ADMIN_USER", "MAPA_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return path


def _map_page(store_path: Path, role: str | None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["town_id"] = TOWN
    at.session_state["lang"] = "cs"
    if role is not None:
        login_as(at, store_path, role)
    at.run()
    assert not at.exception, at.exception
    return at


def _exact_views(store_path: Path) -> list[dict[str, object]]:
    log = read_log(open_store(store_path))
    return [json.loads(d) for d in log.loc[log["action"] == "view_exact_pins", "detail"]]


@pytest.mark.parametrize("role", [None, "urbanist", "facilitator"])
def test_the_toggle_is_absent_for_roles_without_the_right(store_path: Path,
                                                          role: str | None) -> None:
    at = _map_page(store_path, role)
    assert EXACT_PINS_KEY not in [w.key for w in at.toggle]
    assert translate("access.exact_pins", "cs") not in [w.label for w in at.toggle]
    assert _exact_views(store_path) == []


def test_police_switches_exact_pins_on_and_the_view_is_audited(store_path: Path) -> None:
    at = _map_page(store_path, "police")
    toggle = at.toggle(key=EXACT_PINS_KEY)
    assert toggle.label == translate("access.exact_pins", "cs") and toggle.value is False
    assert _exact_views(store_path) == [] and not at.warning
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [translate("access.exact_pins.audited", "cs")]
    log = read_log(open_store(store_path))
    views = log[log["action"] == "view_exact_pins"]
    assert list(views["username"]) == [USERS["police"][0]]
    assert json.loads(views["detail"].iloc[0])["town_id"] == TOWN
    # logging out forgets the toggle with the rest of the session
    at.button(key="logout").click().run()
    assert PRINCIPAL_KEY not in at.session_state and EXACT_PINS_KEY not in at.session_state


def _drawn_pins(store_path: str, town_id: str) -> None:
    """Script for AppTest: what ``map_pins`` hands the map builder, as text."""
    import streamlit as st

    from app.features.map.page import map_pins
    from app.ui.town import load_town
    from layers.schema import SENSITIVE_CATEGORIES
    from layers.store import open_store

    store = open_store(store_path)
    drawn = map_pins(load_town(store, town_id), store)
    sensitive = drawn.pins_exact["category"].isin(SENSITIVE_CATEGORIES).sum()
    statuses = ",".join(sorted(set(drawn.pins_exact["status"])))
    st.text(f"{len(drawn.pins_exact)} {sensitive} {len(drawn.pin_cells)} {statuses}")


@pytest.mark.parametrize("role", ["police", "moderator", "admin"])
def test_exact_view_draws_every_approved_pin_and_no_cells(store_path: Path, role: str) -> None:
    login_as(AppTest.from_file(MAIN), store_path, role)  # creates the account
    at = AppTest.from_function(_drawn_pins, args=(str(store_path), TOWN), default_timeout=60)
    at.session_state[PRINCIPAL_KEY] = principal(role)
    at.run()
    public = at.text[0].value.split()
    assert public[1] == "0" and int(public[2]) > 0  # public view: sensitive only in cells
    at.toggle(key=EXACT_PINS_KEY).set_value(True).run()
    assert not at.exception, at.exception
    pins = open_store(store_path).read("pins", TOWN)
    approved = pins[pins["status"] == "approved"]
    sensitive = approved["category"].isin(SENSITIVE_CATEGORIES).sum()
    assert sensitive > 20
    assert at.text[0].value.split() == [str(len(approved)), str(sensitive), "0", "approved"]
