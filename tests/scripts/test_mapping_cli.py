"""`mapa import feeling-map`, `mapa export pins` and `mapa session-map` end to end."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from layers.schema import PINS, TOWNS
from layers.store import open_store
from scripts.mapa import main

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "pocitova_mapa_sample.csv"


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    return path


def test_import_sample(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = open_store(store_path).counts()["pins"]
    assert main(["import", "feeling-map", str(SAMPLE), "--town", "litvinov", "--store",
                 str(store_path), "--json"]) == 0
    captured = capsys.readouterr()
    result = _last_json(captured.out)
    reasons = {r["line"]: r["reason"] for r in result["rejected"]}
    assert reasons[41] == "missing coordinates"
    assert reasons[42].startswith("unknown category")
    assert reasons[39] == reasons[40] == "outside the town boundary"
    assert result["repaired"] == [{"line": 43,
                                   "reason": "swapped X/Y (longitude/latitude) corrected"}]
    assert result["screened_comments"] == 3
    assert open_store(store_path).counts()["pins"] == before + result["imported"]
    assert "rows read" in captured.err  # progress
    # the same file again: refused, store unchanged
    digest = hashlib.sha256(store_path.read_bytes()).hexdigest()
    assert main(["import", "feeling-map", str(SAMPLE), "--town", "litvinov", "--store",
                 str(store_path)]) == 1
    assert "already imported" in capsys.readouterr().err
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == digest


def test_aborted_import_leaves_store_unchanged(store_path: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    digest = hashlib.sha256(store_path.read_bytes()).hexdigest()
    broken = tmp_path / "broken.csv"
    lines = SAMPLE.read_text("utf-8-sig").splitlines()
    broken.write_bytes(("\n".join(lines[:20]) + "\n").encode("utf-8") + b"\xff\xfe,\x00bad\n")
    assert main(["import", "feeling-map", str(broken), "--town", "litvinov", "--store",
                 str(store_path), "--chunk-rows", "5"]) == 1
    assert "broken.csv" in capsys.readouterr().err
    unusable = tmp_path / "unusable.csv"
    unusable.write_text(lines[0] + "\n" + lines[-3] + "\n", encoding="utf-8")
    assert main(["import", "feeling-map", str(unusable), "--town", "litvinov", "--store",
                 str(store_path)]) == 1
    assert "none of the 1 rows" in capsys.readouterr().err
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == digest


def test_import_for_a_town_not_in_the_store(store_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    boundary = tmp_path / "most.geojson"
    open_store(store_path).read("towns", "litvinov").to_file(boundary, driver="GeoJSON")
    assert main(["import", "feeling-map", str(SAMPLE), "--town", "most", "--store",
                 str(store_path)]) == 1
    assert "--boundary" in capsys.readouterr().err
    assert main(["import", "feeling-map", str(SAMPLE), "--town", "most", "--boundary",
                 str(boundary), "--store", str(store_path), "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["imported"] == 37
    store = open_store(store_path)
    assert len(store.read(TOWNS, "most")) == 1
    assert len(store.read(PINS, "most")) == 37


def test_export_and_session_map(store_path: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pins.geojson"
    assert main(["export", "pins", "--town", "kraslice", "--format", "geojson", "--public",
                 "--out", str(out), "--store", str(store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["pins"] > 0 and out.is_file()
    assert main(["export", "pins", "--town", "kraslice", "--format", "geojson", "--public",
                 "--k", "2", "--out", str(out), "--store", str(store_path)]) == 1
    assert "at least 3" in capsys.readouterr().err
    pdf = tmp_path / "map.pdf"
    assert main(["session-map", "--session", "kraslice-deti-nzdm", "--paper", "A3", "--out",
                 str(pdf), "--store", str(store_path)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg", "kml", "fgb"])
def test_own_export_imports_back(store_path: Path, tmp_path: Path, fmt: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An internal export of one session imports into another store as pending pins."""
    out = tmp_path / f"session.{fmt}"
    assert main(["export", "pins", "--town", "kraslice", "--session", "kraslice-deti-nzdm",
                 "--format", fmt, "--out", str(out), "--store", str(store_path)]) == 0
    exported = open_store(store_path).read("pins", "kraslice")
    exported = exported[exported["session_id"] == "kraslice-deti-nzdm"]
    capsys.readouterr()
    assert main(["import", "feeling-map", str(out), "--town", "kraslice", "--store",
                 str(store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["imported"] == len(exported) and result["rejected"] == []
    pins = open_store(store_path).read("pins", "kraslice")
    back = pins[pins["session_id"] == result["session_id"]]
    assert set(back["status"]) == {"pending"}
    if fmt != "csv":  # the CSV for Excel carries no internal ids
        assert sorted(back["source_value"]) == sorted(exported["pin_id"])
    assert sorted(back["category"]) == sorted(exported["category"])
    assert sorted(back["feeling"]) == sorted(exported["feeling"])


def test_public_export_cells_are_not_imported_as_pins(store_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    out = tmp_path / "public.csv"
    assert main(["export", "pins", "--town", "litvinov", "--format", "csv", "--public",
                 "--out", str(out), "--store", str(store_path), "--json"]) == 0
    cells = _last_json(capsys.readouterr().out)["cells"]
    assert cells > 0
    assert main(["import", "feeling-map", str(out), "--town", "litvinov", "--store",
                 str(store_path), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    reasons = [r["reason"] for r in result["rejected"]]
    assert reasons.count("an aggregated cell of a public export, not a pin") == cells
