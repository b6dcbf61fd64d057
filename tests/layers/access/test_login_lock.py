"""Login rate limiting: five failures of a username in 15 minutes lock it, read from the log."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from layers.access import accounts, audit
from layers.access.principal import Principal
from layers.store import Store, open_store

PASSWORD = "correct horse battery"
ADMIN = Principal("boss", "admin")
#: After the fixture's real-time entries, so the log (sorted by time) keeps its order.
START = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)


@pytest.fixture
def store(tmp_path: Path, demo_store_path: Path) -> Store:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    store = open_store(path)
    accounts.create_user(store, ADMIN, "pol", PASSWORD, "police")
    return store


class Clock:
    """``audit.now_utc`` at a time the test moves."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(audit, "now_utc",
                            lambda: self.now.isoformat(timespec="seconds"))

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def _fail(store: Store, username: str, times: int, clock: Clock) -> None:
    for _ in range(times):
        assert accounts.authenticate(store, username, "wrong password!") is None
        clock.advance(seconds=30)


def _actions(store: Store) -> list[str]:
    return list(audit.read_log(store)["action"])


def test_five_failures_lock_the_username_without_checking_the_password(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    _fail(store, "pol", accounts.MAX_FAILED_LOGINS - 1, clock)
    assert accounts.login_lock(store, "pol") is None
    _fail(store, "pol", 1, clock)
    until = START + dt.timedelta(seconds=accounts.LOCKOUT_WINDOW_S)
    assert accounts.login_lock(store, "pol") == until

    class NoVerify:
        def verify(self, *_: object) -> None:
            raise AssertionError("a locked login must not check the password")

    with monkeypatch.context() as patch:
        patch.setattr(accounts, "_hasher", NoVerify())
        with pytest.raises(accounts.LoginThrottled) as refused:
            accounts.authenticate(store, "pol", PASSWORD)  # even the right password
    assert refused.value.until == until
    assert _actions(store)[-1] == "login_refused"
    # another username is not affected
    accounts.create_user(store, ADMIN, "mod", PASSWORD, "moderator")
    assert accounts.authenticate(store, "mod", PASSWORD) == Principal("mod", "moderator")


def test_the_lock_ends_when_the_oldest_failure_leaves_the_window(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    _fail(store, "pol", accounts.MAX_FAILED_LOGINS, clock)
    clock.now = START + dt.timedelta(seconds=accounts.LOCKOUT_WINDOW_S - 1)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, "pol", PASSWORD)
    # refused attempts do not prolong the lock
    clock.now = START + dt.timedelta(seconds=accounts.LOCKOUT_WINDOW_S)
    assert accounts.login_lock(store, "pol") is None
    assert accounts.authenticate(store, "pol", PASSWORD) == Principal("pol", "police")


def test_failures_spread_over_more_than_the_window_do_not_lock(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    for _ in range(2 * accounts.MAX_FAILED_LOGINS):
        _fail(store, "pol", 1, clock)
        clock.advance(seconds=accounts.LOCKOUT_WINDOW_S / (accounts.MAX_FAILED_LOGINS - 1))
    assert accounts.login_lock(store, "pol") is None
    assert accounts.authenticate(store, "pol", PASSWORD) is not None


def test_unknown_names_are_locked_alike_and_never_logged_verbatim(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A password typed into the username field must not land in the audit log, and an
    unknown name locks like a real one (the lock must not tell which names exist)."""
    clock = Clock(monkeypatch)
    typed = "Tajne-Heslo-2026"
    _fail(store, typed, accounts.MAX_FAILED_LOGINS, clock)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, typed, PASSWORD)
    log = audit.read_log(store)
    assert typed not in log.to_csv() and typed.lower() not in log.to_csv().lower()
    key = accounts.login_key(pd.Series(["pol"]), typed)
    assert key.startswith(accounts.UNKNOWN_PREFIX) and len(key) == len("unknown#") + 4
    assert {json.dumps([key])} == set(log.loc[log["action"].str.startswith("login_"),
                                              "object_ids"])
    assert accounts.login_key(pd.Series(["pol"]), "pol") == "pol"
    assert accounts.authenticate(store, "pol", PASSWORD) is not None  # pol is not locked


def test_the_lock_is_read_from_the_store_not_the_process(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another app process (here: another handle on the same store) sees the lock."""
    clock = Clock(monkeypatch)
    _fail(store, "pol", accounts.MAX_FAILED_LOGINS, clock)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(open_store(store.location), "pol", PASSWORD)
