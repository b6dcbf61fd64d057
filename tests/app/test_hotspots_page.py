"""The Hotspots page in Streamlit's AppTest against the demo store."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from app.features.hotspots.map import positive_key
from app.navigation import page_script
from app.ui.i18n import translate
from layers.ingest.batches import run_import
from layers.schema import PINS, SESSIONS, TOWNS
from layers.store import Store, open_store
from layers.vocabulary import EMERGING_PATTERN
from tests.app.access_support import login_as

APP = Path(__file__).resolve().parents[2] / "app"
PAGE = str(APP / page_script("hotspots"))


@pytest.fixture
def page(demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["town_id"] = "litvinov"
    at.session_state["lang"] = "cs"
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def test_page_shows_classes_map_table_and_explanations(page: AppTest) -> None:
    at = page.run()
    assert not at.exception
    assert at.title[0].value == "Hotspoty strachu a kriminality – Litvínov"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Hotspotů strachu (≥ 95 %)"].replace("\u00a0", "")) > 0
    assert not at.dataframe  # short tables, static: no data grid holds the map back
    table = at.table[0].value
    assert {"Vrstva", "Třída", "Buněk"} <= set(table.columns)
    fear_hot = table[(table["Vrstva"] == "Strach (pocitová mapa)")
                     & (table["Třída"] == "Hotspot 99 %")]["Buněk"].iloc[0]
    assert fear_hot > 0
    # the strongest hot cells by place, each with its nearest stop and the metres to it
    hot = at.table[1].value
    assert list(hot.columns) == ["Místo (nejbližší adresa, zastávka či část obce)", "Třída",
                                 "Hustota (na km²)", "Nejbližší zastávka MHD"]
    assert 0 < len(hot) <= 15
    assert all(re.fullmatch(r".+ \(\d[\d\u00a0 ]* m\)", s) for s in hot["Nejbližší zastávka MHD"])
    assert "index kriminality" in _texts(at)  # the demo store has no offences
    assert "alespoň 5" in _texts(at)
    assert "šířka pásma" not in _texts(at).lower() and "bandwidth" not in _texts(at).lower()
    # the explanations for police, urbanists and community workers, last
    assert list(at.table[-1].value.columns) == [translate(f"hotspots.explain.{role}", "cs")
                                                for role in ("police", "urban", "community")]


@pytest.fixture
def staff_page(page: AppTest, demo_store_path: Path, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page for a logged-in police officer, on a store copy (the account is written)."""
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    return login_as(page, path, "police")


def test_filters_change_the_result(staff_page: AppTest) -> None:
    at = staff_page.run()
    assert "Pohled pracovníka" in _texts(at)
    before = at.metric[1].value
    at.multiselect(key="hotspots_category").set_value(["dark_place"]).run()
    assert not at.exception
    assert at.metric[1].value != before


def test_an_empty_selection_warns_in_czech(staff_page: AppTest) -> None:
    # AppTest cannot set a date range on a drawn widget; a preset session state can
    staff_page.session_state["hotspots_dates"] = (date(1990, 1, 1), date(1990, 1, 2))
    at = staff_page.run()
    assert not at.exception
    assert any(w.value == "Z tohoto výběru nelze hotspoty spočítat: výběru neodpovídá žádná "
               "schválená odpověď (nebo skutek)" for w in at.warning)
    assert not at.metric  # no half-drawn result under the warning


