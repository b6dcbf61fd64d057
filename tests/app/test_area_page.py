"""The Area page in Streamlit's AppTest against the demo store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from layers.store import open_store

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def page(demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    at.run()
    at.switch_page("views/area.py")
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_janov_shows_its_goals_and_indicators(page: AppTest) -> None:
    at = page.run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Litvínov"
    at.selectbox(key="area_locality_litvinov").set_value("litvinov-1").run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Litvínov – Janov"
    text = _markdown(at)
    assert "**1.1.1** Na základě poznatků zjištěných z pocitových map" in text
    assert "vybudování plácku a posezení se zastřešením :orange[**probíhá**]" in text
    indicators = at.dataframe[0].value
    assert {"Cíl", "Ukazatel", "Výchozí stav", "Poslední stav", "Změna"} <= set(
        indicators.columns)
    assert len(indicators) == 26
    assert [getattr(b, "label", None) for b in at.get("download_button")] == [
        "Zpráva pro zastupitelstvo (HTML)", "Zpráva pro zastupitelstvo (PDF)"]


def test_kraslice_shows_the_ended_programme(page: AppTest) -> None:
    at = page.run()
    at.session_state["town_id"] = "kraslice"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Kraslice"
    text = _markdown(at)
    assert ":gray[**ukončeno**]" in text
    assert "probíhá" not in text
    unaddressed = at.dataframe[1].value
    assert len(unaddressed) > 0 and (unaddressed["Odpovědí"] >= 5).all()


@pytest.fixture
def editable(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> tuple[AppTest, Path]:
    store_path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    monkeypatch.setenv("MAPA_STORE", str(store_path))
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    at.run()
    at.switch_page("views/area.py")
    at.run()
    at.selectbox(key="area_locality_litvinov").set_value("litvinov-1").run()
    return at, store_path


def _by_label(widgets: Any, text: str, index: int = 0) -> Any:
    return [w for w in widgets if w.label == text][index]


def _measures(store_path: Path) -> pd.DataFrame:
    return open_store(store_path).read("measures", "litvinov")


def test_add_measure_keeps_typing_on_error_then_saves(editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    before = len(_measures(store_path))
    _by_label(at.text_input, "Gestor").input("odbor sociálních věcí")
    _by_label(at.button, "Přidat opatření").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: the measure's text must not be empty"]
    assert _by_label(at.text_input, "Gestor").value == "odbor sociálních věcí"
    assert len(_measures(store_path)) == before
    _by_label(at.text_area, "Text opatření").input("Lavičky a osvětlení u zastávky Janov")
    _by_label(at.text_input, "Vaše role (zapíše se do historie)").input("koordinátor")
    _by_label(at.button, "Přidat opatření").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Opatření bylo přidáno."]
    assert "Lavičky a osvětlení u zastávky Janov :blue[**plánováno**]" in _markdown(at)
    assert _by_label(at.text_input, "Gestor").value == ""  # a fresh form after the save
    stored = _measures(store_path)
    new = stored[stored["title"] == "Lavičky a osvětlení u zastávky Janov"]
    assert len(stored) == before + 1 and json.loads(new["owners"].iloc[0]) == [
        "odbor sociálních věcí"]
    links = open_store(store_path).read("measure_links", "litvinov")
    assert list(links[links["measure_id"] == new["measure_id"].iloc[0]]["target_id"]) == [
        "litvinov-1"]


def test_status_change_and_observation(editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    _by_label(at.selectbox, "Opatření").set_value("litvinov-pp9:measure:placek")
    _by_label(at.selectbox, "Nový stav").set_value("done")
    _by_label(at.text_input, "Vaše role (zapíše se do historie)", 1).input("místostarosta")
    _by_label(at.button, "Uložit stav").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Stav opatření byl změněn."]
    assert "vybudování plácku a posezení se zastřešením :green[**splněno**]" in _markdown(at)
    stored = _measures(store_path).set_index("measure_id")
    assert stored.loc["litvinov-pp9:measure:placek", "status"] == "done"
    newest = at.dataframe[-1].value.iloc[0]  # the history, newest first
    assert newest["Kdo (role)"] == "místostarosta"
    assert newest["Čeho se týká"] == "vybudování plácku a posezení se zastřešením"
    assert json.loads(newest["Změna"]) == {"status": {"old": "in_progress", "new": "done"}}

    _by_label(at.selectbox, "Ukazatel").set_value("litvinov-pp9:indicator:01")
    _by_label(at.text_input, "Hodnota (ANO/ČÁSTEČNĚ/NE, číslo nebo text podle ukazatele)")\
        .input("Skupina se schází měsíčně")
    _by_label(at.text_input, "Datum (RRRR, RRRR-MM nebo RRRR-MM-DD)").input("2026-10")
    _by_label(at.text_input, "Vaše role (zapíše se do historie)", 2).input("koordinátor")
    _by_label(at.button, "Zapsat hodnotu").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Hodnota ukazatele byla zapsána."]
    indicators = at.dataframe[0].value
    first = indicators.iloc[0]
    assert (first["Poslední stav"], first["Datum posledního stavu"]) == (
        "Skupina se schází měsíčně", "2026-10")
    history = open_store(store_path).read("history")
    assert set(history[history["strategy_id"] == "litvinov-pp9"]["who_role"]) == {
        "místostarosta", "koordinátor"}
