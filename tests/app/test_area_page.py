"""The Area page in Streamlit's AppTest against the demo store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
