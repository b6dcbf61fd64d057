"""The council report of an area (Czech): goal tree with measure statuses, evaluations (date and
source), funding and related goals, indicators (direction, baseline → latest with an arrow and
a word), programme timelines, hotspots.

A date a document does not give is written "v dokumentu neuvedeno", never assumed.

:func:`report_html` renders a self-contained HTML page (Jinja2, auto-escaped);
:func:`report_pdf` a PDF of text pages and a static map drawn with matplotlib's PDF backend
(no web tiles, works offline). Both take an :class:`~layers.strategy.area.AreaView`. The areas
drawn for measures (polygon links) are listed with their size in hectares (measured in
EPSG:5514) and drawn on the map, each map layer with its entry in the map's legend.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from typing import Final

import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt
from jinja2 import Environment
from matplotlib.artist import Artist
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from layers.crs import METRIC_CRS
from layers.strategy.area import (
    CHANGE_ARROWS,
    HOTSPOT_CELL_M,
    HOTSPOT_K,
    PLACE_RADIUS_M,
    AreaView,
)
from layers.strategy.model import Measure, Strategy

STATUS_LABELS: Final = {"planned": "plánováno", "in_progress": "probíhá", "done": "splněno",
                        "suspended": "pozastaveno", "ended": "ukončeno"}
STATUS_COLOURS: Final = {"planned": "#3182bd", "in_progress": "#e6550d", "done": "#31a354",
                         "suspended": "#756bb1", "ended": "#636363"}
CHANGE_LABELS: Final = {"better": "zlepšení", "worse": "zhoršení", "same": "beze změny",
                        "not_comparable": "nelze srovnat"}
DIRECTION_LABELS: Final = {"higher_better": "vyšší je lepší", "lower_better": "nižší je lepší"}
TIMELINE_LABELS: Final = {"period": "období", "planned_step": "plánovaný krok",
                          "phase": "fáze (realizováno)", "output": "výstup",
                          "early_end": "předčasné ukončení"}
UNDATED: Final = "v dokumentu neuvedeno"
#: What the report says of places of fear computed from generated answers.
ILLUSTRATIVE_NOTE: Final = ("Ilustrativní data: místa strachu jsou spočtena z generovaných "
                            "odpovědí, nikoli ze skutečného mapování.")
UNADDRESSED_COLOUR: Final = "#cb181d"
ADDRESSED_COLOUR: Final = "#969696"
PLACE_COLOUR: Final = "#3182bd"
SERVICE_COLOUR: Final = "#31a354"
AREA_HATCH: Final = "////"
#: A4 portrait in inches.
_PAGE: Final = (8.27, 11.69)
_LINES_PER_PAGE: Final = 62
_WRAP: Final = 105

_TEMPLATE: Final = """<!DOCTYPE html>
<html lang="cs"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.3em; vertical-align: top; text-align: left; }
.status { color: #fff; padding: 0 0.4em; border-radius: 0.3em; font-size: 0.85em; }
ul { margin: 0.2em 0; }
.evaluation { font-size: 0.9em; color: #444; margin: 0.2em 0 0.4em 0; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ subtitle }}</p>
{% if figures %}<h2>Skutečné údaje o oblasti</h2>
<ul>{% for line in figures %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% for s in strategies %}
<h2>{{ s.title }}</h2>
<p>{{ s.issuer }}{% if s.period %}, {{ s.period }}{% endif %} ({{ s.source }})</p>
{% macro measure(m) %}<li>{{ m.title }}
<span class="status" style="background: {{ m.colour }}">{{ m.status }}</span>
{% if m.note %}<br><small>{{ m.note }}</small>{% endif %}
{% for line in m.details %}<br><small>{{ line }}</small>{% endfor %}
{% for e in m.evaluations %}<p class="evaluation"><em>{{ e.head }}:</em>
{{ e.text }}</p>{% endfor %}
</li>{% endmacro %}
<ul>{% for g in s.goals %}
<li style="margin-left: {{ g.depth * 1.5 }}em"><strong>{{ g.number }}</strong> {{ g.text }}
{% for e in g.evaluations %}<p class="evaluation"><em>{{ e.head }}:</em>
{{ e.text }}</p>{% endfor %}
{% if g.measures %}<ul>{% for m in g.measures %}{{ measure(m) }}{% endfor %}</ul>{% endif %}
</li>{% endfor %}</ul>
{% if s.loose %}<h3>Opatření bez cíle</h3><ul>{% for m in s.loose %}{{ measure(m) }}
{% endfor %}</ul>{% endif %}
{% for e in s.evaluations %}<p class="evaluation"><em>{{ e.head }}:</em>
{{ e.text }}</p>{% endfor %}
{% if s.timeline %}<h3>Časová osa</h3><table><tr><th>Kdy (podle dokumentu)</th><th>Druh</th>
<th>Co</th></tr>{% for row in s.timeline %}<tr><td>{{ row.when }}</td><td>{{ row.kind }}</td>
<td>{{ row.text }}{% if row.note %}<br><small>{{ row.note }}</small>{% endif %}</td></tr>
{% endfor %}</table>{% endif %}
{% endfor %}
<h2>Ukazatele</h2>
{% if indicators %}<table><tr><th>Cíl</th><th>Ukazatel</th><th>Lepší je</th>
<th>Výchozí stav</th><th>Poslední stav</th><th>Změna</th></tr>
{% for row in indicators %}<tr><td>{{ row.goal }}</td><td>{{ row.name }}</td>
<td>{{ row.direction }}</td><td>{{ row.baseline }}</td><td>{{ row.latest }}</td>
<td>{{ row.change }}</td></tr>
{% endfor %}</table>{% else %}<p>Žádné ukazatele.</p>{% endif %}
<h2>Místa strachu a opatření</h2>
{% if illustrative %}<p><strong>{{ illustrative }}</strong></p>{% endif %}
<p>Buňky {{ cell_m }} m s alespoň {{ k }} schválenými odpověďmi. Buňka je řešena, když ji
pokrývá aktivní opatření (místo do {{ radius }} m, lokalita nebo zakreslená plocha).</p>
{% if hotspots %}<table><tr><th>Buňka (střed)</th><th>Odpovědí</th><th>Řešeno opatřeními</th></tr>
{% for row in hotspots %}<tr><td>{{ row.centre }}</td><td>{{ row.count }}</td>
<td>{{ row.measures or "– neřešeno –" }}</td></tr>{% endfor %}</table>
{% else %}<p>V oblasti nejsou žádné veřejné buňky míst strachu.</p>{% endif %}
<h2>Zakreslené plochy opatření</h2>
{% if areas %}<table><tr><th>Plocha (bod uvnitř)</th><th>Výměra</th><th>Opatření</th></tr>
{% for row in areas %}<tr><td>{{ row.inside }}</td><td>{{ row.size }}</td>
<td>{{ row.measures }}</td></tr>{% endfor %}</table>
{% else %}<p>Žádné opatření v oblasti nemá zakreslenou plochu.</p>{% endif %}
</body></html>
"""


def _title(town_name: str, locality_name: str | None) -> str:
    area = f"{town_name} – {locality_name}" if locality_name else town_name
    return f"Cíle, opatření a ukazatele: {area}"


def _evaluations(strategy: Strategy, kind: str, target_id: str) -> list[dict[str, str]]:
    """The evaluations of one goal, measure or the strategy: a head (date, author, source)
    and the text."""
    out = []
    for e in strategy.evaluations:
        if e.target_kind == kind and e.target_id == target_id:
            source = f"{strategy.source}, {e.source}" if e.source else strategy.source
            who = f", {e.author_role}" if e.author_role else ""
            out.append({"head": f"Hodnocení ({e.date or UNDATED}{who}; {source})",
                        "text": e.text})
    return out


def _measure(strategy: Strategy, measure: Measure) -> dict[str, object]:
    numbers = {g.goal_id: g.number for g in strategy.goals}
    details = []
    if measure.time_frame:
        details.append(f"Termín: {measure.time_frame}")
    if measure.funding:
        details.append("Financování: " + "; ".join(measure.funding))
    if measure.related_goal_ids:
        details.append("Vazba na cíle: " + ", ".join(numbers[g]
                                                      for g in measure.related_goal_ids))
    if measure.results:
        details.append(f"Dokument uvádí jako splněné: {len(measure.results)} bodů")
    return {"title": f"{measure.number} {measure.title}".strip(),
            "status": STATUS_LABELS[measure.status], "colour": STATUS_COLOURS[measure.status],
            "note": measure.status_note, "details": details,
            "evaluations": _evaluations(strategy, "measure", measure.measure_id)}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _value(value: object, date: object) -> str:
    if _missing(value):
        return "–"
    return f"{value} ({UNDATED if _missing(date) or not date else date})"


def _change(change: str, difference: object) -> str:
    text = f"{CHANGE_ARROWS[change]} {CHANGE_LABELS[change]}"
    if isinstance(difference, float) and not math.isnan(difference):
        return f"{text} ({difference:+g})"
    return text


def hectares(area_m2: float) -> str:
    """An area in hectares as Czech writes it, two decimals: 12 345 m² → "1,23 ha"."""
    return f"{area_m2 / 10_000:,.2f} ha".replace(",", "\u00a0").replace(".", ",")


def _context(view: AreaView, town_name: str, locality_name: str | None,
             figures: Sequence[str] = ()) -> dict[str, object]:
    strategies = []
    for item in view.strategies:
        s = item.strategy
        goals = [{"depth": depth, "number": node.goal.number, "text": node.goal.text,
                  "evaluations": _evaluations(s, "goal", node.goal.goal_id),
                  "measures": [_measure(s, m) for m in node.measures]}
                 for root in item.roots for depth, node in root.walk()]
        timeline = [{"when": t.when or UNDATED, "kind": TIMELINE_LABELS[t.kind],
                     "text": t.text.replace("\n", "; "), "note": t.note}
                    for t in s.timeline]
        strategies.append({"title": s.title, "issuer": s.issuer, "period": s.period,
                           "source": s.source, "goals": goals,
                           "loose": [_measure(s, m) for m in item.loose_measures],
                           "evaluations": _evaluations(s, "strategy", s.strategy_id),
                           "timeline": timeline})
    indicators = [{"goal": row.goal, "name": row.name,
                   "direction": DIRECTION_LABELS[str(row.direction)],
                   "baseline": _value(row.baseline, row.baseline_date),
                   "latest": _value(row.latest, row.latest_date),
                   "change": _change(str(row.change), row.difference)}
                  for row in view.indicators.itertuples()]
    hotspots = [{"centre": f"{geom.centroid.y:.5f}, {geom.centroid.x:.5f}",
                 "count": int(count), "measures": measures}
                for geom, count, measures in zip(view.cells.geometry, view.cells["count"],
                                                 view.cells["measures"], strict=True)]
    # a drawn area's label is "<m²> m² @ <lat>, <lon>" (layers.strategy.editing.polygon_link)
    areas = [{"inside": label.partition(" @ ")[2] or label, "size": hectares(area_m2),
              "measures": measures}
             for label, area_m2, measures in zip(view.areas["label"], view.areas["area_m2"],
                                                 view.areas["measures"], strict=True)]
    subtitle = (f"{len(view.unaddressed)} z {len(view.cells)} buněk míst strachu "
                "neřeší žádné aktivní opatření.")
    return {"title": _title(town_name, locality_name), "subtitle": subtitle,
            "figures": list(figures),
            "illustrative": ILLUSTRATIVE_NOTE if view.illustrative else "",
            "strategies": strategies, "indicators": indicators, "hotspots": hotspots,
            "areas": areas,
            "cell_m": f"{HOTSPOT_CELL_M:.0f}", "k": HOTSPOT_K, "radius": f"{PLACE_RADIUS_M:.0f}"}


def report_html(view: AreaView, town_name: str, locality_name: str | None = None,
                figures: Sequence[str] = ()) -> str:
    """The Czech council report of ``view`` as one HTML document; ``figures`` are the real
    figures of the area, each with its source and year (:func:`figure_lines`)."""
    template = Environment(autoescape=True).from_string(_TEMPLATE)
    return template.render(**_context(view, town_name, locality_name, figures))


def _text_lines(context: dict[str, object]) -> Iterator[tuple[str, float, str]]:
    """(text, font size, weight) lines of the PDF's text pages, wrapped to the page width."""
    def wrapped(text: str, indent: int = 0, size: float = 8.5,
                weight: str = "normal") -> Iterator[tuple[str, float, str]]:
        pad = " " * indent
        for line in textwrap.wrap(text, _WRAP - indent) or [""]:
            yield pad + line, size, weight

    yield from wrapped(str(context["title"]), size=13, weight="bold")
    yield from wrapped(str(context["subtitle"]))
    for line in context["figures"]:  # type: ignore[attr-defined]
        yield from wrapped(line)
    for s in context["strategies"]:  # type: ignore[attr-defined]
        yield "", 8.5, "normal"
        yield from wrapped(s["title"], size=10.5, weight="bold")
        for g in s["goals"]:
            depth = g["depth"]
            yield from wrapped(f"{g['number']} {g['text']}".strip(), indent=2 * depth,
                               weight="bold" if g["number"] else "normal")
            for e in g["evaluations"]:
                yield from wrapped(f"{e['head']}: {e['text']}", indent=2 * depth + 2)
            for m in g["measures"]:
                yield from _measure_lines(m, 2 * depth + 4)
        for m in s["loose"]:
            yield from _measure_lines(m, 2)
        for e in s["evaluations"]:
            yield from wrapped(f"{e['head']}: {e['text']}", indent=2)
        for row in s["timeline"]:
            yield from wrapped(f"[{row['when']}] {row['kind']}: {row['text']}"
                               + (f" – {row['note']}" if row["note"] else ""), indent=2)
    yield "", 8.5, "normal"
    yield "Ukazatele", 10.5, "bold"
    for row in context["indicators"]:  # type: ignore[attr-defined]
        yield from wrapped(f"{row['goal']} {row['name']}".strip(), weight="bold")
        yield from wrapped(f"výchozí: {row['baseline']}", indent=4)
        yield from wrapped(f"lepší je: {row['direction']}", indent=4)
        yield from wrapped(f"poslední: {row['latest']}; změna: {row['change']}", indent=4)
    yield "", 8.5, "normal"
    yield "Místa strachu", 10.5, "bold"
    if context["illustrative"]:
        yield from wrapped(str(context["illustrative"]), weight="bold")
    for row in context["hotspots"]:  # type: ignore[attr-defined]
        yield from wrapped(f"{row['centre']}: {row['count']} odpovědí – "
                           f"{row['measures'] or 'neřešeno'}", indent=2)
    if context["areas"]:
        yield "", 8.5, "normal"
        yield "Zakreslené plochy opatření", 10.5, "bold"
    for row in context["areas"]:  # type: ignore[attr-defined]
        yield from wrapped(f"{row['size']} u {row['inside']}: {row['measures']}", indent=2)


def _measure_lines(m: dict[str, object], indent: int) -> Iterator[tuple[str, float, str]]:
    """A measure of the PDF's text pages: title and status, details, evaluations."""
    for text in (f"• {m['title']} [{m['status']}]", *m["details"],  # type: ignore[misc]
                 *(f"{e['head']}: {e['text']}" for e in m["evaluations"])):  # type: ignore[attr-defined]
        for line in textwrap.wrap(str(text), _WRAP - indent) or [""]:
            yield " " * indent + line, 8.5, "normal"


def _map_page(view: AreaView, title: str) -> Figure:
    fig = plt.figure(figsize=_PAGE)
    ax = fig.add_axes((0.05, 0.12, 0.9, 0.8))
    focus = view.locality if len(view.locality) else view.boundary
    view.boundary.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#222222", linewidth=1.5)
    if len(view.locality):
        view.locality.to_crs(METRIC_CRS).plot(ax=ax, facecolor="#fcae91",
                                              edgecolor="#67000d", alpha=0.35)
    mark = " (ilustrativní data)" if view.illustrative else ""
    legend: list[Artist] = [
        Patch(facecolor=UNADDRESSED_COLOUR, alpha=0.55, edgecolor="#444444",
              label="místo strachu, které neřeší žádné aktivní opatření" + mark),
        Patch(facecolor=ADDRESSED_COLOUR, alpha=0.55, edgecolor="#444444",
              label="místo strachu řešené opatřením" + mark)]
    cells = view.cells.to_crs(METRIC_CRS)
    if len(cells):
        addressed = cells["addressed"].astype(bool)
        colours = [ADDRESSED_COLOUR if a else UNADDRESSED_COLOUR for a in addressed]
        cells.plot(ax=ax, color=colours, alpha=0.55, edgecolor="#444444", linewidth=0.4)
    if len(view.areas):
        view.areas.to_crs(METRIC_CRS).plot(ax=ax, facecolor="none", edgecolor=PLACE_COLOUR,
                                           hatch=AREA_HATCH, linewidth=1.5, zorder=2)
        legend.append(Patch(facecolor="none", edgecolor=PLACE_COLOUR, hatch=AREA_HATCH,
                            label="zakreslená plocha opatření"))
    if len(view.services):
        services = view.services.to_crs(METRIC_CRS)
        ax.scatter(services.geometry.x, services.geometry.y, marker="s", s=30,
                   color=SERVICE_COLOUR, zorder=3)
        legend.append(Line2D([], [], marker="s", linestyle="", color=SERVICE_COLOUR,
                             label="služba, na kterou opatření odkazuje"))
    if len(view.places):
        places = view.places.to_crs(METRIC_CRS)
        ax.scatter(places.geometry.x, places.geometry.y, marker="^", s=60, color=PLACE_COLOUR,
                   edgecolor="#fff", zorder=4)
        legend.append(Line2D([], [], marker="^", linestyle="", color=PLACE_COLOUR,
                             label="místo, na které opatření odkazuje"))
        for label, x, y in zip(places["label"], places.geometry.x, places.geometry.y,
                               strict=True):
            ax.annotate(label, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=6)
    left, bottom, right, top = focus.to_crs(METRIC_CRS).total_bounds
    margin = max(right - left, top - bottom) * 0.08
    ax.set_xlim(left - margin, right + margin)
    ax.set_ylim(bottom - margin, top + margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.text(0.05, 0.95, title, fontsize=12, weight="bold")
    fig.legend(handles=legend, loc="lower left", bbox_to_anchor=(0.05, 0.01), fontsize=8,
               frameon=False, title="Legenda", title_fontsize=9, alignment="left")
    return fig


def report_pdf(view: AreaView, town_name: str, locality_name: str | None = None,
               figures: Sequence[str] = ()) -> bytes:
    """The Czech council report of ``view`` as PDF bytes: text pages (with the area's real
    ``figures``), then the map page."""
    context = _context(view, town_name, locality_name, figures)
    lines = list(_text_lines(context))
    buffer = io.BytesIO()
    # TrueType (not Type 3) fonts keep the text searchable and extractable
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as pdf:
        for start in range(0, len(lines), _LINES_PER_PAGE):
            fig = plt.figure(figsize=_PAGE)
            for row, (text, size, weight) in enumerate(lines[start:start + _LINES_PER_PAGE]):
                fig.text(0.06, 0.96 - row * 0.0148, text, fontsize=size, weight=weight,
                         va="top", family="DejaVu Sans")
            pdf.savefig(fig)
            plt.close(fig)
        fig = _map_page(view, str(context["title"]))
        pdf.savefig(fig)
        plt.close(fig)
    return buffer.getvalue()
