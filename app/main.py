"""Mapa bezpečí: the Streamlit script of every page, served by ``app/server.py``
(``streamlit run app/server.py``, which adds the login cookie's routes).

It draws the shared sidebar (language, town, login) and hands over to the page chosen in the
navigation. The pages are listed in ``app.navigation.PAGES``, each the ``page.py`` of a folder
in ``app/features/``: every page has its URL for everyone (a bookmark opens after the login),
the navigation lists a page only to a principal with the right it needs, and the page checks
again itself (``app.ui.access.page_principal``). The town, the language and the pages' own
choices are kept in the URL's query (``app.ui.url_state``).

The folder is deliberately not called ``pages/``: next to the entry point that name switches
Streamlit into its legacy multipage mode until ``st.navigation`` first runs, so the first visit
to ``/map`` after a server start (and every AppTest rerun) would run the page without this
script, i.e. without its sidebar.
"""

from __future__ import annotations

import streamlit as st

from app.navigation import PAGES
from app.ui import cache, url_state
from app.ui.access import (
    bootstrap_admin,
    finish_login,
    login_sidebar,
    own_password,
    town_choices,
)
from app.ui.chrome import localise_chrome
from app.ui.focus import focused_page
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from app.ui.not_found import not_found_page
from app.ui.state import LANGUAGE_KEY, TOWN_KEY, current_language, t
from app.ui.unsaved import warn_before_losing_input
from layers.logs import configure_logging

configure_logging()  # the CLI's configuration too: stderr, MAPA_LOG_LEVEL, no personal data
focus = focused_page()  # a locked kiosk or a public link: that page alone, no navigation
# collapsed: on a phone an open sidebar would cover the page (and make it inert) though hidden
st.set_page_config(page_title=t("app.title"), layout="wide",
                   initial_sidebar_state="collapsed" if focus is not None else "auto")

url_state.from_url(url_state.LANGUAGE, LANGUAGE_KEY, LANGUAGES)
with st.sidebar:
    st.radio(t("sidebar.language"), LANGUAGES, key=LANGUAGE_KEY, horizontal=True,
             format_func=lambda code: translate(f"lang.{code}", code))
    localise_chrome(current_language())
# Czech, the default, needs no parameter
url_state.to_url(url_state.LANGUAGE, None if current_language() == DEFAULT_LANGUAGE
                 else current_language())

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
# the URL may name a town by its id or by its name (any case)
url_state.from_url(url_state.TOWN, TOWN_KEY, {**{n.casefold(): i for i, n in names.items()},
                                              **{i: i for i in names}})
with st.sidebar:
    town_slot = st.container()  # the town picker, drawn once the login is known
bootstrap_admin(store)
principal = login_sidebar(store)
own_password(store, principal)
# towns are tenants: a logged-in user picks among the towns of its account
names = town_choices(principal, names)
if st.session_state.get(TOWN_KEY) not in names:
    st.session_state.pop(TOWN_KEY, None)
with town_slot:
    st.selectbox(t("sidebar.town"), list(names), key=TOWN_KEY, format_func=names.__getitem__)
url_state.to_url(url_state.TOWN, st.session_state.get(TOWN_KEY))

if focus is not None and principal.can(focus.right):
    navigation = st.navigation([st.Page(focus.script, title=t(focus.title_key),
                                        url_path=focus.url_path, default=True)],
                               position="hidden")
else:
    # every page has its URL for everyone (a bookmark opens after the login); the navigation
    # lists the pages the principal may open
    pages = [st.Page(page.script, title=t(page.title_key), url_path=page.url_path,
                     visibility="visible" if principal.can(page.right) else "hidden")
             for page in PAGES]
    # the first page is the home page at "/"; Streamlit knows a default page only there, so its
    # own path ("/map") is a hidden twin of it
    home = PAGES[0]
    pages[0] = st.Page(home.script, title=t(home.title_key), url_path=f"{home.url_path}-home",
                       default=True)
    pages.append(st.Page(home.script, title=t(home.title_key), url_path=home.url_path,
                         visibility="hidden"))
    navigation = st.navigation(pages + not_found_page({page.url_path for page in PAGES}))
finish_login(navigation.url_path)
with st.sidebar:
    warn_before_losing_input()
navigation.run()
