"""The Patrol planning page: ranked exposed places of a town or locality with adjustable
weights, a walking round over them, its coverage, GPX / PDF / GeoPackage downloads, saved
plans and their link to a strategy measure.

Everything is computed in ``layers.patrol`` from the public hotspot view and cached by the
town's key (``app.ui.cache_keys``) and every input, so a saved plan shows at once. Saves go through
``layers.patrol.plans`` with the logged-in principal, which checks the right again and audits.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from app.features.patrol.map import build_patrol_map
from app.features.patrol.model import (
    FILE_LANGUAGE,
    gpkg_file,
    gpx_file,
    metrics,
    saved_table,
    sheet_html_file,
    stops_table,
)
from app.ui import cache
from app.ui.access import page_principal
from app.ui.cache_keys import cache_key
from app.ui.i18n import label, labels
from app.ui.map_component import show_map
from app.ui.missing import note_illustrative, note_missing
from app.ui.state import count, current_language, error_text, page_town, t
from app.ui.town import TownData
from layers import messages
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import PLAN_PATROLS, PROPOSE_MEASURES
from layers.patrol.plans import (
    MEASURE_TEXT,
    PatrolPlan,
    build_plan,
    load_plans,
    save_as_measure,
    save_plan,
)
from layers.patrol.ranking import (
    DEFAULT_STOP_RADIUS_M,
    DEFAULT_TIMES,
    FACTORS,
    RankingError,
    RankingRequest,
    Weights,
)
from layers.patrol.route import NETWORK_MODES
from layers.patrol.sheet import sheet_pdf
from layers.schema import PIN_CATEGORIES, TIMES_OF_DAY
from layers.store import Store, open_store
from layers.strategy.tables import load_strategies

MAP_HEIGHT = 520
SAVED_KEY = "patrol_saved"


@st.cache_data(show_spinner=False, max_entries=16)
def plan_for(location: str, version: str, town_id: str, locality_id: str | None, places: int,
             weights: tuple[float, ...], times: tuple[str, ...], distance: float,
             mode: str) -> PatrolPlan | ValueError:
    """The plan for these inputs, or the error saying why there is none."""
    try:
        request = RankingRequest(town_id, locality_id, Weights(*weights), times)
        return build_plan(open_store(location), request, places, distance, mode)
    except (RankingError, ValueError) as exc:
        return exc


def _sheet_pdf(plan: PatrolPlan, town_name: str) -> bytes:
    """The patrol sheet as PDF, with the town's map (Czech)."""
    town = cache.town_data(plan.town_id)
    return sheet_pdf(plan, town.boundary, town.context, town_name,
                     labels("pin.category", PIN_CATEGORIES, FILE_LANGUAGE))


def render() -> None:
    """The page: the area and the plan's inputs, then the plan's figures, downloads, map and
    places, saving it and turning a saved plan into a measure."""
    principal = page_principal(PLAN_PATROLS)
    lang = current_language()
    town_id = page_town()
    town = cache.town_data(town_id)
    names = town.locality_names
    locality = st.selectbox(t("patrol.locality"), ["", *names], key=f"patrol_locality_{town_id}",
                            format_func=lambda code: names.get(code, t("patrol.whole_town")))
    area = f"{town.name} – {names[locality]}" if locality else town.name
    st.title(t("patrol.title", area=area))
    st.caption(t("patrol.intro"))
    note_missing(town, ("pins", "police_districts", "localities"))
    note_illustrative(town, ("pins", "localities"))
    if SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(SAVED_KEY))

    a, b, c = st.columns(3)
    places = a.slider(t("patrol.places"), 2, 15, 6, key="patrol_places")
    times = b.multiselect(t("patrol.times"), TIMES_OF_DAY, default=list(DEFAULT_TIMES),
                          format_func=lambda v: label("pin.time", v, lang), key="patrol_times")
    distance = c.select_slider(t("patrol.distance"), options=list(range(50, 501, 50)), value=150,
                               key="patrol_distance")
    *columns, last = st.columns(len(FACTORS) + 1)
    defaults = Weights().as_dict()
    weights = tuple(column.slider(t(f"patrol.weight.{factor}"), 0.0, 3.0, defaults[factor], 0.5,
                                  key=f"patrol_w_{factor}")
                    for column, factor in zip(columns, FACTORS, strict=True))
    mode = last.radio(t("patrol.mode"), NETWORK_MODES, key="patrol_mode",
                      format_func=lambda v: t(f"patrol.mode.{v}"))
    st.caption(t("patrol.weights_note", radius=f"{DEFAULT_STOP_RADIUS_M:.0f}"))

    store = cache.store()
    if sum(weights) <= 0:
        st.warning(t("patrol.error", detail=messages.render("patrol.zero_weights", {}, lang)))
        st.stop()
    if not times:
        st.warning(t("patrol.error", detail=t("patrol.no_times")))
        st.stop()
    inputs = (*cache_key(store, "patrol", town_id), town_id, locality or None, places,
              weights, tuple(times), float(distance), mode)
    plan = plan_for(*inputs)
    if isinstance(plan, ValueError):
        st.warning(t("patrol.error", detail=error_text(plan)))
        st.stop()

    _plan(plan, inputs, town, locality, lang)
    _save(store, principal, plan, town_id, lang)