def test_the_public_chooses_fixed_sets_and_sessions_by_place_and_date(
        page: AppTest, demo_store: Store) -> None:
    at = page.run()
    assert not at.exception
    assert [m.key for m in at.multiselect] == ["hotspots_layers"]  # no free filters
    choice = at.selectbox(key="hotspots_public_set_litvinov")
    assert choice.options[0] == "Všechny schválené odpovědi"
    sessions = demo_store.read(SESSIONS, "litvinov")
    approved = demo_store.read(PINS, "litvinov").query("status == 'approved'")
    shown = sessions[sessions["session_id"].isin(set(approved["session_id"]))]
    session_options = [o for o in choice.options if o.startswith("Setkání: ")]
    assert len(session_options) == len(shown) > 0
    assert all(f"{row.place}, {row.date}" in " ".join(session_options)
               for row in shown.itertuples())
    everything = " ".join(choice.options) + _texts(at)
    assert not any(str(sid) in everything for sid in sessions["session_id"])
    before = at.metric[1].value
    choice.set_value(choice.options.index(session_options[0])).run()
    assert not at.exception
    assert at.metric[1].value != before
    assert "Veřejný pohled" in _texts(at) and "pevně dané" in _texts(at)


def test_english_and_crime_only(page: AppTest) -> None:
    page.session_state["lang"] = "en"
    at = page.run()
    at.multiselect(key="hotspots_layers").set_value(["crime"]).run()
    assert not at.exception
    assert at.title[0].value == "Hotspots of fear and crime – Litvínov"
    assert "crime index" in _texts(at)
    # no Gi* classes from a district index: no empty class table, only the localities
    assert [df.value.columns[0] for df in at.table[:-1]] == ["Locality"]
    at.radio(key="hotspots_view").set_value("fear_crime").run()
    assert not at.exception


