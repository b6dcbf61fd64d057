"""``mapa bench spatial`` on both backends (a tiny run against the test cluster)."""

from __future__ import annotations

import json

import pytest

from scripts.mapa import main

QUERIES = ("cells", "viewport", "area", "nearest")


def test_bench_spatial_times_both_paths_on_both_backends(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "spatial", "--pins", "400", "--repeat", "2", "--url", pg_url,
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["pins"] == 400
    rows = result["results"]
    assert [(r["backend"], r["query"], r["path"]) for r in rows] == [
        (backend, query, path) for backend in ("gpkg", "postgis") for query in QUERIES
        for path in ("python", "store")]
    for row in rows:
        assert row["n"] == 2 and 0 < row["p50_ms"] <= row["p95_ms"]
    # the bench refuses to report when the two paths disagree; both backends agree too
    sizes = {(r["query"], r["backend"]): r["rows"] for r in rows}
    assert all(sizes[(q, "gpkg")] == sizes[(q, "postgis")] > 0 for q in QUERIES)
