"""The printable one-page summary of a session's results: counts, labels, the change per
category and per cell, escaping."""

from __future__ import annotations

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
