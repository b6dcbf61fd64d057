"""The printable one-page summary of a session's results: counts, labels, escaping."""

from __future__ import annotations

import pandas as pd

from app.features.sessions.model import summary_html
from layers.mapping.results import COUNTED, SessionResults

TEXTS = {"count": "počet", "change": "Srovnání", "now": "teď", "before": "dříve",
         "diff": "změna", "no_previous": "Není s čím srovnat."}


def _results(previous: str | None) -> SessionResults:
    counts = {column: pd.DataFrame({"value": [], "count": []}) for column in COUNTED}
    counts["category"] = pd.DataFrame({"value": ["dark_place"], "count": [4]})
    change = pd.DataFrame({"category": ["dark_place"], "now": [4], "before": [6],
                           "change": [-2]})
    return SessionResults(4, counts, {"<b>Co chybí?</b>": pd.DataFrame(
        {"value": ["lampy"], "count": [3]})}, previous, change)


def test_the_summary_counts_labels_and_escapes() -> None:
    page = summary_html(_results("s-1"), "Výsledky", "KC · 2026-12-06",
                        {"category": "Co tam je"}, lambda field, value: f"[{value}]", TEXTS)
    assert "<td class=\"\">[dark_place]</td><td class=\"n\">4</td>" in page
    assert "<td class=\"n\">-2</td>" in page and "&lt;b&gt;Co chybí?&lt;/b&gt;" in page
    assert "<b>" not in page and "s-1" not in page  # no id printed
    alone = summary_html(_results(None), "Výsledky", "", {}, lambda f, v: v, TEXTS)
    assert "Není s čím srovnat." in alone
