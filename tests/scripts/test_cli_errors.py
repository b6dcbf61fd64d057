"""The one handler of a stopped `mapa` command: a one-line reason, and with --json an error
object as the last line of stdout; exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.mapa import main


def _stopped(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, dict]:
    """Run ``argv`` with --json, expect exit 1; return stderr and the last stdout line."""
    assert main([*argv, "--json"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mapa {argv[0]}: ")
    return lines[0], json.loads(captured.out.strip().splitlines()[-1])


def test_a_domain_error_gives_its_code_and_english_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.gpkg"
    err, last = _stopped(["info", "--store", str(missing)], capsys)
    reason = f"store {missing} does not exist; build it with `mapa build-demo`"
    assert last == {"error": {"code": "store.missing", "message": reason}}
    assert err == f"mapa info: {reason}"


def test_a_command_error_of_the_cli_itself(demo_store_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    err, last = _stopped(["patrol", "--store", str(demo_store_path), "--town", "litvinov",
                          "--locality", "Atlantida"], capsys)
    assert last["error"]["code"] == "cli.no_locality"
    assert last["error"]["message"].startswith("no locality 'Atlantida' in litvinov (known: ")
    assert err.endswith(last["error"]["message"])


def test_a_refused_threshold_names_its_code(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err, last = _stopped(["export", "pins", "--town", "kraslice", "--format", "geojson",
                          "--public", "--k", "2", "--out", str(tmp_path / "p.geojson"),
                          "--store", str(demo_store_path)], capsys)
    assert last["error"]["code"].startswith("privacy.")
    assert "at least 3" in last["error"]["message"] and "at least 3" in err


def test_a_builtin_value_error_is_reported_as_invalid_input(
        demo_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err, last = _stopped(["patrol", "--store", str(demo_store_path), "--town", "litvinov",
                          "--weights", "luck=1"], capsys)
    assert last["error"]["code"] == "invalid_input"
    assert "unknown factor 'luck'" in last["error"]["message"] and "unknown factor" in err


def test_without_json_stdout_stays_empty(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--store", str(tmp_path / "none.gpkg")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "does not exist" in captured.err
