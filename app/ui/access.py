"""The login gate of the app: the sidebar login form, the session's principal, page checks.

The principal lives in ``st.session_state`` (server side, per browser session) and, across
reloads and tabs, in a server-side login session behind an HttpOnly cookie
(``app.ui.login_cookie``, ``layers.access.sessions``): every page load and rerun checks the
cookie's session again, so a logout in another tab, the idle limit or an admin's block ends
it. The rights are checked again in ``layers.access`` by every guarded read or write, so
hiding a page here is convenience, not the protection.
"""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.ui import cache, login_cookie, sso
from app.ui.settings import setting
from app.ui.state import LANGUAGE_KEY, TOWN_KEY, current_town, error_text, t
from layers.access import accounts, clients, sessions
from layers.access.first_run import ADMIN_PASSWORD, ADMIN_USER
from layers.access.principal import PUBLIC_PRINCIPAL, Principal
from layers.access.roles import VIEW_PUBLIC
from layers.access.sso import USERNAME_PREFIX, is_sso
from layers.errors import InvalidInput
from layers.store import Store

#: Session-state key of the logged-in :class:`Principal` (absent for the public).
PRINCIPAL_KEY = "principal"
#: Session-state key: True when the principal came from the login cookie's session.
FROM_COOKIE_KEY = "_principal_from_cookie"
#: Session-state key of a pending trip of the browser to the cookie routes: ("start",
#: grant) after a login, ("end", "") after a logout (see :func:`finish_login`).
COOKIE_TRIP_KEY = "_cookie_trip"
#: Session-state key: True for the run after a successful password change (a toast says so).
PASSWORD_CHANGED_KEY = "_password_changed"


def current_principal() -> Principal:
    """The logged-in principal, or the public."""
    principal = st.session_state.get(PRINCIPAL_KEY)
    return principal if isinstance(principal, Principal) else PUBLIC_PRINCIPAL


def page_principal(right: str) -> Principal:
    """The principal for a page needing ``right`` in the chosen town; anyone else sees a
    refusal and the page stops (a direct URL must not open a page the role lacks, nor a staff
    page of a town outside the account's). Public pages (``view_public``) show every town."""
    principal = current_principal()
    if not principal.can(right):
        # the public on a bookmarked page: it opens after the login in the sidebar
        st.error(t("access.login_first") if principal.is_public else t("access.denied"))
        st.stop()
    town = current_town()
    if right != VIEW_PUBLIC and town is not None and not principal.covers(town):
        st.error(t("access.other_town", town=town_name(town)))
        st.stop()
    return principal


def town_choices(principal: Principal, names: dict[str, str]) -> dict[str, str]:
    """The towns (id → name) the sidebar offers ``principal``: an account's towns, every town
    to the public (and to an account of no town of the store, whose staff pages refuse)."""
    return {town: name for town, name in names.items() if principal.covers(town)} or names


def town_name(town_id: str) -> str:
    """The name of the town ``town_id`` as people write it (the id when the store lacks it)."""
    towns = cache.towns()
    match = towns.loc[towns["town_id"] == town_id, "name"]
    return str(match.iloc[0]) if len(match) else town_id


def bootstrap_admin(store: Store) -> None:
    """Create the first admin from ``MAPA_ADMIN_USER`` / ``MAPA_ADMIN_PASSWORD`` (environment,
    else Streamlit secrets) once; ``mapa first-admin`` does the same before the app starts."""
    username, password = setting(ADMIN_USER), setting(ADMIN_PASSWORD)
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
    trusted = clients.trusted_proxies(setting(clients.TRUSTED_PROXIES))
    peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    # without a served connection (AppTest's stand-in runtime) neither is a string
    address = clients.client_address(peer if isinstance(peer, str) else None,
                                     forwarded if isinstance(forwarded, str) else None, trusted)
    return clients.client_key(address, setting(clients.CLIENT_KEY))


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
    _begin_session(store, found)
    st.rerun()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _begin_session(store: Store, principal: Principal) -> None:
    """Start a login session for ``principal``; the browser fetches its cookie after this
    run has chosen the page (:func:`finish_login`)."""
    started = sessions.start(store, principal.username, _now())
    st.session_state[COOKIE_TRIP_KEY] = ("start", started.grant)
    st.session_state[FROM_COOKIE_KEY] = False


def _cookie() -> str:
    """The login cookie the browser sent when this page was loaded ("" for none)."""
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) else ""


def _from_cookie(store: Store, principal: Principal) -> Principal:
    """The principal after checking the cookie's session: its account when it is open, the
    public when a principal that came from it has ended (logout elsewhere, idle, blocked);
    ``principal`` unchanged otherwise (e.g. a login in this tab, before its cookie)."""
    cookie = _cookie()
    from_cookie = bool(st.session_state.get(FROM_COOKIE_KEY))
    if not cookie or not (principal.is_public or from_cookie):
        return principal
    username = sessions.resolve(store, login_cookie.cookie_key(), cookie,
                                login_cookie.idle_limit(), _now())
    found = accounts.principal_of(store, username) if username else None
    if found is not None:
        st.session_state[PRINCIPAL_KEY] = found
        st.session_state[FROM_COOKIE_KEY] = True
        return found
    if from_cookie:
        st.session_state.pop(PRINCIPAL_KEY, None)
        st.session_state[FROM_COOKIE_KEY] = False
        return PUBLIC_PRINCIPAL
    return principal


