"""`mapa hotspots`, `mapa import offences` and `mapa bench hotspots` through scripts.mapa.main."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from layers.crs import METRIC_CRS
from layers.schema import OFFENCES, POLICE_OFFENCES
from layers.store import GeoPackageStore
from scripts.mapa import main
from tests.layers.hotspots.conftest import (
    ORIGIN,
    pins_frame,
    planted,
    planted_cube,
    police_offences_frame,
)

MakeStore = Callable[[gpd.GeoDataFrame], GeoPackageStore]


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(make_store: MakeStore) -> GeoPackageStore:
    x, y, _ = planted(np.random.default_rng(1))
    return make_store(pins_frame(x, y))


def test_hotspots_writes_a_gpkg_with_weights_metadata_that_ogrinfo_opens(
        store: GeoPackageStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fear.gpkg"
    assert main(["hotspots", "--town", "t", "--store", store.location, "--cell", "100",
                 "--out", str(out), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["classes"]["hot_99"] > 0 and result["points"] == 360
    frame = pyogrio.read_dataframe(out, layer="fear_hotspots")
    for column in ("place", "count", "kde", "gi_z", "gi_p", "gi_p_fdr", "gi_class",
                   "fear_crime"):
        assert column in frame.columns
    assert frame.crs.to_epsg() == 4326 and len(frame) == result["cells"]
    assert frame["count"].sum() == 360
    meta = pyogrio.read_info(out, layer="fear_hotspots")["layer_metadata"]
    assert meta["weights"].startswith("hexagon contiguity, 1 ring(s)")
    assert meta["cell_m"] == "100" and "kde_bandwidth_m" in meta
    ogrinfo = shutil.which("ogrinfo")
    assert ogrinfo is not None, "gdal-bin (ogrinfo) must be installed"
    info = subprocess.run([ogrinfo, "-so", "-al", str(out)], capture_output=True, text=True,
                          check=True)
    assert "Layer name: fear_hotspots" in info.stdout
    assert "weights=hexagon contiguity" in info.stdout


@pytest.mark.parametrize("generated", [True, False])
def test_cells_of_generated_answers_are_marked_illustrative(
        make_store: MakeStore, tmp_path: Path, generated: bool) -> None:
    """Cells computed from generated answers say so in a column and in the layer's metadata;
    cells of real answers carry neither mark."""
    x, y, _ = planted(np.random.default_rng(2))
    store = make_store(pins_frame(x, y, synthetic=generated))
    out = tmp_path / "fear.gpkg"
    assert main(["hotspots", "--town", "t", "--store", store.location, "--cell", "100",
                 "--out", str(out)]) == 0
    frame = pyogrio.read_dataframe(out, layer="fear_hotspots")
    assert len(frame) and frame["illustrative"].astype(bool).eq(generated).all()
    meta = pyogrio.read_info(out, layer="fear_hotspots")["layer_metadata"]
    assert ("ilustrativní data" in meta.get("illustrative", "")) == generated


def test_normal_p_method_is_recorded_and_finds_at_least_as_many_hot_cells(
        store: GeoPackageStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hot = {}
    for method in ("exact", "normal"):
        out = tmp_path / f"{method}.gpkg"
        assert main(["hotspots", "--town", "t", "--store", store.location, "--out", str(out),
                     "--p-method", method, "--json"]) == 0
        classes = _last_json(capsys.readouterr().out)["classes"]
        hot[method] = sum(v for k, v in classes.items() if k.startswith("hot_"))
        meta = pyogrio.read_info(out, layer="fear_hotspots")["layer_metadata"]
        assert ("exact randomisation" in meta["p_values"]) == (method == "exact")
    assert hot["normal"] >= hot["exact"] > 0


def test_public_output_hides_the_bandwidth(store: GeoPackageStore, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "public.gpkg"
    assert main(["hotspots", "--town", "t", "--store", store.location, "--out", str(out),
                 "--public", "--json"]) == 0
    assert _last_json(capsys.readouterr().out)["bandwidth_m"] is None
    assert "kde_bandwidth_m" not in pyogrio.read_info(out, layer="fear_hotspots")[
        "layer_metadata"]


def test_hotspots_bad_input_is_one_line_and_no_output(
        store: GeoPackageStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "none.gpkg"
    assert main(["hotspots", "--town", "t", "--store", store.location, "--category", "dogs",
                 "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "mapa hotspots: no approved pins match the selection"
    assert not out.exists()
    assert main(["hotspots", "--town", "t", "--store", store.location, "--cell", "20",
                 "--out", str(out)]) == 1
    assert "between 50 and 500" in capsys.readouterr().err


def _offences_csv(path: Path, rows: int, bad: bool = False) -> Path:
    rng = np.random.default_rng(0)
    lines = ["date,type,x,y"]
    for i in range(rows):
        lines.append(f"2024-0{1 + i % 9}-15,theft,{ORIGIN[0] + 1_000 + rng.normal(0, 100)},"
                     f"{ORIGIN[1] + 2_000 + rng.normal(0, 100)}")
    if bad:
        lines.append("2024-01-01,theft,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_offences_then_crime_hotspots(store: GeoPackageStore, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    csv = _offences_csv(tmp_path / "o.csv", 80, bad=True)
    assert main(["import", "offences", str(csv), "--town", "t", "--store", store.location,
                 "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["added"] == 80
    assert result["rejected"] == [{"where": "line 82",
                                   "reason": "empty geometry or missing coordinates"}]
    assert len(store.read(OFFENCES, "t")) == 80
    # importing the same file again is refused and adds nothing (one batch per file)
    assert main(["import", "offences", str(csv), "--town", "t", "--store", store.location,
                 "--json"]) == 1
    assert "already imported" in capsys.readouterr().err
    assert len(store.read(OFFENCES)) == 80
    out = tmp_path / "crime.gpkg"
    assert main(["hotspots", "--town", "t", "--layer", "crime", "--store", store.location,
                 "--out", str(out), "--json"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert result["source"] == "offences" and result["points"] == 80
    assert result["classes"].get("hot_99", 0) > 0
    frame = pyogrio.read_dataframe(out, layer="crime_hotspots")
    # offences cluster at (1 km, 2 km), fear pins at (2 km, 1 km): two different problems
    assert {"hidden_risk", "design_communication"} <= set(frame["fear_crime"])
    meta = pyogrio.read_info(out, layer="crime_hotspots")["layer_metadata"]
    assert float(meta["agreement_jaccard"]) < 0.5 and float(meta["lee_l"]) < 0.2


def test_failed_import_leaves_the_store_byte_identical(store: GeoPackageStore, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(store.location)
    before = _digest(path)
    csv = _offences_csv(tmp_path / "o.csv", 10, bad=True)
    assert main(["import", "offences", str(csv), "--town", "t", "--store", store.location,
                 "--strict"]) == 1
    assert "nothing imported (--strict)" in capsys.readouterr().err
    assert _digest(path) == before

    def broken_write(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("layers.store.geopackage.pyogrio.write_dataframe", broken_write)
    assert main(["import", "offences", str(csv), "--town", "t", "--store", store.location]) == 1
    assert "disk full" in capsys.readouterr().err
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


def test_import_rejects_unknown_town_and_all_bad_rows(store: GeoPackageStore, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    csv = _offences_csv(tmp_path / "o.csv", 3)
    assert main(["import", "offences", str(csv), "--town", "x", "--store", store.location]) == 1
    assert "unknown town 'x'" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("date,type,x,y\nnope,theft,1,1\n", encoding="utf-8")
    assert main(["import", "offences", str(bad), "--town", "t", "--store", store.location]) == 1
    # (1, 1) fits no CRS of Czech data: the file is refused as a whole
    assert "not in Czechia" in capsys.readouterr().err


def test_bench_hotspots_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "hotspots", "--points", "3000", "--permutations", "9",
                 "--width-km", "2", "--height-km", "2", "--json"]) == 0
    rows = _last_json(capsys.readouterr().out)["rows"]
    assert [r["points"] for r in rows] == [3000]
    row = rows[0]
    for key in ("gi_s", "esda_perm_s", "max_abs_z_diff", "kde_s", "scipy_kde_s", "peak_mb"):
        assert row[key] >= 0
    assert row["max_abs_z_diff"] < 1e-9
    assert row["scipy_extrapolated"] is False


def test_emerging_hotspots_of_police_offences(make_store: MakeStore, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    x, y, _ = planted(np.random.default_rng(1))
    store = make_store(pins_frame(x, y))
    cube = planted_cube(np.random.default_rng(3))
    n = len(cube.x)
    offences = police_offences_frame(
        cube.x, cube.y, [f"{2022 + m // 12}-{m % 12 + 1:02d}-15" for m in cube.month],
        np.arange(n) % 10 != 0)
    store.append_batch([(POLICE_OFFENCES, offences)])
    out = tmp_path / "emerging.gpkg"
    common = ["--town", "t", "--store", store.location, "--json", "--layer", "offences"]
    assert main(["hotspots", *common, "--emerging", "--period", "month", "--cell", "200",
                 "--out", str(out)]) == 0
    result = _last_json(capsys.readouterr().out)
    assert (result["steps"], result["first"], result["last"]) == (24, "2022-01", "2023-12")
    assert result["offences"] == n and result["approximate"] == len(range(0, n, 10))
    assert result["patterns"]["new_hot"] >= 1 and result["patterns"]["diminishing_hot"] >= 1
    assert sum(result["patterns"].values()) == result["cells"]
    cells = pyogrio.read_dataframe(out, layer="offences_emerging")
    assert set(cells.columns) >= {"place", "pattern", "pattern_cs", "trend_z", "geometry"}
    assert "cell_id" not in cells.columns
    new = cells.iloc[cells.geometry.to_crs(METRIC_CRS).distance(
        shapely.Point(cube.new_at)).argmin()]
    assert (new["pattern"], new["pattern_cs"]) == ("new_hot", "Nové ohnisko")
    # by year the 2 steps are too few: refused with a reason, exit 1
    assert main(["hotspots", *common, "--emerging", "--period", "year"]) == 1
    error = _last_json(capsys.readouterr().out)["error"]
    assert error["code"] == "emerging.too_few_steps"
    assert main(["hotspots", *common, "--out", str(out)]) == 1
    assert _last_json(capsys.readouterr().out)["error"]["code"] == "cli.emerging_layer"
    # fear pins across mapping rounds: the store's pins are all of one day, one round
    assert main(["hotspots", "--town", "t", "--store", store.location, "--json", "--layer",
                 "fear", "--emerging"]) == 1
    error = _last_json(capsys.readouterr().out)["error"]
    assert (error["code"], "1" in error["message"]) == ("emerging.too_few_steps", True)


def test_hot_cells_are_named_with_their_nearest_stop_and_carry_no_cell_id(
        demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fear.gpkg"
    assert main(["hotspots", "--town", "litvinov", "--store", str(demo_store_path), "--public",
                 "--out", str(out), "--json"]) == 0
    frame = pyogrio.read_dataframe(out, layer="fear_hotspots")
    assert not {"cell_id", "q", "r"} & set(frame.columns)
    stops = pyogrio.read_dataframe(demo_store_path, layer="transit_stops",
                                   where="town_id = 'litvinov'").to_crs(METRIC_CRS)
    hot = frame[frame["gi_class"].str.startswith("hot")].to_crs(METRIC_CRS)
    assert len(hot) > 0 and (hot["place"] != "").all()
    for _, cell in hot.head(10).iterrows():  # the stop and its distance, measured anew
        distances = stops.distance(cell.geometry.centroid)
        assert cell["nearest_stop"] == stops["name"].iloc[int(distances.argmin())]
        assert cell["stop_m"] == pytest.approx(distances.min(), abs=0.1)
