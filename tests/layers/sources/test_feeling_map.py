"""Feeling-map export reader: every faulty row of the sample is reported with its reason."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from layers.schema import PINS
from layers.sources.errors import SourceError
from layers.sources.feeling_map import ImportReport, iter_feeling_map

SAMPLE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "pocitova_mapa_sample.csv"
HEADER = "ID respondenta,Pocit,X,Y,Městský obvod,Komentář,Věk,Bydliště,Bydliště MOb,Pohlaví\n"
AREA = box(13.59, 50.59, 13.63, 50.61)  # a town around central Litvínov


def _read(path: Path, chunk_rows: int = 10) -> tuple[gpd.GeoDataFrame, ImportReport]:
    report = ImportReport()
    chunks = list(iter_feeling_map(path, town_id="litvinov", boundary=AREA, session_id="imp",
                                   report=report, chunk_rows=chunk_rows))
    pins = pd.concat(chunks, ignore_index=True) if chunks else gpd.GeoDataFrame()
    return gpd.GeoDataFrame(pins), report


def test_sample_faults_are_reported_by_line() -> None:
    pins, report = _read(SAMPLE)
    by_line = {i.line: i.reason for i in report.rejected}
    assert by_line[39] == "outside the town boundary"  # Prague
    assert by_line[40] == "outside the town boundary"  # another continent
    assert by_line[41] == "missing coordinates"
    assert by_line[42] == "unknown category 'Neznámá kategorie'"
    assert [(i.line, i.reason) for i in report.repaired] == [
        (43, "swapped X/Y (longitude/latitude) corrected")]
    assert report.rows == 42
    assert report.imported == len(pins) == 42 - len(report.rejected)
    repaired = pins[pins["comment"] == "prohozené X a Y"].geometry.iloc[0]
    assert (round(repaired.x, 4), round(repaired.y, 4)) == (13.6098, 50.6012)


def test_pins_follow_the_schema_and_are_pending() -> None:
    pins, report = _read(SAMPLE)
    assert list(pins.columns) == [*PINS.columns, "geometry"]
    assert pins.crs.to_epsg() == 4326
    assert set(pins["status"]) == {"pending"}
    assert pins["pin_id"].is_unique
    assert set(pins["category"]) <= {"other", "feel_good", "develop"}
    assert "Místo, kde se necítím dobře" in set(pins["source_value"])
    held = pins[pins["comment_held"]]
    assert report.screened_comments == len(held) == 3
    assert held["comment"].str.contains("604 123 456").all()
    for column in ("Pohlaví", "Bydliště", "ID respondenta"):
        assert column not in pins.columns


def test_chunking_does_not_change_the_result() -> None:
    one, report_one = _read(SAMPLE, chunk_rows=1000)
    many, report_many = _read(SAMPLE, chunk_rows=3)
    assert report_one.as_json() == report_many.as_json()
    assert one.drop(columns="geometry").equals(many.drop(columns="geometry"))


def test_duplicates_across_chunks(tmp_path: Path) -> None:
    row = 'abc,"Místo, kde se necítím dobře",13.61,50.60,Litvínov,,15-24,,,muž\n'
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + row * 3 + row.replace("abc", "xyz"), encoding="utf-8-sig")
    pins, report = _read(path, chunk_rows=2)
    assert [(i.line, i.reason) for i in report.rejected] == [
        (3, "duplicate of an earlier row"), (4, "duplicate of an earlier row")]
    assert len(pins) == 2


@pytest.mark.parametrize(("content", "problem"), [
    ("", "is empty"),
    ("a,b,c\n1,2,3\n", "missing required columns"),
])
def test_broken_files(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=problem):
        _read(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        _read(tmp_path / "none.csv")
