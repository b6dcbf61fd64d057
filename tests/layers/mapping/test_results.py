"""A session's and a round's results on both backends: the rounds of a place, the per-cell
comparison with the previous round (the hotspot change test), the public map's cells, and the
one-page PDF for the wall."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric
from layers.mapping.capture import PinAnswer, add_pins, new_pin_id
from layers.mapping.moderation import approve
from layers.mapping.results import CELL_M, public_cells, session_results
from layers.mapping.results_sheet import Section, placed, results_pdf
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PINS, SESSIONS, TOWNS
from layers.store import Store, open_store
from layers.vocabulary import PUBLIC_K

#: South-west corner of the test town (EPSG:5514, near Litvínov) and its side, metres.
ORIGIN = (-785_000.0, -985_000.0)
SIDE = 3_000.0
EARLIER_AT = (ORIGIN[0] + 700.0, ORIGIN[1] + 2_300.0)
LATER_AT = (ORIGIN[0] + 2_300.0, ORIGIN[1] + 700.0)


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A store of each backend holding the square town ``t``."""
    location = (str(tmp_path / "s.gpkg") if request.param == "gpkg"
                else str(request.getfixturevalue("pg_url")))
    store = open_store(location)
    square = gpd.GeoSeries([shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + SIDE,
                                        ORIGIN[1] + SIDE)], crs=METRIC_CRS).to_crs(STORAGE_CRS)
    store.replace_all({TOWNS.name: gpd.GeoDataFrame(
        {"town_id": ["t"], "name": ["Testov"], "kraj": ["Testkraj"]},
        geometry=[shapely.MultiPolygon([square.iloc[0]])], crs=STORAGE_CRS),
        SESSIONS.name: pd.DataFrame(columns=list(SESSIONS.columns))})
    return store


def _session(store: Store, date: str, place: str = "KC Duha") -> str:
    return create_session(store, SessionInput(
        town_id="t", date=date, place=place, organiser="KC Duha", age_group="13-18",
        participants=20, method="tablet", consent="souhlas zaznamenán"))


def _answers(store: Store, session: str, rng: np.random.Generator, centre: tuple[float, float],
             cluster: int, category: str = "dark_place") -> list[str]:
    """Approved answers of ``session``: 30 spread over the town and ``cluster`` around
    ``centre`` (EPSG:5514)."""
    x = np.concatenate([rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, 30),
                        rng.normal(centre[0], 60.0, cluster)])
    y = np.concatenate([rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, 30),
                        rng.normal(centre[1], 60.0, cluster)])
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=METRIC_CRS).to_crs(STORAGE_CRS)
    answers = [(new_pin_id(session), PinAnswer(lon=p.x, lat=p.y, category=category, feeling=2))
               for p in points]
    add_pins(store, session, answers)
    approve(store, [pin_id for pin_id, _ in answers])
    return [pin_id for pin_id, _ in answers]


def test_a_round_is_compared_with_the_previous_one_per_category_and_cell(store: Store) -> None:
    rng = np.random.default_rng(5)
    earlier = _session(store, "2025-05-01")
    first = _session(store, "2026-04-01")
    second = _session(store, "2026-05-01", place=" kc duha ")  # the same place, written apart
    elsewhere = _session(store, "2026-03-01", place="ZŠ Hornická")
    _answers(store, earlier, rng, EARLIER_AT, 40)
    _answers(store, first, rng, LATER_AT, 20)
    _answers(store, second, rng, LATER_AT, 20)
    _answers(store, second, rng, LATER_AT, 0, category="drug_dealing")  # 30 sensitive, spread
    _answers(store, elsewhere, rng, EARLIER_AT, 10)
    pins, sessions = store.read(PINS, "t"), store.read(SESSIONS, "t")

    alone = session_results(store, second, pins, sessions, permutations=199)
    assert alone.sessions == (second,) and alone.previous == (first,)
    assert alone.pins == 50 + 30

    round_ = session_results(store, second, pins, sessions, per_round=True, permutations=199)
    assert round_.sessions == tuple(sorted((first, second))) and round_.previous == (earlier,)
    assert round_.pins == 50 + 50 + 30
    by_category = round_.change.set_index("category")
    assert by_category.loc["dark_place"].to_dict() == {"now": 100, "before": 70, "change": 30}
    assert by_category.loc["drug_dealing"].to_dict() == {"now": 30, "before": 0, "change": 30}
    # the hotspot analysis's comparison: the cluster moved, the pattern test sees it
    change = round_.cell_change
    assert change is not None and change.p_value < 0.01 and change.permutations == 199
    cells = to_metric(change.cells)
    moved_to = cells.loc[cells.distance(shapely.Point(LATER_AT)).idxmin()]
    moved_from = cells.loc[cells.distance(shapely.Point(EARLIER_AT)).idxmin()]
    assert moved_to["change"] == "new" and moved_to["count_b"] > moved_to["count_a"]
    assert moved_from["change"] == "diminishing"
    assert int(cells["count_a"].sum()) == 70 and int(cells["count_b"].sum()) == 130

    # the public map: approved answers outside the sensitive categories, cells of ≥ k only
    public = round_.cells
    assert public is not None and len(public) and (public["count"] >= PUBLIC_K).all()
    assert int(public["count"].sum()) <= 100  # never one of the 30 sensitive answers
    assert list(public.columns) == ["count", "geometry"]
    squares = to_metric(public).geometry
    assert np.allclose(squares.area, CELL_M ** 2)

    # the first round of a place has nothing to compare with
    first_round = session_results(store, earlier, pins, sessions, per_round=True)
    assert first_round.previous == () and first_round.cell_change is None


