"""``mapa bench store`` on both backends (a small run against the test cluster)."""

from __future__ import annotations

import json

import pytest

from scripts.mapa import main


def test_bench_store_measures_both_backends(pg_url: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "store", "--pins", "300", "--url", pg_url, "--json"]) == 0
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["results"]
    assert [r["backend"] for r in results] == ["gpkg", "postgis"]
    for result in results:
        assert result["pins"] == 300 and result["write_rows_per_s"] > 0
        assert result["read_rows_per_s"] > 0 and result["map_query_s"] > 0
    # both backends return the same Litvínov pins for the map page
    assert results[0]["map_rows"] == results[1]["map_rows"] > 0
    # a database that already holds a store is refused, not overwritten
    assert main(["bench", "store", "--pins", "300", "--url", pg_url,
                 "--backends", "postgis"]) == 1
    assert "not empty" in capsys.readouterr().err
