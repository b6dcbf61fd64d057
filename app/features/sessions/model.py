"""The one-page printable summary of a session's results (pure: no Streamlit).

An A4 page for the community centre's wall: the answers counted by category, feeling, time of
day, seen/heard and age group, the session's own questions, and the change against the
previous round. Only counts are printed: no pin, place, note or id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import pandas as pd

from layers.mapping.results import SessionResults

STYLE = """@page { size: A4; margin: 12mm; }
body { font-family: sans-serif; font-size: 11pt; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 10pt 0 3pt; }
.grid { display: flex; flex-wrap: wrap; gap: 10pt; }
table { border-collapse: collapse; } td, th { padding: 1pt 6pt; border-bottom: 1px solid #ccc; }
td.n { text-align: right; }"""


def _table(rows: Sequence[Sequence[str]], head: Sequence[str]) -> str:
    cells = "".join("<tr>" + "".join(f'<td class="{"n" if i else ""}">{escape(c)}</td>'
                                     for i, c in enumerate(row)) + "</tr>" for row in rows)
    return ("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"
            + cells + "</table>")


def summary_html(results: SessionResults, title: str, subtitle: str,
                 headings: dict[str, str], label: Callable[[str, str], str],
                 texts: dict[str, str]) -> str:
    """The printable page. ``headings``: counted column → its heading; ``label(column,
    value)``: a value's label; ``texts``: ``count``, ``questions``, ``change``, ``now``,
    ``before``, ``diff``, ``no_previous`` in the page's language. Every text is escaped."""
    parts = [f"<h1>{escape(title)}</h1><p>{escape(subtitle)}</p><div class='grid'>"]
    for column, heading in headings.items():
        counted: pd.DataFrame = results.counts[column]
        rows = [(label(column, str(v)), str(n)) for v, n in zip(counted["value"],
                                                                 counted["count"], strict=True)]
        parts.append(f"<div><h2>{escape(heading)}</h2>{_table(rows, ('', texts['count']))}"
                     "</div>")
    parts.append("</div>")
    for question, counted in results.questions.items():
        rows = [(str(v), str(n)) for v, n in zip(counted["value"], counted["count"], strict=True)]
        parts.append(f"<h2>{escape(question)}</h2>{_table(rows, ('', texts['count']))}")
    parts.append(f"<h2>{escape(texts['change'])}</h2>")
    if results.previous is None:
        parts.append(f"<p>{escape(texts['no_previous'])}</p>")
    else:
        change = [(label("category", str(r.category)), str(r.now), str(r.before),
                   f"{int(str(r.change)):+d}") for r in results.change.itertuples()]
        parts.append(_table(change, ("", texts["now"], texts["before"], texts["diff"])))
    return ("<!DOCTYPE html><html lang='cs'><head><meta charset='utf-8'><title>"
            f"{escape(title)}</title><style>{STYLE}</style></head><body>"
            + "".join(parts) + "</body></html>")
