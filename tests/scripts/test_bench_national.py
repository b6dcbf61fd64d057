"""``mapa bench national`` (a tiny run against the test cluster): every municipality of the two
regions as a town, one town's page reads timed."""

from __future__ import annotations

import json

import pytest

from layers.store import open_store
from scripts.mapa import main
from tests.layers.store.sample import frames

QUERIES = ("town", "pins", "pin_cells", "offences")


def test_bench_national_times_one_towns_page_reads(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "national", "--offences", "4000", "--pins", "600", "--years", "2",
                 "--repeat", "2", "--url", pg_url, "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # every municipality of Karlovarský and Ústecký kraj; the most populous is measured
    assert result["towns"] == 488 and result["town"] == "Ústí nad Labem"
    rows = {r["read"]: r for r in result["results"]}
    assert list(rows) == [*QUERIES, "page", "offence_cells", "offences_python"]
    for row in rows.values():
        assert row["n"] == 2 and 0 < row["p50_ms"] <= row["p95_ms"]
    assert rows["town"]["rows"] == 1
    # spread by population: Ústí (about 8 % of the people) holds some of the 4,000 offences
    assert 0 < rows["offences_python"]["rows"] < 4000
    # the points the hotspots analyse are every offence of the town, as read whole
    assert rows["offences"]["rows"] == rows["offences_python"]["rows"]
    assert 0 < rows["offence_cells"]["rows"] <= rows["offences"]["rows"]
    assert 0 < rows["pins"]["rows"] < 600
    assert rows["page"]["rows"] == sum(rows[q]["rows"] for q in QUERIES)
    assert isinstance(result["page_within_target"], bool)


def test_bench_national_refuses_a_store_that_is_not_empty(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    open_store(pg_url).replace_all(frames())
    assert main(["bench", "national", "--offences", "200", "--pins", "50", "--repeat", "1",
                 "--url", pg_url, "--json"]) != 0
    error = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]
    assert error["code"] == "cli.bench_not_empty"
