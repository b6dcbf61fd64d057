"""The Patrol planning page: ranked exposed places of a town or locality with adjustable
weights, a walking round over them, its coverage, GPX / PDF / GeoPackage downloads, saved
plans and their link to a strategy measure.

Everything is computed in ``layers.patrol`` from the public hotspot view and cached by the
town's key (``app.cache_keys``) and every input, so a saved plan shows at once. Saves go through
``layers.patrol.plans`` with the logged-in principal, which checks the right again and audits.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import data
from app.access import page_principal
from app.cache_keys import cache_key
from app.i18n import label, labels, number, t
from app.mapview.patrol_map import build_patrol_map
from app.state import current_language, page_town
from layers.access.principal import AccessDenied
from layers.access.roles import PLAN_PATROLS, PROPOSE_MEASURES
from layers.hotspots.privacy import DEFAULT_K
from layers.patrol.gpx import plan_gpx
from layers.patrol.plans import (
    MEASURE_TEXT,
    PatrolPlan,
    build_plan,
    load_plans,
    plan_layers,
    save_as_measure,
    save_plan,
)
from layers.patrol.ranking import DEFAULT_TIMES, RankingError, RankingRequest, Weights
from layers.patrol.route import NETWORK_MODES
from layers.patrol.sheet import reported_text, sheet_html, sheet_pdf
from layers.schema import PIN_CATEGORIES, TIMES_OF_DAY
from layers.store import open_store
from layers.strategy.tables import load_strategies
from layers.urban.export import export_bytes

MAP_HEIGHT = 520
SAVED_KEY = "patrol_saved"


@st.cache_data(show_spinner=False, max_entries=16)
def plan_for(location: str, version: str, town_id: str, locality_id: str | None, places: int,
             weights: tuple[float, float, float], times: tuple[str, ...], distance: float,
             mode: str) -> tuple[PatrolPlan | None, str]:
    """The plan for these inputs, or (None, the reason)."""
    request = RankingRequest(town_id, locality_id, Weights(*weights), times)
    try:
        return build_plan(open_store(location), request, places, distance, mode), ""
    except (RankingError, ValueError) as exc:
        return None, str(exc)


def _gpx(plan: PatrolPlan, town_name: str) -> bytes:
    """The round as GPX (route and waypoints; Czech, for the patrol on the street)."""
    category_labels = labels("pin.category", PIN_CATEGORIES, "cs")
    descriptions = [reported_text(r, category_labels, DEFAULT_K) for r in plan.stops["reported"]]
    return plan_gpx(f"Hlídka {town_name}", plan.route.line(), plan.stops,
                    descriptions).encode("utf-8")


def _sheet_pdf(plan: PatrolPlan, town_name: str) -> bytes:
    town = data.town_data(plan.town_id)
    return sheet_pdf(plan, town.boundary, town.context, town_name,
                     labels("pin.category", PIN_CATEGORIES, "cs"))


def _sheet_html(plan: PatrolPlan, town_name: str) -> bytes:
    return sheet_html(plan, town_name, labels("pin.category", PIN_CATEGORIES, "cs")
                      ).encode("utf-8")


def _gpkg(plan: PatrolPlan, town_name: str) -> bytes:
    return export_bytes(plan_layers(plan))


principal = page_principal(PLAN_PATROLS)
lang = current_language()
town_id = page_town()
town = data.town_data(town_id)
town_name = str(town.town["name"])
names = dict(zip(town.localities["locality_id"].astype(str), town.localities["name"],
                 strict=True))
locality = st.selectbox(t("patrol.locality"), ["", *names], key=f"patrol_locality_{town_id}",
                        format_func=lambda code: names.get(code, t("patrol.whole_town")))
area = f"{town_name} – {names[locality]}" if locality else town_name
st.title(t("patrol.title", area=area))
st.caption(t("patrol.intro"))
if SAVED_KEY in st.session_state:
    st.success(st.session_state.pop(SAVED_KEY))

a, b, c = st.columns(3)
places = a.slider(t("patrol.places"), 2, 15, 6, key="patrol_places")
times = b.multiselect(t("patrol.times"), TIMES_OF_DAY, default=list(DEFAULT_TIMES),
                      format_func=lambda v: label("pin.time", v, lang), key="patrol_times")
distance = c.select_slider(t("patrol.distance"), options=list(range(50, 501, 50)), value=150,
                           key="patrol_distance")
a, b, c, d = st.columns(4)
fear_w = a.slider(t("patrol.weight.fear"), 0.0, 3.0, 1.0, 0.5, key="patrol_w_fear")
crime_w = b.slider(t("patrol.weight.crime"), 0.0, 3.0, 1.0, 0.5, key="patrol_w_crime")
time_w = c.slider(t("patrol.weight.time"), 0.0, 3.0, 1.0, 0.5, key="patrol_w_time")
mode = d.radio(t("patrol.mode"), NETWORK_MODES, key="patrol_mode",
               format_func=lambda v: t(f"patrol.mode.{v}"))
st.caption(t("patrol.weights_note"))

store = data.store()
if fear_w + crime_w + time_w <= 0 or not times:
    st.warning(t("patrol.error", detail="Σ > 0"))
    st.stop()
plan, problem = plan_for(*cache_key(store, "patrol", town_id), town_id, locality or None, places,
                         (fear_w, crime_w, time_w), tuple(times), float(distance), mode)
if plan is None:
    st.warning(t("patrol.error", detail=problem))
    st.stop()

route = plan.route
cover = plan.coverage
metrics = [(t("patrol.metric.length"), f"{number(route.length_m / 1000, lang, 2)} km"),
           (t("patrol.metric.walk"), t("patrol.minutes", n=round(route.walk_min))),
           (t("patrol.metric.total"), t("patrol.minutes", n=round(route.total_min)))]
for name, layer in cover.layers.items():
    share = "–" if math.isnan(layer.share) else f"{layer.share:.0%}"
    metrics.append((t(f"patrol.metric.{'coverage' if name == 'fear' else 'coverage_crime'}"),
                    f"{layer.covered} / {layer.hot} ({share})"))
for column, (caption, value) in zip(st.columns(len(metrics)), metrics, strict=True):
    column.metric(caption, value)
st.markdown(t(f"patrol.method.{route.method}"))
st.caption(t("patrol.method.why", note=route.note))
if plan.ranking.crime_source != "offences":
    st.caption(t("patrol.crime_note"))
if len(cover.left_out):
    st.caption(t("patrol.left_out", n=len(cover.left_out)))

columns = st.columns(4)
slug = f"hlidka-{town_id}-{locality or 'mesto'}"
# deferred: a file is made when it is downloaded, not on every rerun of the page
for column, (fmt, make, mime) in zip(columns, (
        ("gpx", _gpx, "application/gpx+xml"), ("pdf", _sheet_pdf, "application/pdf"),
        ("html", _sheet_html, "text/html"),
        ("gpkg", _gpkg, "application/geopackage+sqlite3")), strict=True):
    column.download_button(t(f"patrol.download.{fmt}"), partial(make, plan, town_name),
                           file_name=f"{slug}.{fmt}", mime=mime, key=f"patrol_{fmt}")

st_folium(build_patrol_map(plan, town.boundary, town.context, lang),
          key=f"patrol-{town_id}-{locality}", height=MAP_HEIGHT, use_container_width=True,
          returned_objects=[])

st.subheader(t("patrol.table"))
category_labels = labels("pin.category", PIN_CATEGORIES, lang)
fewer = t("patrol.fewer", k="{k}")
stops = plan.stops
st.dataframe(pd.DataFrame({
    t("patrol.col.position"): stops["position"],
    t("patrol.col.rank"): stops["rank"],
    t("patrol.col.window"): stops["time_window"],
    t("patrol.col.score"): stops["score"].round(3),
    t("patrol.col.fear"): stops["fear_contribution"].round(3),
    t("patrol.col.crime"): stops["crime_contribution"].round(3),
    t("patrol.col.time"): stops["time_contribution"].round(3),
    t("patrol.col.why"): [t("patrol.why", rank=r.rank, fear=round(100 * r.fear_value),
                            crime=round(100 * r.crime_value),
                            fear_class=label("hotspots.class", r.fear_class, lang),
                            time_answers=r.time_answers, answers=r.fear_answers)
                          for r in stops.itertuples()],
    t("patrol.col.reported"): [reported_text(r, category_labels, DEFAULT_K, fewer)
                               for r in stops["reported"]],
}), hide_index=True, width="stretch")

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
        st.error(t("patrol.save.error", problem=exc))
    else:
        st.session_state[SAVED_KEY] = t("patrol.save.done")
        st.rerun()

st.subheader(t("patrol.saved"))
saved = load_plans(store, town_id)
if saved.empty:
    st.info(t("patrol.saved.none"))
else:
    st.dataframe(pd.DataFrame({
        t("patrol.saved.col.title"): saved["title"],
        t("patrol.saved.col.when"): saved["created_at"],
        t("patrol.saved.col.length"): (saved["length_m"].astype(float) / 1000).round(2),
        t("patrol.saved.col.measure"): saved["measure_id"].fillna(""),
    }), hide_index=True, width="stretch")
    goals = {g.goal_id: (s.strategy_id, f"{g.number} {g.text}".strip()[:90])
             for s in load_strategies(store) if s.town_id == town_id for g in s.goals}
    st.subheader(t("patrol.measure.title"))
    if not principal.can(PROPOSE_MEASURES):
        st.info(t("patrol.measure.no_right"))
    elif not goals:
        st.info(t("patrol.measure.no_goal"))
    else:
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
                st.error(t("patrol.save.error", problem=exc))
            else:
                st.session_state[SAVED_KEY] = t("patrol.measure.done")
                st.rerun()
