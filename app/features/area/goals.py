"""Goals and measures of an area as both the Area page and the Map page's side panel show
them (Streamlit): the goal tree with each measure's status in its colour, the fear hotspots the
measures answer, and the way from the panel to the Area page.

The area view (``layers.strategy.area.load_area``) is cached by the store's location and
version, the town and the locality, so a save on the Area page shows on both at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import numpy as np
import streamlit as st

from app.navigation import page_script
from app.ui.i18n import label, number
from app.ui.state import t
from layers.crs import to_metric
from layers.geocode import place_labels
from layers.schema import TOWNS
from layers.store import open_store
from layers.strategy.area import AreaView, GoalNode, StrategyArea, load_area
from layers.strategy.model import Measure, Strategy
from layers.strategy.show import region_strategies, region_town_ids
from layers.strategy.tables import load_strategies

#: Streamlit colour names of the measure statuses (``layers.schema.MEASURE_STATUSES``).
STATUS_COLOURS = {"planned": "blue", "in_progress": "orange", "done": "green",
                  "suspended": "violet", "ended": "gray"}
#: Session key: a locality ("" for the whole town) the Area page opens with on its next run.
PICKED_KEY = "area_picked_locality"
_INDENT = "&nbsp;" * 4


@st.cache_data(show_spinner=False, max_entries=16)
def area(location: str, version: str, town_id: str, locality_id: str | None) -> AreaView:
    """The area view of a town (``locality_id`` None) or one of its localities."""
    return load_area(open_store(location), town_id, locality_id)


@st.cache_data(show_spinner=False, max_entries=16)
def unaddressed_places(location: str, version: str, names_version: str, town_id: str,
                       locality_id: str | None) -> list[str]:
    """The names of the area's unaddressed hotspot cells (their centres), in their order."""
    cells = area(location, version, town_id, locality_id).unaddressed
    centres = to_metric(cells).geometry.centroid
    return place_labels(open_store(location), town_id,
                        np.column_stack([centres.x, centres.y]))


@st.cache_data(show_spinner=False, max_entries=8)
def region(location: str, version: str, region_code: str) -> list[StrategyArea]:
    """The strategies of a region: its own documents and those of its towns, all measures."""
    store = open_store(location)
    return region_strategies(load_strategies(store), region_code,
                             region_town_ids(store.read(TOWNS), region_code))


def status_badge(status: str, lang: str) -> str:
    """The status of a measure as coloured, bold Markdown."""
    return f":{STATUS_COLOURS[status]}[**{label('area.status', status, lang)}**]"


def _anchor(goal_id: str) -> str:
    """The HTML id of a goal's line, for the links of related goals."""
    return "goal-" + re.sub(r"[^0-9a-z]+", "-", goal_id.lower()).strip("-")


def _evaluation_block(strategy: Strategy, kind: str, target_id: str, indent: str,
                      lang: str) -> None:
    """The evaluations of a goal or measure: date (or "not dated in the document"), source,
    and the text folded away."""
    for evaluation in strategy.evaluations:
        if evaluation.target_kind != kind or evaluation.target_id != target_id:
            continue
        source = f"{strategy.source}, {evaluation.source}" if evaluation.source \
            else strategy.source
        summary = t("area.evaluation", date=evaluation.date or t("area.undated"),
                    source=source)
        st.markdown(f"{indent}{_INDENT}<details><summary>{escape(summary)}</summary>"
                    f"{_paragraphs(evaluation.text)}</details>", unsafe_allow_html=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part.strip())


