"""Login throttling on both backends: per account and client with growing waits, a small
capped pause per account, nothing a stranger can turn into a lockout; unlock and reset."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from layers.access import accounts, audit, throttle
from layers.access.principal import Principal
from layers.schema import AUDIT_LOG, LOGIN_FAILURES
from layers.store import Store, open_store
from layers.store.transfer import store_manifest
from tests.layers.access.conftest import PASSWORD

ADMIN = Principal("boss", "admin")
START = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
HOME, STRANGER = "home-client", "stranger-client"


@pytest.fixture
def store(two_accounts: Store) -> Store:
    """A store with the accounts admin and pol, on each backend."""
    return two_accounts


class Clock:
    """``audit.now_utc`` (the clock of the log and the throttle) at a time the test moves."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(audit, "now_utc", lambda: self.now.isoformat(timespec="seconds"))

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Pauses(list[float]):
    """The account-wide pauses asked for, instead of sleeping through them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _fail(store: Store, username: str, client: str, clock: Clock, times: int = 1) -> None:
    for _ in range(times):
        assert accounts.authenticate(store, username, "wrong password!", client,
                                     pause=Pauses()) is None
        clock.advance(seconds=1)


def test_a_client_waits_longer_after_each_failure_and_is_refused_unchecked(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    _fail(store, "pol", STRANGER, clock, throttle.PAIR_FREE - 1)
    assert throttle.standing(store, "pol", STRANGER, clock.now).until is None
    _fail(store, "pol", STRANGER, clock)
    last = clock.now - dt.timedelta(seconds=1)
    first_wait = last + dt.timedelta(seconds=throttle.PAIR_BASE_S)
    assert throttle.standing(store, "pol", STRANGER, clock.now).until == first_wait

    class NoVerify:
        def verify(self, *_: object) -> None:
            raise AssertionError("a refused login must not check the password")

    before = store_manifest(store)
    with monkeypatch.context() as patch:
        patch.setattr(accounts, "_hasher", NoVerify())
        with pytest.raises(accounts.LoginThrottled) as refused:
            accounts.authenticate(store, "pol", PASSWORD, STRANGER)  # even the right one
    assert refused.value.until == first_wait and refused.value.code == "account.login_throttled"
    assert "s" in refused.value.message("cs") and refused.value.params["seconds"] >= 1
    assert store_manifest(store) == before  # a refusal costs no write

    clock.now = first_wait  # the wait is over by itself; the next failure doubles it
    _fail(store, "pol", STRANGER, clock)
    assert throttle.standing(store, "pol", STRANGER, clock.now).until == \
        first_wait + dt.timedelta(seconds=2 * throttle.PAIR_BASE_S)
    assert [throttle.pair_delay(n) for n in range(4, 12)] == \
        [0, 30, 60, 120, 240, 480, 900, 900]
    clock.now += dt.timedelta(seconds=throttle.PAIR_MAX_S)
    assert accounts.authenticate(store, "pol", PASSWORD, STRANGER) == Principal("pol", "police")
    # the success clears that client's count
    assert throttle.standing(store, "pol", STRANGER, clock.now).failures == 0


def test_a_stranger_guessing_at_admin_cannot_keep_the_admin_out(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """One address hammering `admin` is throttled; many addresses only slow the admin down
    by the account's capped pause; the admin logs in from home throughout."""
    clock = Clock(monkeypatch)
    refused = 0
    for _ in range(10):  # one client trying as fast as it is let
        try:
            _fail(store, "admin", STRANGER, clock)
        except accounts.LoginThrottled as exc:
            refused += 1
            clock.now = exc.until
    _fail(store, "admin", STRANGER, clock)  # its latest wait has only begun
    assert refused > 0
    for number in range(5):  # and five more addresses, two tries each
        _fail(store, "admin", f"botnet-{number}", clock, 2)
    stranger = throttle.standing(store, "admin", STRANGER, clock.now)
    assert stranger.failures > throttle.PAIR_FREE and stranger.until is not None
    pauses = Pauses()
    assert accounts.authenticate(store, "admin", PASSWORD, HOME, pause=pauses) == \
        Principal("admin", "admin")
    # slowed down a little, never refused, however many try
    assert len(pauses) == 1 and 0 < pauses[0] <= throttle.ACCOUNT_MAX_S
    assert throttle.account_delay(10**6) == throttle.ACCOUNT_MAX_S
    # the stranger is still refused after the admin's success
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, "admin", PASSWORD, STRANGER)


