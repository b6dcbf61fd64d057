"""The Hotspots page: fear and crime hotspots of the current town, their classes, and what
each class means for the police, urbanists and community workers.

The page is a public view: sensitive answers count only in cells with at least k of them and
the KDE bandwidth is never shown (``layers.hotspots.privacy``). The public (not logged in)
chooses among fixed selections, safe against differencing (``layers.hotspots.public_sets``);
logged-in staff keep free filters, with the k-rule after them. Results are cached by the
town's key (``app.ui.cache_keys``) and every input of the analysis.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from app.features.hotspots.map import VIEWS, build_emerging_map, build_hotspot_map
from app.features.hotspots.model import (
    class_chart,
    class_table,
    emerging_table,
    explanation_table,
    hot_places_table,
    hottest_cells,
    localities_table,
    metrics,
)
from app.ui import cache
from app.ui.cache_keys import cache_key
from app.ui.i18n import label, number, translate
from app.ui.map_component import show_map
from app.ui.page import page_head
from app.ui.state import count, t
from app.ui.town import TownData
from layers import messages
from layers.errors import InvalidInput
from layers.geocode import named_points
from layers.hotspots.analysis import HotspotInputError, HotspotReport, HotspotRequest, run_hotspots
from layers.hotspots.emerging import PERIODS, TownEmerging, town_emerging
from layers.hotspots.fear_crime import DEPARTMENT_ONLY
from layers.hotspots.filters import PinFilter
from layers.hotspots.grid import MAX_CELL_M, MIN_CELL_M
from layers.hotspots.privacy import DEFAULT_K
from layers.hotspots.public_sets import PublicSet, public_filter_sets
from layers.schema import (
    AGE_GROUPS,
    FEELINGS,
    OFFENCES,
    PIN_CATEGORIES,
    POLICE_OFFENCES,
    SEEN,
    TIMES_OF_DAY,
)
from layers.store import open_store
from layers.vocabulary import POSITIVE_CATEGORIES

MAP_HEIGHT = 560


@st.cache_data(show_spinner=False, max_entries=32)
def compute(location: str, version: str, town_id: str, layer: str, cell_m: float,
            confidence: float, filters: tuple[tuple[str, ...], ...],
            dates: tuple[date | None, date | None], staff: bool,
            ) -> tuple[HotspotReport | None, str, dict[str, object]]:
    """The hotspot report for these inputs, or (None, problem code, its figures): the public
    view, safe against differencing, or with ``staff`` the logged-in view (k-rule after the
    filters)."""
    categories, feelings, seen, times, ages, sessions = filters
    request = HotspotRequest(
        town_id=town_id, cell_m=cell_m, confidence=confidence, public=True, k=DEFAULT_K,
        staff=staff,
        pins=PinFilter(categories=categories, feelings=tuple(int(f) for f in feelings),
                       seen=seen, times_of_day=times, age_groups=ages, sessions=sessions,
                       date_from=dates[0], date_to=dates[1]),
    )
    try:
        return run_hotspots(open_store(location), request, layer=layer), "", {}
    except HotspotInputError as exc:
        return None, exc.code, dict(exc.params)


@st.cache_data(show_spinner=False, max_entries=16)
def compute_emerging(location: str, version: str, town_id: str, period: str, cell_m: float
                     ) -> tuple[TownEmerging | None, str, dict[str, object]]:
    """The town's emerging hot spots (cells and figures; no offence is kept in it), or
    (None, problem code, its figures)."""
    try:
        return town_emerging(open_store(location), town_id, period, cell_m), "", {}
    except InvalidInput as exc:
        return None, exc.code, dict(exc.params)


@st.cache_data(show_spinner=False, max_entries=32)
def cell_names(location: str, version: str, town_id: str,
               xy: tuple[tuple[float, float], ...]) -> pd.DataFrame:
    """``layers.geocode.named_points`` of the cell centres ``xy`` (EPSG:5514 metres)."""
    return named_points(open_store(location), town_id, np.array(xy, dtype=float))


def render() -> None:
    """The page: the analysis inputs and filters, then the figures, map, table, chart,
    agreement, localities and the explanation of the classes; then the emerging hot spots
    of the town's offences over time."""
    head = page_head("hotspots", needs=("pins", "police_districts", "localities"))
    lang, town_id, town = head.lang, head.town_id, head.town
    staff = not head.principal.is_public
    st.info(t("hotspots.staff_note" if staff else "hotspots.public_note", k=DEFAULT_K))

    left, middle, right = st.columns(3)
    layers = left.multiselect(t("hotspots.layers"), ["fear", "crime"], default=["fear", "crime"],
                              format_func=lambda c: translate(f"hotspots.layer.{c}", lang),
                              key="hotspots_layers")
    cell_m = middle.select_slider(t("hotspots.cell"),
                                  options=list(range(int(MIN_CELL_M), int(MAX_CELL_M) + 1, 50)),
                                  value=100, key="hotspots_cell")
    confidence = right.select_slider(t("hotspots.confidence"), options=[0.90, 0.95, 0.99],
                                     value=0.95, format_func=lambda c: f"{c:.0%}",
                                     key="hotspots_confidence")

    filters, dates = _filters(town, lang) if staff else _public_set(town, lang)

    if not layers:
        st.warning(t("hotspots.no_layer"))
        st.stop()

    store = cache.store()
    main_layer = "fear" if "fear" in layers else "crime"
    inputs = (*cache_key(store, "hotspots", town_id), town_id, main_layer, float(cell_m),
              float(confidence), filters, dates, staff)
    with st.spinner(t("hotspots.computing")):
        report, problem, figures = compute(*inputs)
    if report is None:
        st.warning(t("hotspots.error", detail=messages.render(problem, figures, lang)))
    else:
        _results(report, inputs, layers, town, confidence, main_layer, lang)
    _emerging(town, lang)


