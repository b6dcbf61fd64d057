"""The council report of the demo store's areas: the PDF's text and the HTML's content."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box, mapping

from layers.access.principal import Principal
from layers.area_figures import department_figure, exclusion_figure, figure_lines, region_totals
from layers.schema import LOCALITIES
from layers.store import Store, open_store
from layers.strategy.area import load_area
from layers.strategy.editing import add_measure, polygon_link
from layers.strategy.report import ILLUSTRATIVE_NOTE, hectares, report_html, report_pdf


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
    # the map page's legend
    for entry in ("místo strachu, které neřeší žádné aktivní opatření",
                  "místo, na které opatření odkazuje"):
        assert entry in text
    assert "zakreslená plocha opatření" not in text  # no drawn area in Janov yet


def test_janov_report_has_the_real_figures_and_marks_illustrative_places(
        demo_store: Store, tmp_path: Path) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    assert view.illustrative
    lines = figure_lines(exclusion_figure(demo_store, "litvinov", locality=True),
                         department_figure(demo_store, "litvinov", "litvinov-1"),
                         region_totals(demo_store, "litvinov"), "Litvínov", "Janov")
    page = html.unescape(report_html(view, "Litvínov", "Janov", lines))
    assert "lokalita Janov: nezveřejněn" in page and "obec Litvínov 19 bodů" in page
    assert ("OOP Litvínov-Hamr (katastrální území Janov u Litvínova): 483,9 trestných činů "
            "na 10 000 obyvatel (rok 2013)") in page
    assert "15\u00a0858 (2024), 14\u00a0651 (2025)" in page
    assert ILLUSTRATIVE_NOTE in page
    text = _pdf_text(report_pdf(view, "Litvínov", "Janov", lines), tmp_path)
    assert "OOP Litvínov-Hamr" in text and "(rok 2013)" in text
    assert "(ilustrativní data)" in text  # the map page's legend


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
    # the town's own document comes first; the region's (with measures of its own) follows
    own, region = page.split("<h2>")[1:3]
    assert "ukončeno" in own
    assert "plánováno" not in own
    assert region.startswith("Strategie sociálního začleňování Karlovarského kraje")
    assert "Předčasné ukončení".lower() in own and "2.11.2023" in own


def test_hectares_are_written_the_czech_way() -> None:
    assert hectares(12_345) == "1,23 ha"
    assert hectares(123_456_789) == "12\u00a0345,68 ha"


def test_a_drawn_area_is_on_the_map_and_listed_with_its_size(demo_store_path: Path,
                                                             tmp_path: Path) -> None:
    copy = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, copy)
    store = open_store(copy)
    janov = gpd.GeoDataFrame(store.read(LOCALITIES, "litvinov")).to_crs("EPSG:5514")
    inside = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0].representative_point()
    square = gpd.GeoSeries([box(inside.x - 100, inside.y - 100, inside.x + 100, inside.y + 100)],
                           crs="EPSG:5514").to_crs("EPSG:4326").iloc[0]
    link, _ = polygon_link(mapping(square), lambda _: "Vnitroblok")
    add_measure(store, Principal("t-coordinator", "strategy_coordinator"), "litvinov-pp9",
                "litvinov-pp9:goal:1.1.1", "Úklid vnitrobloku", [], "planned", "", [link])
    view = load_area(store, "litvinov", "litvinov-1")
    page = report_html(view, "Litvínov", "Janov")
    assert "<h2>Zakreslené plochy opatření</h2>" in page
    # 200 m × 200 m measured in EPSG:5514
    assert "<td>4,00 ha</td>" in page and "<td>Úklid vnitrobloku</td>" in page
    pdf = report_pdf(view, "Litvínov", "Janov")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert "4,00 ha u " in text and "Úklid vnitrobloku" in text
    assert "zakreslená plocha opatření" in text  # the legend entry of the map page


def test_report_carries_the_documents_whole(demo_store: Store) -> None:
    """The region's strategy with its evaluations (undated, sourced), funding, indicator
    directions and changes, and the timeline, as the Area page shows them."""
    page = html.unescape(report_html(load_area(demo_store, "litvinov"), "Litvínov"))
    assert "Strategie prevence kriminality na území Ústeckého kraje na období 2012 2016" in page
    assert ("Hodnocení (v dokumentu neuvedeno; Hodnocení Strategie prevence kriminality "
            "Ústeckého kraje 2012–2016, Hodnocení cíle 1, str. 5–6)") in page
    assert "seed" not in page  # documents by their titles, never by file names
    assert "Financování: Programu Prevence kriminality MV" in page
    assert page.count("↘ zhoršení") == 2
    assert "vyšší je lepší" in page
    assert "Časová osa" in page and "04-05/2023" in page
    assert "(2023-07)" not in page and "(2024-06)" not in page  # no assumed dates
    assert "(v dokumentu neuvedeno)" in page
