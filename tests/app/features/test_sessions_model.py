"""The printable one-page summary of a session's results: counts, labels, the change per
category and per cell, escaping."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from app.features.sessions.model import summary_html, summary_sections
from layers.hotspots.change import PatternChange
from layers.mapping.results import COUNTED, SessionResults

TEXTS = {"count": "počet", "change": "Srovnání", "now": "teď", "before": "dříve",
         "diff": "změna", "no_previous": "Není s čím srovnat.", "cells": "Po místech",
         "cells_test": "p = {p} ({permutations})", "cells_none": "Nelze po místech."}


def _results(previous: tuple[str, ...], cells: PatternChange | None = None) -> SessionResults:
    counts = {column: pd.DataFrame({"value": [], "count": []}) for column in COUNTED}
    counts["category"] = pd.DataFrame({"value": ["dark_place"], "count": [4]})
    change = pd.DataFrame({"category": ["dark_place"], "now": [4], "before": [6],
                           "change": [-2]})
    return SessionResults(4, counts, {"<b>Co chybí?</b>": pd.DataFrame(
        {"value": ["lampy"], "count": [3]})}, previous, change, ("s-2",), None, cells)


def _page(results: SessionResults, headings: dict[str, str]) -> str:
    sections = summary_sections(results, headings, lambda field, value: f"[{value}]", TEXTS)
    return summary_html(sections, "Výsledky", "KC · 2026-12-06")


def test_the_summary_counts_labels_and_escapes() -> None:
    page = _page(_results(("s-1",)), {"category": "Co tam je"})
    assert "<td class=\"\">[dark_place]</td><td class=\"n\">4</td>" in page
    assert "<td class=\"n\">-2</td>" in page and "&lt;b&gt;Co chybí?&lt;/b&gt;" in page
    assert "<b>" not in page and "s-1" not in page and "s-2" not in page  # no id printed
    assert "Nelze po místech." in page  # a previous round, but no cell comparison
    assert "Není s čím srovnat." in _page(_results(()), {})


def test_the_summary_counts_cells_by_change_and_gives_the_test() -> None:
    cells = gpd.GeoDataFrame({"change": ["new", "new", "diminishing", "none"],
                              "count_a": [0, 1, 5, 0], "count_b": [4, 6, 0, 0]},
                             geometry=[None] * 4)
    page = _page(_results(("s-1",), PatternChange(cells, 0.4, 0.012, 999)), {})
    assert "<td class=\"\">[new]</td><td class=\"n\">2</td>" in page
    assert "<td class=\"\">[diminishing]</td><td class=\"n\">1</td>" in page
    assert "<td class=\"\">[persistent]</td><td class=\"n\">0</td>" in page
    assert "p = 0.012 (999)" in page and "[none]" not in page


def test_the_results_map_draws_public_cells_and_changed_hexagons_offline() -> None:
    import shapely

    from app.features.sessions.map import build_results_map
    from app.ui.maps.assets import remote_urls

    boundary = gpd.GeoDataFrame(geometry=[shapely.box(13.60, 50.58, 13.68, 50.62)],
                                crs="EPSG:4326")
    public = gpd.GeoDataFrame({"count": [7]}, geometry=[shapely.box(13.62, 50.60, 13.623,
                                                                    50.602)], crs="EPSG:4326")
    hexagons = gpd.GeoDataFrame(
        {"change": ["new", "none", "diminishing"], "count_a": [0, 0, 6], "count_b": [9, 0, 1],
         "cell_id": ["0:1", "0:2", "0:3"]},
        geometry=[shapely.Point(13.61 + 0.01 * i, 50.60).buffer(0.002, 3) for i in range(3)],
        crs="EPSG:4326")
    html = build_results_map(public, hexagons, boundary, "cs").get_root().render()
    assert remote_urls(html) == []
    def js(text: str) -> str:  # as folium writes text into the page's GeoJSON
        return json.dumps(text)[1:-1]

    assert js("Nové ohnisko: dříve 0, teď 9 odpovědí") in html
    assert js("Slábnoucí nebo zaniklé ohnisko: dříve 6, teď 1 odpovědí") in html
    assert js("Ohnisko ani dříve, ani teď:") not in html  # unchanged cells are not drawn
    assert "0:1" not in html  # no cell id
    assert html.count('"fill": "#fb6a4a"') == 1 and '"count": 7' in html
    alone = build_results_map(public.iloc[0:0], None, boundary, "cs").get_root().render()
    assert js("Změna proti předchozímu kolu") not in alone and "Změna proti" not in alone


def test_the_summary_prints_the_illustrative_note_only_when_given() -> None:
    sections = summary_sections(_results(()), {}, lambda field, value: value, TEXTS)
    marked = summary_html(sections, "Výsledky", "KC", "Ilustrativní data: <smyšlené>")
    assert "<strong>Ilustrativní data: &lt;smyšlené&gt;</strong>" in marked
    assert "Ilustrativní" not in summary_html(sections, "Výsledky", "KC")
