"""The app's own "page not found", in the chosen language.

Streamlit answers a URL that names no page with an English dialog and runs the main page.
So when the browser asks for a path that is no page of the app, the navigation gets one more
hidden page at exactly that path, which says so in the chosen language and links to the map.
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.ui.state import t


def requested_path() -> str:
    """The page path the browser asked for in this run ("" for the main page or unknown)."""
    ctx = get_script_run_ctx()
    name = ctx.pages_manager.intended_page_name if ctx is not None else None
    return str(name or "").strip().strip("/")


def _render() -> None:
    st.title(t("nav.not_found"))
    st.info(t("nav.not_found.text", path=requested_path()))
    st.page_link("features/map/page.py", label=t("nav.not_found.home"))


def not_found_page(known: Collection[str]) -> list[st.Page]:
    """[a hidden page at the requested path] when it is none of ``known``, else []."""
    path = requested_path()
    if not path or path in known or "/" in path:
        return []
    return [st.Page(_render, title=t("nav.not_found"), url_path=path, visibility="hidden")]