def _emerging(town: TownData, lang: str) -> None:
    """Emerging hot spots of the town's offences: the period and cell size, the map of
    patterns (cells only), the cells per pattern with what each means."""
    st.header(t("hotspots.emerging.title"))
    st.caption(t("hotspots.emerging.intro"))
    store = cache.store()
    if not {OFFENCES.name, POLICE_OFFENCES.name} & set(store.layer_names()):
        st.info(t("hotspots.emerging.none"))
        return
    left, right = st.columns(2)
    period = left.radio(t("hotspots.emerging.period"), PERIODS, horizontal=True,
                        format_func=lambda p: t(f"hotspots.emerging.period.{p}"),
                        key="hotspots_emerging_period")
    cell_m = right.select_slider(t("hotspots.cell"),
                                 options=list(range(int(MIN_CELL_M), int(MAX_CELL_M) + 1, 50)),
                                 value=250, key="hotspots_emerging_cell")
    inputs = (*cache_key(store, "hotspots", town.town_id), town.town_id, str(period),
              float(cell_m))
    with st.spinner(t("hotspots.computing")):
        found, problem, figures = compute_emerging(*inputs)
    if found is None:
        st.warning(t("hotspots.error", detail=messages.render(problem, figures, lang)))
        return
    steps = found.result.steps
    st.caption(t("hotspots.emerging.covered", first=steps[0], last=steps[-1], steps=len(steps),
                 points=number(found.points, lang),
                 approximate=number(found.approximate, lang)))
    # built once per input and language (app.ui.map_component)
    show_map(("emerging", *inputs, lang),
             lambda: build_emerging_map(found.cells, town.boundary, lang),
             key=f"hotspots-emerging-{town.town_id}", height=MAP_HEIGHT, returned_objects=[])
    table = emerging_table(found.cells["pattern"], lang)
    st.table(table.drop(columns="code").rename(columns={
        "label": t("hotspots.emerging.pattern"), "cells": t("hotspots.table.cells"),
        "meaning": t("hotspots.emerging.meaning")}), hide_index=True)


