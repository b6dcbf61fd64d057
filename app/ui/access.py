"""The login gate of the app: the sidebar login form, the session's principal, page checks.

The principal lives in ``st.session_state`` (server side, per browser session); the rights are
checked again in ``layers.access`` by every guarded read or write, so hiding a page here is
convenience, not the protection.
"""

from __future__ import annotations

import datetime as dt
import math
import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app.ui.state import LANGUAGE_KEY, TOWN_KEY, error_text, t
from layers.access import accounts, clients
from layers.access.first_run import ADMIN_PASSWORD, ADMIN_USER
from layers.access.principal import PUBLIC_PRINCIPAL, Principal
from layers.errors import InvalidInput
from layers.store import Store

#: Session-state key of the logged-in :class:`Principal` (absent for the public).
PRINCIPAL_KEY = "principal"


def current_principal() -> Principal:
    """The logged-in principal, or the public."""
    principal = st.session_state.get(PRINCIPAL_KEY)
    return principal if isinstance(principal, Principal) else PUBLIC_PRINCIPAL


def page_principal(right: str) -> Principal:
    """The principal for a page needing ``right``; anyone else sees a refusal and the page
    stops (a direct URL must not open a page the role lacks)."""
    principal = current_principal()
    if not principal.can(right):
        st.error(t("access.denied"))
        st.stop()
    return principal


def _setting(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    try:
        return str(st.secrets.get(name, ""))
    except StreamlitSecretNotFoundError:
        return ""


def bootstrap_admin(store: Store) -> None:
    """Create the first admin from ``MAPA_ADMIN_USER`` / ``MAPA_ADMIN_PASSWORD`` (environment,
    else Streamlit secrets) once; ``mapa first-admin`` does the same before the app starts."""
    username, password = _setting(ADMIN_USER), _setting(ADMIN_PASSWORD)
    if not (username and password) or st.session_state.get("_admin_bootstrapped"):
        return
    try:
        accounts.bootstrap_admin(store, username, password)
    except ValueError as exc:
        st.sidebar.error(t("access.bootstrap_error", problem=error_text(exc)))
    st.session_state["_admin_bootstrapped"] = True


def client() -> str:
    """The keyed hash of this browser's address (``layers.access.clients``): the peer of its
    connection, or behind a proxy named in ``MAPA_TRUSTED_PROXIES`` the address the proxy
    put in ``X-Forwarded-For``; hashed under ``MAPA_CLIENT_KEY``."""
    trusted = clients.trusted_proxies(_setting(clients.TRUSTED_PROXIES))
    peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    # without a served connection (AppTest's stand-in runtime) neither is a string
    address = clients.client_address(peer if isinstance(peer, str) else None,
                                     forwarded if isinstance(forwarded, str) else None, trusted)
    return clients.client_key(address, _setting(clients.CLIENT_KEY))


def _log_in(store: Store, username: str, password: str) -> None:
    """Check a submitted login: keep the principal and rerun, or say why not."""
    try:
        found = accounts.authenticate(store, username, password, client())
    except InvalidInput as exc:  # MAPA_TRUSTED_PROXIES names no address: say so
        st.error(error_text(exc))
        return
    except accounts.LoginThrottled as exc:
        left = (exc.until - dt.datetime.now(dt.UTC)).total_seconds()
        st.error(t("access.throttled", minutes=max(1, math.ceil(left / 60))))
        return
    if found is None:
        st.error(t("access.failed"))
        return
    st.session_state[PRINCIPAL_KEY] = found
    st.rerun()


def login_sidebar(store: Store) -> Principal:
    """The sidebar's login form (or who is logged in and a logout button); the principal.

    A disabled account is logged out at its next page load; a changed role applies then too.
    """
    principal = current_principal()
    if not principal.is_public:
        fresh = accounts.refresh(store, principal)
        if fresh is None:
            st.session_state.pop(PRINCIPAL_KEY, None)
            principal = PUBLIC_PRINCIPAL
        elif fresh != principal:
            st.session_state[PRINCIPAL_KEY] = principal = fresh
    with st.sidebar:
        if principal.is_public:
            with st.form("login", clear_on_submit=True):
                st.markdown(f"**{t('access.login')}**")
                username = st.text_input(t("access.username"), key="login_username")
                password = st.text_input(t("access.password"), type="password",
                                         key="login_password")
                submitted = st.form_submit_button(t("access.submit"))
            if submitted:
                _log_in(store, username.strip(), password)
            st.caption(t("access.public_hint"))
        else:
            st.markdown(t("access.logged_in", user=principal.username,
                          role=t(f"role.{principal.role}")))
            if principal.centre:
                st.caption(t("access.centre", centre=principal.centre))
            if st.button(t("access.logout"), key="logout"):
                # a shared tablet: nothing of this user's work stays in the session
                for key in list(st.session_state):
                    if key not in (LANGUAGE_KEY, TOWN_KEY):
                        del st.session_state[key]
                st.rerun()
    return principal
