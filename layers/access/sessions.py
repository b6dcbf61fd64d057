"""Logins that survive a reload: server-side sessions behind a signed, HttpOnly cookie.

A login in the app :func:`start` s a session (a row of :data:`layers.schema.LOGIN_SESSIONS`)
and gets a one-time **grant**; the browser is sent with it to a small route of the web server
(``app/server.py``), which :func:`redeem` s the grant for the cookie value and sets it as an
HttpOnly cookie, so no script in a page can read it. Every page load (:func:`resolve`) checks
the cookie's signature (HMAC-SHA-256 under :data:`SESSION_KEY`), the token against the stored
SHA-256, that the session was not ended and was used within the idle limit (default
:data:`DEFAULT_IDLE_HOURS`, setting :data:`IDLE_HOURS`). A logout (:func:`end`) and an admin
blocking or resetting the account (:func:`end_all`) end it on the server, whatever cookie a
browser still holds.

The cookie value is ``<session_id>.<token>.<signature>``; only SHA-256 hashes of the token and
the grant are stored, so a copy of the store lets no one in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from layers.access.secrets_file import append_secrets, setting
from layers.errors import InvalidInput
from layers.schema import LOGIN_SESSIONS
from layers.store import Store
from layers.store.base import RowMatch

#: Setting (environment, then the secrets file) of the key that signs session cookies.
SESSION_KEY: Final = "MAPA_SESSION_KEY"
#: Setting of the hours of inactivity after which a login ends.
IDLE_HOURS: Final = "MAPA_SESSION_HOURS"
DEFAULT_IDLE_HOURS: Final = 8.0
#: Name of the cookie (HttpOnly, SameSite=Lax, Path=/).
COOKIE: Final = "mapa_session"
#: Seconds a grant may wait to be exchanged for the cookie.
GRANT_S: Final = 60.0
#: A session's last use is stored at most this often (seconds): a page's reruns cost no write.
TOUCH_S: Final = 60.0
#: Fewest characters a configured key may have (a generated one has 43: 256 random bits).
MIN_KEY_CHARS: Final = 32


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _at(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def session_key(secrets_file: Path, *, create: bool = False,
                environ: Mapping[str, str] | None = None) -> bytes | None:
    """The cookie signing key: :data:`SESSION_KEY` from the environment, else from
    ``secrets_file``; with ``create``, a new random one is appended to ``secrets_file`` when
    neither sets it. None when none is set (and not created).

    Raises ``InvalidInput`` ("session.short_key") for a key shorter than
    :data:`MIN_KEY_CHARS`, ``ValueError``/``OSError`` as the secrets file does.
    """
    value, _ = setting(SESSION_KEY, secrets_file, environ)
    if not value and create:
        value = secrets.token_urlsafe(32)
        append_secrets(secrets_file, {SESSION_KEY: value},
                       "signs login cookies, written by mapa first-admin; changing it logs "
                       "everyone out")
    return checked_key(value) if value else None


def checked_key(value: str) -> bytes:
    """A configured key as bytes. Raises ``InvalidInput`` ("session.short_key") when it is
    shorter than :data:`MIN_KEY_CHARS`."""
    if len(value) < MIN_KEY_CHARS:
        raise InvalidInput("session.short_key", name=SESSION_KEY, chars=MIN_KEY_CHARS)
    return value.encode("utf-8")


def idle_limit(value: str) -> dt.timedelta:
    """The idle limit from the :data:`IDLE_HOURS` setting's text ("" → the default).
    Raises ``InvalidInput`` ("session.bad_hours") for anything but a positive number."""
    if not value.strip():
        return dt.timedelta(hours=DEFAULT_IDLE_HOURS)
    try:
        hours = float(value.replace(",", "."))
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 365:
        raise InvalidInput("session.bad_hours", name=IDLE_HOURS, value=value)
    return dt.timedelta(hours=hours)


def _signature(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Started:
    """A session just started: its id and the one-time grant to exchange for the cookie."""

    session_id: str
    grant: str


def start(store: Store, username: str, now: dt.datetime) -> Started:
    """Start a session of ``username`` at ``now`` (UTC); its grant is valid for
    :data:`GRANT_S` seconds. The caller has checked the login (and audits it)."""
    session_id, grant = secrets.token_hex(16), secrets.token_urlsafe(32)
    row = {"session_id": session_id, "username": username, "token_hash": "",
           "grant_hash": _sha(grant), "grant_until": _at(now + dt.timedelta(seconds=GRANT_S)),
           "created_at": _at(now), "seen_at": _at(now), "ended_at": ""}
    with store.transaction():  # an attribute-table write, the same on both backends
        store.append(LOGIN_SESSIONS, pd.DataFrame([row], columns=list(LOGIN_SESSIONS.columns)))
    return Started(session_id, grant)


def _rows(store: Store, column: str, value: str) -> pd.DataFrame:
    if LOGIN_SESSIONS.name not in store.layer_names():
        return pd.DataFrame(columns=list(LOGIN_SESSIONS.columns))
    return pd.DataFrame(store.read_where(LOGIN_SESSIONS, column, [value]))


def redeem(store: Store, key: bytes, grant: str, now: dt.datetime) -> str | None:
    """The cookie value for ``grant``, once: None for an unknown, used or expired grant.

    The grant is spent by one conditional update, so two requests racing with one grant
    cannot both get a cookie.
    """
    grant_hash = _sha(grant)
    rows = _rows(store, "grant_hash", grant_hash) if grant else pd.DataFrame()
    if rows.empty:
        return None
    row = rows.iloc[0]
    if str(row["ended_at"]) or str(row["grant_until"]) < _at(now):
        return None
    token = secrets.token_urlsafe(32)
    spent = store.update_matching(
        RowMatch(LOGIN_SESSIONS.name, equals={"session_id": row["session_id"],
                                              "grant_hash": grant_hash}),
        {"grant_hash": "", "token_hash": _sha(token), "seen_at": _at(now)})
    if spent != 1:
        return None
    payload = f"{row['session_id']}.{token}"
    return f"{payload}.{_signature(key, payload)}"


def _open_row(store: Store, key: bytes, cookie: str) -> pd.Series | None:
    """The stored row of an open session ``cookie`` names, signature and token checked."""
    parts = cookie.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    session_id, token, signature = parts
    if not hmac.compare_digest(signature, _signature(key, f"{session_id}.{token}")):
        return None
    rows = _rows(store, "session_id", session_id)
    if rows.empty:
        return None
    row = rows.iloc[0]
    stored = str(row["token_hash"])
    if not stored or not hmac.compare_digest(stored, _sha(token)) or str(row["ended_at"]):
        return None
    return row


def resolve(store: Store, key: bytes, cookie: str, idle: dt.timedelta,
            now: dt.datetime) -> str | None:
    """The username of the open session ``cookie`` names, else None (bad signature, unknown
    or ended session). A session unused for longer than ``idle`` is ended here; otherwise its
    last use is stored (at most every :data:`TOUCH_S` seconds)."""
    row = _open_row(store, key, cookie)
    if row is None:
        return None
    seen = dt.datetime.fromisoformat(str(row["seen_at"]))
    match = RowMatch(LOGIN_SESSIONS.name, equals={"session_id": row["session_id"]})
    if now - seen > idle:
        store.update_matching(match, {"ended_at": _at(now)})
        return None
    if (now - seen).total_seconds() >= TOUCH_S:
        store.update_matching(match, {"seen_at": _at(now)})
    return str(row["username"])


def end(store: Store, key: bytes, cookie: str, now: dt.datetime) -> str | None:
    """End the session ``cookie`` names (a logout); its username, None when it names no open
    session (nothing changes then)."""
    row = _open_row(store, key, cookie)
    if row is None:
        return None
    store.update_matching(RowMatch(LOGIN_SESSIONS.name, equals={"session_id": row["session_id"]}),
                          {"ended_at": _at(now)})
    return str(row["username"])


def end_all(store: Store, username: str, now: dt.datetime) -> int:
    """End every open session of ``username`` (blocked account, new password); how many."""
    if LOGIN_SESSIONS.name not in store.layer_names():
        return 0
    return store.update_matching(
        RowMatch(LOGIN_SESSIONS.name, equals={"username": username, "ended_at": ""}),
        {"ended_at": _at(now)})
