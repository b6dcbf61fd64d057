"""The one-page PDF of a session's or a round's results, for the community centre's wall.

An A4 portrait page drawn with matplotlib (as the patrol sheet and the strategy report): the
title, the map of the answers a public may see (the town's outline and the grid cells of
:func:`layers.mapping.results.public_cells` with their counts, never a single answer), then
the counted answers as labelled tables, laid out in two columns. The caller gives every text
already in the page's language; nothing else (no id, no coordinate) is printed.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages

from layers.crs import METRIC_CRS

A4: Final = (8.27, 11.69)
CELL_COLOUR: Final = "#e6550d"
#: Rows of one column of the tables at the normal font size.
ROWS_PER_COLUMN: Final = 34
#: The tables' top and the page's lowest line, as fractions of the page's height.
TABLES_TOP: Final = 0.51
BOTTOM: Final = 0.03


@dataclass(frozen=True)
class Section:
    """One table of the page: its heading and rows of (label, figures…), all text."""

    heading: str
    rows: tuple[tuple[str, ...], ...]


def results_pdf(title: str, subtitle: str, sections: Sequence[Section],
                town: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, map_caption: str,
                note: str = "") -> bytes:
    """The page as PDF bytes. ``town``: the town's outline (any CRS); ``cells``: the public
    cells (any CRS, with ``count``); ``map_caption`` says what the map shows; a non-empty
    ``note`` (the illustrative-data note) is printed in bold under the subtitle."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as pdf:
        fig = plt.figure(figsize=A4)
        fig.text(0.06, 0.96, title, fontsize=16, weight="bold", va="top")
        fig.text(0.06, 0.93, subtitle, fontsize=10, va="top")
        if note:
            fig.text(0.06, 0.912, textwrap.fill(note, 130), fontsize=7, weight="bold",
                     va="top")
        ax = fig.add_axes((0.06, 0.56, 0.88, 0.33))
        _draw_map(ax, town, cells)
        fig.text(0.06, 0.545, textwrap.fill(map_caption, 110), fontsize=8, style="italic",
                 va="top")
        for x, y, size, (head, text, figures) in placed(sections):
            fig.text(x, y, text, fontsize=size + 1.5 if head else size, va="top",
                     weight="bold" if head else "normal")
            for n, figure in enumerate(figures):
                fig.text(x + 0.27 + 0.055 * n, y, figure, fontsize=size, va="top", ha="right")
        pdf.savefig(fig)
        plt.close(fig)
    return buffer.getvalue()


def placed(sections: Sequence[Section]
           ) -> list[tuple[float, float, float, tuple[bool, str, tuple[str, ...]]]]:
    """Where each printed line goes below the map: ``(x, y, font size, (heading?, text,
    figures))`` in figure fractions, two columns from ``TABLES_TOP`` down to ``BOTTOM``;
    more lines than ``ROWS_PER_COLUMN`` a column get a smaller font, so all stay on the
    page."""
    lines = [line for section in sections for line in _lines(section)]
    per_column = max(ROWS_PER_COLUMN, math.ceil(len(lines) / 2))
    step = (TABLES_TOP - BOTTOM) / per_column
    size = 8.5 * min(1.0, ROWS_PER_COLUMN / per_column)
    return [(0.06 if i < per_column else 0.53, TABLES_TOP - step * (i % per_column), size, line)
            for i, line in enumerate(lines)]


def _lines(section: Section) -> list[tuple[bool, str, tuple[str, ...]]]:
    """(heading?, text, figures) per printed line; a one-cell row is a wrapped sentence."""
    lines: list[tuple[bool, str, tuple[str, ...]]] = [
        (True, textwrap.shorten(section.heading, 52), ())]
    for row in section.rows:
        if len(row) == 1:
            lines += [(False, line, ()) for line in textwrap.wrap(row[0], 62)]
        else:
            lines.append((False, textwrap.shorten(row[0], 40) if row[0] else "", row[1:]))
    return lines


def _draw_map(ax: plt.Axes, town: gpd.GeoDataFrame, cells: gpd.GeoDataFrame) -> None:
    outline = town.to_crs(METRIC_CRS)
    outline.boundary.plot(ax=ax, color="#222222", linewidth=1.0)
    if len(cells):
        metric = cells.to_crs(METRIC_CRS)
        metric.plot(ax=ax, color=CELL_COLOUR, alpha=0.55, edgecolor="#7f2704", linewidth=0.5)
        for geometry, count in zip(metric.geometry, metric["count"], strict=True):
            centre = geometry.centroid
            ax.annotate(str(int(count)), (centre.x, centre.y), fontsize=6, ha="center",
                        va="center", weight="bold")
        left, bottom, right, top = metric.total_bounds
        pad = max(right - left, top - bottom) * 0.3 + 300
        ax.set_xlim(left - pad, right + pad)
        ax.set_ylim(bottom - pad, top + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
