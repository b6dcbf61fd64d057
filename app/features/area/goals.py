"""Goals and measures of an area as both the Area page and the Map page's side panel show
them (Streamlit): the goal tree with each measure's status in its colour, the fear hotspots the
measures answer, and the way from the panel to the Area page.

The area view (``layers.strategy.area.load_area``) is cached by the store's location and
version, the town and the locality, so a save on the Area page shows on both at once.
"""

from __future__ import annotations

import streamlit as st

from app.navigation import page_script
from app.ui.i18n import label, number
from app.ui.state import t
from layers.store import open_store
from layers.strategy.area import AreaView, GoalNode, load_area
from layers.strategy.model import Measure

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


def status_badge(status: str, lang: str) -> str:
    """The status of a measure as coloured, bold Markdown."""
    return f":{STATUS_COLOURS[status]}[**{label('area.status', status, lang)}**]"


def _measure_line(measure: Measure, lang: str, indent: str) -> str:
    note = f"  \n{indent}{_INDENT}_{measure.status_note}_" if measure.status_note else ""
    return f"{indent}{_INDENT}▸ {measure.number} {measure.title} " \
           f"{status_badge(measure.status, lang)}{note}"


def _answers(node: GoalNode) -> bool:
    """True when a measure of the area serves the goal or one below it."""
    return any(n.measures for _, n in node.walk())


def goal_tree(view: AreaView, lang: str, *, only_answered: bool = False) -> int:
    """Each strategy of ``view`` in an expander (the first open): its goals, nested, with the
    area's measures under them; return how many strategies were shown.

    ``only_answered`` (the side panel) leaves out goals no measure of the area serves (at
    their level or below) and strategies without such measures.
    """
    shown = 0
    for item in view.strategies:
        roots = [r for r in item.roots if _answers(r)] if only_answered else list(item.roots)
        if only_answered and not roots and not item.loose_measures:
            continue
        strategy = item.strategy
        with st.expander(strategy.title, expanded=shown == 0):
            st.caption(f"{strategy.issuer} · {strategy.period} · {strategy.source}")
            for root in roots:
                for depth, node in root.walk():
                    if only_answered and not _answers(node):
                        continue
                    indent = _INDENT * depth
                    number_part = f"**{node.goal.number}** " if node.goal.number else ""
                    st.markdown(f"{indent}{number_part}{node.goal.text}")
                    for measure in node.measures:
                        st.markdown(_measure_line(measure, lang, indent))
            if item.loose_measures:
                st.markdown(f"**{t('area.loose')}**")
                for measure in item.loose_measures:
                    st.markdown(f"▸ {measure.number} {measure.title} "
                                f"{status_badge(measure.status, lang)}")
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
