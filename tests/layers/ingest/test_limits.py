"""Every limit of ``layers.limits`` refuses its file before the work, with a coded message
naming the limit and the value, and the store stays as it was. Big inputs are made here, in
a temporary folder; a few limits are lowered so that the files stay small."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from layers.errors import MapaError
from layers.ingest.batches import run_import
from layers.limits import LIMITS, LimitExceeded, Limits
from layers.mapping.capture import PinAnswer, validate_answer
from layers.mapping.feeling_map_import import import_feeling_map
from layers.screening import screen_comment
from layers.store import Store
from tests.layers.ingest.conftest import FIXTURES, digest

BROKEN = FIXTURES / "broken"
INSIDE = (13.61, 50.60)  # a point in Litvínov


def _refused(store: Store, kind: str, path: Path, code: str,
             limits: Limits = LIMITS) -> LimitExceeded:
    before = digest(store)
    with pytest.raises(LimitExceeded) as caught:
        run_import(store, kind, path, town_id="litvinov", limits=limits)
    assert caught.value.code == code
    assert digest(store) == before
    return caught.value


def _never_called(*_: object, **__: object) -> None:
    raise AssertionError("the parser ran on a file over a limit")


def test_zip_bomb_is_refused_by_its_declared_size_before_unpacking(
        store: Store, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("lokality.dbf", b"\0" * (3 << 20))  # 3 MiB of zeros, 3 kB packed
    assert bomb.stat().st_size < 10_000
    error = _refused(store, "localities", bomb, "limit.archive_bytes",
                     replace(LIMITS, archive_bytes=1 << 20))
    assert error.params == {"what": "bomb.zip", "value": 3 << 20, "limit": 1 << 20}
    assert "over the limit of 1048576 bytes" in error.message("en")
    assert "limit je 1048576 bajtů" in error.message("cs")


def test_archive_with_too_many_members(store: Store, tmp_path: Path) -> None:
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zipped:
        for i in range(LIMITS.archive_members + 1):
            zipped.writestr(f"f{i}.txt", "")
    error = _refused(store, "localities", many, "limit.archive_members")
    assert error.params["value"] == LIMITS.archive_members + 1


def test_a_million_columns_are_refused_before_pandas_parses_them(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n")
    monkeypatch.setattr(pd, "read_csv", _never_called)
    error = _refused(store, "services", wide, "limit.columns")
    assert error.params["value"] == 1_000_000
    assert error.message("en").startswith("wide.csv: 1000000 columns, over the limit of 500")


def test_rows_over_the_limit(store: Store, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    long = tmp_path / "offences.csv"
    long.write_text("date,type,lon,lat\n" + "2026-01-01,krádež,13.61,50.60\n" * 11)
    monkeypatch.setattr(pd, "read_csv", _never_called)
    error = _refused(store, "offences", long, "limit.rows", replace(LIMITS, rows=10))
    assert (error.params["value"], error.params["limit"]) == (11, 10)


def test_a_cell_over_the_limit_is_refused_before_validation(store: Store,
                                                           tmp_path: Path) -> None:
    big = tmp_path / "services.csv"
    big.write_text(f"name,type,lon,lat\n{'x' * (LIMITS.cell_chars + 1)},police,13.61,50.60\n")
    error = _refused(store, "services", big, "limit.cell_chars")
    assert error.params["value"] == LIMITS.cell_chars + 1
    assert error.params["what"] == "services.csv, line 2, name"


def test_a_line_longer_than_its_columns_can_be_is_refused_unparsed(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 5 MB field in a 4-column file: refused by the byte pass, pandas never holds it."""
    big = tmp_path / "services.csv"
    big.write_text(f"name,type,lon,lat\n\"{'x' * 5_000_000}\",police,13.61,50.60\n")
    monkeypatch.setattr(pd, "read_csv", _never_called)
    error = _refused(store, "services", big, "limit.line_bytes")
    assert error.params["line"] == 2 and error.params["value"] > 5_000_000


def test_a_geometry_over_the_vertex_limit(store: Store, tmp_path: Path) -> None:
    ring = [[INSIDE[0] + 0.001 * (i % 2), INSIDE[1] + 0.00001 * i] for i in range(200)]
    ring.append(ring[0])
    path = tmp_path / "lokality.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Velká"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    error = _refused(store, "localities", path, "limit.vertices",
                     replace(LIMITS, vertices=100))
    assert error.params == {"what": "lokality.geojson, feature 1", "value": 201, "limit": 100}


@pytest.mark.parametrize(("name", "code"), [
    ("far_cell.xlsx", "limit.columns"),       # one cell at XFD1048576
    ("far_dimension.xlsx", "limit.columns"),  # a sheet that declares A1:XFD1048576
])
def test_xlsx_reaching_far_is_refused_before_openpyxl_opens_it(
        store: Store, name: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pd, "read_excel", _never_called)
    error = _refused(store, "exclusion-index", BROKEN / name, code)
    assert error.params["value"] == 16_384


def test_xlsx_sheet_cells_limit(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "kod"
    book.active["CV2000"] = 1  # 100 columns × 2,000 rows
    path = tmp_path / "index.xlsx"
    book.save(path)
    error = _refused(store, "exclusion-index", path, "limit.sheet_cells",
                     replace(LIMITS, sheet_cells=100_000))
    assert error.params["value"] == 200_000


def test_xml_entity_expansion_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pd, "read_excel", _never_called)
    before = digest(store)
    with pytest.raises(MapaError) as caught:
        run_import(store, "exclusion-index", BROKEN / "entities.xlsx", town_id="litvinov")
    assert caught.value.code == "source.xml_declarations"
    assert "xl/worksheets/sheet1.xml" in caught.value.message("cs")
    assert digest(store) == before


def test_long_comments_are_rejected_rows_and_never_screened(store: Store,
                                                           tmp_path: Path) -> None:
    export = tmp_path / "pocitova_mapa.csv"
    ok, long = "Tady je tma", "tma " * 100
    export.write_text("ID respondenta,Pocit,X,Y,Komentář\n"
                      f'1,"Místo, kde se necítím dobře",{INSIDE[0]},{INSIDE[1]},{ok}\n'
                      f'2,"Místo, kde se cítím dobře",{INSIDE[0]},{INSIDE[1] + 0.001},{long}\n',
                      encoding="utf-8")
    _, report = import_feeling_map(store, export, town_id="litvinov")
    assert report.imported == 1
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, f"line 3: the comment has {len(long.strip())} characters, at most "
            f"{LIMITS.comment_chars} are allowed")]


def test_screening_and_the_capture_form_stop_at_the_comment_limit() -> None:
    assert screen_comment("a" * LIMITS.comment_chars).held is False
    with pytest.raises(LimitExceeded) as caught:
        screen_comment("a" * (LIMITS.comment_chars + 1))
    assert caught.value.code == "limit.comment_chars"
    answer = PinAnswer(lon=INSIDE[0], lat=INSIDE[1], category="other", feeling=2,
                       comment="b" * (LIMITS.comment_chars + 1))
    with pytest.raises(LimitExceeded, match=f"at most {LIMITS.comment_chars}"):
        validate_answer(answer)
