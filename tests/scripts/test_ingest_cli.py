"""`mapa import localities|services|police-stats|offences|exclusion-index`, `mapa batches`
and `mapa undo` end to end through scripts.mapa.main."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from layers.store import open_store
from scripts.mapa import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    return path


def test_dry_run_then_commit_list_and_undo(store_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--town", "litvinov", "--store", str(store_path), "--json"]
    before = _digest(store_path)
    file = str(FIXTURES / "localities_5514_cp1250.zip")
    assert main(["import", "localities", file, "--dry-run", *common]) == 0
    preview = _last_json(capsys.readouterr().out)
    assert preview["dry_run"] is True and preview["added"] == 2
    assert _digest(store_path) == before

    assert main(["import", "localities", file, *common]) == 0
    out = capsys.readouterr().out
    result = _last_json(out)
    assert result["dry_run"] is False and result["layer"] == "localities"
    assert result["rejected"] == [] and result["encoding"] == "cp1250"
    assert result["crs_action"].startswith("EPSG:5514 read from the file")
    assert "text encoding: cp1250" in out

    assert main(["batches", "--store", str(store_path), "--json"]) == 0
    listed = _last_json(capsys.readouterr().out)["batches"]
    assert [b["batch_id"] for b in listed] == [result["batch_id"]]
    assert listed[0]["layers"] == {"localities": 2} and listed[0]["status"] == "committed"

    assert main(["undo", result["batch_id"], "--store", str(store_path), "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["deleted"] == {"localities": 2, "sources": 1}
    names = set(open_store(store_path).read("localities")["name"])
    assert "Luční" not in names


def test_committed_with_rejected_rows_exits_0_and_lists_them(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "police-stats", str(FIXTURES / "police_stats.csv"), "--town",
                 "litvinov", "--store", str(store_path), "--json"]) == 0
    out = capsys.readouterr().out
    result = _last_json(out)
    assert result["added"] == 3
    assert [r["where"] for r in result["rejected"]] == ["line 4", "line 6"]
    assert "more solved than found" in out  # the readable table too


@pytest.mark.parametrize(("argv", "reason"), [
    (["services", "services_address_only.csv"], "is not among the town's address points"),
    (["localities", "truncated.geojson"], "damaged or truncated"),
    (["exclusion-index", "empty.csv"], "is empty"),
    (["offences", "offences.csv", "--strict"], "nothing imported (--strict)"),
])
def test_stopped_imports_exit_1_with_one_line_and_change_nothing(
        store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        reason: str) -> None:
    before = _digest(store_path)
    kind, name, *rest = argv
    assert main(["import", kind, str(FIXTURES / name), *rest, "--town", "litvinov",
                 "--store", str(store_path)]) == 1
    err = capsys.readouterr().err
    assert reason in err and len(err.strip().splitlines()) == 1
    assert _digest(store_path) == before


def test_import_town_by_ruian_code_and_undo(store_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "town", "567027", "--town", "most", "--store", str(store_path),
                 "--json"]) == 0
    out = capsys.readouterr().out
    result = _last_json(out)
    assert result["kind"] == "town" and result["added"] == 1
    assert "population 2020: shipped ČSÚ table" in out
    assert list(open_store(store_path).read("towns", "most")["isv_2023"]) == [21.0]
    assert main(["undo", result["batch_id"], "--store", str(store_path)]) == 0
    assert main(["import", "town", "500000", "--town", "x", "--store", str(store_path)]) == 1
    assert "give its boundary" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_written_and_imported(store_path: Path, tmp_path: Path, fmt: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"sluzby.{fmt}"
    assert main(["template", "services", "--format", fmt, "--out", str(out), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["out"] == str(out) and result["columns"][:2] == ["název", "typ"]
    assert out.stat().st_size == result["bytes"]
    assert main(["import", "services", str(out), "--town", "kraslice", "--store",
                 str(store_path), "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["added"] == 1


def test_template_of_an_unknown_layer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "pins", "--json"]) == 1
    error = _last_json(capsys.readouterr().out)["error"]
    assert error["code"] == "template.unknown_kind" and "services" in error["message"]


def test_police_open_data_many_files_and_again(store_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    export = FIXTURES / "police_open_data"
    files = [str(export / name) for name in ("2023_567256.csv", "2024_567256.geojson",
                                             "2024-03_567256.csv")]
    common = ["--town", "litvinov", "--store", str(store_path), "--json"]
    assert main(["import", "police-open-data", *files, *common]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["kind"] == "police-open-data" and result["added"] == 5 + 6 + 1
    assert result["rejected"] == 5
    assert [f["added"] for f in result["files"]] == [5, 6, 1]
    assert result["files"][0]["rejected"][0] == {"where": "line 7", "reason":
                                                 "position outside the Czech Republic"}
    # the same files again: nothing new, not an error
    assert main(["import", "police-open-data", *files, *common]) == 0
    again = _last_json(capsys.readouterr().out)
    assert again["added"] == 0 and all(f["nothing_new"] for f in again["files"])
    assert len(open_store(store_path).read("police_offences")) == 12