def _plan(plan: PatrolPlan, inputs: tuple[object, ...], town: TownData, locality: str,
          lang: str) -> None:
    """The plan (made of ``inputs``, the arguments of :func:`plan_for`): its figures and
    method, its downloads, its map and its places."""
    route = plan.route
    cover = plan.coverage
    shown = metrics(plan, lang)
    for column, (caption, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(caption, value)
    st.markdown(t(f"patrol.method.{route.method}"))
    st.caption(t("patrol.method.why", note=route.reason_text(lang)))
    if plan.ranking.crime_source != "offences":
        st.caption(t("patrol.crime_note"))
    if len(cover.left_out):
        st.caption(t("patrol.left_out", n=count("count.hot_cells", len(cover.left_out))))

    columns = st.columns(4)
    slug = f"hlidka-{town.town_id}-{locality or 'mesto'}"
    # deferred: a file is made when it is downloaded, not on every rerun of the page
    for column, (fmt, make, mime) in zip(columns, (
            ("gpx", gpx_file, "application/gpx+xml"), ("pdf", _sheet_pdf, "application/pdf"),
            ("html", sheet_html_file, "text/html"),
            ("gpkg", gpkg_file, "application/geopackage+sqlite3")), strict=True):
        column.download_button(t(f"patrol.download.{fmt}"), partial(make, plan, town.name),
                               file_name=f"{slug}.{fmt}", mime=mime, key=f"patrol_{fmt}")

    # built once per input and language (app.ui.map_component)
    show_map(("patrol", *inputs, lang),
             lambda: build_patrol_map(plan, town.boundary, town.context, lang),
             key=f"patrol-{town.town_id}-{locality}", height=MAP_HEIGHT, returned_objects=[])

    st.subheader(t("patrol.table"))
    st.dataframe(stops_table(plan, lang), hide_index=True, width="stretch")


def _save(store: Store, principal: Principal, plan: PatrolPlan, town_id: str,
          lang: str) -> None:
    """Save the plan; list the saved plans and turn one into a strategy measure."""
    st.subheader(t("patrol.save.title"))
    saved_as = t("patrol.save.as", user=principal.username, role=t(f"role.{principal.role}"))
    with st.form(f"patrol_save_{town_id}"):
        title = st.text_input(t("patrol.save.name"))
        st.caption(saved_as)
        submitted = st.form_submit_button(t("patrol.save.submit"), type="primary")
    if submitted:
        try:
            save_plan(store, principal, plan, title)
        except (ValueError, AccessDenied) as exc:
            st.error(t("patrol.save.error", problem=error_text(exc)))
        else:
            st.session_state[SAVED_KEY] = t("patrol.save.done")
            st.rerun()

    st.subheader(t("patrol.saved"))
    saved = load_plans(store, town_id)
    if saved.empty:
        st.info(t("patrol.saved.none"))
        return
    st.dataframe(saved_table(saved, lang), hide_index=True, width="stretch")
    goals = {g.goal_id: (s.strategy_id, f"{g.number} {g.text}".strip()[:90])
             for s in load_strategies(store) if s.town_id == town_id for g in s.goals}
    st.subheader(t("patrol.measure.title"))
    if not principal.can(PROPOSE_MEASURES):
        st.info(t("patrol.measure.no_right"))
        return
    if not goals:
        st.info(t("patrol.measure.no_goal"))
        return
    plan_titles = dict(zip(saved["plan_id"], saved["title"], strict=True))
    with st.form(f"patrol_measure_{town_id}"):
        plan_id = st.selectbox(t("patrol.measure.plan"), list(plan_titles),
                               format_func=plan_titles.__getitem__)
        goal_id = st.selectbox(t("patrol.measure.goal"), list(goals),
                               format_func=lambda g: goals[g][1])
        text = st.text_input(t("patrol.measure.text"), value=MEASURE_TEXT)
        st.caption(saved_as)
        link = st.form_submit_button(t("patrol.measure.submit"))
    if link:
        try:
            save_as_measure(store, principal, plan_id, goals[goal_id][0], goal_id, text)
        except (ValueError, AccessDenied) as exc:
            st.error(t("patrol.save.error", problem=error_text(exc)))
        else:
            st.session_state[SAVED_KEY] = t("patrol.measure.done")
            st.rerun()


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
