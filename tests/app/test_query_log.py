"""``MAPA_QUERY_LOG``: the app's data functions time themselves only when asked to."""

from __future__ import annotations

import json
import os
from pathlib import Path

import psycopg
import pytest

from app.ui import cache
from layers.store import open_store
from layers.store.migrations import META_SCHEMA
from tests.layers.store.sample import frames, more_services


def test_timed_calls_append_one_line_each_only_when_the_log_is_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "queries.jsonl"
    double = cache.timed("double")(lambda x: 2 * x)

    monkeypatch.delenv(cache.QUERY_LOG, raising=False)
    assert double(2) == 4
    assert not log.exists()

    monkeypatch.setenv(cache.QUERY_LOG, str(log))
    assert double(3) == 6
    assert double(4) == 8
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["double", "double"]
    assert all(line["pid"] == os.getpid() and line["ms"] >= 0 for line in lines)


def test_a_failing_call_is_timed_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "queries.jsonl"
    monkeypatch.setenv(cache.QUERY_LOG, str(log))

    @cache.timed("broken")
    def broken() -> None:
        raise ValueError("no store")

    with pytest.raises(ValueError, match="no store"):
        broken()
    assert json.loads(log.read_text())["kind"] == "broken"


def test_the_data_version_comes_from_the_database_on_every_call(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No process-local copy of the version: a write by another app process (here: another
    connection) changes the key the page caches are looked up with at once."""
    open_store(pg_url).replace_all(frames())
    monkeypatch.setenv("MAPA_DB_URL", pg_url)
    before = cache._key("town", "a")
    assert cache._key("town", "a") == before
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute(f"INSERT INTO {META_SCHEMA}.versions VALUES ('services', 'a', 1)")
    bumped = cache._key("town", "a")
    assert bumped != before
    open_store(pg_url).append("services", more_services(1, "other"))
    assert cache._key("town", "a") not in (before, bumped)