def _measure_block(strategy: Strategy, measure: Measure, lang: str, indent: str) -> None:
    """A measure: number, title, status (with its note), funding, related goals as links,
    what the document reports as done, and its evaluations."""
    note = f"  \n{indent}{_INDENT}_{measure.status_note}_" if measure.status_note else ""
    st.markdown(f"{indent}{_INDENT}▸ {measure.number} {measure.title} "
                f"{status_badge(measure.status, lang)}{note}")
    numbers = {g.goal_id: g.number for g in strategy.goals}
    extra = []
    if measure.funding:
        extra.append(escape(t("area.funding", sources="; ".join(measure.funding))))
    if measure.related_goal_ids:
        links = ", ".join(f'<a href="#{_anchor(g)}">{escape(numbers[g])}</a>'
                          for g in measure.related_goal_ids)
        extra.append(escape(t("area.related_goals", goals="")) + links)
    if measure.activities:
        extra.append(escape(t("area.activities", items="; ".join(measure.activities))))
    for line in extra:
        st.markdown(f"{indent}{_INDENT * 2}<small>{line}</small>", unsafe_allow_html=True)
    if measure.results:
        items = "".join(f"<li>{escape(r)}</li>" for r in measure.results)
        st.markdown(f"{indent}{_INDENT * 2}<details><summary>"
                    f"{escape(t('area.results', count=len(measure.results)))}</summary>"
                    f"<ul>{items}</ul></details>", unsafe_allow_html=True)
    _evaluation_block(strategy, "measure", measure.measure_id, indent + _INDENT, lang)


def _answers(node: GoalNode) -> bool:
    """True when a measure of the area serves the goal or one below it."""
    return any(n.measures for _, n in node.walk())


def goal_tree(items: Sequence[StrategyArea], lang: str, *, only_answered: bool = False) -> int:
    """Each strategy of ``items`` in an expander (the first open): its goals, nested, each
    with its evaluation (date and source) and the area's measures under it (funding, related
    goals as links, results, evaluation), and the evaluations of the whole document; return
    how many strategies were shown.

    ``only_answered`` (the side panel) leaves out goals no measure of the area serves (at
    their level or below), strategies without such measures and regional documents (their
    measures are region-wide, not linked to the place).
    """
    shown = 0
    for item in items:
        strategy = item.strategy
        if only_answered and strategy.town_id is None:
            continue
        roots = [r for r in item.roots if _answers(r)] if only_answered else list(item.roots)
        if only_answered and not roots and not item.loose_measures:
            continue
        with st.expander(strategy.title, expanded=shown == 0):
            st.caption(" · ".join(part for part in (strategy.issuer, strategy.period,
                                                    strategy.source) if part))
            for root in roots:
                for depth, node in root.walk():
                    if only_answered and not _answers(node):
                        continue
                    indent = _INDENT * depth
                    number_part = f"**{escape(node.goal.number)}** " if node.goal.number \
                        else ""
                    st.markdown(f'{indent}<a id="{_anchor(node.goal.goal_id)}"></a>'
                                f"{number_part}{escape(node.goal.text)}",
                                unsafe_allow_html=True)
                    if not only_answered:
                        _evaluation_block(strategy, "goal", node.goal.goal_id, indent, lang)
                    for measure in node.measures:
                        _measure_block(strategy, measure, lang, indent)
            if item.loose_measures:
                st.markdown(f"**{t('area.loose')}**")
                for measure in item.loose_measures:
                    _measure_block(strategy, measure, lang, "")
            if not only_answered and any(e.target_kind == "strategy"
                                         for e in strategy.evaluations):
                st.markdown(f"**{t('area.evaluation.strategy')}**")
                _evaluation_block(strategy, "strategy", strategy.strategy_id, "", lang)
        shown += 1
    return shown


def answered_hotspots(view: AreaView, lang: str) -> None:
    """The fear hotspots the area's measures answer: how many of its public hotspot cells an
    active measure covers, and the places and drawn areas the measures are linked to."""
    st.write(t("area.panel.cells", addressed=len(view.cells) - len(view.unaddressed),
               total=len(view.cells)))
    lines = [t("area.panel.place", place=row.label, measures=row.measures)
             for row in view.places.itertuples()]
    lines += [t("area.panel.drawn", ha=number(row.area_m2 / 10_000, lang, 2),
                measures=row.measures) for row in view.areas.itertuples()]
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))
    else:
        st.caption(t("area.panel.no_places"))


def open_area_page(locality_id: str | None, key: str) -> None:
    """A button opening the Area page on ``locality_id`` (None: the whole town)."""
    if st.button(t("area.panel.open"), key=key):
        st.session_state[PICKED_KEY] = locality_id or ""
        st.switch_page(page_script("area"))
