"""What the Area page shows from an area view (no Streamlit here): the goals and measures to
choose from, and the indicator, hotspot and history tables in the user's language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
from babel.dates import get_day_names

from app.ui.i18n import label, labels, number, translate
from layers.area_figures import DepartmentFigure, ExclusionFigure, RegionTotal
from layers.crime_years import CrimeYears
from layers.schema import PIN_CATEGORIES
from layers.strategy.area import AreaView
from layers.strategy.model import Measure, Strategy
from layers.strategy.search import Hit


@dataclass(frozen=True)
class Choices:
    """The goals and measures of an area's strategies, as the forms offer them."""

    #: goal id → "number text", shortened
    goal_labels: dict[str, str]
    #: goal id → id of its strategy
    goal_strategy: dict[str, str]
    #: measure id → the measure, under a goal or loose
    measures: dict[str, Measure]


def shorten(text: str, size: int = 90) -> str:
    """``text``, cut to ``size`` characters with an ellipsis when longer."""
    return text if len(text) <= size else text[:size - 1] + "…"


def choices(view: AreaView) -> Choices:
    """The goals (in tree order) and measures of every strategy of ``view``."""
    goal_labels: dict[str, str] = {}
    goal_strategy: dict[str, str] = {}
    measures: dict[str, Measure] = {}
    for item in view.strategies:
        for root in item.roots:
            for _, node in root.walk():
                goal_labels[node.goal.goal_id] = shorten(
                    f"{node.goal.number} {node.goal.text}".strip())
                goal_strategy[node.goal.goal_id] = item.strategy.strategy_id
                measures.update((m.measure_id, m) for m in node.measures)
        measures.update((m.measure_id, m) for m in item.loose_measures)
    return Choices(goal_labels, goal_strategy, measures)


def dated(value: object, lang: str) -> str:
    """A date as the document gives it, or "not dated in the document" where it gives none."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return translate("area.undated", lang)
    return str(value)


def change_text(change: str, arrow: str, difference: float, lang: str) -> str:
    """An indicator's change as its arrow and word, with the signed difference of numbers
    ("↘ zhoršení", "↗ improved (−2.5)")."""
    text = f"{arrow} {label('area.change', change, lang)}"
    return f"{text} ({difference:+g})" if pd.notna(difference) else text


def indicator_table(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each indicator with its goal, which way it improves, baseline → latest value with their
    dates (or "not dated in the document"), and the change as an arrow and a word."""
    def col(key: str) -> str:
        return translate(f"area.col.{key}", lang)

    return pd.DataFrame({
        col("goal"): indicators["goal"], col("name"): indicators["name"],
        col("direction"): [label("area.direction", d, lang) for d in indicators["direction"]],
        col("baseline"): indicators["baseline"],
        col("baseline_date"): [dated(d, lang) for d in indicators["baseline_date"]],
        col("latest"): indicators["latest"],
        col("latest_date"): [dated(d, lang) for d in indicators["latest_date"]],
        col("change"): [change_text(c, a, d, lang) for c, a, d in zip(
            indicators["change"], indicators["arrow"], indicators["difference"],
            strict=True)]})


def timeline_table(strategies: Sequence[Strategy], lang: str) -> pd.DataFrame:
    """The timeline entries of ``strategies`` in document order, then the measures the
    documents give a time frame: document, kind, when (the document's wording or "not dated
    in the document"), what, note. Empty when no document gives a timeline."""
    def col(key: str) -> str:
        return translate(f"area.col.{key}", lang)

    rows = []
    for strategy in strategies:
        rows += [{col("strategy"): strategy.title,
                  col("kind"): label("area.timeline.kind", entry.kind, lang),
                  col("when_doc"): entry.when or translate("area.undated", lang),
                  col("text"): entry.text.replace("\n", "; "), col("note"): entry.note}
                 for entry in strategy.timeline]
        rows += [{col("strategy"): strategy.title,
                  col("kind"): label("area.timeline.kind", "output", lang),
                  col("when_doc"): measure.time_frame,
                  col("text"): f"{measure.number} {measure.title}".strip(),
                  col("note"): label("area.status", measure.status, lang)}
                 for measure in strategy.measures if measure.time_frame]
    return pd.DataFrame(rows)


def _period_start(stamp: str) -> pd.Timestamp:
    return pd.Timestamp(stamp if len(stamp) > 4 else f"{stamp}-01")


