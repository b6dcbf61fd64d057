"""Failed-login limiting that no stranger can turn into a lockout.

Every failed login is one row of the ``login_failures`` layer
(:data:`layers.schema.LOGIN_FAILURES`): the account's login key, the client's keyed hash
(:mod:`layers.access.clients`) and the time. Two counters are read from it, by the indexed
account column, never from the audit log:

* **account and client**: after :data:`PAIR_FREE` failures from one client, that client is
  refused for that account for :data:`PAIR_BASE_S` seconds, doubling with every further
  failure up to :data:`PAIR_MAX_S`, counted from its last failure. Refused attempts are not
  stored (they cost no write), so the refusal lifts by itself; a successful login from the
  client clears its count.
* **account alone**: after :data:`ACCOUNT_FREE` failures from anyone within
  :data:`ACCOUNT_WINDOW_S`, every attempt at the account waits :data:`ACCOUNT_BASE_S`
  seconds, doubling up to :data:`ACCOUNT_MAX_S`, before its password is checked. It never
  refuses: someone guessing from many addresses slows the account's owner down by a few
  seconds at most, but cannot keep them out.

Rows older than :data:`MEMORY_S` no longer count and are pruned with each new failure; an
admin's unlock and a password reset delete the account's rows (:func:`forget`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import pandas as pd

from layers.schema import LOGIN_FAILURES
from layers.store import Store
from layers.store.base import RowMatch

#: Failures of one account from one client before it has to wait.
PAIR_FREE: Final = 5
#: The first wait of a client (seconds), doubled with each further failure, and the longest.
PAIR_BASE_S: Final = 30.0
PAIR_MAX_S: Final = 15 * 60.0
#: Failures of one account from anyone, within :data:`ACCOUNT_WINDOW_S`, before every
#: attempt at it is slowed down.
ACCOUNT_FREE: Final = 10
ACCOUNT_WINDOW_S: Final = 15 * 60.0
#: The account-wide pause before a password check (seconds), doubling, and its cap.
ACCOUNT_BASE_S: Final = 0.25
ACCOUNT_MAX_S: Final = 4.0
#: Seconds a failure is remembered (and then pruned).
MEMORY_S: Final = 24 * 3600.0


def pair_delay(failures: int) -> float:
    """Seconds one client waits after its ``failures``-th failure at one account."""
    if failures < PAIR_FREE:
        return 0.0
    return float(min(PAIR_BASE_S * 2 ** min(failures - PAIR_FREE, 32), PAIR_MAX_S))


def account_delay(failures: int) -> float:
    """Seconds every attempt at an account pauses after ``failures`` recent failures."""
    if failures < ACCOUNT_FREE:
        return 0.0
    return float(min(ACCOUNT_BASE_S * 2 ** min(failures - ACCOUNT_FREE, 32), ACCOUNT_MAX_S))


@dataclass(frozen=True)
class Standing:
    """Where an account and a client stand: ``until`` (UTC) is when the client may try the
    account again (None: now), ``pause_s`` the account-wide pause before a password check,
    ``failures`` the client's remembered failures at the account."""

    until: dt.datetime | None
    pause_s: float
    failures: int


def _times(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["at"], utc=True, format="ISO8601")


def _failures(store: Store, account: str, now: dt.datetime) -> pd.DataFrame:
    """The remembered failures at ``account`` (columns client, at as UTC timestamps)."""
    if LOGIN_FAILURES.name not in store.layer_names():
        return pd.DataFrame({"client": pd.Series(dtype=str),
                             "at": pd.Series(dtype="datetime64[ns, UTC]")})
    rows = pd.DataFrame(store.read_where(LOGIN_FAILURES, "account", [account]))
    rows = rows.assign(at=_times(rows))
    return rows[rows["at"] > now - dt.timedelta(seconds=MEMORY_S)]


def standing(store: Store, account: str, client: str, now: dt.datetime) -> Standing:
    """How ``client`` stands with ``account`` at ``now`` (UTC); reads the account's rows."""
    rows = _failures(store, account, now)
    own = rows.loc[rows["client"] == client, "at"]
    until = None
    if len(own):
        end = own.max().to_pydatetime() + dt.timedelta(seconds=pair_delay(len(own)))
        until = end if end > now else None
    recent = int((rows["at"] > now - dt.timedelta(seconds=ACCOUNT_WINDOW_S)).sum())
    return Standing(until, account_delay(recent), len(own))


def record_failure(store: Store, account: str, client: str, now: dt.datetime) -> None:
    """Store one failure and prune forgotten ones (in the caller's transaction, if any)."""
    at = now.isoformat(timespec="seconds")
    with store.transaction():
        store.append(LOGIN_FAILURES, pd.DataFrame(
            [{"account": account, "client": client, "at": at}],
            columns=list(LOGIN_FAILURES.columns)))
        cutoff = (now - dt.timedelta(seconds=MEMORY_S)).isoformat(timespec="seconds")
        store.delete_matching([RowMatch(LOGIN_FAILURES.name, before=("at", cutoff))])


def forget(store: Store, account: str, client: str | None = None) -> int:
    """Delete the failures at ``account`` (only ``client``'s, when given); how many."""
    if LOGIN_FAILURES.name not in store.layer_names():
        return 0
    equals = {"account": account} if client is None else {"account": account,
                                                            "client": client}
    return store.delete_matching([RowMatch(LOGIN_FAILURES.name, equals=equals)]).get(
        LOGIN_FAILURES.name, 0)


def summary(store: Store, now: dt.datetime) -> pd.DataFrame:
    """Per account with remembered failures: ``failures``, ``clients`` (how many clients
    failed), ``last_at`` and ``locked_until`` (the latest refusal of any client, UTC ISO;
    "" when none holds), newest first. For the admin page; reads the whole (pruned) layer."""
    columns = ["account", "failures", "clients", "last_at", "locked_until"]
    if LOGIN_FAILURES.name not in store.layer_names():
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame(store.read(LOGIN_FAILURES))
    rows = rows.assign(at=_times(rows))
    rows = rows[rows["at"] > now - dt.timedelta(seconds=MEMORY_S)]
    out = []
    for account, group in rows.groupby("account", sort=False):
        ends = [times.max().to_pydatetime() + dt.timedelta(seconds=pair_delay(len(times)))
                for _, times in group.groupby("client")["at"]]
        latest = max(ends)
        out.append({"account": str(account), "failures": len(group),
                    "clients": group["client"].nunique(),
                    "last_at": group["at"].max().isoformat(timespec="seconds"),
                    "locked_until": latest.isoformat(timespec="seconds") if latest > now
                    else ""})
    return pd.DataFrame(out, columns=columns).sort_values("last_at", ascending=False,
                                                          ignore_index=True)
