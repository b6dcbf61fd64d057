"""The Patrol planning and Public space pages in Streamlit's AppTest against the demo store."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from app.ui.i18n import translate
from layers.access.audit import read_log
from layers.geocode import Gazetteer
from layers.patrol.plans import load_plans
from layers.store import open_store
from layers.urban.audits import load_audits
from layers.urban.service_links import load_links
from tests.app.access_support import MAIN, login_as, open_page


@pytest.fixture
def store_path(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    return path


def _opened(store_path: Path, role: str, page: str) -> AppTest:
    return open_page(store_path, role, page).run()


def _field(at: AppTest, form: str, name: str) -> Any:
    return next(i for i in at.text_input if i.form_id == form and i.label == name)


def _downloads(at: AppTest) -> list[str]:
    return [str(getattr(b, "label", "")) for b in at.get("download_button")]


def _actions(store_path: Path, username: str) -> list[str]:
    log = read_log(open_store(store_path))
    return list(log.loc[log["username"] == username, "action"])


def test_patrol_page_plans_janov_and_saves_the_plan_as_a_measure(store_path: Path) -> None:
    at = _opened(store_path, "police", page_script("patrol"))
    assert not at.exception
    at.selectbox(key="patrol_locality_litvinov").set_value("litvinov-1").run()
    assert not at.exception
    assert at.title[0].value == "Plánování hlídek – Litvínov – Janov"
    assert _downloads(at) == ["Stáhnout GPX", "Stáhnout list hlídky (PDF)",
                              "List hlídky (HTML)", "GeoPackage pro QGIS"]
    stops = at.dataframe[0].value
    assert list(stops["Pořadí"]) == [1, 2, 3, 4, 5, 6]
    assert sorted(stops["Priorita"]) == [1, 2, 3, 4, 5, 6]
    assert stops["Proč je místo tady"].str.contains("nejexponovanější").all()
    # more weight on fear changes the contributions shown
    at.slider(key="patrol_w_fear").set_value(3.0).run()
    assert not at.exception
    heavier = at.dataframe[0].value
    assert heavier["Příspěvek strachu"].sum() > stops["Příspěvek strachu"].sum()
    # nearness to a stop weighs nothing until chosen; chosen, it counts
    assert (stops["Příspěvek blízkosti zastávky"] == 0).all()
    at.slider(key="patrol_w_stop").set_value(3.0).run()
    assert not at.exception
    assert at.dataframe[0].value["Příspěvek blízkosti zastávky"].sum() > 0
    at.slider(key="patrol_w_stop").set_value(0.0).run()
    # every weight zero: a Czech explanation, not a formula
    for factor in ("fear", "crime", "time"):
        at.slider(key=f"patrol_w_{factor}").set_value(0.0).run()
    assert any("všechny váhy jsou nulové" in w.value for w in at.warning)
    at.slider(key="patrol_w_fear").set_value(3.0).run()
    assert not at.exception and at.dataframe

    assert "Uloží se pod účtem t-police (policie)." in [c.value for c in at.caption]
    at.text_input[0].input("Večerní okruh Janov")
    at.button[0].click().run()
    assert not at.exception
    assert "Plán uložen." in [s.value for s in at.success]
    plans = load_plans(open_store(store_path), "litvinov")
    assert list(plans["title"]) == ["Večerní okruh Janov"]
    assert plans["who_role"].item() == "police"
    assert _actions(store_path, "t-police") == ["save_patrol_plan"]

    # police propose the plan as a (planned) strategy measure
    measure_form = [b for b in at.button if b.label == "Vytvořit opatření"]
    assert measure_form
    measure_form[0].click().run()
    assert not at.exception
    plans = load_plans(open_store(store_path), "litvinov")
    assert plans["measure_id"].iloc[0].startswith("litvinov-pp9:measure:")
    assert _actions(store_path, "t-police") == ["save_patrol_plan", "add_measure",
                                                "save_patrol_measure"]


def test_urban_page_shows_white_spots_and_records_links_and_audits(store_path: Path) -> None:
    at = _opened(store_path, "urbanist", page_script("urban"))
    assert not at.exception
    assert at.title[0].value == "Veřejný prostor – Litvínov"
    white = [m for m in at.metric if m.label == "Bílá místa"]
    assert white and int(white[0].value) > 0
    assert "Stáhnout vrstvy (GeoPackage pro QGIS)" in _downloads(at)
    at.select_slider(key="urban_distance").set_value(1500).run()
    farther = int(next(m for m in at.metric if m.label == "Bílá místa").value)
    assert farther < int(white[0].value)

    next(b for b in at.button if b.label == "Zaznamenat provazbu").click().run()
    assert not at.exception
    links = load_links(open_store(store_path), "litvinov")
    assert len(links) == 1 and links["who_role"].item() == "urbanist"
    _field(at, "urban_audit_litvinov", "Název místa").input("Podchod Janov")
    next(b for b in at.button if b.label == "Uložit audit").click().run()
    assert not at.exception
    audits = load_audits(open_store(store_path), "litvinov")
    assert list(audits["place_label"]) == ["Podchod Janov"]
    assert audits["auditor_role"].item() == "urbanist"
    assert _actions(store_path, "t-urbanist") == ["add_service_link", "add_safety_audit"]


def test_a_point_clicked_on_the_urban_map_becomes_the_audit_place(store_path: Path) -> None:
    """The page keeps a map click as (lon, lat) and picks it in the form (the click itself,
    from the browser, is in test_e2e_patrol)."""
    at = login_as(AppTest.from_file(MAIN, default_timeout=60), store_path, "urbanist")
    lon, lat = 13.6360, 50.6085
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    at.session_state["urban_audit_point_litvinov"] = (lon, lat)
    at.session_state["urban_audit_place_litvinov"] = "clicked"
    at.run()
    at.switch_page(page_script("urban")).run()
    assert not at.exception
    place = at.selectbox(key="urban_audit_place_litvinov")
    assert place.value == "clicked"
    named = Gazetteer.from_store(open_store(store_path), "litvinov").name(lon, lat)
    assert named is not None
    assert place.format_func(place.value) == f"Kliknuté na mapě ({named.label()})"
    assert len(place.options) > 1  # the hotspot places stay on offer
    next(b for b in at.button if b.label == "Uložit audit").click().run()
    assert not at.exception
    audits = load_audits(open_store(store_path), "litvinov")
    assert list(audits["place_label"]) == [named.label()]
    point = audits.geometry.iloc[0]
    assert (point.x, point.y) == pytest.approx((lon, lat))
    # saved: the clicked place is forgotten
    assert "clicked" not in at.selectbox(key="urban_audit_place_litvinov").options


def test_public_visitor_is_not_offered_the_pages(store_path: Path) -> None:
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["town_id"] = "litvinov"
    at.run()
    for page in (page_script("patrol"), page_script("urban")):
        # a bookmarked link is routed (it opens after the login) but shows nothing of the page
        at.switch_page(page).run()
        assert not at.exception
        assert [e.value for e in at.error] == [translate("access.login_first", "cs")]
        assert not at.get("download_button") and not at.dataframe
