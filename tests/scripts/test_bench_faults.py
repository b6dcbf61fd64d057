"""``mapa bench faults`` at CI size: one SIGKILLed import on each backend, the JSON's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_faults_kills_an_import_on_each_backend_and_counts_no_damage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.mapa", "bench", "faults", "--kills", "2",
         "--rows", "3000", "--json"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"kills", "integrity_failures", "lost", "duplicated", "leftovers"} <= set(result)
    assert result["kills"] == 2
    assert [(c["backend"], c["operation"], c["kills"]) for c in result["cases"]] == [
        ("gpkg", "import", 1), ("postgis", "import", 1)]
    assert result["integrity_failures"] == result["lost"] == result["duplicated"] \
        == result["leftovers"] == 0, [c["left_behind"] for c in result["cases"]]
    assert "after the kill" in done.stdout  # the readable table comes first


def test_bench_faults_refuses_no_kills() -> None:
    done = subprocess.run([sys.executable, "-m", "scripts.mapa", "bench", "faults",
                           "--kills", "0", "--json"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert json.loads(done.stdout.strip().splitlines()[-1])["error"]["code"] \
        == "cli.bench_faults_options"
