"""How ``mapa`` behaves as a command line: fast help without heavy imports, JSON errors for
usage mistakes, towns named as people write them, ``-`` for standard input and output, quiet
progress when piped, and one logging configuration that redacts personal data."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from layers.logs import LEVEL_VARIABLE, configure_logging
from scripts.commands import COMMANDS, find, load
from scripts.mapa import build_parser, main

MAPA = [sys.executable, "-m", "scripts.mapa"]


def test_help_and_version_import_no_heavy_library() -> None:
    probe = ("import sys; from scripts.mapa import main\n"
             "for argv in (['--help'], ['--version']):\n"
             "    try: main(argv)\n"
             "    except SystemExit: pass\n"
             "heavy = [m for m in ('geopandas', 'pandas', 'numpy', 'streamlit', 'shapely',"
             " 'layers.store') if m in sys.modules]\n"
             "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out
    assert "build-demo" in out and "serve" in out and "mapa 0.1.0" in out


def test_the_lazy_table_names_exactly_what_the_modules_register() -> None:
    registered = build_parser(None)._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert sorted(registered) == sorted(c.name for c in COMMANDS)
    for command in COMMANDS:  # each module registers the names the table gives it
        assert find(command.name) is command and load(command).register


def test_only_the_named_command_is_registered_in_full() -> None:
    choices = build_parser(["info", "--json"])._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert any(a.dest == "store" for a in choices["info"]._actions)
    assert not any(a.dest == "store" for a in choices["patrol"]._actions)


@pytest.mark.parametrize("argv", [["info", "--json", "--bogus"], ["--json", "nosuch"],
                                  ["patrol", "--json"], ["export", "pins", "--json",
                                                          "--format", "shp"]])
def test_a_usage_error_with_json_ends_with_the_error_object(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    last = json.loads(captured.out.strip().splitlines()[-1])
    assert last["error"]["code"] == "cli.usage" and last["error"]["message"]
    assert "usage:" in captured.err


def test_a_usage_error_without_json_prints_nothing_on_stdout(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["info", "--bogus"])
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("given", ["litvinov", "Litvínov", "LITVINOV", " litvínov "])
def test_town_by_id_or_name_as_people_write_it(
        given: str, demo_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batches", "--town", given, "--store", str(demo_store_path), "--json"]) == 0
    assert main(["services", "search", "--town", given, "--store", str(demo_store_path),
                 "--json"]) == 0
    services = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert services["results"] and {r["town"] for r in services["results"]} == {"litvinov"}


def test_an_unknown_town_name_is_refused_with_its_code(
        demo_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["patrol", "--town", "Atlantida", "--store", str(demo_store_path),
                 "--json"]) == 1
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["error"]["code"] == "import.unknown_town"


def test_export_to_standard_output_and_import_from_standard_input(
        demo_store_copy: object, demo_store_path: Path, tmp_path: Path) -> None:
    store = str(demo_store_copy.location)  # type: ignore[attr-defined]
    exported = subprocess.run([*MAPA, "export", "pins", "--town", "Kraslice", "--format",
                               "geojson", "--public", "--out", "-", "--store", store],
                              capture_output=True, check=True)
    collection = json.loads(exported.stdout)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    refused = subprocess.run([*MAPA, "export", "pins", "--town", "kraslice", "--format", "csv",
                              "--public", "--out", "-", "--json", "--store", store],
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert json.loads(refused.stdout.splitlines()[-1])["error"]["code"] == "cli.stdout_json"
    services = Path("tests/fixtures/ingest/services_osm.geojson")
    imported = subprocess.run([*MAPA, "import", "services", "-", "--town", "KRASLICE",
                               "--dry-run", "--json", "--store", store],
                              input=services.read_bytes(), capture_output=True)
    assert imported.returncode == 0, imported.stderr
    result = json.loads(imported.stdout.splitlines()[-1])
    assert result["town_id"] == "kraslice" and result["rows"] > 0


def test_logging_goes_to_stderr_at_the_level_asked_and_redacts_personal_data(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(LEVEL_VARIABLE, "info")
    logger = logging.getLogger("mapa")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    configure_logging()
    configure_logging()  # idempotent: one handler
    assert len(logger.handlers) == 1
    logging.getLogger("mapa.test").info("note %s", "volejte 777 123 456 nebo jan@example.cz")
    logging.getLogger("mapa.test").debug("not shown")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "INFO mapa.test: note volejte […] nebo […]" in captured.err
    # the number is looked for after the time stamp, whose milliseconds may read 777
    assert "777" not in captured.err.split(" mapa.test: ", 1)[1]
    assert "not shown" not in captured.err
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
