"""The Area page: goals, measures and indicators of the current town or one of its
localities, linked to the map, with the places of fear no measure addresses yet and the
council report (HTML, PDF) to download.

Read-only. Everything is computed in ``layers.strategy.area`` and cached by the store's
location and version, the town and the locality.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import data
from app.i18n import label, labels, t
from app.mapview.area_map import build_area_map
from app.state import current_language, page_town
from layers.schema import PIN_CATEGORIES
from layers.store import open_store
from layers.strategy.area import HOTSPOT_CELL_M, HOTSPOT_K, PLACE_RADIUS_M, AreaView, load_area
from layers.strategy.report import report_html, report_pdf

MAP_HEIGHT = 520
STATUS_COLOURS = {"planned": "blue", "in_progress": "orange", "done": "green",
                  "suspended": "violet", "ended": "gray"}


@st.cache_data(show_spinner=False, max_entries=16)
def area(location: str, version: str, town_id: str, locality_id: str | None) -> AreaView:
    """The area view of a town (``locality_id`` None) or one of its localities."""
    return load_area(open_store(location), town_id, locality_id)


@st.cache_data(show_spinner=False, max_entries=16)
def report(location: str, version: str, town_id: str, locality_id: str | None, fmt: str,
           town_name: str, locality_name: str | None) -> bytes:
    """The council report (Czech) as ``fmt`` ("html" or "pdf") bytes."""
    view = area(location, version, town_id, locality_id)
    if fmt == "pdf":
        return report_pdf(view, town_name, locality_name)
    return report_html(view, town_name, locality_name).encode("utf-8")


def _status(status: str, lang: str) -> str:
    return f":{STATUS_COLOURS[status]}[**{label('area.status', status, lang)}**]"


lang = current_language()
town_id = page_town()
town = data.town_data(town_id)
town_name = str(town.town["name"])
names = dict(zip(town.localities["locality_id"].astype(str), town.localities["name"],
                 strict=True))
locality = st.selectbox(t("area.locality"), ["", *names], key=f"area_locality_{town_id}",
                        format_func=lambda code: names.get(code, t("area.whole_town")))
locality_id = locality or None
locality_name = names.get(locality) if locality_id else None
store = data.store()
view = area(store.location, store.version(), town_id, locality_id)

st.title(t("area.title", area=f"{town_name} – {locality_name}" if locality_name else town_name))
st.caption(t("area.intro"))

html_column, pdf_column = st.columns(2)
html_column.download_button(
    t("area.download.html"),
    report(store.location, store.version(), town_id, locality_id, "html", town_name,
           locality_name),
    file_name=f"zprava-{town_id}-{locality or 'mesto'}.html", mime="text/html")
pdf_column.download_button(
    t("area.download.pdf"),
    report(store.location, store.version(), town_id, locality_id, "pdf", town_name,
           locality_name),
    file_name=f"zprava-{town_id}-{locality or 'mesto'}.pdf", mime="application/pdf")

st_folium(build_area_map(view, town.context, lang), key=f"area-{town_id}-{locality}",
          height=MAP_HEIGHT, use_container_width=True, returned_objects=[])

st.header(t("area.goals"))
if not view.strategies:
    st.info(t("area.no_strategy"))
for index, item in enumerate(view.strategies):
    strategy = item.strategy
    with st.expander(strategy.title, expanded=index == 0):
        st.caption(f"{strategy.issuer} · {strategy.period} · {strategy.source}")
        for root in item.roots:
            for depth, node in root.walk():
                indent = "&nbsp;" * 4 * depth
                number = f"**{node.goal.number}** " if node.goal.number else ""
                st.markdown(f"{indent}{number}{node.goal.text}")
                for measure in node.measures:
                    note = f"  \n{indent}&nbsp;&nbsp;&nbsp;&nbsp;_{measure.status_note}_" \
                        if measure.status_note else ""
                    st.markdown(f"{indent}&nbsp;&nbsp;&nbsp;&nbsp;▸ "
                                f"{measure.number} {measure.title} "
                                f"{_status(measure.status, lang)}{note}")
        if item.loose_measures:
            st.markdown(f"**{t('area.loose')}**")
            for measure in item.loose_measures:
                st.markdown(f"▸ {measure.number} {measure.title} "
                            f"{_status(measure.status, lang)}")

st.header(t("area.indicators"))
indicators = view.indicators
if indicators.empty:
    st.info(t("area.no_indicators"))
else:
    changes = [label("area.change", d, lang) if isinstance(d, str)
               else (f"{diff:+g}" if pd.notna(diff) else "–")
               for d, diff in zip(indicators["direction"], indicators["difference"],
                                  strict=True)]
    st.dataframe(pd.DataFrame({
        t("area.col.goal"): indicators["goal"], t("area.col.name"): indicators["name"],
        t("area.col.baseline"): indicators["baseline"],
        t("area.col.baseline_date"): indicators["baseline_date"],
        t("area.col.latest"): indicators["latest"],
        t("area.col.latest_date"): indicators["latest_date"],
        t("area.col.change"): changes}), hide_index=True, width="stretch")

st.header(t("area.hotspots"))
st.caption(t("area.hotspots.note", cell=f"{HOTSPOT_CELL_M:.0f}", k=HOTSPOT_K,
             radius=f"{PLACE_RADIUS_M:.0f}", addressed=len(view.cells) - len(view.unaddressed),
             total=len(view.cells)))
unaddressed = view.unaddressed
if unaddressed.empty:
    st.success(t("area.hotspots.none"))
else:
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    centres = unaddressed.geometry.to_crs("EPSG:5514").centroid.to_crs("EPSG:4326")
    st.dataframe(pd.DataFrame({
        t("area.col.centre"): [f"{p.y:.5f}, {p.x:.5f}" for p in centres],
        t("area.col.count"): unaddressed["count"],
        t("area.col.categories"): [
            ", ".join(f"{category_labels.get(c, c)} ({n})"
                      for c, n in sorted(json.loads(text).items(), key=lambda i: -i[1]))
            for text in unaddressed["category_counts"]]}), hide_index=True, width="stretch")
