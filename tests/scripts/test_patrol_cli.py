"""`mapa patrol`, `mapa accessibility` and `mapa bench patrol` through scripts.mapa.main."""

from __future__ import annotations

import getpass
import json
import shutil
import subprocess
from pathlib import Path

import gpxpy
import pandas as pd
import pyogrio
import pytest

from layers.access.audit import read_log
from layers.patrol.plans import ILLUSTRATIVE_NOTE, load_plans
from layers.schema import LOCALITIES, PINS, SERVICES
from layers.store import open_store
from layers.urban.export import ILLUSTRATIVE_NOTE as URBAN_NOTE
from scripts.mapa import main


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_patrol_writes_gpx_sheet_and_saves_the_plan(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, store)
    gpx, sheet, gpkg = tmp_path / "p.gpx", tmp_path / "p.pdf", tmp_path / "p.gpkg"
    assert main(["patrol", "--store", str(store), "--town", "litvinov", "--locality", "Janov",
                 "--places", "5", "--weights", "fear=2", "--gpx", str(gpx), "--sheet",
                 str(sheet), "--gpkg", str(gpkg), "--save", "Večer Janov", "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["locality_id"] == "litvinov-1" and len(result["stops"]) == 5
    assert result["weights"] == {"fear": 2.0, "crime": 1.0, "time": 1.0, "stop": 0.0}
    assert all(s["stop_m"] is not None and s["stop_m"] >= 0 for s in result["stops"])
    assert result["method"] in ("street_network", "straight_lines") and result["method_note"]
    assert result["walk_min"] == pytest.approx(result["length_m"] / (4000 / 60), abs=0.1)
    parsed = gpxpy.parse(gpx.read_text(encoding="utf-8"))
    assert [str(w.name).split(".")[0] for w in parsed.waypoints] == ["1", "2", "3", "4", "5"]
    # the track is the tour: its geodesic length is the EPSG:5514 one within scale error
    assert parsed.length_2d() == pytest.approx(result["length_m"], rel=0.02)
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Plán hlídky – Litvínov" in text
    info = subprocess.run(["ogrinfo", "-so", str(gpkg)], capture_output=True, text=True,
                          check=True).stdout
    assert "patrol_stops (Point)" in info and "patrol_route (Line String)" in info
    # no hexagon id in any file a patrol takes: places are named by street
    cell_ids = [s["place_id"] for s in result["stops"]]
    exported = [pyogrio.read_dataframe(gpkg, layer=name).drop(columns="geometry")
                for name, _ in pyogrio.list_layers(gpkg)]
    stops_layer = pyogrio.read_dataframe(gpkg, layer="patrol_stops")
    assert list(stops_layer["place_name"]) == [s["place_name"] for s in result["stops"]]
    files = [gpx.read_text(encoding="utf-8"), text,
             *(frame.astype(str).to_csv() for frame in exported)]
    assert not any(cell in content for cell in cell_ids for content in files)
    plans = load_plans(open_store(store), "litvinov")
    assert list(plans["plan_id"]) == [result["plan_id"]] and plans["who_role"].item() == "admin"
    log = read_log(open_store(store))
    assert log[["username", "action", "object_ids"]].values.tolist() == [
        [f"cli:{getpass.getuser()}", "save_patrol_plan", f'["{result["plan_id"]}"]']]


def test_patrol_refuses_an_unknown_locality(demo_store_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["patrol", "--store", str(demo_store_path), "--town", "litvinov",
                 "--locality", "Atlantida"]) == 1
    assert "no locality 'Atlantida'" in capsys.readouterr().err


def test_accessibility_reports_white_spots_and_writes_a_gpkg(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.gpkg"
    assert main(["accessibility", "--store", str(demo_store_path), "--town", "kraslice",
                 "--distance", "300", "--out", str(out), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    localities = [r for r in result["rows"] if r["origin_kind"] == "locality"]
    assert len(localities) == 3
    assert result["white_spots"] == sum(1 for r in result["rows"] if r["white"])
    info = subprocess.run(["ogrinfo", "-so", str(out)], capture_output=True, text=True,
                          check=True).stdout
    assert "access_localities (Multi Polygon)" in info and "access_cells (Point)" in info


def test_bench_patrol_reports_times(demo_store_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "patrol", "--store", str(demo_store_path), "--places", "20",
                 "--cells", "500", "--services", "50", "--repeat", "1", "--json"]) == 0
    row = _last_json(capsys.readouterr().out)
    assert row["places"] == 20 and row["max_abs_diff_m"] < 1e-6
    assert row["rank_s"] > 0 and row["access_s"] > 0 and row["network_method"]


def _as_real(store_path: Path, town: str = "litvinov") -> None:
    """Mark ``town``'s pins, localities and services real (synthetic = False), as a town with
    its own data would have them."""
    store = open_store(store_path)
    for layer, key in ((PINS, "pin_id"), (LOCALITIES, "locality_id"),
                       (SERVICES, "service_id")):
        rows = store.read(layer, town)
        store.update_rows(layer, key, pd.DataFrame({key: rows[key], "synthetic": False}))


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "real"])
def test_patrol_outputs_mark_illustrative_data_only_when_generated(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        generated: bool) -> None:
    store = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, store)
    if not generated:
        _as_real(store)
    gpx, pdf, html, gpkg = (tmp_path / f"p.{ext}" for ext in ("gpx", "pdf", "html", "gpkg"))
    common = ["patrol", "--store", str(store), "--town", "litvinov", "--locality", "Janov",
              "--places", "4", "--gpx", str(gpx), "--gpkg", str(gpkg), "--json"]
    assert main([*common, "--sheet", str(pdf)]) == 0
    result = _last_json(capsys.readouterr().out)
    assert main([*common, "--sheet", str(html)]) == 0
    capsys.readouterr()
    assert result["illustrative"] is generated
    parsed = gpxpy.parse(gpx.read_text(encoding="utf-8"))
    assert len(parsed.waypoints) == 4
    assert (parsed.description == ILLUSTRATIVE_NOTE) is generated
    assert all((ILLUSTRATIVE_NOTE in str(w.description)) is generated
               for w in parsed.waypoints)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert ("Ilustrativní data:" in text) is generated
    page = html.read_text(encoding="utf-8")
    assert ("Ilustrativní data:" in page) is generated
    # the line stands at the top: before the summary and the table
    assert not generated or page.index("Ilustrativní data:") < page.index("<ul>")
    for layer in ("patrol_stops", "patrol_route"):
        frame = pyogrio.read_dataframe(gpkg, layer=layer)
        assert frame["illustrative"].astype(bool).tolist() == [generated] * len(frame)
        meta = pyogrio.read_info(gpkg, layer=layer)["layer_metadata"] or {}
        assert (meta.get("illustrative") == ILLUSTRATIVE_NOTE) is generated


@pytest.mark.parametrize("generated", [True, False], ids=["generated", "real"])
def test_accessibility_gpkg_marks_illustrative_data_only_when_generated(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        generated: bool) -> None:
    store, out = tmp_path / "s.gpkg", tmp_path / "a.gpkg"
    shutil.copy(demo_store_path, store)
    if not generated:
        _as_real(store, "kraslice")
    assert main(["accessibility", "--store", str(store), "--town", "kraslice",
                 "--out", str(out), "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["illustrative"] is generated
    for layer in ("access_localities", "access_cells", "services"):
        frame = pyogrio.read_dataframe(out, layer=layer)
        assert len(frame) and frame["illustrative"].astype(bool).tolist() == [generated] * len(
            frame)
        meta = pyogrio.read_info(out, layer=layer)["layer_metadata"] or {}
        assert (meta.get("illustrative") == URBAN_NOTE) is generated
