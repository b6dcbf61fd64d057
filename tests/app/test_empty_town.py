"""Every page and export for towns added with ``mapa import town`` (and a feeling map, or
nothing): no crash, and the page says in Czech (and English) which layers are missing.

The folium maps of these pages are drawn in the browser in ``test_e2e_empty_town.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.navigation import PAGES, page_script
from app.ui.missing import illustrative_text, missing_text
from app.ui.town import load_town
from layers.store import open_store
from layers.vocabulary import POSITIVE_CATEGORIES
from scripts.mapa import main
from tests.app.access_support import login_as
from tests.app.empty_town_support import TOWNS, make_empty_towns

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
#: page → the layers its note names when they are missing.
NEEDS = {
    "map": ("localities", "pins", "services", "police_districts"),
    "hotspots": ("pins", "police_districts", "localities"),
    "area": ("localities", "pins"),
    "data": ("localities", "services", "police_districts", "pins"),
    "patrol": ("pins", "police_districts", "localities"),
    "public_space": ("services", "localities", "pins"),
}


@pytest.fixture(scope="module")
def towns_path(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_empty_towns(demo_store_path, tmp_path_factory.mktemp("towns"))


def _open(towns_path: Path, feature: str, town_id: str, lang: str,
          monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MAPA_STORE", str(towns_path))
    at = login_as(AppTest.from_file(MAIN, default_timeout=60), towns_path, "admin")
    at.session_state["town_id"] = town_id
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page_script(next(p.url_path for p in PAGES if p.feature == feature)))
    return at.run()


@pytest.mark.parametrize("town_id", list(TOWNS))
@pytest.mark.parametrize("feature", [page.feature for page in PAGES])
def test_every_page_works_and_names_what_is_missing(
        towns_path: Path, feature: str, town_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(towns_path, feature, town_id, "cs", monkeypatch)
    assert not at.exception, at.exception
    assert at.title or at.info, "the page drew nothing"  # the kiosk first asks for a session
    assert not at.error
    if feature in NEEDS:
        town = load_town(open_store(towns_path), town_id)
        expected = missing_text(town, NEEDS[feature], "cs")
        assert expected is not None and f"obec {TOWNS[town_id][1]}" in expected
        assert expected in [info.value for info in at.info]
        assert ("schválené odpovědi pocitové mapy" in expected) == (town_id == "ostrov")


def test_the_note_is_english_on_english_pages(towns_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(towns_path, "map", "ostrov", "en", monkeypatch)
    assert not at.exception
    assert ("The store holds nothing yet for Ostrov of: socially excluded localities, approved "
            "answers of a feeling map, services, police districts with the crime index."
            ) in at.info[0].value


def test_a_town_with_everything_has_no_note(demo_store_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    town = load_town(open_store(demo_store_path), "litvinov")
    assert all(missing_text(town, needs, "cs") is None for needs in NEEDS.values())


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    result: dict[str, object] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_pin_exports_of_an_empty_town_are_empty_files(
        towns_path: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    for public in (["--public"], []):
        out = tmp_path / f"pins{len(public)}.{fmt}"
        assert main(["export", "pins", "--town", "ostrov", "--format", fmt, "--out", str(out),
                     *public, "--store", str(towns_path), "--json"]) == 0
        assert _json(capsys)["pins"] == 0 and out.stat().st_size > 0


def test_analyses_of_an_empty_town_refuse_with_one_clear_line(
        towns_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = {
        "hotspots": (["hotspots", "--town", "ostrov", "--out", str(tmp_path / "h.gpkg")],
                     "empty"),
        "crime": (["hotspots", "--town", "sokolov", "--layer", "crime",
                   "--out", str(tmp_path / "c.gpkg")], "no_crime"),
        "patrol": (["patrol", "--town", "ostrov", "--gpx", str(tmp_path / "p.gpx")], "empty"),
    }
    for argv, code in runs.values():
        assert main([*argv, "--store", str(towns_path), "--json"]) != 0
        error = _json(capsys)["error"]
        assert isinstance(error, dict) and error["code"] == code
    for town_id in TOWNS:  # no services, localities or hot cells: nothing to write
        assert main(["accessibility", "--town", town_id, "--store", str(towns_path),
                     "--json"]) == 0
        assert _json(capsys)["white_spots"] == 0
        assert main(["accessibility", "--town", town_id, "--out", str(tmp_path / "a.gpkg"),
                     "--store", str(towns_path), "--json"]) != 0
        error = _json(capsys)["error"]
        assert isinstance(error, dict) and error["code"] == "export.nothing"
        assert "the town has no localities, services or hot cells yet" in error["message"]


def test_exports_of_a_town_with_a_feeling_map_only(
        towns_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "h.gpkg"
    assert main(["hotspots", "--town", "sokolov", "--out", str(out),
                 "--store", str(towns_path), "--json"]) == 0
    result = _json(capsys)
    # fear means fear: the approved answers but the positive ones
    approved = open_store(towns_path).read("pins", "sokolov")
    fear = int((~approved["category"].astype(str).isin(POSITIVE_CATEGORIES)).sum())
    assert result["points"] == fear - result["outside"] > 0 and out.exists()
    assert main(["patrol", "--town", "sokolov", "--places", "4", "--gpx",
                 str(tmp_path / "p.gpx"), "--sheet", str(tmp_path / "p.pdf"),
                 "--store", str(towns_path), "--json"]) == 0
    assert (tmp_path / "p.gpx").stat().st_size > 0 and (tmp_path / "p.pdf").stat().st_size > 0


#: page → the layers its illustrative-data note may name.
SHOWS = {**NEEDS, "area": None, "moderation": ("pins",), "sessions": ("pins",),
         "catalogue": ("services",), "patrol": ("pins", "localities")}


@pytest.mark.parametrize("feature", [f for f, shows in SHOWS.items() if shows])
def test_illustrative_layers_are_named_on_every_page(
        towns_path: Path, feature: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo town's generated layers are named as illustrative on each page; Sokolov's
    imported (real) answers are not, though the demo's answers in the same store are."""
    store = open_store(towns_path)
    for town_id, generated in (("litvinov", True), ("sokolov", False)):
        at = _open(towns_path, feature, town_id, "cs", monkeypatch)
        assert not at.exception, at.exception
        expected = illustrative_text(load_town(store, town_id), SHOWS[feature], "cs")
        notes = [i.value for i in at.info if "Ilustrativní data" in i.value]
        if generated:
            assert expected is not None and notes == [expected]
            assert "obce Litvínov" in expected
        else:
            assert expected is None and notes == []
