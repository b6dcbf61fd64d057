"""``mapa bench load`` at smoke size: two users on one process over PostGIS (its default
backend) with the JSON's shape, a rendered time for every page and no errors; protocol
clients (no browser) on two processes; users cut off by the deadline over a GeoPackage; a
GeoPackage refuses a second process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _bench(*options: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "scripts.mapa", "bench", "load", *options,
                           "--json"], cwd=ROOT, capture_output=True, text=True, check=False)
    return done, json.loads(done.stdout.strip().splitlines()[-1])


def test_bench_load_times_each_page_for_each_user(demo_store_path: Path) -> None:
    done, result = _bench("--store", str(demo_store_path), "--backend", "postgis",
                          "--processes", "1", "--users", "2", "--ramp", "0",
                          "--seconds", "400")
    assert done.returncode == 0, done.stderr
    assert {"users", "backend", "processes", "wall_s", "client_ms", "query_ms", "pages",
            "errors", "rss_mb", "failed_users"} <= set(result)
    assert (result["backend"], result["processes"], result["users"]) == ("postgis", 1, 2)
    assert list(result["pages"]) == ["map", "hotspots", "area"]
    for name, page in result["pages"].items():
        assert page["n"] == 2, (name, result["failed_users"])
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"], name
        assert page["errors"] == 0, name
    assert result["errors"] == {"count": 0, "failed_steps": 0, "timeouts": 0,
                                "page_errors": 0}, result["failed_users"]
    assert list(result["rss_mb"]) == ["process 1"]
    assert result["rss_mb"]["process 1"] > 50  # a Streamlit process with pandas and GeoPandas
    assert result["query_ms"]  # the app process timed its data queries
    assert "Pages, from the navigation" in done.stdout  # the readable table comes first


def test_bench_load_with_protocol_clients_serves_every_page_on_each_process(
        demo_store_path: Path) -> None:
    done, result = _bench("--store", str(demo_store_path), "--client", "websocket",
                          "--processes", "2", "--users", "4", "--ramp", "0",
                          "--seconds", "300")
    assert done.returncode == 0, done.stderr
    assert (result["client"], result["backend"], result["processes"]) == ("websocket",
                                                                         "postgis", 2)
    for name, page in result["pages"].items():
        assert page["n"] == 4 and page["errors"] == 0, (name, result["failed_users"])
        assert 0 < page["p50_ms"] <= page["p95_ms"], name
    assert result["errors"]["count"] == 0, result["failed_users"]
    assert list(result["rss_mb"]) == ["process 1", "process 2"]
    # both processes served pages: each logged the data queries of its users
    assert {"process 1", "process 2"} <= set(result["query_ms"]["town_data"])
    assert "Streamlit protocol client" in done.stdout


def test_bench_load_refuses_a_geopackage_on_several_processes() -> None:
    done, result = _bench("--backend", "gpkg", "--processes", "3")
    assert done.returncode == 1
    assert result["error"]["code"] == "cli.load_gpkg_processes"


def test_bench_load_stops_at_its_deadline_and_counts_the_cut_off_users(
        demo_store_path: Path) -> None:
    done, result = _bench("--store", str(demo_store_path), "--backend", "gpkg", "--users", "3",
                          "--seconds", "1")
    assert done.returncode == 0, done.stderr
    assert result["wall_s"] < 30  # the deadline, plus starting and closing the browser
    assert result["errors"]["timeouts"] == 3  # no user had a page rendered within 1 s
    assert all(page["n"] == 0 for page in result["pages"].values())