def _period_end(stamp: str) -> pd.Timestamp:
    """The last day a partial date covers ("2023-09" → 2023-09-30, "2016" → 2016-12-31)."""
    if len(stamp) == 4:
        return pd.Timestamp(f"{stamp}-12-31")
    if len(stamp) == 7:
        return pd.Timestamp(f"{stamp}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(stamp)


def timeline_chart_frame(strategies: Sequence[Strategy], lang: str) -> pd.DataFrame:
    """The dated timeline entries as bars: document, row label, kind (translated), start and
    end (a partial date covers its whole month or year; an entry with only a start is a
    point). Entries the documents do not date are left out (the table lists them)."""
    rows = []
    for strategy in strategies:
        for entry in strategy.timeline:
            if not entry.start:
                continue
            rows.append({
                "document": shorten(strategy.title, 60),
                "entry": shorten(f"{entry.when}: {entry.text.splitlines()[0]}", 70),
                "kind": label("area.timeline.kind", entry.kind, lang),
                "start": _period_start(entry.start),
                "end": _period_end(entry.end) if entry.end else _period_start(entry.start)})
    return pd.DataFrame(rows, columns=["document", "entry", "kind", "start", "end"])


def search_table(hits: Sequence[Hit], lang: str) -> pd.DataFrame:
    """Search hits: document, kind, number, title and the matching text (shortened)."""
    def col(key: str) -> str:
        return translate(f"area.col.{key}", lang)

    return pd.DataFrame({
        col("strategy"): [hit.strategy_title for hit in hits],
        col("kind"): [label("area.hit", hit.kind, lang) for hit in hits],
        col("goal"): [hit.number for hit in hits],
        col("what"): [shorten(hit.title, 90) for hit in hits],
        col("text"): [shorten(hit.text, 300) for hit in hits]})


def unaddressed_table(unaddressed: pd.DataFrame, places: Sequence[str], lang: str
                      ) -> pd.DataFrame:
    """The hotspot cells no measure addresses: the place (``places``, the name of each cell's
    centre in the same order, "" where nothing is near), answers, and the answers by category,
    most first."""
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    nothing = translate("area.col.place_none", lang)
    return pd.DataFrame({
        translate("area.col.place", lang): [place or nothing for place in places],
        translate("area.col.count", lang): unaddressed["count"],
        translate("area.col.categories", lang): [
            ", ".join(f"{category_labels.get(c, c)} ({n})"
                      for c, n in sorted(json.loads(text).items(), key=lambda i: -i[1]))
            for text in unaddressed["category_counts"]]})


def history_table(view: AreaView, lang: str) -> pd.DataFrame:
    """Every change to the area's strategies, newest first: when, the role that made it,
    what it changed (named) and the change itself (shortened); empty without changes."""
    when = translate("area.col.when", lang)
    rows = []
    for item in view.strategies:
        strategy = item.strategy
        entity_names = {**{g.goal_id: f"{g.number} {g.text}".strip() for g in strategy.goals},
                        **{m.measure_id: f"{m.number} {m.title}".strip()
                           for m in strategy.measures},
                        **{i.indicator_id: i.name for i in strategy.indicators},
                        strategy.strategy_id: strategy.title}
        rows += [{
            when: entry.at,
            translate("area.col.role", lang): label("role", entry.who_role, lang),
            translate("area.col.what", lang): shorten(
                entity_names.get(entry.entity_id, entry.entity_id), 70),
            translate("area.col.change_detail", lang): shorten(
                json.dumps(dict(entry.change), ensure_ascii=False), 160)}
            for entry in strategy.history]
    if not rows:
        return pd.DataFrame()
    # newest first; ISO timestamps sort as text
    return pd.DataFrame(rows).sort_values(when, ascending=False, kind="stable")


def exclusion_lines(figure: ExclusionFigure, town: str, locality: str | None,
                    lang: str) -> list[str]:
    """The town's exclusion score (a locality's: not published, with the town's), the
    region's reference and the source, as Markdown lines."""
    band = label("band", figure.band, lang)
    score = number(figure.town_score, lang)
    lines = [translate("area.figures.isv_locality", lang, locality=locality, town=town,
                       year=figure.year, score=score, band=band) if locality
             else translate("area.figures.isv_town", lang, town=town, year=figure.year,
                            score=score, band=band)]
    if figure.region_median is not None:
        lines.append(translate("area.figures.isv_region", lang, region=figure.region,
                               year=figure.year, median=number(figure.region_median, lang, 1),
                               high=figure.region_high, count=figure.region_count))
    if figure.source:
        lines.append(translate("area.figures.source", lang, source=figure.source))
    return lines


def department_line(figure: DepartmentFigure, lang: str) -> str:
    """The department covering the area, why, and its crime index with its year."""
    basis = translate(f"area.figures.basis.{figure.basis}", lang, name=figure.basis_name)
    if figure.crimes_per_10k is None or figure.year is None:
        return translate("area.figures.police_no_index", lang, name=figure.name, basis=basis)
    return translate("area.figures.police", lang, name=figure.name, basis=basis,
                     value=number(figure.crimes_per_10k, lang, 1), year=figure.year)


def crime_category_table(figure: DepartmentFigure, lang: str) -> pd.DataFrame:
    """The department's crimes found per category, each row with its year."""
    return pd.DataFrame({
        translate("area.col.crime_type", lang): [label("crime.type", code, lang)
                                                 for code, _ in figure.categories],
        translate("area.col.found", lang): [number(found, lang) for _, found in
                                            figure.categories],
        translate("area.col.year", lang): [str(figure.year)] * len(figure.categories)})


def region_totals_line(totals: Sequence[RegionTotal], lang: str) -> str:
    """The region's registered crimes per year ("15 858 (2024), 14 651 (2025)")."""
    values = ", ".join(f"{number(total.crimes, lang)} ({total.year})" for total in totals)
    return translate("area.figures.region_totals", lang, region=totals[0].region, values=values)


def crime_trend_table(years: CrimeYears, upto: int, lang: str) -> pd.DataFrame:
    """All crime by year up to ``upto``: the area's rows (department, municipality) and the
    region's and country's, each with its year, count, index and solved share."""
    trend = years.trend("total")
    trend = trend[trend["year"] <= upto]
    return pd.DataFrame({
        translate("area.col.area", lang): trend["area"].astype(str),
        translate("area.col.year", lang): trend["year"].astype(int).astype(str),
        translate("area.col.found", lang): [number(v, lang) for v in trend["found"]],
        translate("area.col.per_10k", lang): [number(v, lang, 1) for v in trend["per_10k"]],
        translate("area.col.solved", lang): [_share(v, lang) for v in trend["solved_share"]],
        translate("area.col.source", lang): trend["source"].astype(str)})


def crime_trend_frame(years: CrimeYears, lang: str) -> pd.DataFrame:
    """The chart's rows: ``area``, ``year``, ``per_10k`` and its Czech/English text
    ``value`` (rows without an index left out)."""
    trend = years.trend("total").dropna(subset=["per_10k"])
    return pd.DataFrame({"area": trend["area"].astype(str), "year": trend["year"].astype(int),
                         "per_10k": trend["per_10k"].astype(float),
                         "value": [number(v, lang, 1) for v in trend["per_10k"]]})


def crime_categories_frame(years: CrimeYears, year: int, lang: str) -> pd.DataFrame:
    """The ten categories in ``year`` (rows) for the area and the references: "area (year) –
    count / index / solved" columns. Raises ``NoCrimeYear`` for a year without figures."""
    table = years.categories(year)
    measures = {"found": ("area.col.found", 0), "per_10k": ("area.col.per_10k", 1),
                "solved_share": ("area.col.solved", -1)}
    out = pd.DataFrame(index=[label("crime.type", code, lang) for code in table.index])
    out.index.name = translate("area.col.crime_type", lang)
    for column in table.columns:
        area, measure = str(column[0]), str(column[1])
        key, digits = measures[measure]
        values = table[column]
        out[f"{area} – {translate(key, lang)}"] = [
            _share(v, lang) if digits < 0 else number(v, lang, digits) for v in values]
    return out


def heat_frame(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Offences by weekday (rows, named in ``lang``, Monday first) and hour (columns "0" …
    "23")."""
    names = get_day_names("wide", locale=lang)
    out = pd.DataFrame(table.to_numpy(), columns=[str(h) for h in table.columns],
                       index=[str(names[int(d)]) for d in table.index])
    out.index.name = translate("area.col.weekday", lang)
    return out


def _share(value: float, lang: str) -> str:
    return "–" if value != value else f"{number(100 * value, lang, 1)} %"


#: Vega's number format for Czech: decimal comma, no-break space between thousands.
CZECH_NUMBERS: Final = {"decimal": ",", "thousands": "\u00a0", "grouping": [3],
                        "currency": ["", "\u00a0Kč"]}
ENGLISH_NUMBERS: Final = {"decimal": ".", "thousands": ",", "grouping": [3],
                          "currency": ["", ""]}


def timeline_chart_spec(lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of the timeline's bars (rows of :func:`timeline_chart_frame`).
    A plain spec, not an Altair chart: Altair validates every channel against its schema on
    each page run, which cost a quarter of a second a run."""
    return {"mark": {"type": "bar", "size": 12},
            "encoding": {
                "x": {"field": "start", "type": "temporal", "title": None},
                "x2": {"field": "end"},
                "y": {"field": "entry", "type": "nominal", "sort": None, "title": None},
                "color": {"field": "kind", "type": "nominal",
                          "title": translate("area.col.kind", lang)},
                "tooltip": [{"field": "document", "type": "nominal"},
                            {"field": "entry", "type": "nominal"},
                            {"field": "kind", "type": "nominal"},
                            {"field": "start", "type": "temporal"},
                            {"field": "end", "type": "temporal"}]}}


def crime_trend_spec(lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of the crime index over the years (rows of
    :func:`crime_trend_frame`): a line per area, numbers in the language's format."""
    year, area = translate("area.crime.axis.year", lang), translate("area.col.area", lang)
    return {"mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": year},
                "y": {"field": "per_10k", "type": "quantitative",
                      "title": translate("area.crime.axis.index", lang),
                      "axis": {"format": ",.0f"}},
                "color": {"field": "area", "type": "nominal", "title": area},
                "tooltip": [{"field": "area", "type": "nominal", "title": area},
                            {"field": "year", "type": "ordinal", "title": year},
                            {"field": "value", "type": "nominal",
                             "title": translate("area.col.per_10k", lang)}]},
            "config": {"locale": {"number": CZECH_NUMBERS if lang == "cs"
                                  else ENGLISH_NUMBERS}}}
