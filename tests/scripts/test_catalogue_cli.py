"""`mapa services search`, `mapa import services-register` and `mapa bench catalogue` through
scripts.mapa.main: the shapes of their --json output and their refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scripts.mapa import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    return path


def test_search_json_has_the_results_shape(store_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", "search", "nizkoprahove", "--town", "litvinov", "--store",
                 str(store_path), "--json"]) == 0
    results = _last_json(capsys.readouterr().out)["results"]
    assert {r["id"] for r in results} == {"litvinov-s08", "litvinov-c01"}
    assert {"id", "name", "type", "target_groups", "town", "distance_m"} <= set(results[0])
    assert main(["services", "search", "--town", "litvinov", "--target-group",
                 "children_youth", "--near", "13.6275,50.6068", "--distance", "300",
                 "--store", str(store_path), "--json"]) == 0
    near = _last_json(capsys.readouterr().out)["results"]
    assert near[0]["id"] == "litvinov-s08" and near[0]["distance_m"] == 0
    assert all(r["distance_m"] <= 300 for r in near)
    assert [r["distance_m"] for r in near] == sorted(r["distance_m"] for r in near)


@pytest.mark.parametrize("args,code", [(["--distance", "500"], "catalogue.distance"),
                                       (["--near", "north"], "catalogue.near")])
def test_search_refusals_are_one_json_error(store_path: Path, args: list[str], code: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", "search", "--store", str(store_path), "--json", *args]) == 1
    assert _last_json(capsys.readouterr().out)["error"]["code"] == code


def test_register_import_then_update(store_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--region", "CZ042", "--store", str(store_path), "--json"]
    assert main(["import", "services-register", str(FIXTURES / "rpss_2025-01.json"),
                 *common]) == 0
    first = _last_json(capsys.readouterr().out)
    assert len(first["added"]) == 4 and len(first["without_position"]) == 4
    assert main(["import", "services-register", str(FIXTURES / "rpss_2025-02.json"),
                 *common]) == 0
    second = _last_json(capsys.readouterr().out)
    assert second["added"] == ["rpss-7777777"] and second["withdrawn"] == ["rpss-3333333"]
    assert list(second["updated"]) == ["rpss-1111111"]
    assert main(["import", "services-register", str(FIXTURES / "rpss_2025-02.json"),
                 "--region", "XX", "--store", str(store_path), "--json"]) == 1
    assert _last_json(capsys.readouterr().out)["error"]["code"] == "register.region"


def test_bench_catalogue_reports_percentiles(store_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "catalogue", "--services", "300", "--queries", "14", "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["services"] == 300 and result["search"]["n"] == 14
    assert {"p50_ms", "p95_ms"} <= set(result["search"])
    assert set(result["by_query"]) >= {"keyword", "town+target+near"}
