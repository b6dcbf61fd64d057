"""``mapa bench pages``: one page, one visit, against the demo store in a real browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.mapa import main


def test_bench_pages_times_the_page_and_its_floors(
        demo_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "pages", "--pages", "map", "--repeat", "1", "--store",
                 str(demo_store_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    [row] = result["pages"]
    assert row["page"] == "map" and row["layers"] > 0
    # the static file and the bare Streamlit page draw the very map the component received:
    # as many layers
    assert row["static_layers"] == row["streamlit_layers"] == row["layers"]
    for kind in ("ours", "static", "streamlit"):
        assert row[kind]["n"] == 1
        assert row[kind]["p50_ms"] > 0 and row[kind]["p95_ms"] >= row[kind]["p50_ms"]
    assert row["ratio_p50"] == pytest.approx(row["ours"]["p50_ms"] / row["static"]["p50_ms"],
                                             abs=0.01)
    assert row["ratio_p95"] > 0
    assert row["streamlit_ratio_p50"] == pytest.approx(
        row["ours"]["p50_ms"] / row["streamlit"]["p50_ms"], abs=0.01)
    assert row["streamlit_ratio_p95"] > 0


def test_bench_pages_refuses_an_unknown_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "pages", "--pages", "map,nowhere", "--json"]) == 1
    error = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]
    assert "nowhere" in error["message"]