def test_the_page_is_registered_in_the_navigation(demo_store_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPA_STORE", str(demo_store_path))
    at = AppTest.from_file(str(APP / "main.py"), default_timeout=30).run()
    at.switch_page(page_script("hotspots")).run()
    assert not at.exception
    assert at.title[0].value.startswith("Hotspoty strachu a kriminality – ")


def test_map_views_are_offline_and_legends_name_the_classes(demo_store_path: Path) -> None:
    from app.features.hotspots.map import VIEWS, build_hotspot_map
    from app.features.hotspots.model import class_table
    from app.ui.maps.assets import remote_urls
    from layers.hotspots.analysis import HotspotRequest, run_hotspots
    from layers.store import open_store

    store = open_store(demo_store_path)
    report = run_hotspots(store, HotspotRequest("kraslice", public=True, lee_permutations=0))
    boundary = store.read(TOWNS, "kraslice")
    for view in VIEWS:
        html = build_hotspot_map(report, boundary, view, "fear", "cs").get_root().render()
        assert remote_urls(html) == []
        assert "Hranice obce" in html
    classes = build_hotspot_map(report, boundary, "classes", "fear", "en").get_root().render()
    assert "Hot spot 99 %" in classes and "Cold spot 99 %" in classes
    table = class_table(report, ("fear",), "cs")
    assert set(table["layer"]) == {"Strach (pocitová mapa)"}  # no fear-vs-crime rows alone
    both = class_table(report, ("fear", "crime"), "cs")
    assert int(both["cells"].sum()) == 2 * len(report.cells)
    with pytest.raises(ValueError, match="unknown view"):
        build_hotspot_map(report, boundary, "pie", "fear", "cs")


def test_emerging_hot_spots_of_imported_police_data(page: AppTest, demo_store_path: Path,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    export = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "police_open_data"
    store = open_store(path)
    for name in ("2023_567256.csv", "2024_567256.geojson"):
        run_import(store, "police-open-data", export / name, town_id="litvinov")
    monkeypatch.setenv("MAPA_STORE", str(path))
    at = page.run()
    assert not at.exception
    assert "Vznikající ohniska kriminality v čase" in [h.value for h in at.header]
    assert "Období 2023-01 – 2024-06 (18 kroků), 11 skutků, z toho 5 s přibližnou polohou" \
        in _texts(at)
    table = at.table[-1].value
    assert list(table.columns) == ["Vzor", "Buněk", "Co to znamená"]
    assert len(table) == len(EMERGING_PATTERN.codes)
    assert table["Buněk"].sum() > 0
    assert "poslední" in table.loc[table["Vzor"] == "Nové ohnisko", "Co to znamená"].iloc[0]
    # by year the two years are too few steps: said in Czech, no crash
    at.radio(key="hotspots_emerging_period").set_value("year").run()
    assert not at.exception
    assert "alespoň 4 období" in _texts(at)


def test_emerging_map_draws_patterned_cells_only_offline(demo_store: Store) -> None:
    import geopandas as gpd
    import shapely

    from app.features.hotspots.map import build_emerging_map
    from app.ui.maps.assets import remote_urls

    boundary = demo_store.read(TOWNS, "litvinov")
    centre = boundary.to_crs("EPSG:5514").geometry.iloc[0].representative_point()
    cells = gpd.GeoDataFrame(
        {"pattern": ["new_hot", "diminishing_cold", "no_pattern"]},
        geometry=[shapely.Point(centre.x + dx, centre.y).buffer(100, 3) for dx in (0, 300, 600)],
        crs="EPSG:5514")
    html = build_emerging_map(cells, boundary, "en").get_root().render()
    assert remote_urls(html) == []
    assert "New hot spot" in html and "Diminishing cold spot" in html
    assert "No pattern" not in html  # cells without a pattern are not drawn nor listed
    assert html.count('"fill": "#fcae91"') == 1


def test_fear_counts_only_fear_and_positive_answers_are_layers_of_their_own(
        demo_store_path: Path) -> None:
    from app.features.hotspots.map import build_hotspot_map, positive_layer_names
    from app.ui.maps.assets import remote_urls
    from layers.hotspots.analysis import HotspotRequest, run_hotspots
    from layers.schema import PINS
    from layers.store import open_store
    from layers.vocabulary import POSITIVE_CATEGORIES

    store = open_store(demo_store_path)
    pins = store.read(PINS, "litvinov")
    approved = pins[pins["status"] == "approved"]
    positive = approved[approved["category"].isin(POSITIVE_CATEGORIES)]
    assert len(positive) > 0
    report = run_hotspots(store, HotspotRequest("litvinov", lee_permutations=0))
    assert report.layers["fear"].points == len(approved) - len(positive)
    assert int(report.cells["fear_count"].sum()) == len(approved) - len(positive)
    # crime known per police department only: no class is told apart within it
    classes = set(report.cells["fear_crime"])
    assert "department_only" in classes and classes <= {"department_only", "unknown"}
    boundary = store.read(TOWNS, "litvinov")
    html = build_hotspot_map(report, boundary, "fear_crime", "fear", "cs", positive,
                             True).get_root().render()
    assert remote_urls(html) == []
    names = set(positive_layer_names(positive, "cs"))
    assert names <= {"Tady se cítím dobře", "Místo, které by se mělo rozvíjet"}
    for name in names:
        count = int((positive_layer_names(positive, "cs") == name).sum())
        assert json.dumps(f"{name} (ilustrativní data) ({count})")[1:-1] in html
    assert json.dumps("Kladné odpovědi (nezapočteny do strachu)")[1:-1] in html


def test_positive_layers_have_readable_keys_in_every_language() -> None:
    frame = gpd.GeoDataFrame({
        "source_value": ["Místo, které doporučím návštěvníkům", None, "Místo, které doporučím!"],
        "category": ["feel_good", "feel_good", "feel_good"]},
        geometry=[Point(13.6, 50.6)] * 3, crs="EPSG:4326")
    taken: dict[str, object] = {}
    for i in range(3):
        taken[positive_key(frame.iloc[[i]], taken)] = i
    assert list(taken) == ["odpovedi-misto-ktere-doporucim-navstevnikum", "odpovedi-feel-good",
                           "odpovedi-misto-ktere-doporucim"]
    assert positive_key(frame.iloc[[0]], taken) == "odpovedi-misto-ktere-doporucim-navstevnikum-2"
