"""The audit log as a hash chain in both backends: sealed by the store, one chain under
concurrent writers, a tampered row named by ``mapa audit verify``, old logs linked."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import pytest

from layers.access import audit
from layers.access.principal import Principal
from layers.schema import AUDIT_LOG
from layers.store import PostGISStore, Store, chain, migrations, open_store
from scripts.mapa import main
from tests.layers.store.sample import frames

ROOT = Path(__file__).resolve().parents[3]
ADMIN = Principal("boss", "admin")
#: The columns of a log from before the chain (and before its later columns).
LEGACY_COLUMNS = list(chain.content_columns(AUDIT_LOG))


@pytest.fixture(params=["gpkg", "postgis"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store of each backend holding a few sample layers and no audit log yet."""
    location = str(tmp_path / "s.gpkg") if request.param == "gpkg" \
        else str(request.getfixturevalue("pg_url"))
    open_store(location).replace_all(frames())
    return location


def _verify(capsys: pytest.CaptureFixture[str], location: str) -> tuple[int, dict[str, Any]]:
    status = main(["audit", "verify", "--store", location, "--json"])
    out, err = capsys.readouterr()
    result = json.loads(out.strip().splitlines()[-1])
    assert (status == 0) == (err == "")
    return status, result


def _sql(store: Store, location: str, statement: str) -> None:
    """Run ``statement`` on the audit table directly, as someone with the file or database."""
    if isinstance(store, PostGISStore):
        with psycopg.connect(location) as conn:
            conn.execute(statement.replace("audit_log", "mapa.audit_log"))
    else:
        with sqlite3.connect(location) as db:
            db.execute(statement)


def test_a_row_edited_or_deleted_in_the_store_is_named(
        location: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(location)
    for i in range(5):
        audit.record(store, ADMIN, f"action_{i}", "pins", [i], {"n": i})
    status, result = _verify(capsys, location)
    assert (status, result) == (0, {"entries": 5, "verified": True, "first_broken": None})
    log = audit.stored_log(store)
    assert log["hash"].str.fullmatch("[0-9a-f]{64}").all()

    # one field of the third entry edited where it is stored
    third = "(SELECT fid FROM audit_log ORDER BY fid LIMIT 1 OFFSET 2)"
    _sql(store, location, f"UPDATE audit_log SET detail = '{{\"n\": 99}}' WHERE fid = {third}")
    status, result = _verify(capsys, location)
    assert status == 1 and result["verified"] is False and result["entries"] == 5
    assert result["first_broken"] == {"position": 3, "at": log["at"][2], "action": "action_2",
                                      "problem": "altered"}
    assert result["error"]["code"] == "audit.chain_altered"
    assert "entry 3" in result["error"]["message"] and "action_2" in result["error"]["message"]
    # no internal ids: neither the row id nor the hashes are shown
    assert "hash" not in json.dumps(result["first_broken"])

    # the edited entry deleted: the one after it no longer follows its predecessor
    _sql(store, location, f"DELETE FROM audit_log WHERE fid = {third}")
    status, result = _verify(capsys, location)
    assert status == 1 and result["entries"] == 4
    assert result["first_broken"] == {"position": 3, "at": log["at"][3], "action": "action_3",
                                      "problem": "link"}
    assert result["error"]["code"] == "audit.chain_link"
    # a new entry does not mend the chain
    audit.record(store, ADMIN, "after", "pins")
    assert _verify(capsys, location)[1]["first_broken"]["position"] == 3


WRITER = """
import sys
from layers.access import audit
from layers.access.principal import Principal
from layers.store import open_store
store, writer = open_store(sys.argv[1]), sys.argv[2]
for i in range(int(sys.argv[3])):
    audit.record(store, Principal(f"w{writer}", "admin"), "concurrent", "pins", [i])
"""


def test_concurrent_writers_make_one_chain(location: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """8 processes × 15 entries at once: 120 entries, every one linked to the one before."""
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, location, str(w), "15"],
                                cwd=ROOT) for w in range(8)]
    assert [w.wait(timeout=240) for w in writers] == [0] * 8
    log = audit.stored_log(open_store(location))
    assert len(log) == 120 and log["prev_hash"].is_unique
    assert log.groupby("username").size().to_dict() == {f"w{w}": 15 for w in range(8)}
    assert _verify(capsys, location) == (0, {"entries": 120, "verified": True,
                                             "first_broken": None})


def _legacy_log(n: int) -> pd.DataFrame:
    """An audit log as stores wrote it before the chain (no chain columns)."""
    return pd.DataFrame([{"at": f"2026-11-2{i}T09:00:00+00:00", "username": "old",
                          "role": "admin", "action": f"old_{i}", "layer": "",
                          "object_ids": "[]", "detail": "{}"} for i in range(n)],
                        columns=LEGACY_COLUMNS)


def test_a_log_from_before_the_chain_is_linked_by_its_next_entry(
        location: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(location)
    store.replace_all({**frames(), AUDIT_LOG.name: _legacy_log(3)})
    status, result = _verify(capsys, location)
    assert status == 1 and result["first_broken"]["problem"] == "unsealed"
    audit.record(store, ADMIN, "new", "pins")
    log = audit.stored_log(store)
    assert list(log["action"]) == ["old_0", "old_1", "old_2", "new"]
    assert _verify(capsys, location) == (0, {"entries": 4, "verified": True,
                                             "first_broken": None})


def test_the_postgis_migration_links_an_existing_log(pg_url: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(pg_url)
    store.replace_all({AUDIT_LOG.name: _legacy_log(4)})
    with psycopg.connect(pg_url) as conn:  # as a store left at the revision before the chain
        conn.execute(f"UPDATE {migrations.META_SCHEMA}.{migrations.VERSION_TABLE} "
                     "SET version_num = '0002'")
    migrations.upgrade(pg_url)
    with psycopg.connect(pg_url) as conn:
        assert migrations.current_revision(conn) == migrations.HEAD
    reopened = open_store(pg_url)
    assert reopened.check() == []
    log = audit.stored_log(reopened)
    assert log["hash"].notna().all() and list(log["action"]) == [f"old_{i}" for i in range(4)]
    assert _verify(capsys, pg_url) == (0, {"entries": 4, "verified": True,
                                           "first_broken": None})
    # a second run changes nothing
    migrations.upgrade(pg_url, "head")
    assert audit.stored_log(open_store(pg_url)).equals(log)
