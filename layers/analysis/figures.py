"""The analysis' maps and charts as PNG (matplotlib, offline), Czech labels, numbers in Czech
format (Babel).

Maps are drawn in EPSG:5514 over a base: the town's own streets where the store has them,
else the context lines (roads, railways, rivers); each has the town's outline, a legend, a
scale bar and a north arrow (those of the patrol sheet) and no labels on the map itself (the
legend names everything, so nothing can overlap).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Final

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt
import pandas as pd
from babel.numbers import format_decimal
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from layers.crs import METRIC_CRS
from layers.hotspots.emerging import PATTERN_COLOURS
from layers.patrol.sheet import map_frame

LOCALE: Final = "cs_CZ"
WEEKDAYS_CS: Final = ("po", "út", "st", "čt", "pá", "so", "ne")
MONTHS_CS: Final = ("led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj",
                    "lis", "pro")
CRIME_HOT: Final = "#cb181d"
FEAR_HOT: Final = "#fd8d3c"

def cs_number(value: float, digits: int = 0) -> str:
    """``value`` in Czech format ("1 234,5"); NaN as an en dash."""
    if value != value:
        return "–"
    return str(format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""),
                              locale=LOCALE))


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _base(ax: plt.Axes, boundary: gpd.GeoDataFrame, streets: gpd.GeoDataFrame,
          context: gpd.GeoDataFrame) -> list[Line2D]:
    """The base under a map: streets, else context lines; the outline. Returns the legend
    handles of what it drew."""
    handles = []
    if len(streets):
        streets.to_crs(METRIC_CRS).plot(ax=ax, color="#bdbdbd", linewidth=0.6)
        handles.append(Line2D([], [], color="#bdbdbd", label="ulice"))
    elif len(context):
        context.to_crs(METRIC_CRS).plot(ax=ax, color="#9a8f7c", linewidth=0.7)
        handles.append(Line2D([], [], color="#9a8f7c", label="silnice, železnice, vodní toky"))
    boundary.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#222222", linewidth=1.2)
    handles.append(Line2D([], [], color="#222222", label="hranice území"))
    return handles


def _frame(ax: plt.Axes, boundary: gpd.GeoDataFrame) -> None:
    left, bottom, right, top = boundary.to_crs(METRIC_CRS).total_bounds
    pad = max(right - left, top - bottom) * 0.05
    map_frame(ax, (left - pad, bottom - pad, right + pad, top + pad))


def hotspot_map(boundary: gpd.GeoDataFrame, streets: gpd.GeoDataFrame,
                context: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, title: str) -> bytes:
    """Hot spots of crime (``crime_hot``) and of fear (``fear_hot``) on hexagonal ``cells``
    (EPSG:5514) over the base."""
    fig, ax = plt.subplots(figsize=(7.5, 7.5))
    handles: list[Line2D | Patch] = list(_base(ax, boundary, streets, context))
    for column, colour, name in (("fear_hot", FEAR_HOT, "ohnisko strachu (mapování)"),
                                 ("crime_hot", CRIME_HOT, "ohnisko trestné činnosti")):
        if column in cells and cells[column].astype(bool).any():
            cells[cells[column].astype(bool)].plot(ax=ax, color=colour, alpha=0.55,
                                                   edgecolor="white", linewidth=0.3)
            handles.append(Patch(color=colour, alpha=0.55, label=name))
    _frame(ax, boundary)
    ax.set_title(title, fontsize=10)
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    return _png(fig)


def emerging_map(boundary: gpd.GeoDataFrame, streets: gpd.GeoDataFrame,
                 context: gpd.GeoDataFrame, cells: gpd.GeoDataFrame,
                 labels: Mapping[str, str], title: str) -> bytes:
    """Emerging hot and cold spots (``pattern`` of :data:`PATTERN_COLOURS`; ``labels`` their
    Czech names) on ``cells`` (EPSG:5514) over the base."""
    fig, ax = plt.subplots(figsize=(7.5, 7.5))
    handles: list[Line2D | Patch] = list(_base(ax, boundary, streets, context))
    for pattern, colour in PATTERN_COLOURS.items():
        chosen = cells[cells["pattern"] == pattern]
        if len(chosen):
            chosen.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.3)
            handles.append(Patch(color=colour, label=f"{labels.get(pattern, pattern)} "
                                                     f"({len(chosen)})"))
    _frame(ax, boundary)
    ax.set_title(title, fontsize=10)
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    return _png(fig)


def trend_chart(trend: pd.DataFrame, title: str) -> bytes:
    """Crimes per 10,000 residents by year, one line per area (``area``, ``year``,
    ``per_10k``; rows without an index are left out)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    shown = trend.dropna(subset=["per_10k"])
    for area, rows in shown.groupby("area", sort=False):
        rows = rows.sort_values("year")
        ax.plot(rows["year"], rows["per_10k"], marker="o", label=str(area))
        for year, value in zip(rows["year"], rows["per_10k"], strict=True):
            ax.annotate(cs_number(value, 1), (year, value), xytext=(0, 5),
                        textcoords="offset points", fontsize=6, ha="center")
    ax.set_xlabel("rok")
    ax.set_ylabel("trestné činy na 10 000 obyvatel")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: cs_number(v)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=10)
    if len(shown):
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _png(fig)


def heat_chart(table: pd.DataFrame, title: str) -> bytes:
    """Offences by weekday (rows 0–6, Monday first) and hour (columns 0–23)."""
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    image = ax.imshow(table.to_numpy(), cmap="Reds", aspect="auto")
    ax.set_yticks(range(7), WEEKDAYS_CS)
    ax.set_xticks(range(0, 24, 2), [str(h) for h in range(0, 24, 2)])
    ax.set_xlabel("hodina dne")
    colour_bar = fig.colorbar(image, ax=ax)
    colour_bar.set_label("počet skutků")
    colour_bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    colour_bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: cs_number(v)))
    ax.set_title(title, fontsize=10)
    return _png(fig)


def month_chart(counts: pd.Series, title: str) -> bytes:
    """Offences per month (index 1–12)."""
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    ax.bar(range(12), counts.to_numpy(), color=CRIME_HOT)
    ax.set_xticks(range(12), MONTHS_CS)
    ax.set_ylabel("počet skutků")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: cs_number(v)))
    ax.set_title(title, fontsize=10)
    return _png(fig)
