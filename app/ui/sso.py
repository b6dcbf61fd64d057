"""Optional single sign-on through the town's directory, by Streamlit's ``st.login``.

Configured in Streamlit's secrets, as ``st.login`` reads them (see the README)::

    [auth]
    redirect_uri = "https://mapa.example.cz/oauth2callback"
    cookie_secret = "…"
    client_id = "…"
    client_secret = "…"
    server_metadata_url = "https://idp.example.cz/.well-known/openid-configuration"

Without that section (or without Authlib) the sidebar shows no sign-on button. Streamlit's own
routes (``/auth/login``, ``/oauth2callback``, ``/auth/logout``) serve the trip to the provider
and back, beside the app's login-cookie routes (``app/server.py``); the signed identity
cookie they set makes ``st.user`` survive reloads. Who the person is in the app comes from
their claims (``layers.access.sso``).
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Final

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app.ui.settings import setting
from app.ui.state import t
from layers.access import sso
from layers.access.principal import Principal
from layers.store import Store

#: Keys ``st.login`` needs in the ``[auth]`` section for its default provider.
_NEEDED: Final = ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                  "server_metadata_url")
#: Identity tokens (username, issued at) whose sign-in this server has audited: a reload
#: or a new tab with the same token is no new login.
_audited: set[tuple[str, str]] = set()
_audited_lock = threading.Lock()


def configured() -> bool:
    """True when Streamlit's secrets configure a sign-on provider and Authlib is installed."""
    try:
        section = st.secrets.get("auth")
    except StreamlitSecretNotFoundError:
        return False
    return (section is not None and all(section.get(key) for key in _NEEDED)
            and importlib.util.find_spec("authlib") is not None)


def signed_in(store: Store) -> Principal | None:
    """The principal of the person the provider signed in (``layers.access.sso``: the role
    of their claim, else the public), or None when nobody is signed in this way. The sign-in
    is audited once per identity token (its subject and time of issue)."""
    if not configured() or not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    principal = sso.principal_of(
        claims, setting(sso.ROLE_CLAIM) or sso.DEFAULT_ROLE_CLAIM,
        setting(sso.CENTRE_CLAIM) or sso.DEFAULT_CENTRE_CLAIM,
        setting(sso.TOWNS_CLAIM) or sso.DEFAULT_TOWNS_CLAIM)
    token = (principal.username, str(claims.get("iat", "")))
    with _audited_lock:
        fresh = token not in _audited
        _audited.add(token)
    if fresh:
        sso.record_login(store, principal)
    return principal


def login_button() -> None:
    """The button that sends the browser to the provider (when configured)."""
    if configured() and st.button(t("access.sso"), key="sso_login"):
        st.login()


def log_out() -> None:
    """End the sign-on: Streamlit forgets the identity and asks the provider to end its
    session too (when it offers that), then the app opens anew."""
    st.logout()
