"""The append-only audit log: who saw exact sensitive pins, who changed what, and when.

Entries go to the ``audit_log`` layer (:data:`layers.schema.AUDIT_LOG`) through
``Store.append`` only; this module offers no way to change or delete one. Times are UTC, ISO
8601 with seconds. ``object_ids`` is a JSON list, ``detail`` a JSON object; neither ever
holds a password or a pin's free text. ``town_id`` names the town an entry concerns (towns
are tenants: an admin of some towns reads their entries only). The store links the entries
in a hash chain as it appends them (``layers.store.chain``); :func:`verify_log` finds the
first broken link.

Views are logged once per user, action and scope within :data:`VIEW_MEMORY_S` (per process):
a page that reruns on every click would otherwise write the same "saw the pins of session X"
entry dozens of times a minute. Changes are always logged, inside the change's transaction
(``with store.transaction():`` around the change and :func:`record`, or :func:`entry` as one
more item of the change's ``append_batch``), so a change and its entry are stored together
or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from layers.access.principal import Principal
from layers.access.roles import MANAGE_ACCOUNTS
from layers.schema import AUDIT_LOG
from layers.spreadsheet import neutralise_formulas
from layers.store import Store, chain

#: Seconds during which the same view (user, action, layer, objects, detail) is not logged again.
VIEW_MEMORY_S: Final = 15 * 60

_seen_views: dict[tuple[str, ...], float] = {}
_seen_lock = threading.Lock()


def now_utc() -> str:
    """The current UTC time as ISO 8601 with seconds ("2026-11-23T10:57:25+00:00")."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def entry(principal: Principal, action: str, layer: str = "",
          object_ids: Iterable[object] = (), detail: Mapping[str, object] | None = None,
          town_id: str = "") -> pd.DataFrame:
    """One entry as a one-row frame of the audit layer, to append with the change it records
    (its chain columns are left empty: the store seals the entry as it appends it).
    ``town_id`` is the town the action concerned ("" for none, e.g. a login)."""
    row = {"at": now_utc(), "username": principal.username, "role": principal.role,
           "action": action, "layer": layer,
           "object_ids": json.dumps([str(i) for i in object_ids], ensure_ascii=False),
           "detail": json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True,
                                default=str), "town_id": town_id}
    return pd.DataFrame([row], columns=list(AUDIT_LOG.columns))


def record(store: Store, principal: Principal, action: str, layer: str = "",
           object_ids: Iterable[object] = (), detail: Mapping[str, object] | None = None,
           town_id: str = "") -> None:
    """Append one entry (in the caller's transaction, if one is open). Raises ``StoreError``
    when the store refuses the write."""
    store.append(AUDIT_LOG, entry(principal, action, layer, object_ids, detail, town_id))


def record_view(store: Store, principal: Principal, action: str, layer: str,
                object_ids: Iterable[object] = (), detail: Mapping[str, object] | None = None,
                town_id: str = "") -> bool:
    """Log a view unless the same one was logged in the last :data:`VIEW_MEMORY_S` seconds.

    Returns True when an entry was written.
    """
    ids = tuple(sorted(str(i) for i in object_ids))
    key = (store.location, principal.username, principal.role, action, layer, town_id, *ids,
           json.dumps(dict(detail or {}), sort_keys=True, default=str))
    moment = time.monotonic()
    with _seen_lock:
        last = _seen_views.get(key)
        if last is not None and moment - last < VIEW_MEMORY_S:
            return False
        _seen_views[key] = moment
    try:
        record(store, principal, action, layer, ids, detail, town_id)
    except BaseException:
        with _seen_lock:  # not logged, so the next view must try again
            _seen_views.pop(key, None)
        raise
    return True


def stored_log(store: Store) -> pd.DataFrame:
    """Every entry in stored (chain) order, with the layer's columns (empty before the first;
    a log from before the chain has empty chain columns until its next entry links it)."""
    if AUDIT_LOG.name not in store.layer_names():
        return pd.DataFrame(columns=list(AUDIT_LOG.columns))
    log = pd.DataFrame(store.read(AUDIT_LOG))
    return log.reindex(columns=list(AUDIT_LOG.columns)).reset_index(drop=True)


def read_log(store: Store) -> pd.DataFrame:
    """Every entry, oldest first (an empty frame with the layer's columns before the first)."""
    return stored_log(store).sort_values("at", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_log` found: the number of entries and the first broken link (None:
    the chain is whole). ``first_broken`` names the entry by its position in the log (1 = the
    first stored entry), time and action, and says what is wrong with it
    (``layers.store.chain.Break``)."""

    entries: int
    first_broken: dict[str, Any] | None

    @property
    def verified(self) -> bool:
        """True when every entry is sealed and follows the one before it."""
        return self.first_broken is None

    def as_json(self) -> dict[str, Any]:
        return {"entries": self.entries, "verified": self.verified,
                "first_broken": self.first_broken}


def verify_log(store: Store, principal: Principal) -> ChainReport:
    """Check the hash chain of the whole log, for an admin (right ``manage_accounts``).

    Writes nothing (it may run on a copy or a read-only store). Raises ``AccessDenied`` for
    anyone else. Removing the newest entries leaves a shorter chain that is still whole;
    a restore refuses to drop entries a store has (``layers.store.transfer``).
    """
    principal.require(MANAGE_ACCOUNTS)
    log = stored_log(store)
    found = chain.first_break(log, AUDIT_LOG)
    if found is None:
        return ChainReport(len(log), None)
    row = log.iloc[found.position - 1]
    return ChainReport(len(log), {"position": found.position, "at": str(row["at"]),
                                  "action": str(row["action"]), "problem": found.problem})


def audit_log(store: Store, principal: Principal) -> pd.DataFrame:
    """The log for an admin (right ``manage_accounts``), oldest first: the whole log for an
    admin of every town, the entries of its towns (``town_id``) for an admin of some.

    Raises ``AccessDenied`` for anyone else. Reading the log is itself logged (as a view).
    """
    principal.require(MANAGE_ACCOUNTS)
    record_view(store, principal, "view_audit", AUDIT_LOG.name)
    return in_scope(read_log(store), principal)


def in_scope(log: pd.DataFrame, principal: Principal) -> pd.DataFrame:
    """The entries of ``log`` about towns within ``principal``'s scope (every entry for a
    principal of every town)."""
    if principal.towns is None:
        return log
    towns = log["town_id"].fillna("").astype(str)
    return log[towns.isin(principal.towns)].reset_index(drop=True)


def audit_csv(store: Store, principal: Principal) -> tuple[bytes, int]:
    """The log as UTF-8 CSV and its number of entries, for an admin; the export is logged.
    Text cells a spreadsheet would run as formulas are neutralised (``layers.spreadsheet``).

    Raises ``AccessDenied`` for anyone else.
    """
    principal.require(MANAGE_ACCOUNTS)
    log = in_scope(read_log(store), principal)
    record(store, principal, "export_audit", AUDIT_LOG.name, detail={"entries": len(log)})
    return neutralise_formulas(log).to_csv(index=False).encode("utf-8"), len(log)


def export_audit(store: Store, principal: Principal, out: Path) -> int:
    """Write the log as CSV to ``out`` for an admin; return the number of entries written.

    Raises ``AccessDenied`` for anyone else and ``OSError`` when ``out`` cannot be written.
    """
    data, entries = audit_csv(store, principal)
    out.write_bytes(data)
    return entries