def test_an_admin_unlock_and_a_password_reset_lift_the_lock(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    _fail(store, "pol", HOME, clock, throttle.PAIR_FREE)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, "pol", PASSWORD, HOME)
    with pytest.raises(PermissionError):
        accounts.unlock_user(store, Principal("pol", "police"), "pol")
    with pytest.raises(LookupError):
        accounts.unlock_user(store, ADMIN, "nobody")
    assert accounts.unlock_user(store, ADMIN, "pol") == throttle.PAIR_FREE
    log = audit.read_log(store)
    assert log.iloc[-1][["username", "action", "object_ids"]].tolist() == \
        ["boss", "unlock_account", json.dumps(["pol"])]
    assert json.loads(log.iloc[-1]["detail"]) == {"failures": throttle.PAIR_FREE}
    assert accounts.authenticate(store, "pol", PASSWORD, HOME) is not None

    _fail(store, "pol", HOME, clock, throttle.PAIR_FREE)
    accounts.set_password(store, ADMIN, "pol", "a brand new secret")
    assert json.loads(audit.read_log(store).iloc[-1]["detail"]) == \
        {"unlocked": throttle.PAIR_FREE}
    assert accounts.authenticate(store, "pol", "a brand new secret", HOME) is not None


def test_failures_are_kept_apart_from_the_audit_log_and_pruned(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    _fail(store, "pol", HOME, clock, 3)
    rows = store.read(LOGIN_FAILURES)
    assert len(rows) == 3 and set(rows["client"]) == {HOME}
    failed = audit.read_log(store)
    failed = failed[failed["action"] == "login_failed"]
    assert len(failed) == 3 and json.loads(failed.iloc[-1]["detail"])["client"] == HOME

    # the check reads the account's rows, never the audit log
    read = store.read

    def no_log(layer: object, town_id: str | None = None) -> pd.DataFrame:
        assert layer not in (AUDIT_LOG, AUDIT_LOG.name), "the login check read the audit log"
        return read(layer, town_id)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "read", no_log)
    assert accounts.authenticate(store, "admin", PASSWORD, HOME) is not None

    clock.advance(seconds=throttle.MEMORY_S + 1)  # a day later, the next failure prunes
    _fail(store, "admin", HOME, clock)
    assert list(read(LOGIN_FAILURES)["account"]) == ["admin"]


def test_unknown_names_are_throttled_alike_and_never_stored_verbatim(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A password typed into the username field must not land in the store, and an unknown
    name is throttled like a real one (the throttle must not tell which names exist)."""
    clock = Clock(monkeypatch)
    typed = "Tajne-Heslo-2026"
    _fail(store, typed, STRANGER, clock, throttle.PAIR_FREE)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, typed, PASSWORD, STRANGER)
    everything = audit.read_log(store).to_csv() + store.read(LOGIN_FAILURES).to_csv()
    assert typed.lower() not in everything.lower()
    key = accounts.login_key(pd.Series(["pol"]), typed)
    assert key.startswith(accounts.UNKNOWN_PREFIX) and len(key) == len("unknown#") + 4
    assert set(store.read(LOGIN_FAILURES)["account"]) == {key}
    assert accounts.login_key(pd.Series(["pol"]), "pol") == "pol"
    assert accounts.authenticate(store, "pol", PASSWORD, STRANGER) is not None


def test_another_process_sees_the_wait(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another app process (here: another handle on the same store) refuses alike."""
    clock = Clock(monkeypatch)
    _fail(store, "pol", STRANGER, clock, throttle.PAIR_FREE)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(open_store(store.location), "pol", PASSWORD, STRANGER)
