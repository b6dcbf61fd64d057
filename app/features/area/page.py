"""The Area page: goals, measures and indicators of the current town or one of its
localities, linked to the map, with the places of fear no measure addresses yet and the
council report (HTML, PDF) to download.

Everything shown is computed in ``layers.strategy.area`` and cached by the store's location
and version, the town and the locality, so a save (``layers.strategy.editing``) shows at once.
A click on the map chooses either the place of a new measure or a locality (as the list above
does); an area drawn with the map's Leaflet.draw tools can be linked to a new or an existing
measure. Forms write: add a measure (linked to the clicked place and/or the drawn area, else
to the whole area), link the drawn area to a measure, add and edit goals, change a measure's
status, edit a measure, record an indicator's value (``app.features.area.forms`` holds the
goal, measure, status, link and indicator forms; ``app.features.area.model`` the tables). A
refused save shows the reason and keeps what was typed; a successful one replaces the form
with an empty one. Every save acts as the logged-in principal
(right ``edit_strategy``): its role goes into the history, its username into the audit log.

The map component keeps reporting its last click and its last drawing on every rerun, so the
last one acted on is kept in the session and only a different one counts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial

import folium
import geopandas as gpd
import streamlit as st
from shapely.geometry import Point

from app.features.area.crime import crime_section
from app.features.area.forms import (
    FORMS_KEY,
    REFUSALS,
    SAVED_KEY,
    goal_forms,
    link_form,
    measure_form,
    observation_form,
    refused,
    saved,
    status_form,
)
from app.features.area.goals import (
    PICKED_KEY,
    area,
    goal_tree,
    region,
    unaddressed_places,
)
from app.features.area.map import build_area_map, locality_at
from app.features.area.model import (
    Choices,
    choices,
    crime_category_table,
    department_line,
    exclusion_lines,
    history_table,
    indicator_table,
    region_totals_line,
    search_table,
    timeline_chart_frame,
    timeline_chart_spec,
    timeline_table,
    unaddressed_table,
)
from app.ui import cache, url_state
from app.ui.access import page_principal
from app.ui.cache_keys import cache_key
from app.ui.i18n import label
from app.ui.map_component import show_map
from app.ui.maps.draw import drawn_geometry
from app.ui.missing import note_missing
from app.ui.state import current_language, page_town, t
from app.ui.town import TownData
from layers.access.principal import Principal
from layers.access.roles import EDIT_STRATEGY
from layers.analysis.content import AreaChoice
from layers.area_figures import (
    DepartmentFigure,
    ExclusionFigure,
    RegionTotal,
    department_figure,
    exclusion_figure,
    figure_lines,
    municipalities_of,
    region_totals,
)
from layers.crs import STORAGE_CRS
from layers.schema import MEASURE_STATUSES, TOWNS
from layers.store import Store, open_store
from layers.strategy.area import (
    HOTSPOT_CELL_M,
    HOTSPOT_K,
    PLACE_RADIUS_M,
    AreaView,
    StrategyArea,
)
from layers.strategy.area import indicator_table as indicator_frame
from layers.strategy.editing import add_measure, point_link, polygon_link
from layers.strategy.model import Link
from layers.strategy.report import report_html, report_pdf
from layers.strategy.search import search

MAP_HEIGHT = 520


@st.cache_data(show_spinner=False, max_entries=16)
def report(location: str, version: str, figures_version: str, town_id: str,
           locality_id: str | None, fmt: str, town_name: str, locality_name: str | None
           ) -> bytes:
    """The council report (Czech) as ``fmt`` ("html" or "pdf") bytes, with the area's real
    figures (keyed on their own layers' ``figures_version``)."""
    view = area(location, version, town_id, locality_id)
    exclusion, department, totals, _ = figures(location, figures_version, town_id, locality_id)
    lines = figure_lines(exclusion, department, totals, town_name, locality_name)
    if fmt == "pdf":
        return report_pdf(view, town_name, locality_name, lines)
    return report_html(view, town_name, locality_name, lines).encode("utf-8")


#: Session keys: the last map click and drawing acted on, and the chosen (lon, lat) and drawn
#: area (GeoJSON) per town. A locality picked on the map (or the Map page's side panel) waits
#: for the next run under ``app.features.area.goals.PICKED_KEY``.
LAST_CLICK_KEY = "area_last_click"
LAST_DRAWING_KEY = "area_last_drawing"
POINT_KEY = "area_point"
DRAWN_KEY = "area_drawn"
NOTICE_KEY = "area_notice"
#: The area choice that stands for the town's whole region (``towns.kod_kraj``).
REGION_CHOICE = "__region__"
#: The region's value of the URL's locality parameter (``?lokalita=kraj``).
REGION_PARAM = "kraj"


def render() -> None:
    """The page: the area, its reports, its map and forms, goals, indicators, hotspots and
    history."""
    principal = page_principal(EDIT_STRATEGY)
    lang = current_language()
    town_id = page_town()
    town = cache.town_data(town_id)
    town_name = town.name
    names = town.locality_names
    locality_key = f"area_locality_{town_id}"
    if PICKED_KEY in st.session_state:
        # a widget's value may only be set before it is drawn: the map's pick waits for this run
        st.session_state[locality_key] = st.session_state.pop(PICKED_KEY)
    region_name = str(town.town["kraj"])
    labels = {"": t("area.whole_town"), REGION_CHOICE: t("area.region", region=region_name),
              **names}
    # the URL names the locality by its id or name, the region as "kraj"
    url_state.from_url(url_state.LOCALITY, locality_key,
                       {**{n.casefold(): i for i, n in names.items()}, **{i: i for i in names},
                        REGION_PARAM: REGION_CHOICE})
    locality = st.selectbox(t("area.locality"), ["", *names, REGION_CHOICE], key=locality_key,
                            format_func=labels.__getitem__)
    url_state.to_url(url_state.LOCALITY,
                     REGION_PARAM if locality == REGION_CHOICE else str(locality or ""))
    store = cache.store()
    if locality == REGION_CHOICE:
        _region(store, str(town.town["kod_kraj"]), region_name, lang)
        return
    locality_id = locality or None
    locality_name = names.get(locality) if locality_id else None
    view = area(*cache_key(store, "area", town_id), town_id, locality_id)

    title = f"{town_name} – {locality_name}" if locality_name else town_name
    st.title(t("area.title", area=title))
    st.caption(t("area.intro"))
    _figures(*cache_key(store, "figures", town_id), town_id, locality_id, town_name,
             locality_name, lang)
    note_missing(town, ("localities", "pins"))
    if SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(SAVED_KEY))
    form_id = f"{town_id}-{st.session_state.get(FORMS_KEY, 0)}"

    # the reports are made when downloaded, not on every run (the PDF takes seconds)
    html_column, pdf_column = st.columns(2)
    key = (*cache_key(store, "area", town_id), cache_key(store, "figures", town_id)[1])
    html_column.download_button(
        t("area.download.html"),
        partial(report, *key, town_id, locality_id, "html", town_name, locality_name),
        file_name=f"zprava-{town_id}-{locality or 'mesto'}.html", mime="text/html")
    pdf_column.download_button(
        t("area.download.pdf"),
        partial(report, *key, town_id, locality_id, "pdf", town_name, locality_name),
        file_name=f"zprava-{town_id}-{locality or 'mesto'}.pdf", mime="application/pdf")

    area_link = _map(view, town, locality, lang)
    picks = choices(view)
    if picks.goal_labels:
        _add_measure(store, principal, picks, area_link, town_id, locality_id, form_id, lang)

    st.header(t("area.goals"))
    if not view.strategies:
        st.info(t("area.no_strategy"))
    goal_tree(view.strategies, lang)
    if view.strategies:
        goal_forms(store, principal, view.strategies, form_id)

    if picks.measures:
        status_form(store, principal, picks.measures, form_id, lang)
        measure_form(store, principal, picks.measures, form_id)

    st.header(t("area.indicators"))
    if view.indicators.empty:
        st.info(t("area.no_indicators"))
    else:
        st.dataframe(indicator_table(view.indicators, lang), hide_index=True, width="stretch")
        observation_form(store, principal, view.indicators, form_id)

    _timeline(view.strategies, lang)
    _search(view.strategies, lang)

    st.header(t("area.hotspots"))
    st.caption(t("area.hotspots.note", cell=f"{HOTSPOT_CELL_M:.0f}", k=HOTSPOT_K,
                 radius=f"{PLACE_RADIUS_M:.0f}", addressed=len(view.cells) - len(view.unaddressed),
                 total=len(view.cells)))
    if view.unaddressed.empty:
        st.success(t("area.hotspots.none"))
    else:
        places = unaddressed_places(*cache_key(store, "area", town_id),
                                    cache_key(store, "names", town_id)[1], town_id, locality_id)
        st.dataframe(unaddressed_table(view.unaddressed, places, lang), hide_index=True,
                     width="stretch")

    st.header(t("area.history"))
    history = history_table(view, lang)
    if history.empty:
        st.info(t("area.history.none"))
    else:
        st.dataframe(history, hide_index=True, width="stretch")

    # last: what it shows changes with the year, and nothing below it moves (nor the map)
    crime_section(store, AreaChoice(town_id, locality_id, town_name, locality_name), lang)


