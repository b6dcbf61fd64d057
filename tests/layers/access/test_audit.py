"""The audit log: entries, de-duplicated views, admin-only reading and CSV export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from layers.access import audit
from layers.access.principal import AccessDenied, Principal
from layers.store import Store

POLICE = Principal("pol", "police")
ADMIN = Principal("boss", "admin")


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def test_entries_are_appended_with_utc_time(store: Store) -> None:
    assert audit.read_log(store).empty
    audit.record(store, POLICE, "view_exact_pins", "pins", ["s1", 2], {"town_id": "kraslice"})
    audit.record(store, ADMIN, "create_account", "accounts", ["x"])
    log = audit.read_log(store)
    assert list(log["username"]) == ["pol", "boss"]
    first = log.iloc[0]
    assert first["role"] == "police" and first["layer"] == "pins"
    assert json.loads(first["object_ids"]) == ["s1", "2"]
    assert json.loads(first["detail"]) == {"town_id": "kraslice"}
    assert pd.Timestamp(first["at"]).utcoffset() == pd.Timedelta(0)


def test_a_repeated_view_is_logged_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert audit.record_view(store, POLICE, "view_exact_pins", "pins", ["a"]) is True
    assert audit.record_view(store, POLICE, "view_exact_pins", "pins", ["a"]) is False
    assert audit.record_view(store, POLICE, "view_exact_pins", "pins", ["b"]) is True
    assert audit.record_view(store, Principal("pol2", "police"), "view_exact_pins", "pins",
                             ["a"]) is True
    assert len(audit.read_log(store)) == 3
    monkeypatch.setattr(audit, "VIEW_MEMORY_S", 0)
    assert audit.record_view(store, POLICE, "view_exact_pins", "pins", ["a"]) is True


def test_only_an_admin_reads_or_exports(store: Store, tmp_path: Path) -> None:
    audit.record(store, POLICE, "view_exact_pins", "pins", ["s1"])
    with pytest.raises(AccessDenied):
        audit.audit_log(store, POLICE)
    with pytest.raises(AccessDenied):
        audit.export_audit(store, POLICE, tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()
    entries = audit.export_audit(store, ADMIN, tmp_path / "a.csv")
    exported = pd.read_csv(tmp_path / "a.csv")
    assert entries == len(exported) == 1
    # the chain columns travel with the export, so a copy can be checked elsewhere
    assert list(exported.columns) == ["at", "username", "role", "action", "layer",
                                      "object_ids", "detail", "town_id", "prev_hash", "hash"]
    data, n = audit.audit_csv(store, ADMIN)
    # the first export is in the log now; the second export lists it
    assert n == 2 and list(pd.read_csv(io.BytesIO(data))["action"]) == [
        "view_exact_pins", "export_audit"]
