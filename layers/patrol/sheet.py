"""The printable patrol sheet (Czech): a map of the route and an ordered list of its places.

PDF drawn with matplotlib (offline, like ``layers.mapping.print_map``) and an HTML twin. Each
place shows its time window and what was reported around it *only as counts by category*;
a sensitive category with fewer than ``k`` answers is written as "méně než k" (as on the public
map), so no count can point at one or two children's answers. No pin, comment, session or
person appears. Category labels come from the caller (the UI's vocabulary). A plan from
illustrative (generated) data says so in a line at the top ("Ilustrativní data: …").
"""

from __future__ import annotations

import io
import json
import math
import textwrap
from collections.abc import Mapping
from html import escape
from typing import Final

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages

from layers.crs import METRIC_CRS
from layers.hotspots.privacy import DEFAULT_K
from layers.patrol.plans import PatrolPlan
from layers.schema import SENSITIVE_CATEGORIES

A4: Final = (8.27, 11.69)
ROUTE_COLOUR: Final = "#d7301f"
HOT_COLOUR: Final = "#fdae6b"
STOP_COLOUR: Final = "#0868ac"
LEFT_OUT_COLOUR: Final = "#6a51a3"
METHOD_CS: Final = {"street_network": "po uliční síti",
                    "straight_lines": "přímými úseky (síť ulic není nahrána)"}
TIME_CS: Final = {"morning": "ráno", "afternoon": "odpoledne", "evening": "večer",
                  "night": "v noci"}
ROWS_PER_PAGE: Final = 14
#: Lengths a scale bar may show (metres).
SCALE_STEPS_M: Final = (25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000)


def reported_text(reported: str, category_labels: Mapping[str, str], k: int = DEFAULT_K,
                  fewer: str = "méně než {k}") -> str:
    """Answers by category from a ``reported`` JSON object, most frequent first; sensitive
    categories under ``k`` as ``fewer``."""
    counts: dict[str, int] = json.loads(reported) if reported else {}
    parts = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        shown = fewer.format(k=k) if code in SENSITIVE_CATEGORIES and n < k else str(n)
        parts.append(f"{category_labels.get(code, code)}: {shown}")
    return ", ".join(parts)


def _summary(plan: PatrolPlan, town_name: str) -> list[str]:
    route = plan.route
    cover = plan.coverage
    locality = plan.stops["locality"].iloc[0] if len(plan.stops) else ""
    lines = [
        f"{town_name}{' – ' + locality if locality else ''}: {len(plan.stops)} míst, okruh "
        f"{route.length_m / 1000:.2f} km {METHOD_CS[route.method]}",
        f"chůze asi {route.walk_min:.0f} min při {route.walk_kmh:g} km/h, s "
        f"{route.stop_min:g} min na každém místě celkem {route.total_min:.0f} min",
    ]
    for name, layer in cover.layers.items():
        what = "strachu" if name == "fear" else "kriminality"
        share = f"{layer.share:.0%}" if layer.hot else "–"
        lines.append(f"pokrytí horkých buněk {what} do {cover.distance_m:.0f} m: "
                     f"{layer.covered} z {layer.hot} ({share}); mimo okruh "
                     f"{layer.hot - layer.covered}")
    weights = plan.ranking.request.weights.as_dict()
    times = ", ".join(TIME_CS[t] for t in plan.ranking.request.times_of_day)
    lines.append(f"váhy: strach {weights['fear']:g}, kriminalita {weights['crime']:g}, "
                 f"denní doba ({times}) {weights['time']:g}")
    return lines


def sheet_rows(plan: PatrolPlan, category_labels: Mapping[str, str], k: int = DEFAULT_K
               ) -> list[tuple[str, str, str, str, str]]:
    """(pořadí, místo, časové okno, skóre, co bylo nahlášeno) per stop in route order."""
    names = plan.stops["place_name"] if "place_name" in plan.stops.columns \
        else [""] * len(plan.stops)
    return [(str(int(r.position)), name or "–", r.time_window or "–", f"{r.score:.2f}",
             reported_text(r.reported, category_labels, k) or "–")
            for r, name in zip(plan.stops.itertuples(), names, strict=True)]


