"""``mapa bench import``: a tiny run, ours against the floor into a small and a larger store."""

from __future__ import annotations

import json

import pytest

from scripts.mapa import main


def test_bench_import_reports_ours_against_the_floor(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    assert main(["bench", "import", "--rows", "300", "--store-rows", "0,500", "--json"]) == 0
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["rows"]
    assert [(r["rows"], r["store_rows"]) for r in results] == [(300, 0), (300, 500)]
    for row in results:
        assert row["seconds"] > 0 and row["floor_seconds"] > 0 and row["ratio"] > 0
        assert row["imported"] + row["rejected"] == 300 and row["imported"] > 250
        assert row["peak_mb"] > 0
    assert results[0]["vs_first_store"] == 1.0
    assert results[1]["store_mb"] > results[0]["store_mb"]
