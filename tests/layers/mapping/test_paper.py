"""Paper workflow: grid cells, transcription rows, the printed PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.mapping.paper import SessionGrid, category_number, parse_transcription
from layers.mapping.print_map import print_session_map
from layers.schema import CONTEXT_LINES, LOCALITIES, PIN_CATEGORIES, TOWNS

GRID = SessionGrid.around(13.6111, 50.6007, size_m=3000, cells=12)


def _metric(lon: float, lat: float) -> shapely.Point:
    return gpd.GeoSeries([shapely.Point(lon, lat)], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]


def test_cell_centres_are_250_m_apart_and_ordered() -> None:
    a1, b1, a2 = (_metric(*GRID.cell_centre(c)) for c in ("A1", "B1", "A2"))
    assert b1.x - a1.x == pytest.approx(250, abs=0.01)  # letters go east
    assert a1.y - a2.y == pytest.approx(250, abs=0.01)  # numbers go south
    centre = _metric(13.6111, 50.6007)
    f6 = _metric(*GRID.cell_centre("f6"))
    assert (centre.x - f6.x, f6.y - centre.y) == pytest.approx((125, 125), abs=0.01)


@pytest.mark.parametrize("label", ["M1", "A13", "A0", "4C", ""])
def test_cells_outside_the_grid(label: str) -> None:
    with pytest.raises(ValueError):
        GRID.cell_centre(label)


def test_transcription_row() -> None:
    answer = parse_transcription("C4, category 3, heard, evening", GRID)
    assert answer.category == PIN_CATEGORIES[2]
    assert (answer.seen, answer.time_of_day, answer.feeling) == ("heard", "evening", 2)
    assert answer.place_note == "C4"
    assert (answer.lon, answer.lat) == GRID.cell_centre("C4")
    czech = parse_transcription("c4, kategorie 12, viděl, ráno, pocit 4", GRID)
    assert (czech.category, czech.seen, czech.time_of_day, czech.feeling) == (
        "feel_good", "own", "morning", 4)
    assert parse_transcription("B2, 12", GRID).feeling == 5  # positive → safe by default


@pytest.mark.parametrize(("row", "problem"), [
    ("C4, heard", "no category"), ("C4, category 99", "not in the legend"),
    ("C4, 3, maybe", "cannot read 'maybe'"), ("Z9, 3", "outside the grid"),
])
def test_bad_transcription_rows(row: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_transcription(row, GRID)


def test_legend_numbers() -> None:
    assert [category_number(c) for c in PIN_CATEGORIES] == list(
        range(1, len(PIN_CATEGORIES) + 1))


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_printed_map_has_grid_legend_and_session(tmp_path: Path, demo_store, paper: str) -> None:
    out = tmp_path / f"map-{paper}.pdf"
    labels = {c: f"Kategorie {c}" for c in PIN_CATEGORIES}
    print_session_map(out, grid=GRID, town=demo_store.read(TOWNS, "litvinov"),
                      context=demo_store.read(CONTEXT_LINES, "litvinov"),
                      localities=demo_store.read(LOCALITIES, "litvinov"),
                      session_id="litvinov-abc123", title="Mapa bezpečí – Litvínov",
                      category_labels=labels, paper=paper)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "litvinov-abc123" in text
    assert "13. Kategorie develop" in text and "1. Kategorie drug_dealing" in text
    for label in ("A", "L", "12"):
        assert label in text.split()
    size = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                          check=True).stdout
    expected = "595.44 x 841.68" if paper == "A4" else "841.68 x 1190.88"
    assert expected in size


def test_grid_covering_an_area(demo_store) -> None:
    localities = demo_store.read(LOCALITIES, "litvinov")
    grid = SessionGrid.covering(localities, cells=10)
    cells = grid.cells().to_crs(STORAGE_CRS)
    assert cells.union_all().contains(localities.union_all())
    assert grid.cell_m * 10 >= 2000
