"""The Area page's crime over the years and the yearly security analysis to download.

For the chosen year: the trend chart (crime index by year, the area's department and
municipality with the region and the country), the table of all crime by year (each row with
its year and source), the ten categories against the region and the country (the year of
each column in its heading) and the offences by weekday and hour as a heat table. A year
without figures says which years have them. The analysis (``layers.analysis``: DOCX, ODT,
PDF) is made when its button is pressed, cached on the version of every layer it reads.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from app.features.area.model import (
    crime_categories_frame,
    crime_trend_frame,
    crime_trend_spec,
    crime_trend_table,
    heat_frame,
)
from app.ui.cache_keys import cache_key
from app.ui.state import t
from layers.analysis.content import AreaChoice, build_analysis
from layers.analysis.writers import render
from layers.area_figures import AreaCrime, area_crime
from layers.crime_years import hour_weekday
from layers.store import Store, open_store


@st.cache_data(show_spinner=False, max_entries=16)
def crime(location: str, version: str, town_id: str, locality_id: str | None) -> AreaCrime:
    """The area's crime over the years (cached per store version of what it reads)."""
    return area_crime(open_store(location), town_id, locality_id)


@st.cache_data(show_spinner=False, max_entries=8)
def analysis(location: str, version: str, town_id: str, locality_id: str | None,
             town_name: str, locality_name: str | None, year: int, suffix: str) -> bytes:
    """The yearly security analysis of the area as ``suffix`` (".docx" or ".pdf") bytes."""
    area = AreaChoice(town_id, locality_id, town_name, locality_name)
    return render(build_analysis(open_store(location), area, year), suffix)


def crime_section(store: Store, area: AreaChoice, lang: str) -> None:
    """The section: the year, trend chart and tables, heat table and the analysis buttons."""
    st.header(t("area.crime"))
    found = crime(*cache_key(store, "crime", area.town_id), area.town_id, area.locality_id)
    years = found.years.years
    if not years:
        st.info(t("area.crime.none"))
        return
    st.caption(t("area.crime.years", years=", ".join(map(str, years))))
    if found.illustrative:
        st.info(t("area.crime.illustrative"))
    year = int(st.number_input(t("area.crime.year"), min_value=1990, max_value=2100,
                               value=years[-1], step=1, key=f"area_crime_year_{area.town_id}"))
    if year not in years:
        st.warning(t("area.crime.no_year", year=year, years=", ".join(map(str, years))))
        return
    _trend(found, lang)
    st.subheader(t("area.crime.trend_table"))
    st.dataframe(crime_trend_table(found.years, year, lang), hide_index=True, width="stretch")
    st.subheader(t("area.crime.categories", year=year))
    st.table(crime_categories_frame(found.years, year, lang))
    st.subheader(t("area.crime.heat", year=year))
    heat = hour_weekday(found.offences, year)
    if int(heat.to_numpy().sum()) == 0:
        st.info(t("area.crime.heat_none", year=year))
    else:
        # a static table coloured by count: the heat table reads as a table, not a picture
        st.table(heat_frame(heat, lang).style.background_gradient(cmap="Reds", axis=None))
    _downloads(store, area, year)


def _trend(found: AreaCrime, lang: str) -> None:
    frame = crime_trend_frame(found.years, lang)
    if frame.empty:
        return
    st.subheader(t("area.crime.trend"))
    st.vega_lite_chart(frame, crime_trend_spec(lang), width="stretch")


def _downloads(store: Store, area: AreaChoice, year: int) -> None:
    """The analysis of ``year`` as DOCX and PDF, made when a button is pressed."""
    st.subheader(t("area.analysis", year=year))
    st.caption(t("area.analysis.help"))
    key = (*cache_key(store, "analysis", area.town_id), area.town_id, area.locality_id,
           area.town_name, area.locality_name, year)
    stem = f"bezpecnostni-analyza-{area.town_id}-{area.locality_id or 'mesto'}-{year}"
    formats = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "odt": "application/vnd.oasis.opendocument.text", "pdf": "application/pdf"}
    for column, (fmt, mime) in zip(st.columns(len(formats)), formats.items(), strict=True):
        column.download_button(t(f"area.analysis.{fmt}"), partial(analysis, *key, f".{fmt}"),
                               file_name=f"{stem}.{fmt}", mime=mime,
                               key=f"area_analysis_{fmt}")