@st.cache_data(show_spinner=False, max_entries=16)
def figures(location: str, version: str, town_id: str, locality_id: str | None
            ) -> tuple[ExclusionFigure | None, DepartmentFigure | None, tuple[RegionTotal, ...],
                       gpd.GeoDataFrame]:
    """The area's real figures and its region's municipalities (cached per store version)."""
    store = open_store(location)
    town = store.read(TOWNS, town_id).iloc[0]
    return (exclusion_figure(store, town_id, locality=locality_id is not None),
            department_figure(store, town_id, locality_id), region_totals(store, town_id),
            municipalities_of(store, str(town["kod_kraj"])))


def _figures(location: str, version: str, town_id: str, locality_id: str | None,
             town_name: str, locality_name: str | None, lang: str) -> None:
    """The real figures of the area with their sources and years, and the note that the
    generated layers are illustrative."""
    exclusion, department, totals, _ = figures(location, version, town_id, locality_id)
    with st.container(border=True):
        st.subheader(t("area.figures"))
        if exclusion is not None:
            st.markdown("  \n".join(exclusion_lines(exclusion, town_name, locality_name, lang)))
        if department is not None:
            st.markdown(department_line(department, lang))
            if department.year is not None:
                st.caption(t("area.figures.year_note", year=department.year))
            if department.categories:
                with st.expander(t("area.figures.categories", name=department.name,
                                   year=department.year)):
                    # a static table: the page's data grids are its working tables
                    st.table(crime_category_table(department, lang).set_index(
                        t("area.col.crime_type")))
                    st.caption(t("area.figures.source", source=department.source))
        if totals:
            st.markdown(region_totals_line(totals, lang))
            st.caption(t("area.figures.source", source=totals[0].source))
        st.info(t("area.figures.illustrative"))


