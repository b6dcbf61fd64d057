"""``mapa analysis``: the yearly security analysis of the demo store with a several-year
police export imported, as a DOCX python-docx reads back (the six chapters, real tables, at
least two pictures), the same as ODT (odfpy reads it back) and a PDF whose text holds the
area, the year and the figures; a year without figures and a format it does not write are
refused with what there is; a PostGIS store gives the same."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document as read_docx
from docx.document import Document as DocxDocument
from odf import draw as odf_draw
from odf import table as odf_table
from odf import teletype
from odf import text as odf_text
from odf.opendocument import load as load_odt

from layers.analysis.content import CHAPTERS
from layers.ingest.batches import run_import
from layers.schema import LOCALITIES, PINS, SERVICES, SESSIONS
from layers.store import open_store
from layers.store.transfer import copy_store
from scripts.mapa import main
from tests.police_export import YEARS, rows_of, write_export

TOWN = "litvinov"


@pytest.fixture(scope="module")
def store_path(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analysis")
    path = Path(shutil.copy(demo_store_path, folder / "demo.gpkg"))
    store = open_store(path)
    for export in write_export(folder / "export", store, TOWN):
        run_import(store, "police-open-data", export, town_id=TOWN)
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    status = main(["analysis", *args, "--json"])
    return status, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _headings(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs
            if p.style is not None and str(p.style.name).startswith("Heading")]


def test_docx_has_the_chapters_tables_and_maps(store_path: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "analyza.docx"
    status, result = _run(capsys, "--store", str(store_path), "--area", "Litvínov",
                          "--year", "2024", "--out", str(out))
    assert status == 0 and result["town_id"] == TOWN and result["format"] == "docx"
    doc = read_docx(str(out))
    headings = _headings(doc)
    assert [h for h in headings if h in CHAPTERS] == list(CHAPTERS)
    assert len(doc.inline_shapes) >= 2 and len(doc.inline_shapes) == result["pictures"]
    assert len(doc.tables) == result["tables"] >= 5
    categories = next(t for t in doc.tables if t.rows[0].cells[0].text == "kategorie (TSK)")
    header = [c.text for c in categories.rows[0].cells]
    assert any(h.startswith("Litvínov (2024)") for h in header)
    assert any(h.startswith("Ústecký kraj (2024)") for h in header)
    total = [c.text for c in categories.rows[1].cells]
    assert total[0].startswith("Celková kriminalita")
    assert total[1].split(" / ")[0] == str(len(rows_of(2024)))
    # the conclusions: headings with the figures, the text left for the manager
    assert f"Kriminalita 2024 (Litvínov): {len(rows_of(2024))} skutků" in " ".join(headings)
    assert any("Doplní manažer" in p.text for p in doc.paragraphs)


def test_pdf_text_holds_the_area_year_and_figures(store_path: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "analyza.pdf"
    status, result = _run(capsys, "--store", str(store_path), "--area", TOWN, "--year", "2023",
                          "--out", str(out))
    assert status == 0 and result["format"] == "pdf" and out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Bezpečnostní analýza: Litvínov" in text and "Rok 2023" in text
    assert f"Kriminalita 2023 (Litvínov): {len(rows_of(2023))} skutků" in text
    assert "(v roce 2022: " + str(len(rows_of(2022))) + ")" in text
    assert "15 858" in text  # Ústecký kraj, all crimes registered in 2024 (the reference)
    assert "Ilustrativní data" in text


@pytest.mark.parametrize(("year", "name", "code", "listed"), [
    ("2030", "analyza.docx", "crime.no_year", ", ".join(map(str, (2013, *YEARS)))),
    ("2024", "analyza.rtf", "analysis.format", ".docx, .pdf, .odt"),
], ids=["year-without-figures", "rtf"])
def test_refusals_list_what_there_is(store_path: Path, tmp_path: Path, year: str, name: str,
                                     code: str, listed: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / name
    status, result = _run(capsys, "--store", str(store_path), "--area", TOWN, "--year", year,
                          "--out", str(out))
    assert status == 1 and result["error"]["code"] == code
    assert listed in result["error"]["message"] and not out.exists()


def test_odt_has_the_chapters_tables_and_maps(store_path: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "analyza.odt"
    status, result = _run(capsys, "--store", str(store_path), "--area", TOWN, "--year", "2024",
                          "--out", str(out))
    assert status == 0 and result["format"] == "odt"
    doc = load_odt(str(out))
    headings = [teletype.extractText(h) for h in doc.getElementsByType(odf_text.H)]
    assert [h for h in headings if h in CHAPTERS] == list(CHAPTERS)
    assert len(doc.getElementsByType(odf_table.Table)) == result["tables"]
    assert len(doc.getElementsByType(odf_draw.Image)) == result["pictures"] >= 2


def test_a_postgis_store_gives_the_same_chapters_and_figures(
        demo_store_path: Path, pg_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(pg_url)
    copy_store(open_store(demo_store_path), store)
    for export in write_export(tmp_path / "export", store, TOWN):
        run_import(store, "police-open-data", export, town_id=TOWN)
    out = tmp_path / "analyza.docx"
    status, result = _run(capsys, "--store", pg_url, "--area", TOWN, "--year", "2024",
                          "--out", str(out))
    assert status == 0 and result["pictures"] >= 2
    headings = _headings(read_docx(str(out)))
    assert [h for h in headings if h in CHAPTERS] == list(CHAPTERS)
    assert f"Kriminalita 2024 (Litvínov): {len(rows_of(2024))} skutků" in " ".join(headings)


def _docx_text(path: Path) -> str:
    doc = read_docx(str(path))
    return "\n".join([*(p.text for p in doc.paragraphs),
                      *(c.text for t in doc.tables for r in t.rows for c in r.cells)])


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "real"])
def test_docx_and_odt_mark_illustrative_data_only_when_generated(
        store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        generated: bool) -> None:
    path = Path(shutil.copy(store_path, tmp_path / "s.gpkg"))
    if not generated:  # every layer said real, as a town with its own data has them
        store = open_store(path)
        for layer, key in ((LOCALITIES, "locality_id"), (SERVICES, "service_id"),
                           (SESSIONS, "session_id"), (PINS, "pin_id")):
            rows = store.read(layer)
            store.update_rows(layer, key, pd.DataFrame({key: rows[key], "synthetic": False}))
        with sqlite3.connect(path) as db:  # the sources table has neither key nor geometry
            db.execute("UPDATE sources SET synthetic = 0")
    docx_out, odt_out = tmp_path / "a.docx", tmp_path / "a.odt"
    for out in (docx_out, odt_out):
        status, _ = _run(capsys, "--store", str(path), "--area", TOWN, "--year", "2024",
                         "--out", str(out))
        assert status == 0
    docx_text = _docx_text(docx_out)
    odt_text = teletype.extractText(load_odt(str(odt_out)).text)
    for text in (docx_text, odt_text):
        assert "Bezpečnostní analýza: Litvínov" in text
        assert ("Ilustrativní data:" in text) is generated
        assert ("ilustrativní" in text.casefold()) is generated