def sheet_pdf(plan: PatrolPlan, town: gpd.GeoDataFrame, context: gpd.GeoDataFrame,
              town_name: str, category_labels: Mapping[str, str], title: str = "Plán hlídky",
              k: int = DEFAULT_K) -> bytes:
    """The sheet as PDF bytes: page 1 the map and summary, then the ordered list."""
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        fig = plt.figure(figsize=A4)
        ax = fig.add_axes((0.06, 0.3, 0.88, 0.56))  # room above for the notes
        _draw_map(ax, plan, town, context)
        fig.text(0.06, 0.955, f"{title} – {town_name}", fontsize=15, weight="bold")
        fig.text(0.06, 0.93, "bez osobních údajů: jen souhrnné počty odpovědí pocitové mapy",
                 fontsize=8, style="italic")
        if plan.illustrative:
            fig.text(0.06, 0.91, textwrap.fill(plan.illustrative_note, 110), fontsize=8,
                     weight="bold", va="top")
        fig.text(0.06, 0.27, "\n".join(_summary(plan, town_name)), fontsize=9, va="top",
                 linespacing=1.6)
        pdf.savefig(fig)
        plt.close(fig)
        rows = sheet_rows(plan, category_labels, k)
        for start in range(0, len(rows), ROWS_PER_PAGE):
            fig = plt.figure(figsize=A4)
            fig.text(0.06, 0.955, "Pořadí míst, časová okna a co tam lidé nahlásili",
                     fontsize=12, weight="bold")
            y = 0.92
            for position, name, window, score, text in rows[start:start + ROWS_PER_PAGE]:
                fig.text(0.06, y, f"{position}.", fontsize=11, weight="bold", va="top")
                fig.text(0.11, y, f"{name}   {window}   (skóre {score})", fontsize=10,
                         va="top")
                fig.text(0.11, y - 0.02, textwrap.fill(text, 95), fontsize=8.5, va="top",
                         linespacing=1.4)
                y -= 0.062
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def sheet_html(plan: PatrolPlan, town_name: str, category_labels: Mapping[str, str],
               title: str = "Plán hlídky", k: int = DEFAULT_K) -> str:
    """The sheet as a self-contained HTML page (no map image: print the PDF for that)."""
    summary = "".join(f"<li>{escape(line)}</li>" for line in _summary(plan, town_name))
    rows = "".join(f"<tr><td>{escape(p)}</td><td>{escape(n)}</td><td>{escape(w)}</td>"
                   f"<td>{escape(s)}</td><td>{escape(text)}</td></tr>"
                   for p, n, w, s, text in sheet_rows(plan, category_labels, k))
    return (f'<!DOCTYPE html><html lang="cs"><head><meta charset="utf-8">'
            f"<title>{escape(title)} – {escape(town_name)}</title>"
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style></head><body>"
            f"<h1>{escape(title)} – {escape(town_name)}</h1>"
            + (f"<p><strong>{escape(plan.illustrative_note)}</strong></p>"
               if plan.illustrative else "") +
            "<p><em>Bez osobních údajů: jen souhrnné počty odpovědí pocitové mapy.</em></p>"
            f"<ul>{summary}</ul><table><thead><tr><th>Pořadí</th><th>Místo</th><th>Časové okno</th>"
            f"<th>Skóre</th><th>Co bylo nahlášeno</th></tr></thead><tbody>{rows}</tbody>"
            "</table></body></html>")