def test_public_cells_drop_pending_sensitive_and_lonely_answers(store: Store) -> None:
    session = _session(store, "2026-05-01")
    centre = gpd.GeoSeries([shapely.Point(ORIGIN[0] + 1_010, ORIGIN[1] + 1_010)],
                           crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    answers = [(new_pin_id(session), PinAnswer(lon=centre.x, lat=centre.y, category=category,
                                               feeling=2))
               for category in ("dark_place",) * 2 + ("drug_dealing",) * 5]
    add_pins(store, session, answers)
    pins = store.read(PINS, "t")
    assert public_cells(pins).empty  # pending: nothing public yet
    approve(store, [pin_id for pin_id, _ in answers])
    # two ordinary answers are fewer than k, five sensitive ones never count
    assert public_cells(store.read(PINS, "t")).empty
    more = [(new_pin_id(session), PinAnswer(lon=centre.x, lat=centre.y, category="traffic",
                                            feeling=3)) for _ in range(PUBLIC_K - 3)]
    add_pins(store, session, more)
    approve(store, [pin_id for pin_id, _ in more])
    assert public_cells(store.read(PINS, "t")).empty  # k - 1 answers
    last = [(new_pin_id(session), PinAnswer(lon=centre.x, lat=centre.y, category="dogs",
                                            feeling=3))]
    add_pins(store, session, last)
    approve(store, [last[0][0]])
    assert list(public_cells(store.read(PINS, "t"))["count"]) == [PUBLIC_K]


def test_the_wall_sheet_is_one_pdf_page() -> None:
    town = gpd.GeoDataFrame(geometry=[shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + SIDE,
                                                  ORIGIN[1] + SIDE)], crs=METRIC_CRS)
    cells = gpd.GeoDataFrame({"count": [4, 7]}, geometry=[
        shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 200, ORIGIN[1] + 200),
        shapely.box(ORIGIN[0] + 400, ORIGIN[1], ORIGIN[0] + 600, ORIGIN[1] + 200)],
        crs=METRIC_CRS).to_crs(STORAGE_CRS)
    sections = [Section(f"Otázka {i}", (("", "počet"), *((f"možnost {j}", str(j))
                                                          for j in range(6))))
                for i in range(9)]
    sections.append(Section("Srovnání", (("Věta, která se musí zalomit " * 6,),)))
    pdf = results_pdf("Výsledky mapování", "KC Duha · 2026", sections, town, cells, "mapa")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    # more lines than two columns hold at the normal size: smaller, and all on the page
    lines = placed(sections)
    assert len(lines) == 9 * 8 + 1 + 3 and {line[3][1] for line in lines} >= {
        f"Otázka {i}" for i in range(9)}
    assert all(0.02 < y <= 0.51 and x in (0.06, 0.53) for x, y, _, _ in lines)
    assert lines[0][2] < 8.5


def test_results_say_when_their_answers_are_generated(store: Store) -> None:
    """Real answers (as the capture records them) carry no mark; once one of them is marked
    synthetic the results, their PDF and their HTML say the data are illustrative."""
    rng = np.random.default_rng(7)
    session = _session(store, "2026-04-01")
    ids = _answers(store, session, rng, LATER_AT, 10)
    sessions = store.read(SESSIONS, "t")
    real = session_results(store, session, store.read(PINS, "t"), sessions)
    assert real.pins == 40 and real.illustrative is False
    store.update_rows(PINS, "pin_id", pd.DataFrame({"pin_id": ids[:1], "synthetic": [True]}))
    generated = session_results(store, session, store.read(PINS, "t"), sessions)
    assert generated.pins == 40 and generated.illustrative is True


@pytest.mark.parametrize("note", ["Ilustrativní data: vygenerované odpovědi.", ""])
def test_the_wall_sheet_prints_the_illustrative_note_only_when_given(note: str) -> None:
    town = gpd.GeoDataFrame(geometry=[shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + SIDE,
                                                  ORIGIN[1] + SIDE)], crs=METRIC_CRS)
    cells = gpd.GeoDataFrame({"count": [4]}, geometry=[
        shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 200, ORIGIN[1] + 200)], crs=METRIC_CRS)
    pdf = results_pdf("Výsledky mapování", "KC Duha · 2026",
                      [Section("Kategorie", (("tma", "4"),))], town, cells, "mapa", note)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert "KC Duha · 2026" in text
    assert ("Ilustrativní data:" in text) is bool(note)
