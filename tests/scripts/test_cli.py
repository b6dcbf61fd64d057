"""The `mapa` command line: build-demo and info, output shapes and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.mapa import main


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_info_json_shape(demo_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--store", str(demo_store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["layers"]["towns"] == 3
    assert result["layers"]["pins"] > 1000
    assert [t["name"] for t in result["towns"]] == ["Litvínov", "Kraslice", "Karlovy Vary"]
    assert result["by_town"]["localities"]["kraslice"] == 3


def test_info_on_missing_store_fails_with_reason(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--store", str(tmp_path / "none.gpkg")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("mapa info:") and "does not exist" in err and "\n" not in err


def test_build_demo_console_script(tmp_path: Path) -> None:
    """The installed console script builds a store and reports its layers as JSON."""
    exe = Path(sys.executable).with_name("mapa")
    out = subprocess.run([str(exe), "build-demo", "--store", str(tmp_path / "m.gpkg"), "--json"],
                         capture_output=True, text=True, check=True)
    result = _last_json(out.stdout)
    assert result["layers"]["localities"] == 7
    assert (tmp_path / "m.gpkg").is_file()
    assert out.stderr == ""  # piped: no progress lines nor bars


def test_build_demo_with_broken_sources_keeps_store(tmp_path: Path, demo_store_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from layers.sources.real import SOURCES_DIR
    store = tmp_path / "m.gpkg"
    shutil.copy(demo_store_path, store)
    sources = tmp_path / "src"
    shutil.copytree(SOURCES_DIR, sources)
    (sources / "social" / "isv_2023_KVK_ULK_short.csv").unlink()
    assert main(["build-demo", "--store", str(store), "--sources", str(sources)]) == 1
    err = capsys.readouterr().err
    assert "isv_2023_KVK_ULK_short.csv: file not found" in err and "untouched" in err
    assert store.read_bytes() == demo_store_path.read_bytes()