def _public_set(town: TownData, lang: str
                ) -> tuple[tuple[tuple[str, ...], ...], tuple[date | None, date | None]]:
    """The fixed public selection chosen (``layers.hotspots.public_sets``), as ``compute``
    takes filters. Sessions are offered by place and date only."""
    approved = set(town.pins_approved["session_id"].dropna().astype(str))
    sets = public_filter_sets(cache.public_sessions(town.town_id), approved)
    chosen = st.selectbox(t("hotspots.public_set"), range(len(sets)),
                          format_func=lambda i: _set_label(sets[i], lang),
                          key=f"hotspots_public_set_{town.town_id}",
                          help=t("hotspots.public_set.help", k=DEFAULT_K))
    pins = sets[chosen].pins
    return ((pins.categories, tuple(str(f) for f in pins.feelings), pins.seen,
             pins.times_of_day, pins.age_groups, pins.sessions), (None, None))


def _set_label(chosen: PublicSet, lang: str) -> str:
    """A public selection's name in ``lang``."""
    if chosen.kind in ("all", "everyday"):
        return translate(f"hotspots.public_set.{chosen.kind}", lang)
    if chosen.kind == "session":
        place, day = chosen.value
        return translate("hotspots.public_set.session", lang, place=place, date=day)
    group = "pin.time" if chosen.kind == "time" else "age"
    return translate(f"hotspots.public_set.{chosen.kind}", lang,
                     value=label(group, chosen.value[0], lang))


def _filters(town: TownData, lang: str
             ) -> tuple[tuple[tuple[str, ...], ...], tuple[date | None, date | None]]:
    """The pin filters a logged-in user chose in their expander, as ``compute`` takes them:
    (categories, feelings, seen, times of day, age groups, sessions) and (first day, last
    day)."""
    with st.expander(t("hotspots.filters")):
        a, b, c = st.columns(3)
        # (column, name of the filter's key and texts, options, vocabulary of their labels)
        chosen = [where.multiselect(t(f"hotspots.filter.{name}"), options,
                                    format_func=lambda v, group=group: label(group, v, lang),
                                    placeholder=t("hotspots.filter.all"), key=f"hotspots_{name}")
                  for where, name, options, group in (
                      (a, "category", PIN_CATEGORIES, "pin.category"),
                      (a, "feeling", FEELINGS, "pin.feeling"),
                      (b, "seen", SEEN, "pin.seen"), (b, "time", TIMES_OF_DAY, "pin.time"),
                      (c, "age", AGE_GROUPS, "age"))]
        session_ids = sorted(town.pins_approved["session_id"].dropna().astype(str).unique())
        sessions = c.multiselect(t("hotspots.filter.session"), session_ids,
                                 placeholder=t("hotspots.filter.all"), key="hotspots_session")
        period = st.date_input(t("hotspots.filter.dates"), value=[], key="hotspots_dates")
    chosen_dates = tuple(period) if isinstance(period, tuple) else (period,)
    dates = (chosen_dates[0] if chosen_dates else None,
             chosen_dates[1] if len(chosen_dates) > 1 else None)
    return ((*(tuple(str(v) for v in values) for values in chosen), tuple(sessions)), dates)


