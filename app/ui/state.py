"""The session's current language and town (kept in ``st.session_state`` by sidebar widgets),
and the UI texts in that language."""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

from app.ui import url_state
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, plural, translate
from layers.errors import MapaError

#: Session-state keys of the sidebar widgets.
LANGUAGE_KEY: Final = "lang"
TOWN_KEY: Final = "town_id"
#: The chosen base map (a key of ``app.ui.maps.basemaps.BASEMAPS``).
BASEMAP_KEY: Final = "basemap"
#: The mapping session chosen on any page (kept apart from the pages' own widget keys:
#: Streamlit forgets a widget's state when the page showing it is left).
CURRENT_SESSION_KEY: Final = "current_session"


def current_language() -> str:
    """The chosen UI language ("cs" until the user switches)."""
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fmt: object) -> str:
    """The text of ``key`` in the language chosen in the sidebar (Czech until switched)."""
    return translate(key, current_language(), **fmt)


def count(key: str, n: float) -> str:
    """The plural string ``key`` for ``n`` in the language chosen in the sidebar
    ("2 místa", "5 míst"); see :func:`app.ui.i18n.plural`."""
    return plural(key, n, current_language())


def error_text(exc: Exception) -> str:
    """Why something was refused, for the user: a :class:`~layers.errors.MapaError` from the
    catalogue in the language chosen in the sidebar, any other error as its own text."""
    return exc.message(current_language()) if isinstance(exc, MapaError) else str(exc)


def current_town() -> str | None:
    """The chosen town's id, or None before the sidebar has offered any town."""
    town = st.session_state.get(TOWN_KEY)
    return str(town) if town else None


def page_town() -> str:
    """The chosen town's id for a page; ``app/main.py`` always offers one before a page runs."""
    town = current_town()
    if town is None:
        raise RuntimeError("a page ran before app/main.py offered a town")
    return town


def choose_session(where: Any, session_ids: list[str], widget_key: str) -> str:
    """A session selectbox (in ``where``) that remembers the choice across pages.

    Starts at the session the URL names (``?setkani=``, on a reload or a shared link), else
    the one chosen last anywhere (or just created), else the newest (last of
    ``session_ids``); the URL follows the choice.
    """
    url_state.from_url(url_state.SESSION, CURRENT_SESSION_KEY, session_ids)
    remembered = st.session_state.get(CURRENT_SESSION_KEY)
    st.session_state[widget_key] = (remembered if remembered in session_ids
                                    else session_ids[-1])

    def remember() -> None:
        st.session_state[CURRENT_SESSION_KEY] = st.session_state[widget_key]

    chosen = str(where.selectbox(translate("sessions.choose", current_language()), session_ids,
                                 key=widget_key, on_change=remember))
    st.session_state[CURRENT_SESSION_KEY] = chosen
    url_state.to_url(url_state.SESSION, chosen)
    return chosen
