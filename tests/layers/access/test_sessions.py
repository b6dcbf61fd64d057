"""Server-side login sessions on both backends: a one-time grant becomes a signed cookie
value; idle sessions, logouts, blocked accounts and new passwords end them. Account
self-service: temporary passwords, own password change, role change, all audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from layers.access import accounts, audit, sessions
from layers.access.principal import Principal
from layers.errors import InvalidInput
from layers.schema import LOGIN_SESSIONS, TEMPORARY_PASSWORDS
from layers.store import Store
from tests.layers.access.conftest import PASSWORD

ADMIN = Principal("admin", "admin")
KEY = b"k" * 40
START = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
IDLE = dt.timedelta(hours=8)


@pytest.fixture
def store(two_accounts: Store) -> Store:
    """A store with the accounts admin and pol, on each backend."""
    return two_accounts


def _cookie(store: Store, username: str = "pol", at: dt.datetime = START) -> str:
    started = sessions.start(store, username, at)
    cookie = sessions.redeem(store, KEY, started.grant, at)
    assert cookie is not None
    return cookie


def test_a_grant_buys_one_cookie_that_resolves_to_its_user(store: Store) -> None:
    started = sessions.start(store, "pol", START)
    cookie = sessions.redeem(store, KEY, started.grant, START + dt.timedelta(seconds=5))
    assert cookie is not None and cookie.startswith(started.session_id + ".")
    assert sessions.redeem(store, KEY, started.grant, START) is None  # spent
    assert sessions.resolve(store, KEY, cookie, IDLE, START + dt.timedelta(hours=1)) == "pol"
    # neither the token nor the grant is stored, only their hashes
    stored = store.read(LOGIN_SESSIONS).to_csv()
    assert cookie.split(".")[1] not in stored and started.grant not in stored


def test_a_late_or_unknown_grant_buys_nothing(store: Store) -> None:
    started = sessions.start(store, "pol", START)
    late = START + dt.timedelta(seconds=sessions.GRANT_S + 1)
    assert sessions.redeem(store, KEY, started.grant, late) is None
    assert sessions.redeem(store, KEY, "made-up", START) is None
    assert sessions.redeem(store, KEY, "", START) is None


def test_a_forged_or_altered_cookie_is_nobody(store: Store) -> None:
    cookie = _cookie(store)
    session_id, token, signature = cookie.split(".")
    for forged in (f"{session_id}.{token}.{'0' * 64}", f"{session_id}.{token}x.{signature}",
                   f"{session_id}.{token}", "", "a.b.c"):
        assert sessions.resolve(store, KEY, forged, IDLE, START) is None
    assert sessions.resolve(store, b"another key" * 4, cookie, IDLE, START) is None


def test_idle_sessions_end_and_use_keeps_them_open(store: Store) -> None:
    cookie = _cookie(store)
    at = START
    for _ in range(3):  # used every 7 hours: 21 hours in all, never idle for 8
        at += dt.timedelta(hours=7)
        assert sessions.resolve(store, KEY, cookie, IDLE, at) == "pol"
    assert sessions.resolve(store, KEY, cookie, IDLE, at + dt.timedelta(hours=8, seconds=1)) \
        is None
    # ended for good, not only for a moment
    assert sessions.resolve(store, KEY, cookie, IDLE, at) is None


def test_logout_ends_only_that_session(store: Store) -> None:
    first, second = _cookie(store), _cookie(store)
    assert sessions.end(store, KEY, first, START) == "pol"
    assert sessions.resolve(store, KEY, first, IDLE, START) is None
    assert sessions.resolve(store, KEY, second, IDLE, START) == "pol"
    assert sessions.end(store, KEY, first, START) is None


def test_blocking_an_account_ends_its_sessions(store: Store) -> None:
    cookie = _cookie(store)
    assert accounts.disable_user(store, ADMIN, "pol")
    assert sessions.resolve(store, KEY, cookie, IDLE, START) is None
    assert accounts.principal_of(store, "pol") is None


def test_a_reset_gives_a_temporary_password_that_must_be_changed(store: Store) -> None:
    cookie = _cookie(store)
    temporary = accounts.reset_password(store, ADMIN, "pol")
    assert len(temporary) >= accounts.MIN_PASSWORD
    assert sessions.resolve(store, KEY, cookie, IDLE, START) is None  # old logins end
    assert accounts.authenticate(store, "pol", PASSWORD) is None
    principal = accounts.authenticate(store, "pol", temporary)
    assert principal is not None and accounts.must_change_password(store, "pol")
    with pytest.raises(InvalidInput, match="current password"):
        accounts.change_own_password(store, principal, "wrong guess!!", "a new secret 42")
    with pytest.raises(InvalidInput):
        accounts.change_own_password(store, principal, temporary, temporary)
    accounts.change_own_password(store, principal, temporary, "a new secret 42")
    assert not accounts.must_change_password(store, "pol")
    assert accounts.authenticate(store, "pol", "a new secret 42") == principal
    assert accounts.authenticate(store, "pol", temporary) is None
    log = audit.read_log(store)
    changes = [a for a in log["action"] if a in ("reset_password", "change_password")]
    assert changes == ["reset_password", "change_password"]
    assert temporary not in log.to_csv() + store.read(TEMPORARY_PASSWORDS).to_csv()


def test_a_role_change_applies_and_is_audited(store: Store) -> None:
    accounts.set_role(store, ADMIN, "pol", "facilitator", centre="NZDM Rybáře")
    assert accounts.principal_of(store, "pol") == Principal("pol", "facilitator", "NZDM Rybáře")
    entry = audit.read_log(store).iloc[-1]
    assert entry["action"] == "change_role" and '"from": "police"' in entry["detail"]
    with pytest.raises(InvalidInput):
        accounts.set_role(store, ADMIN, "pol", "facilitator")  # no centre
    with pytest.raises(InvalidInput):
        accounts.set_role(store, ADMIN, "admin", "police")  # own role
    with pytest.raises(InvalidInput):
        accounts.set_role(store, ADMIN, "pol", "emperor")


def test_the_idle_limit_setting() -> None:
    assert sessions.idle_limit("") == dt.timedelta(hours=8)
    assert sessions.idle_limit("0,5") == dt.timedelta(minutes=30)
    for bad in ("0", "-1", "soon"):
        with pytest.raises(InvalidInput):
            sessions.idle_limit(bad)


def test_the_key_is_created_once_in_the_secrets_file(tmp_path: Path) -> None:
    path = tmp_path / ".streamlit" / "secrets.toml"
    assert sessions.session_key(path, environ={}) is None
    created = sessions.session_key(path, create=True, environ={})
    assert created is not None and sessions.session_key(path, environ={}) == created
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(InvalidInput):
        sessions.session_key(path, environ={sessions.SESSION_KEY: "short"})
