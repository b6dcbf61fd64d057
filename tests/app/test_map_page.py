"""The map page through Streamlit's AppTest (the map itself lives in an iframe AppTest cannot
see; tests/app/test_e2e_map.py covers it in a real browser)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.features.map.page import SOURCES_KEY
from app.ui.i18n import translate
from layers.schema import LOCALITIES, POLICE_DISTRICTS, SERVICES
from layers.store import open_store
from tests.app.access_support import login_as

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def app(demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    monkeypatch.delenv("MAPA_BASEMAP", raising=False)
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _store_counts(path: Path, town_id: str) -> dict[str, str]:
    store = open_store(path)
    return {
        translate("map.metric.localities", "cs"): str(len(store.read(LOCALITIES, town_id))),
        translate("map.metric.services", "cs"): str(len(store.read(SERVICES, town_id))),
        translate("map.metric.districts", "cs"): str(len(store.read(POLICE_DISTRICTS,
                                                                     town_id))),
    }


def test_page_runs_in_czech_with_the_first_town(app: AppTest, demo_store_path: Path) -> None:
    assert app.title[0].value == "Mapa bezpečí – Karlovy Vary"
    metrics = _metrics(app)
    for label, value in _store_counts(demo_store_path, "karlovy-vary").items():
        assert metrics[label] == value
    assert app.radio(key="basemap").value == "none"
    assert app.query_params["podklad"] == "none"
    assert [e.label for e in app.expander] == [translate("map.sources", "cs")]
    assert not app.dataframe  # the sources are read when the expander is opened


def test_sources_are_listed_when_their_expander_is_opened(app: AppTest) -> None:
    app.session_state[SOURCES_KEY] = True  # as a click on the closed expander sets it
    app.run()
    assert not app.exception
    sources = app.dataframe[0].value
    assert list(sources.columns)[:2] == [translate("map.sources.layer", "cs"),
                                         translate("map.sources.title", "cs")]
    assert translate("layer.localities", "cs") in set(sources.iloc[:, 0])


def test_town_switch_changes_what_the_page_reports(app: AppTest, demo_store_path: Path) -> None:
    before = _metrics(app)
    app.sidebar.selectbox(key="town_id").select("litvinov").run()
    assert not app.exception
    assert app.title[0].value == "Mapa bezpečí – Litvínov"
    after = _metrics(app)
    for label, value in _store_counts(demo_store_path, "litvinov").items():
        assert after[label] == value
    assert after != before
    assert any(caption.value.startswith("Litvínov: 1 lokalit") for caption in app.caption)


def test_language_switch_changes_labels(app: AppTest) -> None:
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Safety map – Karlovy Vary"
    assert translate("map.metric.services", "en") in _metrics(app)
    assert app.sidebar.selectbox(key="town_id").label == "Town"
    assert app.radio(key="basemap").label == "Base map"
    assert app.radio(key="basemap").value == "none"
    assert [e.label for e in app.expander] == ["Data sources and licences"]


def test_basemap_default_comes_from_the_environment(demo_store_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    monkeypatch.setenv("MAPA_BASEMAP", "osm")
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state[SOURCES_KEY] = True
    at.run()
    assert not at.exception
    assert at.radio(key="basemap").value == "osm"
    # the sources expander then credits OpenStreetMap too
    assert any("OpenStreetMap" in caption.value for caption in at.caption)


def test_basemap_choice_is_in_the_url_and_kept(demo_store_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["podklad"] = "ztm"
    at.session_state[SOURCES_KEY] = True
    at.run()
    assert not at.exception and at.radio(key="basemap").value == "ztm"
    assert any("ČÚZK" in caption.value for caption in at.caption)  # credited in the sources
    at.radio(key="basemap").set_value("orto").run()
    assert at.query_params["podklad"] == "orto"
    at.sidebar.radio(key="lang").set_value("en").run()  # a language switch keeps the choice
    assert at.radio(key="basemap").value == "orto"
    assert at.radio(key="basemap").options == ["Own (offline)", "OpenStreetMap",
                                               "ČÚZK topographic map", "ČÚZK orthophoto"]


def test_a_mistyped_basemap_in_the_url_falls_back_to_the_offline_base(
        demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["podklad"] = "google"
    at.run()
    assert not at.exception and at.radio(key="basemap").value == "none"


def test_bad_basemap_setting_is_an_error(demo_store_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    monkeypatch.setenv("MAPA_BASEMAP", "google")
    at = AppTest.from_file(MAIN, default_timeout=30).run()
    # shown as the page's own error (tracebacks are never sent to the browser)
    assert not at.exception
    assert "MAPA_BASEMAP" in at.error[0].value


def test_missing_store_says_how_to_build_it(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(tmp_path / "none.gpkg"))
    at = AppTest.from_file(MAIN, default_timeout=30).run()
    assert not at.exception
    assert "mapa build-demo" in at.error[0].value
    assert not at.title


def _janov_panel(store_path: str, lang: str) -> None:
    import streamlit as st

    from app.features.map.panel import render_area_panel
    from app.ui.town import AreaRef, load_town
    from layers.store import open_store

    st.session_state["lang"] = lang
    store = open_store(store_path)
    data = load_town(store, "litvinov")
    janov = data.localities.loc[data.localities["name"] == "Janov", "locality_id"].iloc[0]
    render_area_panel(data, AreaRef("locality", str(janov)), lang, store)


@pytest.mark.parametrize(("lang", "goals"), [("cs", "Cíle a opatření"),
                                             ("en", "Goals and measures")])
def test_area_panel_for_janov(demo_store_path: Path, lang: str, goals: str) -> None:
    at = AppTest.from_function(_janov_panel, args=(str(demo_store_path), lang),
                               default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Janov"
    text = "\n".join(m.value for m in at.markdown)
    assert goals in text
    assert translate("map.panel.pins", lang) in text
    # a category table with at least one counted row, and the services sections
    assert f"| {translate('map.panel.category', lang)} |" in text
    assert translate("map.panel.services", lang) in text
    assert at.metric, "the crime index of Janov's district is shown"
    # Janov's goals with the statuses in the Area page's colours, the places they answer
    assert [e.label for e in at.expander] == [
        "Závěrečná zpráva z realizace poradenského programu města Litvínov Poradenský "
        "program 9"]
    assert f"vybudování plácku a posezení se zastřešením " \
           f":orange[**{translate('area.status.in_progress', lang)}**]" in text
    assert translate("area.panel.answered", lang) in text
    assert "Janov – obchod a zastávka" in text
    assert not at.button  # the public cannot open the Area page
    assert at.caption[-1].value == translate("area.panel.login", lang)


#: A point inside Janov (the representative point of its polygon in the demo store).
JANOV = {"lat": 50.60850, "lng": 13.63100}


def test_clicked_locality_shows_its_measures_and_opens_the_area_page(
        demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    monkeypatch.setenv("MAPA_STORE", str(store_path))
    at = login_as(AppTest.from_file(MAIN, default_timeout=30), store_path,
                  "strategy_coordinator")
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    # what the map page keeps of the last click (app/features/map/page.py, newest_click)
    at.session_state["map-clicks-litvinov"] = {"point": JANOV}
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["Janov"]
    text = "\n".join(m.value for m in at.markdown)
    assert "vybudování plácku a posezení se zastřešením :orange[**probíhá**]" in text
    assert "Janov – prázdné domy a podchod" in text
    assert "Aktivní opatření pokrývají 9 z 10 buněk míst strachu v oblasti." in [
        str(m.value) for m in at.markdown]
    opened = [b for b in at.button if b.label == translate("area.panel.open", "cs")]
    assert len(opened) == 1
    opened[0].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Cíle, opatření a ukazatele – Litvínov – Janov"
    assert at.selectbox(key="area_locality_litvinov").value == "litvinov-1"


def test_a_clicked_district_shows_the_whole_towns_measures(
        demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    store = open_store(demo_store_path)
    localities = store.read(LOCALITIES, "litvinov")
    districts = store.read(POLICE_DISTRICTS, "litvinov")
    outside = districts.geometry.iloc[0].difference(localities.geometry.union_all())
    point = outside.representative_point()
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "en"
    at.session_state["map-clicks-litvinov"] = {"point": {"lat": point.y, "lng": point.x}}
    at.run()
    assert not at.exception, at.exception
    assert translate("area.panel.town_wide", "en") in [c.value for c in at.caption]
    assert at.expander  # the town's strategy, though no measure names the district
    assert translate("area.panel.open", "en") not in [b.label for b in at.button]


def test_the_search_box_finds_an_address_without_diacritics(app: AppTest) -> None:
    app.sidebar.selectbox(key="town_id").select("litvinov").run()
    app.text_input(key="map-search-litvinov").input("hamerska 130").run()
    assert not app.exception
    assert translate("map.search.found", "cs", place="Hamerská 130") in [
        c.value for c in app.caption]
    app.text_input(key="map-search-litvinov").input("xqzw vvv").run()
    assert translate("map.search.none", "cs") in [i.value for i in app.info]
