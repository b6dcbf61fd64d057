"""Mapa bezpečí: the Streamlit entry point (``streamlit run app/main.py``).

It draws the shared sidebar (language, town) and hands over to the page chosen in the
navigation. Pages live in ``app/views/``; add a page by adding it to ``PAGES`` with the right
(``layers.access.roles``) it needs: the navigation offers a page only to a principal with that
right, and the page checks again itself (``app.access.page_principal``).

The folder is deliberately not called ``pages/``: next to the entry point that name switches
Streamlit into its legacy multipage mode until ``st.navigation`` first runs, so the first visit
to ``/map`` after a server start (and every AppTest rerun) would run the page without this
script, i.e. without its sidebar.
"""

from __future__ import annotations

import streamlit as st

from app import data
from app.access import bootstrap_admin, login_sidebar
from app.i18n import LANGUAGES, t, translate
from app.state import LANGUAGE_KEY, TOWN_KEY
from layers.access import roles

#: (page file relative to this script, title key, URL path, right needed to open it).
PAGES = (
    ("views/map.py", "nav.map", "map", roles.VIEW_PUBLIC),
    ("views/hotspots.py", "nav.hotspots", "hotspots", roles.VIEW_PUBLIC),
    ("views/sessions.py", "nav.sessions", "sessions", roles.RUN_SESSIONS),
    ("views/capture.py", "nav.capture", "capture", roles.RUN_SESSIONS),
    ("views/moderation.py", "nav.moderation", "moderation", roles.MODERATE),
    ("views/area.py", "nav.area", "area", roles.EDIT_STRATEGY),
    ("views/admin.py", "nav.admin", "admin", roles.MANAGE_ACCOUNTS),
    ("views/data.py", "nav.data", "data", roles.MANAGE_DATA),
    ("views/patrol.py", "nav.patrol", "patrol", roles.PLAN_PATROLS),
    ("views/urban.py", "nav.urban", "urban", roles.EDIT_URBAN),
)

st.set_page_config(page_title=t("app.title"), layout="wide")

with st.sidebar:
    st.radio(t("sidebar.language"), LANGUAGES, key=LANGUAGE_KEY, horizontal=True,
             format_func=lambda code: translate(f"lang.{code}", code))

store = data.store()
if not store.exists():
    st.error(t("store.missing", location=store.location))
    st.stop()
towns = data.towns()
if towns.empty:
    st.error(t("store.no_towns", location=store.location))
    st.stop()
names = dict(zip(towns["town_id"], towns["name"], strict=True))
with st.sidebar:
    st.selectbox(t("sidebar.town"), list(names), key=TOWN_KEY, format_func=names.__getitem__)
bootstrap_admin(store)
principal = login_sidebar(store)

navigation = st.navigation([st.Page(path, title=t(title), url_path=url, default=index == 0)
                            for index, (path, title, url, right) in enumerate(PAGES)
                            if principal.can(right)])
navigation.run()
