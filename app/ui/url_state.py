"""The view in the URL: query parameters with Czech names, so a reload or a shared link opens
the same town, locality, session, language, and map layers and view
(``?mesto=kraslice&lokalita=…&vrstvy=lokality,sluzby&pohled=50.60850,13.63100,15``).

A page calls :func:`from_url` before drawing the widget that holds a choice (the URL's value
seeds the widget once per browser session, when it is one of the choices) and :func:`to_url`
after it (the URL follows every later choice). Values are the store's ids, as the CLI takes
them; the page path itself says the page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

import streamlit as st

from app.ui.maps.view import LAYERS_PARAM, TOWN_PARAM, VIEW_PARAM

TOWN: Final = TOWN_PARAM
LANGUAGE: Final = "jazyk"
LOCALITY: Final = "lokalita"
SESSION: Final = "setkani"
#: The map's shown layers and its view: kept by the map itself in the browser, never read by
#: the server (``app.ui.maps.view.UrlView``).
LAYERS: Final = LAYERS_PARAM
VIEW: Final = VIEW_PARAM
#: Session-state key of the parameters this browser session has read from the URL already.
_READ_KEY: Final = "_url_read"


def from_url(param: str, key: str, choices: Collection[str] | Mapping[str, str]) -> None:
    """Set ``st.session_state[key]`` from the URL's ``param`` on the first run of this browser
    session that asks, when the value is one of ``choices``; a mapping of choices translates
    what the URL may say (e.g. a town's name) to the value. Anything else in the URL is
    ignored (and replaced by :func:`to_url`)."""
    read: set[str] = st.session_state.setdefault(_READ_KEY, set())
    if param in read:
        return
    read.add(param)
    value = st.query_params.get(param)
    if value is None:
        return
    if isinstance(choices, Mapping):
        found = choices.get(value) or choices.get(value.casefold())
        if found is not None:
            st.session_state[key] = found
    elif value in choices:
        st.session_state[key] = value


def to_url(param: str, value: str | None) -> None:
    """Show ``value`` as the URL's ``param`` (remove it for None or "")."""
    if value:
        if st.query_params.get(param) != value:
            st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
