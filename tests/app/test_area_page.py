"""The Area page in Streamlit's AppTest against the demo store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely
import shapely.geometry
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from layers.access.audit import read_log
from layers.store import open_store
from tests.app.access_support import login_as

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


def _opened(store_path: Path) -> AppTest:
    """The app as a strategy coordinator (the Area page's role), in Czech, in Litvínov."""
    at = login_as(AppTest.from_file(MAIN, default_timeout=30), store_path,
                  "strategy_coordinator")
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    at.run()
    at.switch_page(page_script("area"))
    return at


@pytest.fixture
def page(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    store_path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    monkeypatch.setenv("MAPA_STORE", str(store_path))
    return _opened(store_path)


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _history(at: AppTest) -> pd.DataFrame:
    """The history table (the page's crime tables come after it)."""
    return next(d.value for d in at.dataframe if "Kdo (role)" in d.value.columns)


def test_janov_shows_its_goals_and_indicators(page: AppTest) -> None:
    at = page.run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Litvínov"
    town_text = _markdown(at)
    assert "Litvínov: **19 bodů** (12–30 vysoké)" in town_text
    assert "Ústecký kraj (2023): medián obcí" in town_text
    assert "**OOP Litvínov** (obec Litvínov podle tabulky" in town_text
    assert "**391,3** trestných činů na 10 000 obyvatel **(rok 2013)**" in town_text
    assert "15\u00a0858 (2024), 14\u00a0651 (2025)" in town_text
    at.selectbox(key="area_locality_litvinov").set_value("litvinov-1").run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Litvínov – Janov"
    text = _markdown(at)
    # the locality's own score is not published; its department is its cadastral area's
    assert "Index sociálního vyloučení lokality Janov: **nezveřejněn**" in text
    assert ("**OOP Litvínov-Hamr** (katastrální území Janov u Litvínova podle tabulky "
            "příslušnosti policie) – **483,9** trestných činů na 10 000 obyvatel "
            "**(rok 2013)**") in text
    categories = at.table[0].value
    assert len(categories) == 10 and set(categories["Rok"]) == {"2013"}
    assert "ilustrativní data" in " ".join(str(i.value) for i in at.info)
    assert "**1.1.1** Na základě poznatků zjištěných z pocitových map" in text
    assert "vybudování plácku a posezení se zastřešením :orange[**probíhá**]" in text
    indicators = at.dataframe[0].value
    assert {"Cíl", "Ukazatel", "Výchozí stav", "Poslední stav", "Změna"} <= set(
        indicators.columns)
    assert len(indicators) == 26
    assert [getattr(b, "label", None) for b in at.get("download_button")] == [
        "Zpráva pro zastupitelstvo (HTML)", "Zpráva pro zastupitelstvo (PDF)",
        "Stáhnout analýzu (DOCX)", "Stáhnout analýzu (ODT)", "Stáhnout analýzu (PDF)"]


def test_kraslice_shows_the_ended_programme(page: AppTest) -> None:
    at = page.run()
    at.session_state["town_id"] = "kraslice"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Kraslice"
    text = _markdown(at)
    assert ":gray[**ukončeno**]" in text
    assert "probíhá" not in text
    # the tables: indicators, the programme timeline, then the unaddressed hotspot cells
    unaddressed = at.dataframe[2].value
    assert len(unaddressed) > 0 and (unaddressed["Odpovědí"] >= 5).all()
    # each cell named by its nearest address, stop or part of town, never by coordinates
    places = unaddressed["Místo (nejbližší adresa, zastávka či část obce)"]
    assert places.str.contains(r"[A-Za-zÁ-ž]").all()
    assert not places.str.contains(r"\d+\.\d{4}").any()
    assert any(w.value.startswith("Program skončil předčasně 2.11.2023") for w in at.warning)


@pytest.fixture
def editable(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> tuple[AppTest, Path]:
    store_path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    monkeypatch.setenv("MAPA_STORE", str(store_path))
    at = _opened(store_path)
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
        "Nelze uložit: text nesmí být prázdný"]
    assert _by_label(at.text_input, "Gestor").value == "odbor sociálních věcí"
    assert len(_measures(store_path)) == before
    _by_label(at.text_area, "Text opatření").input("Lavičky a osvětlení u zastávky Janov")
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
    assert not [w for w in at.text_input if "role" in w.label]  # the role is the login's
    seeded = open_store(store_path).read("history")
    seeded_roles = set(seeded[seeded["strategy_id"] == "litvinov-pp9"]["who_role"])
    _by_label(at.selectbox, "Opatření").set_value("litvinov-pp9:measure:placek")
    _by_label(at.selectbox, "Nový stav").set_value("done")
    _by_label(at.button, "Uložit stav").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Stav opatření byl změněn."]
    assert "vybudování plácku a posezení se zastřešením :green[**splněno**]" in _markdown(at)
    stored = _measures(store_path).set_index("measure_id")
    assert stored.loc["litvinov-pp9:measure:placek", "status"] == "done"
    newest = _history(at).iloc[0]  # newest first
    assert newest["Kdo (role)"] == "koordinátor strategie"
    assert newest["Čeho se týká"] == "vybudování plácku a posezení se zastřešením"
    assert json.loads(newest["Změna"]) == {"status": {"old": "in_progress", "new": "done"}}

    _by_label(at.selectbox, "Ukazatel").set_value("litvinov-pp9:indicator:01")
    _by_label(at.text_input, "Hodnota (ANO/ČÁSTEČNĚ/NE, číslo nebo text podle ukazatele)")\
        .input("Skupina se schází měsíčně")
    # a date as people may write it is refused in Czech, naming the value, no record id
    _by_label(at.text_input, "Datum (RRRR, RRRR-MM nebo RRRR-MM-DD)").input("říjen 2026")
    _by_label(at.button, "Zapsat hodnotu").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: „říjen 2026“ není datum – napište rok, rok-měsíc nebo rok-měsíc-den, "
        "např. 2026 nebo 2026-11"]
    _by_label(at.text_input, "Datum (RRRR, RRRR-MM nebo RRRR-MM-DD)").input("2026-10")
    _by_label(at.button, "Zapsat hodnotu").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Hodnota ukazatele byla zapsána."]
    indicators = at.dataframe[0].value
    first = indicators.iloc[0]
    assert (first["Poslední stav"], first["Datum posledního stavu"]) == (
        "Skupina se schází měsíčně", "2026-10")
    history = open_store(store_path).read("history")
    mine = history[history["strategy_id"] == "litvinov-pp9"]
    assert set(mine["who_role"]) - seeded_roles == {"strategy_coordinator"}
    log = read_log(open_store(store_path))
    assert list(log["action"].tail(2)) == ["change_measure_status", "add_observation"]
    assert set(log["username"].tail(2)) == {"t-coordinator"}


def _goals(store_path: Path) -> pd.DataFrame:
    return open_store(store_path).read("goals", "litvinov").set_index("goal_id")


def test_add_goal_explains_a_bad_number_in_czech_then_saves(
        editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    at.selectbox(key="area_goal_parent_litvinov-0").set_value(
        "g:litvinov-pp9:goal:1.1").run()
    number = _by_label(at.text_input, "Číslo cíle (např. 1.1.6)")
    assert number.value == "1.1.6"  # the next free number is offered
    number.input("1.2.7")
    _by_label(at.text_area, "Znění cíle").input("Bezpečné cesty do školy")
    before = len(_goals(store_path))
    _by_label(at.button, "Přidat cíl").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: číslo 1.2.7 nenavazuje na číslo nadřazeného cíle 1.1 (má mít tvar 1.1.X)"]
    assert _by_label(at.text_area, "Znění cíle").value == "Bezpečné cesty do školy"
    _by_label(at.text_input, "Číslo cíle (např. 1.1.6)").input("1.1.6")
    _by_label(at.button, "Přidat cíl").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Cíl byl přidán."]
    assert "**1.1.6** Bezpečné cesty do školy" in _markdown(at)
    goals = _goals(store_path)
    assert len(goals) == before + 1
    new = goals[goals["number"] == "1.1.6"].iloc[0]
    assert (new["parent_id"], new["text"]) == ("litvinov-pp9:goal:1.1",
                                               "Bezpečné cesty do školy")


def test_edit_goal_renumbers_and_refuses_a_taken_number(editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    at.selectbox(key="area_goal_edit_litvinov-0").set_value("litvinov-pp9:goal:1.1.2").run()
    number = _by_label(at.text_input, "Číslo cíle (např. 1.1.2)")
    assert number.value == "1.1.2"
    number.input("1.1.3")
    _by_label(at.button, "Uložit cíl").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: číslo 1.1.3 už ve strategii má jiný cíl"]
    _by_label(at.text_input, "Číslo cíle (např. 1.1.2)").input("1.1.9")
    _by_label(at.button, "Uložit cíl").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Cíl byl upraven."]
    assert _goals(store_path).loc["litvinov-pp9:goal:1.1.2", "number"] == "1.1.9"
    assert "**1.1.9** " in _markdown(at)


def test_edit_measure_checks_the_budget_then_saves(editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    measure_id = "litvinov-pp9:measure:placek"
    at.selectbox(key="area_measure_edit_litvinov-0").set_value(measure_id).run()
    assert _by_label(at.text_area, "Text opatření", 1).value == \
        "vybudování plácku a posezení se zastřešením"
    _by_label(at.text_area, "Partneři (každý na samostatný řádek)").input(
        "Spolek Janov\n\nSportovní klub")
    _by_label(at.text_area, "Cílové skupiny (každá na samostatný řádek)").input("děti\nsenioři")
    _by_label(at.text_input, "Rozpočet v Kč (prázdné = neuveden)").input("hodně")
    _by_label(at.button, "Uložit opatření").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: „hodně“ není částka v korunách (nezáporné číslo)"]
    _by_label(at.text_input, "Rozpočet v Kč (prázdné = neuveden)").input("1 250 000")
    _by_label(at.button, "Uložit opatření").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Opatření bylo upraveno."]
    row = _measures(store_path).set_index("measure_id").loc[measure_id]
    assert json.loads(str(row["partners"])) == ["Spolek Janov", "Sportovní klub"]
    assert json.loads(str(row["target_groups"])) == ["děti", "senioři"]
    assert row["budget_czk"] == 1_250_000.0
    newest = _history(at).iloc[0]
    assert newest["Kdo (role)"] == "koordinátor strategie"


def test_a_drawn_area_is_linked_to_a_measure(editable: tuple[AppTest, Path]) -> None:
    at, store_path = editable
    janov = open_store(store_path).read("localities", "litvinov")
    inside = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0]\
        .representative_point().buffer(0.0008, quad_segs=2)
    outside = {"type": "Polygon", "coordinates": [[[12.40, 50.20], [12.41, 50.20],
                                                   [12.41, 50.21], [12.40, 50.20]]]}
    at.session_state["area_drawn_litvinov"] = outside
    at.run()
    assert "Zakreslená plocha:" in _markdown(at)
    _by_label(at.button, "Připojit plochu").click().run()
    assert [e.value for e in at.error] == [
        "Nelze uložit: zakreslená plocha přesahuje hranici města (litvinov); zakreslete ji "
        "uvnitř"]
    at.session_state["area_drawn_litvinov"] = shapely.geometry.mapping(inside)
    at.run()
    _by_label(at.selectbox, "Opatření").set_value("litvinov-pp9:measure:placek")
    _by_label(at.button, "Připojit plochu").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Plocha byla připojena k opatření."]
    assert "area_drawn_litvinov" not in at.session_state
    links = open_store(store_path).read("measure_links", "litvinov")
    mine = links[(links["measure_id"] == "litvinov-pp9:measure:placek")
                 & (links["target_kind"] == "polygon")]
    assert len(mine) == 1
    assert shapely.from_wkt(mine["wkt"].iloc[0]).equals_exact(inside, 1e-9)


def test_new_forms_speak_english_too(page: AppTest) -> None:
    at = page.run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    for title in ("Add a goal", "Edit a goal", "Edit a measure"):
        assert title in subheaders
    assert [r.label for r in at.radio if r.key == "area_click_mode_litvinov"] == [
        "A click on the map"]
