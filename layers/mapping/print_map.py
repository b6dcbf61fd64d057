"""A printable session map (PDF, A4 or A3) for the paper workflow.

The sheet shows the town boundary, context lines and localities under a lettered grid
(``layers.mapping.paper.SessionGrid``), a numbered legend of the categories and the session's
id, so that children's notes on paper can be transcribed back to exact cells. Rendered with
matplotlib's PDF backend: no web tiles, works offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt

from layers.crs import METRIC_CRS
from layers.mapping.paper import SessionGrid, category_number
from layers.mapping.qr import qr_matrix
from layers.schema import PIN_CATEGORIES

#: Paper sizes in inches (portrait).
PAPER: Final = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
LINE_STYLES: Final = {"road": ("#888888", 1.2), "railway": ("#444444", 0.8),
                      "river": ("#6baed6", 1.0)}


def print_session_map(out: Path, *, grid: SessionGrid, town: gpd.GeoDataFrame,
                      context: gpd.GeoDataFrame, localities: gpd.GeoDataFrame,
                      session_id: str, title: str, category_labels: Mapping[str, str],
                      paper: str = "A4", link_url: str | None = None) -> None:
    """Write the session map PDF to ``out``. Layers may be in any CRS; drawn in EPSG:5514.
    With ``link_url`` (a public link of the session) its QR code is printed at the top
    right, for residents to answer from their phones.

    Raises ``ValueError`` for an unknown paper size.
    """
    if paper not in PAPER:
        raise ValueError(f"paper must be one of {list(PAPER)}, got {paper!r}")
    fig = plt.figure(figsize=PAPER[paper])
    ax = fig.add_axes((0.07, 0.25, 0.86, 0.66))
    cells = grid.cells()
    left, bottom, right, top = cells.total_bounds
    town.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#222222", linewidth=1.5)
    for kind, (colour, width) in LINE_STYLES.items():
        lines = context[context["kind"] == kind]
        if len(lines):
            lines.to_crs(METRIC_CRS).plot(ax=ax, color=colour, linewidth=width)
    if len(localities):
        localities.to_crs(METRIC_CRS).plot(ax=ax, facecolor="#fcae91", edgecolor="#cb181d",
                                           alpha=0.35, linewidth=1)
    cells.boundary.plot(ax=ax, color="#3182bd", linewidth=0.4)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_xticks([left + (i + 0.5) * grid.cell_m for i in range(grid.columns)],
                  grid.column_labels())
    ax.set_yticks([top - (i + 0.5) * grid.cell_m for i in range(grid.rows)],
                  [str(i + 1) for i in range(grid.rows)])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(top=True, labeltop=True, right=True, labelright=True, length=0,
                   labelsize=9)
    fig.text(0.07, 0.955, title, fontsize=14, weight="bold")
    fig.text(0.07, 0.935, f"Setkání / session: {session_id}   ·   "
                          f"mřížka {grid.cell_m:.0f} m   ·   bez osobních údajů",
             fontsize=9)
    legend = [f"{category_number(c)}. {category_labels.get(c, c)}" for c in PIN_CATEGORIES]
    half = (len(legend) + 1) // 2
    for column, chunk in enumerate((legend[:half], legend[half:])):
        fig.text(0.07 + 0.45 * column, 0.21, "\n".join(chunk), fontsize=9, va="top",
                 linespacing=1.6)
    fig.text(0.07, 0.03, "Zapište: políčko, číslo kategorie, viděl/slyšel, kdy "
                         "(např. C4, 3, slyšel, večer)", fontsize=8, style="italic")
    if link_url is not None:
        qr_ax = fig.add_axes((0.80, 0.915, 0.13, 0.075))
        qr_ax.imshow(qr_matrix(link_url), cmap="binary", interpolation="nearest")
        qr_ax.set_axis_off()
        fig.text(0.79, 0.955, "Odpovězte z mobilu\n(naskenujte kód)", fontsize=8, ha="right",
                 va="center")
    fig.savefig(out, format="pdf")
    plt.close(fig)