def _draw_map(ax: plt.Axes, plan: PatrolPlan, town: gpd.GeoDataFrame,
              context: gpd.GeoDataFrame) -> None:
    hot = plan.ranking.cells[plan.ranking.hot_masks()["fear"]]
    route = gpd.GeoSeries([plan.route.line()], crs=METRIC_CRS)
    stops = plan.stops
    # every stop and the whole route (which may leave the stops' box along the streets)
    focus = gpd.GeoSeries([*stops.geometry, route.iloc[0], *hot.geometry], crs=METRIC_CRS)
    left, bottom, right, top = focus.total_bounds
    pad = max(right - left, top - bottom) * 0.1 + 80
    box = (left - pad, bottom - pad, right + pad, top + pad)
    town.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#222222", linewidth=1.2)
    if len(context):
        context.to_crs(METRIC_CRS).plot(ax=ax, color="#9a8f7c", linewidth=0.8)
    if plan.streets is not None:
        _draw_streets(ax, plan.streets.cx[box[0]:box[2], box[1]:box[3]])
    if plan.landmarks is not None:
        _draw_landmarks(ax, plan.landmarks.cx[box[0]:box[2], box[1]:box[3]],
                        streets_named=plan.streets is not None)
    if len(hot):
        hot.plot(ax=ax, color=HOT_COLOUR, alpha=0.6, edgecolor="none")
    if len(plan.coverage.left_out):
        plan.coverage.left_out.boundary.plot(ax=ax, color=LEFT_OUT_COLOUR, linewidth=1.2)
    route.plot(ax=ax, color=ROUTE_COLOUR, linewidth=2)
    for row in stops.itertuples():
        ax.annotate(str(int(row.position)), (row.geometry.x, row.geometry.y), fontsize=9,
                    weight="bold", ha="center", va="center", color="white",
                    bbox={"boxstyle": "circle", "fc": ROUTE_COLOUR, "ec": "white"})
    map_frame(ax, box)
    ax.set_title("okruh (červeně), horké buňky strachu (oranžově), mimo okruh (fialově)",
                 fontsize=8)


def _draw_streets(ax: plt.Axes, streets: gpd.GeoDataFrame) -> None:
    """The town's streets (EPSG:5514) in grey, each name once, along its longest edge."""
    if not len(streets):
        return
    streets.plot(ax=ax, color="#bdbdbd", linewidth=1.0)
    named = streets[streets["name"].fillna("").astype(str) != ""]
    for _, group in named.groupby("name"):
        edge = group.geometry.iloc[int(group.length.to_numpy().argmax())]
        (x0, y0), (x1, y1) = edge.coords[0], edge.coords[-1]
        middle = edge.interpolate(0.5, normalized=True)
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
        ax.annotate(str(group["name"].iloc[0]), (middle.x, middle.y), fontsize=6,
                    color="#555555", ha="center", va="center", rotation=angle,
                    rotation_mode="anchor")


def _draw_landmarks(ax: plt.Axes, landmarks: gpd.GeoDataFrame, streets_named: bool) -> None:
    """Stops (a small blue square and the name) and, unless the street network already names
    them, street names at their address points (EPSG:5514)."""
    for row in landmarks.itertuples():
        if row.kind == "stop":
            ax.plot(row.geometry.x, row.geometry.y, marker="s", markersize=3, color=STOP_COLOUR)
            ax.annotate(str(row.name), (row.geometry.x, row.geometry.y), fontsize=5.5,
                        color=STOP_COLOUR, xytext=(3, 3), textcoords="offset points")
        elif not streets_named:
            ax.annotate(str(row.name), (row.geometry.x, row.geometry.y), fontsize=6,
                        color="#555555", style="italic", ha="center", va="center")


def map_frame(ax: plt.Axes, box: tuple[float, float, float, float]) -> None:
    """Show ``box`` (EPSG:5514: left, bottom, right, top) at equal scale with a scale bar and
    a north arrow, without axis ticks or labels."""
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")  # the axes box shrinks to fit; the limits hold, nothing is cut
    scale_bar(ax, box)
    north_arrow(ax)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def scale_bar(ax: plt.Axes, box: tuple[float, float, float, float]) -> None:
    """A scale bar in the lower left: a round length near a fifth of the map's width."""
    left, bottom, right, top = box
    target = (right - left) / 5
    length = max((m for m in SCALE_STEPS_M if m <= target), default=SCALE_STEPS_M[0])
    x, y = left + (right - left) * 0.04, bottom + (top - bottom) * 0.04
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.annotate(label, (x + length / 2, y), xytext=(0, 4), textcoords="offset points",
                fontsize=7, ha="center", va="bottom")


def north_arrow(ax: plt.Axes) -> None:
    """A north arrow in the upper right ("S" for sever; S-JTSK's grid north, which differs
    from true north by a few degrees in Czechia)."""
    ax.annotate("S", xy=(0.95, 0.97), xytext=(0.95, 0.87), xycoords="axes fraction",
                ha="center", va="center", fontsize=9, weight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})
