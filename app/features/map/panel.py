"""The side panel of the map page: what lies in and around a clicked locality or district,
and the goals and measures of the strategies for it (as the Area page shows them)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app.features.area.goals import answered_hotspots, area, goal_tree, open_area_page
from app.ui.access import current_principal
from app.ui.cache_keys import cache_key
from app.ui.i18n import label, number
from app.ui.state import t
from app.ui.town import PUBLIC_K, AreaRef, TownData
from layers.access.roles import EDIT_STRATEGY
from layers.store import Store
from layers.summary import AreaSummary, NearbyService, area_summary

#: Services "near" an area: at most this many metres from its edge.
NEAR_M = 500


def render_area_panel(data: TownData, ref: AreaRef | None, lang: str, store: Store) -> None:
    """Draw the panel for ``ref`` (a hint when nothing is selected); the strategies come from
    ``store``, the town's data from ``data``."""
    if ref is None:
        st.info(t("map.panel.hint"))
        return
    if ref.kind == "locality":
        row = data.localities[data.localities["locality_id"] == ref.area_id].iloc[0]
        kind = t("map.panel.locality")
        if bool(row["synthetic"]):  # this locality's own flag: an imported one is real
            kind = t("map.synthetic_suffix", name=kind)
        st.caption(kind)
        st.subheader(str(row["name"]))
        st.write(t("map.panel.population", value=number(float(row["population_est"]), lang)))
        if pd.isna(row["isv"]):
            st.write(t("map.panel.isv_not_published",
                       town=number(float(data.town["isv_2023"]), lang)))
        else:
            st.write(t("map.panel.isv", value=number(float(row["isv"]), lang),
                       band=label("band", row["isv_band"], lang)))
        if isinstance(row.get("description"), str) and row["description"]:
            st.caption(row["description"])
    else:
        row = data.districts[data.districts["oop_code"] == ref.area_id].iloc[0]
        st.caption(t("map.panel.district"))
        st.subheader(str(row["oop_name"]))
        st.write(t("map.panel.district_population", value=number(float(row["population"]), lang),
                   area=number(float(row["area_km2"]), lang, 1)))

    summary = area_summary(row.geometry, data.pins_approved, data.services, within_m=NEAR_M,
                           k=PUBLIC_K)
    _pins(summary, lang)
    _services(summary, lang)
    _crime(data, ref, row.geometry, lang)
    _goals(data, ref, lang, store)


def _pins(summary: AreaSummary, lang: str) -> None:
    st.markdown(f"#### {t('map.panel.pins')}")
    if not summary.pin_counts and not summary.suppressed:
        st.write(t("map.panel.no_pins"))
        return
    st.write(t("map.panel.pins_total", n=summary.pins_shown))
    rows = [(label("pin.category", code, lang), str(n)) for code, n in summary.pin_counts.items()]
    rows += [(label("pin.category", code, lang), t("map.panel.suppressed", k=PUBLIC_K))
             for code in summary.suppressed]
    header = f"| {t('map.panel.category')} | {t('map.panel.count')} |\n|---|---:|\n"
    st.markdown(header + "\n".join(f"| {name} | {count} |" for name, count in rows))


def _services(summary: AreaSummary, lang: str) -> None:
    st.markdown(f"#### {t('map.panel.services')}")
    st.write(t("map.panel.services_inside", n=len(summary.services_inside)))
    st.markdown(_service_list(summary.services_inside, lang, near=False))
    st.write(t("map.panel.services_near", m=NEAR_M, n=len(summary.services_near)))
    st.markdown(_service_list(summary.services_near, lang, near=True))


def _service_list(services: tuple[NearbyService, ...], lang: str, *, near: bool) -> str:
    if not services:
        return f"- {t('map.panel.none')}"
    lines = []
    for service in services:
        kind = label("service.type", service.service_type, lang)
        # "Základní škola Janov – Škola" says nothing new: then the name alone is enough
        key = "map.panel.service_row" + ("" if kind.lower() in service.name.lower()
                                         else "_typed") + ("_near" if near else "")
        lines.append(t(key, name=service.name, type=kind,
                       distance=number(service.distance_m, lang)))
    return "\n".join(f"- {line}" for line in lines)


def _crime(data: TownData, ref: AreaRef, geometry: object, lang: str) -> None:
    st.markdown(f"#### {t('map.panel.crime')}")
    st.caption(t("map.panel.crime_unit"))
    crime = data.crime
    if ref.kind == "district":
        codes = [ref.area_id]
    else:
        # a locality may straddle districts; show every one it touches
        hits = data.districts[data.districts.geometry.intersects(geometry)]
        codes = hits["oop_code"].astype(str).tolist()
        names = ", ".join(hits["oop_name"].astype(str))
        if names:
            st.caption(t("map.panel.crime_districts", district=names))
    shown = False
    for code in codes:
        value = crime.index_of(code)
        if not math.isfinite(value):
            continue
        shown = True
        name = str(data.districts.loc[data.districts["oop_code"] == code, "oop_name"].iloc[0])
        delta = None
        if crime.baseline is not None:
            diff = value - crime.baseline.per_10k
            delta = t("map.panel.crime_delta", area=crime.baseline.area,
                      year=crime.baseline.year,
                      delta=("+" if diff > 0 else "") + number(diff, lang, 1))
        st.metric(t("map.panel.crime_label", year=crime.year, district=name),
                  number(value, lang, 1), delta=delta, delta_color="inverse")
    if not shown:
        st.write(t("map.panel.crime_none"))
    for reference in crime.references:
        st.caption(t("map.panel.crime_reference", area=reference.area, year=reference.year,
                     value=number(reference.per_10k, lang, 1)))


def _goals(data: TownData, ref: AreaRef, lang: str, store: Store) -> None:
    """The goals and measures for a locality; for a district (no strategy names one) those of
    the whole town. The Area page opens on the same area for those who may edit it."""
    st.markdown(f"#### {t('map.panel.goals')}")
    locality_id = ref.area_id if ref.kind == "locality" else None
    if locality_id is None:
        st.caption(t("area.panel.town_wide"))
    view = area(*cache_key(store, "area", data.town_id), data.town_id, locality_id)
    if not goal_tree(view.strategies, lang, only_answered=True):
        st.info(t("area.panel.none"))
    else:
        st.markdown(f"##### {t('area.panel.answered')}")
        answered_hotspots(view, lang)
    if current_principal().can(EDIT_STRATEGY):
        open_area_page(locality_id, key=f"panel-area-{ref.kind}-{ref.area_id}")
    else:
        st.caption(t("area.panel.login"))
