"""``mapa bench fuzz`` at a tiny size, through the command line: the shape of its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.mapa import main


def test_bench_fuzz_json_shape(demo_store_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    before = demo_store_path.read_bytes()
    assert main(["bench", "fuzz", "--count", "12", "--store", str(demo_store_path),
                 "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert set(result) == {"tried", "refused", "crashed", "store_changed", "max_rss_mb",
                           "max_s"}
    assert result["tried"] == 12 and 0 < result["refused"] <= 12
    assert result["crashed"] == 0 and result["store_changed"] == 0
    assert result["max_rss_mb"] > 0 and result["max_s"] > 0
    assert "refusals by code" in out
    assert demo_store_path.read_bytes() == before  # it worked on a copy


def test_bench_fuzz_refuses_a_zero_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "fuzz", "--count", "0", "--json"]) == 1
    assert json.loads(capsys.readouterr().out.strip())["error"]["code"] == "cli.bench_count"
