"""Mapa bezpečí: the Streamlit entry point (``streamlit run app/main.py``).

It draws the shared sidebar (language, town, login) and hands over to the page chosen in the
navigation. The pages are listed in ``app.navigation.PAGES``, each the ``page.py`` of a folder
in ``app/features/``: the navigation offers a page only to a principal with the right it needs,
and the page checks again itself (``app.ui.access.page_principal``).

The folder is deliberately not called ``pages/``: next to the entry point that name switches
Streamlit into its legacy multipage mode until ``st.navigation`` first runs, so the first visit
to ``/map`` after a server start (and every AppTest rerun) would run the page without this
script, i.e. without its sidebar.
"""

from __future__ import annotations

import streamlit as st

from app.navigation import PAGES
from app.ui import cache
from app.ui.access import bootstrap_admin, login_sidebar
from app.ui.i18n import LANGUAGES, translate
from app.ui.state import LANGUAGE_KEY, TOWN_KEY, t
from layers.logs import configure_logging

configure_logging()  # the CLI's configuration too: stderr, MAPA_LOG_LEVEL, no personal data
st.set_page_config(page_title=t("app.title"), layout="wide")

with st.sidebar:
    st.radio(t("sidebar.language"), LANGUAGES, key=LANGUAGE_KEY, horizontal=True,
             format_func=lambda code: translate(f"lang.{code}", code))

store = cache.store()
if not store.exists():
    st.error(t("store.missing", location=store.location))
    st.stop()
cache.cleaned_at_start(store.location, store)
towns = cache.towns()
if towns.empty:
    st.error(t("store.no_towns", location=store.location))
    st.stop()
names = dict(zip(towns["town_id"], towns["name"], strict=True))
with st.sidebar:
    st.selectbox(t("sidebar.town"), list(names), key=TOWN_KEY, format_func=names.__getitem__)
bootstrap_admin(store)
principal = login_sidebar(store)

navigation = st.navigation([st.Page(page.script, title=t(page.title_key), url_path=page.url_path,
                                    default=index == 0)
                            for index, page in enumerate(PAGES) if principal.can(page.right)])
navigation.run()
