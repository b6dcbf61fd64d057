"""A change and its audit entry are one transaction on both backends: when the audit write
fails, the change is not stored either (moderation, sessions, accounts, retention)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from layers.access import accounts, guarded
from layers.access.principal import Principal
from layers.mapping.retention import apply_retention
from layers.mapping.sessions import SessionInput
from layers.schema import AUDIT_LOG, PINS
from layers.store import Store, StoreError, open_store
from layers.store.transfer import store_manifest
from tests.layers.access.failing_audit import refuse_audit_writes

TOWN = "karlovy-vary"
ADMIN = Principal("boss", "admin")
MODERATOR = Principal("mod", "moderator")


def _pending(store: Store) -> list[str]:
    pins = store.read(PINS, TOWN)
    return [str(p) for p in pins.loc[pins["status"] == "pending", "pin_id"].head(3)]


def _held(store: Store) -> None:
    """Pins with a held comment written long ago (for the retention run)."""
    pins = store.read(PINS, TOWN).head(2)
    store.update_rows(PINS, "pin_id", pins[["pin_id"]].assign(
        comment="call 777 123 456", comment_held=True, created_at="2020-01-01T00:00:00+00:00"))


#: A change that writes its audit entry, and what it needs stored before.
CHANGES: dict[str, tuple[Callable[[Store], Any], Callable[[Store], None]]] = {
    "reject_pins": (lambda s: guarded.reject(MODERATOR, s, _pending(s), "spam"),
                    lambda s: None),
    "create_session": (lambda s: guarded.create_session(ADMIN, s, SessionInput(
        town_id=TOWN, date="2026-12-01", place="Klub", organiser="APK", age_group="13-18",
        participants=5, method="tablet", consent="ano")), lambda s: None),
    "disable_account": (lambda s: accounts.disable_user(s, ADMIN, "someone"),
                        lambda s: accounts.create_user(s, ADMIN, "someone",
                                                       "correct horse battery", "police")),
    "apply_retention": (lambda s: apply_retention(
        s, MODERATOR, days=30, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)), _held),
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_a_change_whose_audit_entry_fails_is_not_stored(
        demo_store_copy: Store, backend: str, change: str, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = demo_store_copy
    if backend == "postgis":
        store = open_store(request.getfixturevalue("demo_pg_url"))
    write, prepare = CHANGES[change]
    prepare(store)
    before = (store.version(), store_manifest(store))
    refuse_audit_writes(store, monkeypatch)
    with pytest.raises(StoreError, match="disk full"):
        write(store)
    assert (store.version(), store_manifest(store)) == before
    # and with the audit log writable, the same change goes through with its entry
    monkeypatch.undo()
    assert write(store)
    assert store_manifest(store)[AUDIT_LOG.name]["rows"] \
        == before[1].get(AUDIT_LOG.name, {"rows": 0})["rows"] + 1
