"""``mapa bench emerging`` and ``mapa bench police-import`` at a tiny size: their JSON shape."""

from __future__ import annotations

import json

import pytest

from scripts.mapa import main


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_bench_emerging_agrees_with_pymannkendall(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "emerging", "--points", "4000", "--months", "8", "--width-km", "1.5",
                 "--height-km", "1.5", "--cell", "200", "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["identical"] is True and result["months"] == 8
    assert result["mk_s"] > 0 and result["pmk_s"] > 0 and result["ratio"] > 0
    assert sum(result["patterns"].values()) == result["cells"]


def test_bench_police_import_reports_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "police-import", "--rows", "200,300", "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["kind"] == "police-open-data"
    assert [row["rows"] for row in result["rows"]] == [200, 300]
    for row in result["rows"]:
        assert row["added"] + row["rejected"] == row["rows"] and row["added"] > 0.9 * row["rows"]
        assert row["peak_mb"] > 0
