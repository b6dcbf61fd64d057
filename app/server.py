"""The app's web server: ``streamlit run app/server.py`` (what ``./scripts/run`` starts).

Streamlit's own server (``st.App``) runs ``main.py`` as ever, plus the two routes that set
and clear the HttpOnly login cookie (``app.ui.login_cookie``): a Streamlit script cannot set
cookies itself. ``streamlit run app/main.py`` still serves the app, but logins then last only
as long as the browser tab.
"""

from __future__ import annotations

import streamlit as st

from app.ui.login_cookie import ROUTES

app = st.App("main.py", routes=list(ROUTES))