def _region(store: Store, region_code: str, region_name: str, lang: str) -> None:
    """The region's strategies and its towns' documents: goals, measures, evaluations,
    indicators, timeline and search (no map, hotspots or forms: those are a town's)."""
    items = region(*cache_key(store, "area"), region_code)
    st.title(t("area.title", area=region_name))
    st.caption(t("area.region.intro"))
    st.header(t("area.goals"))
    if not items:
        st.info(t("area.no_strategy"))
    goal_tree(items, lang)
    st.header(t("area.indicators"))
    indicators = indicator_frame([item.strategy for item in items])
    if indicators.empty:
        st.info(t("area.no_indicators"))
    else:
        st.dataframe(indicator_table(indicators, lang), hide_index=True, width="stretch")
    _timeline(items, lang)
    _search(items, lang)


def _timeline(items: Sequence[StrategyArea], lang: str) -> None:
    """Each programme's period, planned steps, phases and outputs as the documents date them,
    and an early end with its reason."""
    st.header(t("area.timeline"))
    strategies = [item.strategy for item in items]
    for strategy in strategies:
        for entry in strategy.timeline:
            if entry.kind == "early_end":
                st.warning(t("area.timeline.early_end", when=entry.when, text=entry.text)
                           + (f"\n\n{entry.note}" if entry.note else ""))
    bars = timeline_chart_frame(strategies, lang)
    if not bars.empty:
        st.vega_lite_chart(bars, timeline_chart_spec(lang), width="stretch")
    table = timeline_table(strategies, lang)
    if table.empty:
        st.info(t("area.timeline.none"))
    else:
        st.dataframe(table, hide_index=True, width="stretch")


def _search(items: Sequence[StrategyArea], lang: str) -> None:
    """A search box over the area's strategies and its hits."""
    query = st.text_input(t("area.search"), key="area_search")
    if not query.strip():
        return
    hits = search([item.strategy for item in items], query)
    if not hits:
        st.info(t("area.search.none"))
        return
    st.caption(t("area.search.count", count=len(hits)))
    st.dataframe(search_table(hits, lang), hide_index=True, width="stretch")


