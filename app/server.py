"""The app's web server: ``streamlit run app/server.py`` (what ``./scripts/run`` starts).

Streamlit's own server (``st.App``) runs ``main.py`` as ever, plus the two routes that set
and clear the HttpOnly login cookie (``app.ui.login_cookie``): a Streamlit script cannot set
cookies itself; and a middleware that tells the frontend where the server is, so that a page
opened at its own URL connects at once (``app.ui.server_address``). ``streamlit run
app/main.py`` still serves the app, but logins then last only as long as the browser tab.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from app.ui.login_cookie import ROUTES
from app.ui.server_address import ServerAddressMiddleware

app = st.App("main.py", routes=list(ROUTES), middleware=[Middleware(ServerAddressMiddleware)])