def _results(report: HotspotReport, inputs: tuple[object, ...], layers: list[str],
             town: TownData, confidence: float, main_layer: str, lang: str) -> None:
    """The report (made of ``inputs``, the arguments of :func:`compute`): figures and notes,
    the map of a chosen view and layer, the classes as a table and chart, the agreement of
    fear and crime, the localities, the explanation."""
    shown = metrics(report, confidence, lang)
    for column, (caption, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(caption, value)
    crime = report.layers.get("crime")

    for layer in layers:
        if layer in report.failed:
            code, params = report.failed[layer]
            st.warning(t("hotspots.error.layer", layer=translate(f"hotspots.layer.{layer}", lang),
                         detail=messages.render(code, params, lang)))
    for summary in report.layers.values():
        if summary.outside:
            st.caption(t("hotspots.outside", n=count("count.pins", summary.outside)))
        if summary.withheld:
            st.caption(t("hotspots.withheld", n=count("count.answers", summary.withheld),
                         k=DEFAULT_K))
    if crime is not None and crime.source == "district_index" and "crime" in layers:
        st.caption(t("hotspots.crime_index", year=crime.year or "–",
                     value=number(crime.reference_per_10k or float("nan"), lang, 1)))
        if "fear" in layers and (report.cells["fear_crime"] == DEPARTMENT_ONLY).any():
            st.info(t("hotspots.fc.department_note", year=crime.year or "–"))
    positive = town.pins_approved[
        town.pins_approved["category"].astype(str).isin(POSITIVE_CATEGORIES)]
    if "fear" in layers and len(positive):
        st.caption(t("hotspots.fear_only_note", n=len(positive)))

    shown_layers = tuple(layer for layer in layers if layer in report.layers)
    view_column, layer_column = st.columns(2)
    view = view_column.radio(t("hotspots.view"), VIEWS, horizontal=True, key="hotspots_view",
                             format_func=lambda v: translate(f"hotspots.view.{v}", lang))
    map_layer = layer_column.radio(t("hotspots.map_layer"), shown_layers, horizontal=True,
                                   key="hotspots_map_layer",
                                   format_func=lambda v: translate(f"hotspots.layer.{v}", lang))
    # built once per input, view, layer and language (app.ui.map_component)
    show_map(("hotspots", *inputs, view, map_layer or main_layer, lang),
             lambda: build_hotspot_map(report, town.boundary, view, map_layer or main_layer,
                                       lang, positive, town.is_synthetic("pins")),
             key=f"hotspots-{town.town_id}", height=MAP_HEIGHT, returned_objects=[])

    # the page's short tables are static tables: a data grid's scripts, loaded with the
    # page, would hold back the map's component (docs/performance.md)
    table = class_table(report, shown_layers, lang)
    if not table.empty:  # crime alone from the district index has no classes to count
        table_column, chart_column = st.columns([1, 1])
        table_column.table(
            table.drop(columns="code").rename(columns={"layer": t("hotspots.table.layer"),
                                                       "label": t("hotspots.table.class"),
                                                       "cells": t("hotspots.table.cells")}),
            hide_index=True, width="stretch")
        chart_column.altair_chart(class_chart(table, t("hotspots.chart.title")), width="stretch")
    _hot_places(report, map_layer or main_layer, town.town_id, confidence, lang)

    if report.agreement is not None and "fear" in layers and "crime" in layers:
        agreement = report.agreement
        st.subheader(t("hotspots.agreement"))
        a, b, c = st.columns(3)
        a.metric(t("hotspots.agreement.jaccard"), number(agreement.jaccard, lang, 2))
        b.metric(t("hotspots.agreement.share"), number(agreement.fear_hot_also_crime_hot, lang, 2))
        c.metric(t("hotspots.agreement.lee"), f"{number(agreement.lee_l, lang, 2)} "
                                              f"({number(agreement.lee_p, lang, 3)})",
                 help=t("hotspots.agreement.help"))

    if len(report.localities):
        st.subheader(t("hotspots.localities"))
        st.table(localities_table(report.localities, lang), hide_index=True)

    with st.expander(t("hotspots.explain"), expanded=False):
        st.markdown(t("hotspots.explain.method"))
        st.table(explanation_table(lang))


def _hot_places(report: HotspotReport, layer: str, town_id: str, confidence: float,
                lang: str) -> None:
    """The strongest hot cells of ``layer`` named by place, with the nearest stop."""
    rows = hottest_cells(report, layer, confidence)
    if not rows:
        return
    centres = report.cells.geometry.iloc[rows].centroid  # EPSG:5514, as the analysis works
    named = cell_names(*cache_key(cache.store(), "hotspots", town_id), town_id,
                       tuple(zip(centres.x.round(1), centres.y.round(1), strict=True)))
    st.subheader(t("hotspots.hot"))
    st.caption(t("hotspots.hot.note"))
    st.table(hot_places_table(report, layer, rows, named, lang), hide_index=True)


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
