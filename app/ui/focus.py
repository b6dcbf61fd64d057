"""Which single page the app shows with its chrome hidden, if any: a locked kiosk shows the
kiosk alone, a public session link (``?link=…``) the answer form alone."""

from __future__ import annotations

from typing import Final

import streamlit as st

from app.navigation import ANSWER_PAGE, PageSpec, page_by_path
from layers.mapping.links import LINK_PARAM

#: The locked kiosk's session, town and PIN token (``app.features.kiosk``).
KIOSK_LOCK_KEY: Final = "kiosk_lock"


def focused_page() -> PageSpec | None:
    """The kiosk page while it is locked, else the answer page when the address carries a
    public link, else None (the usual navigation)."""
    if st.session_state.get(KIOSK_LOCK_KEY):
        return page_by_path("capture")
    if st.query_params.get(LINK_PARAM):
        return ANSWER_PAGE
    return None
