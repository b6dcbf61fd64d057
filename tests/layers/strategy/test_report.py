"""The council report of the demo store's areas: the PDF's text and the HTML's content."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

from layers.store import Store
from layers.strategy.area import load_area
from layers.strategy.report import report_html, report_pdf


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_janov_report_pdf_has_the_goal_numbers_and_a_map_page(demo_store: Store,
                                                              tmp_path: Path) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    pdf = report_pdf(view, "Litvínov", "Janov")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert "Litvínov – Janov" in text
    for number in ("1.1.1", "1.1.5", "1.4"):
        assert number in text
    assert "vybudování plácku a posezení se zastřešením [probíhá]" in text
    assert "Červeně: místa strachu" in text.replace("\n", " ")  # the map page's key


def test_report_html_lists_indicators_goals_and_statuses(demo_store: Store) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    page = report_html(view, "Litvínov", "Janov")
    assert len(view.indicators) > 0
    for name in view.indicators["name"]:
        assert html.escape(name) in page
    assert "<strong>1.1.1</strong>" in page
    assert "probíhá" in page


def test_kraslice_report_shows_the_ended_programme(demo_store: Store) -> None:
    page = report_html(load_area(demo_store, "kraslice"), "Kraslice")
    assert "ukončeno" in page
    assert "plánováno" not in page
