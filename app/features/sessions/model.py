"""The one-page printable summary of a session's or a round's results (pure: no Streamlit).

For the community centre's wall: the answers counted by category, feeling, time of day,
seen/heard and age group, the session's own questions, and the change against the previous
round per category and per cell (with the pattern test). The same sections make the HTML
page and the PDF (``layers.mapping.results_sheet``). Only counts are printed: no pin, place,
note or id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import pandas as pd

from layers.mapping.results import SessionResults
from layers.mapping.results_sheet import Section

STYLE = """@page { size: A4; margin: 12mm; }
body { font-family: sans-serif; font-size: 11pt; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 10pt 0 3pt; }
.grid { display: flex; flex-wrap: wrap; gap: 10pt; }
table { border-collapse: collapse; } td, th { padding: 1pt 6pt; border-bottom: 1px solid #ccc; }
td.n { text-align: right; }"""
#: The change classes counted on the summary, in the order printed.
CHANGE_CLASSES = ("new", "intensifying", "persistent", "diminishing")


def summary_sections(results: SessionResults, headings: dict[str, str],
                     label: Callable[[str, str], str], texts: dict[str, str]
                     ) -> list[Section]:
    """The summary's tables. ``headings``: counted column → its heading; ``label(group,
    value)``: a value's label (``group`` a counted column or ``"change"`` for a cell's change
    class); ``texts``: ``count``, ``change``, ``now``, ``before``, ``diff``, ``no_previous``,
    ``cells``, ``cells_test`` (with ``{p}`` and ``{permutations}``), ``cells_none`` in the
    page's language. The first row of a table is its header."""
    sections = []
    for column, heading in headings.items():
        counted: pd.DataFrame = results.counts[column]
        sections.append(Section(heading, (("", texts["count"]), *(
            (label(column, str(v)), str(n))
            for v, n in zip(counted["value"], counted["count"], strict=True)))))
    for question, counted in results.questions.items():
        sections.append(Section(question, (("", texts["count"]), *(
            (str(v), str(n)) for v, n in zip(counted["value"], counted["count"], strict=True)))))
    if not results.previous:
        sections.append(Section(texts["change"], ((texts["no_previous"],),)))
        return sections
    sections.append(Section(texts["change"], (
        ("", texts["now"], texts["before"], texts["diff"]),
        *((label("category", str(r.category)), str(r.now), str(r.before),
           f"{int(str(r.change)):+d}") for r in results.change.itertuples()))))
    change = results.cell_change
    if change is None:
        sections.append(Section(texts["cells"], ((texts["cells_none"],),)))
        return sections
    classes = change.cells["change"].value_counts()
    test = texts["cells_test"].format(p=f"{change.p_value:.3f}",
                                      permutations=change.permutations)
    sections.append(Section(texts["cells"], (
        ("", texts["count"]),
        *((label("change", code), str(int(classes.get(code, 0)))) for code in CHANGE_CLASSES),
        (test,))))
    return sections


def _table(rows: Sequence[Sequence[str]]) -> str:
    head, *body = rows
    if len(head) == 1:  # a sentence, not a table
        return f"<p>{escape(head[0])}</p>"
    cells = "".join("<tr>" + "".join(f'<td class="{"n" if i else ""}">{escape(c)}</td>'
                                     for i, c in enumerate(row)) + "</tr>" for row in body)
    return ("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"
            + cells + "</table>")


def summary_html(sections: Sequence[Section], title: str, subtitle: str, note: str = "") -> str:
    """The printable page of ``sections`` (from :func:`summary_sections`), a non-empty
    ``note`` (the illustrative-data note) in bold under the subtitle; every text is escaped."""
    marked = f"<p><strong>{escape(note)}</strong></p>" if note else ""
    parts = [f"<h1>{escape(title)}</h1><p>{escape(subtitle)}</p>{marked}<div class='grid'>"]
    parts += [f"<div><h2>{escape(s.heading)}</h2>{_table(s.rows)}</div>" for s in sections]
    parts.append("</div>")
    return ("<!DOCTYPE html><html lang='cs'><head><meta charset='utf-8'><title>"
            f"{escape(title)}</title><style>{STYLE}</style></head><body>"
            + "".join(parts) + "</body></html>")