def _map(view: AreaView, town: TownData, locality: str, lang: str) -> Link | None:
    """The map: a click chooses a place or a locality, a drawing an area; return the drawn
    area as a link for a measure (None when nothing usable is drawn)."""
    town_id = town.town_id
    point_key = f"{POINT_KEY}_{town_id}"
    drawn_key = f"{DRAWN_KEY}_{town_id}"
    chosen: tuple[float, float] | None = st.session_state.get(point_key)
    drawn: dict[str, object] | None = st.session_state.get(drawn_key)
    click_mode = st.radio(t("area.click_mode"), ["place", "locality"], horizontal=True,
                          key=f"area_click_mode_{town_id}",
                          format_func=lambda mode: t(f"area.click_mode.{mode}"))
    st.caption(t("area.form.draw_help"))
    store = cache.store()
    figures_key = cache_key(store, "figures", town_id)

    def build() -> folium.Map:
        _, _, _, municipalities = figures(*figures_key, town_id, None)
        return build_area_map(view, town.context, lang, chosen, town.localities, drawn,
                              municipalities, town.is_synthetic("localities"))

    # the map shows the area's view, the town's layers, the region's figures and the choices
    shown = ("area", *cache_key(store, "area", town_id), cache_key(store, "town", town_id)[1],
             figures_key[1], town_id, locality, lang, tuple(chosen) if chosen else None,
             json.dumps(drawn, sort_keys=True) if drawn else None)
    result = show_map(shown, build, key=f"area-{town_id}-{locality}", height=MAP_HEIGHT,
                      returned_objects=["last_clicked", "all_drawings"]) or {}
    if NOTICE_KEY in st.session_state:
        st.warning(st.session_state.pop(NOTICE_KEY))
    click = result.get("last_clicked")
    # "all_drawings" holds only what was drawn ("last_active_drawing" is any clicked shape)
    drawing = drawn_geometry((result.get("all_drawings") or [None])[-1])
    if drawing and drawing != st.session_state.get(LAST_DRAWING_KEY):
        st.session_state[LAST_DRAWING_KEY] = drawing
        st.session_state[drawn_key] = drawing
        st.rerun()
    if click and click != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = click
        lon, lat = float(click["lng"]), float(click["lat"])
        if click_mode == "locality":
            picked = locality_at(town.localities, lon, lat)
            if picked is None:
                st.session_state[NOTICE_KEY] = t("area.click.no_locality")
            elif picked != locality:
                st.session_state[PICKED_KEY] = picked
        else:
            st.session_state[point_key] = (lon, lat)
        st.rerun()
    area_link = None
    if drawn is not None:
        drawn_text, clear_drawn = st.columns([3, 1])
        try:
            area_link, area_m2 = polygon_link(drawn, partial(_place_name, town_id))
        except ValueError as exc:
            with drawn_text:
                refused(exc)
        else:
            drawn_text.markdown(t("area.form.drawn",
                                  area=f"{area_m2:,.0f}".replace(",", "\u00a0")))
        if clear_drawn.button(t("area.form.clear_drawn"), key=f"area_clear_drawn_{town_id}"):
            del st.session_state[drawn_key]
            st.rerun()
    return area_link


def _place_name(town_id: str, point: Point) -> str:
    """A clicked or drawn place (EPSG:4326) as people say it: its nearest address, stop or
    part of town, else "a place on the map"; never its coordinates."""
    return (cache.place_names(town_id, gpd.GeoSeries([point], crs=STORAGE_CRS))[0]
            or t("area.form.point_unnamed"))


def _add_measure(store: Store, principal: Principal, picks: Choices, area_link: Link | None,
                 town_id: str, locality_id: str | None, form_id: str, lang: str) -> None:
    """Add a measure under a goal, linked to the clicked place and/or the drawn area (else to
    the whole area); link the drawn area to an existing measure."""
    point_key = f"{POINT_KEY}_{town_id}"
    drawn_key = f"{DRAWN_KEY}_{town_id}"
    chosen: tuple[float, float] | None = st.session_state.get(point_key)
    chosen_name = _place_name(town_id, Point(chosen)) if chosen else ""
    st.subheader(t("area.form.add_title"))
    st.caption(t("area.form.add_help"))
    if chosen is None:
        st.caption(t("area.form.no_point"))
    else:
        point_text, clear_column = st.columns([3, 1])
        point_text.markdown(t("area.form.point", place=chosen_name))
        if clear_column.button(t("area.form.clear_point"), key=f"area_clear_{town_id}"):
            del st.session_state[point_key]
            st.rerun()
    goal_labels = picks.goal_labels
    with st.form(f"area_add_{form_id}"):
        goal_id = st.selectbox(t("area.form.goal"), list(goal_labels),
                               format_func=goal_labels.__getitem__, key=f"area_goal_{form_id}")
        text = st.text_area(t("area.form.text"))
        owner = st.text_input(t("area.form.owner"))
        status = st.selectbox(t("area.form.status"), MEASURE_STATUSES,
                              format_func=lambda code: label("area.status", code, lang))
        time_frame = st.text_input(t("area.form.time_frame"))
        add = st.form_submit_button(t("area.form.add"), type="primary")
    if add:
        point = point_link(*chosen, chosen_name) if chosen else None
        links = [link for link in (area_link, point) if link]
        whole = Link("", "locality", locality_id) if locality_id else Link("", "town", town_id)
        try:
            add_measure(store, principal, picks.goal_strategy[goal_id], goal_id, text, [owner],
                        status, time_frame, links or [whole])
        except REFUSALS as exc:
            refused(exc)
        else:
            st.session_state.pop(point_key, None)
            st.session_state.pop(drawn_key, None)
            saved(t("area.form.added"))
    if area_link is not None and picks.measures \
            and link_form(store, principal, picks.measures, area_link, form_id):
        st.session_state.pop(drawn_key, None)
        saved(t("area.form.linked"))


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