def here(url_path: str) -> str:
    """The path and query of the page ``url_path`` as the browser shows it now."""
    base = urlsplit(st.context.url or "/").path.rstrip("/")
    # Streamlit leaves the page's own path in the URL it reports when the page is not the main
    if url_path and base.endswith(f"/{url_path}"):
        base = base[:-len(url_path) - 1]
    query = urlencode(st.query_params.to_dict())
    return f"{base}/{url_path}" + (f"?{query}" if query else "")


def finish_login(url_path: str) -> None:
    """After a login or logout in this run: send the browser to the cookie route, which
    brings it back to ``url_path`` with the same query. Streamlit's own ``st.login`` sends the
    browser on the same way (an ``auth_redirect`` message); without a served page (AppTest)
    nothing is sent and the login lasts as long as the session."""
    trip = st.session_state.pop(COOKIE_TRIP_KEY, None)
    ctx = get_script_run_ctx()
    if trip is None or ctx is None or st.context.url is None:
        return
    kind, grant = trip
    back = here(url_path)
    message = ForwardMsg()
    message.auth_redirect.url = (login_cookie.start_url(grant, back) if kind == "start"
                                 else login_cookie.end_url(back))
    ctx.enqueue(message)


def login_sidebar(store: Store) -> Principal:
    """The sidebar's login form (or who is logged in and a logout button); the principal.

    A disabled account is logged out at its next page load; a changed role applies then too.
    A person signed in through the town's directory (``app.ui.sso``) is who their claims
    say, a staff role or the public with a message; their logout ends the sign-on too.
    """
    signed = sso.signed_in(store)
    if signed is not None:
        return _signed_in_sidebar(signed)
    principal = _from_cookie(store, current_principal())
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
            sso.login_button()
            st.caption(t("access.public_hint"))
        else:
            st.markdown(t("access.logged_in", user=principal.username,
                          role=t(f"role.{principal.role}")))
            if principal.centre:
                st.caption(t("access.centre", centre=principal.centre))
            if st.button(t("access.logout"), key="logout"):
                if _cookie():
                    sessions.end(store, login_cookie.cookie_key(), _cookie(), _now())
                # a shared tablet: nothing of this user's work stays in the session
                for key in list(st.session_state):
                    if key not in (LANGUAGE_KEY, TOWN_KEY):
                        del st.session_state[key]
                st.session_state[COOKIE_TRIP_KEY] = ("end", "")
                st.rerun()
    return principal


def _signed_in_sidebar(principal: Principal) -> Principal:
    """The sidebar of a person signed in through the directory: who and in what role (or
    why without one), and the logout, which ends the app's session and the sign-on."""
    if principal.is_public:
        st.session_state.pop(PRINCIPAL_KEY, None)
    else:
        st.session_state[PRINCIPAL_KEY] = principal
    name = principal.username.removeprefix(USERNAME_PREFIX)
    with st.sidebar:
        if principal.is_public:
            st.warning(t("access.sso.no_role", user=name))
        else:
            st.markdown(t("access.logged_in", user=name, role=t(f"role.{principal.role}")))
            if principal.centre:
                st.caption(t("access.centre", centre=principal.centre))
        if st.button(t("access.logout"), key="logout"):
            st.session_state.clear()
            sso.log_out()
    return principal


def _password_form(store: Store, principal: Principal, key: str) -> None:
    """A form to change one's own password (the current one, the new one twice); on success
    the login goes on in a new session (the change ended the old ones)."""
    with st.form(key, clear_on_submit=True):
        current = st.text_input(t("access.password.current"), type="password",
                                key=f"{key}_current")
        new = st.text_input(t("access.password.new"), type="password", key=f"{key}_new")
        again = st.text_input(t("access.password.again"), type="password", key=f"{key}_again")
        submitted = st.form_submit_button(t("access.password.submit"))
    if not submitted:
        return
    if new != again:
        st.error(t("access.password.differ"))
        return
    try:
        accounts.change_own_password(store, principal, current, new)
    except ValueError as exc:
        st.error(error_text(exc))
        return
    _begin_session(store, principal)
    st.session_state[PASSWORD_CHANGED_KEY] = True
    st.rerun()


def own_password(store: Store, principal: Principal) -> None:
    """Everyone logged in can change their password (sidebar); someone logging in with a
    temporary password from an admin must change it first: the page stops at that form. A
    person signed in through the directory has no password here."""
    if principal.is_public or is_sso(principal):
        return
    if st.session_state.pop(PASSWORD_CHANGED_KEY, False):
        st.toast(t("access.password.changed"))
    if accounts.must_change_password(store, principal.username):
        st.warning(t("access.password.temporary"))
        _password_form(store, principal, "password_required")
        st.stop()
    with st.sidebar, st.expander(t("access.password.change")):
        _password_form(store, principal, "password_change")
