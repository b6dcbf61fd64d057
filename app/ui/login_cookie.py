"""The login cookie: set and cleared by two routes of the app's web server, read by the app.

Streamlit's scripts talk to the browser over a websocket and cannot set a cookie, let alone
an HttpOnly one. So a login in the sidebar starts a server-side session
(``layers.access.sessions``) and sends the browser to :data:`START_PATH` with a one-time
grant; that route (served by ``app/server.py``'s ``st.App``) exchanges it for the signed
cookie value, sets it **HttpOnly**, SameSite=Lax (Secure over HTTPS) and redirects back to
the page the person was on. A logout ends the session in the store and sends the browser to
:data:`END_PATH`, which deletes the cookie. Every page load reads the cookie from the
websocket's request (``st.context.cookies``).

The signing key is ``MAPA_SESSION_KEY`` (environment, then the secrets file; ``mapa
first-admin`` writes one). Without one, a random key of this server process signs: logins
then end when the server restarts, which is safe but inconvenient.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Final
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.ui.settings import setting
from layers.access import sessions
from layers.errors import MapaError
from layers.store import open_store

#: The routes (outside Streamlit's reserved ``/_stcore/`` and ``/static/`` prefixes).
START_PATH: Final = "/mapa-login/start"
END_PATH: Final = "/mapa-login/end"
_LOG: Final = logging.getLogger(__name__)
#: This process's key when none is configured (see the module docstring).
_PROCESS_KEY: Final = secrets.token_urlsafe(32).encode("utf-8")


def cookie_key() -> bytes:
    """The key that signs login cookies. Raises ``InvalidInput`` for a too short one."""
    value = setting(sessions.SESSION_KEY)
    return sessions.checked_key(value) if value else _PROCESS_KEY


def idle_limit() -> dt.timedelta:
    """How long a login may stay unused (``MAPA_SESSION_HOURS``, default 8 h)."""
    return sessions.idle_limit(setting(sessions.IDLE_HOURS))


def safe_target(target: str) -> str:
    """``target`` when it is a path of this site ("/area?mesto=kraslice"), else "/": a link
    to the routes can never send the browser to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return "/"
    return target


def start_url(grant: str, back_to: str) -> str:
    """Where to send the browser to have ``grant`` exchanged for the cookie."""
    return f"{START_PATH}?{urlencode({'grant': grant, 'next': safe_target(back_to)})}"


def end_url(back_to: str) -> str:
    """Where to send the browser to have the cookie deleted."""
    return f"{END_PATH}?{urlencode({'next': safe_target(back_to)})}"


def _redirect(request: Request) -> RedirectResponse:
    response = RedirectResponse(safe_target(request.query_params.get("next", "/")),
                                status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the grant stays off other logs
    return response


def _https(request: Request) -> bool:
    return request.url.scheme == "https" or \
        request.headers.get("x-forwarded-proto", "").lower() == "https"


def start(request: Request) -> Response:
    """Exchange the grant in the query for the cookie (a spent, late or unknown grant sets
    none) and redirect to ``next``."""
    response = _redirect(request)
    try:
        value = sessions.redeem(open_store(), cookie_key(),
                                request.query_params.get("grant", ""), dt.datetime.now(dt.UTC))
    except MapaError:  # no store, a bad key: the app itself says what is wrong
        _LOG.exception("no login cookie set")
        return response
    if value is not None:
        response.set_cookie(sessions.COOKIE, value, httponly=True, samesite="lax",
                            secure=_https(request), path="/")
    return response


def end(request: Request) -> Response:
    """Delete the cookie and redirect to ``next`` (the session was ended by the app)."""
    response = _redirect(request)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_https(request))
    return response


ROUTES: Final = (Route(START_PATH, start, methods=["GET"]),
                 Route(END_PATH, end, methods=["GET"]))
