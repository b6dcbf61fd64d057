"""Fuzzing the importers, CI-sized: the broken-file corpus through every importer of the
command line, and Hypothesis-made CSV and GeoJSON files with hostile values through the
import functions. Whatever comes in, the answer is a result or one coded refusal (never
another exception, never a traceback) and a refused file leaves the store byte-identical.
The long run is ``mapa bench fuzz``."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.errors import MapaError
from layers.ingest.batches import run_import
from layers.mapping.feeling_map_import import import_feeling_map
from layers.store import Store, open_store
from scripts.mapa import main
from tests.layers.ingest.conftest import FIXTURES, digest

BROKEN = FIXTURES / "broken"
IMPORTERS = ("localities", "services", "police-stats", "offences", "exclusion-index",
             "feeling-map")
#: Codes that mean "a builtin error nobody gave a code": a refusal must have its own.
UNCODED = ("invalid_input", "os_error")
INSIDE = (13.61, 50.60)
FUZZ = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _corpus(tmp: Path) -> list[Path]:
    folder, missing = tmp / "a folder.csv", tmp / "missing.geojson"
    folder.mkdir()
    return [*sorted(BROKEN.iterdir()), folder, missing]


@pytest.fixture
def store_file(tmp_path: Path, demo_store_path: Path) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    return path


def test_every_importer_answers_every_broken_file_with_one_line(
        store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_file)
    for file in _corpus(tmp_path):
        for importer in IMPORTERS:
            before = digest(store)
            status = main(["import", importer, str(file), "--town", "litvinov", "--store",
                           str(store_file), "--json"])
            out, err = capsys.readouterr()
            answer = json.loads(out.strip().splitlines()[-1])
            where = f"{importer} {file.name}"
            if status == 0:  # a file that is bad only in places: its good rows went in
                assert "error" not in answer and err == "", where
                continue
            assert status == 1 and answer["error"]["code"] not in UNCODED, (where, answer)
            assert err.count("\n") == 1 and err.startswith("mapa import: "), (where, err)
            assert "Traceback" not in err and digest(store) == before, where


def _refused_or_done(store: Store, run: object) -> None:
    """Call ``run``; a refusal must be coded and leave the store as it was."""
    before = digest(store)
    try:
        run()  # type: ignore[operator]
    except MapaError as exc:
        assert exc.code not in UNCODED, exc
        assert digest(store) == before, f"refused ({exc.code}) but the store changed"


HOSTILE = st.one_of(st.text(max_size=40), st.sampled_from([
    "NaN", "inf", "-inf", "1e308", "=1+1", "@SUM(A1)", "+420 777 123 456", '"', '""', ",",
    ";", "\n", "\r\n", "\x00", "\ufeff", "\u202e", "<script>alert(1)</script>",
    "x" * 10_001]))
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                   st.floats(-0.05, 0.05).map(lambda d: f"{INSIDE[0] + d:.5f}"), HOSTILE)


def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@FUZZ
@given(rows=st.lists(st.tuples(HOSTILE, st.sampled_from(["police", "nzdm", "?"]), NUMBER,
                               NUMBER), max_size=6),
       kind=st.sampled_from(["services", "offences"]))
def test_hostile_csv_rows(store_file: Path, tmp_path_factory: pytest.TempPathFactory,
                          rows: list[tuple[str, ...]], kind: str) -> None:
    path = tmp_path_factory.mktemp("csv") / f"{kind}.csv"
    path.write_text("name,type,lon,lat\n" + "".join(
        ",".join(_cell(v) for v in row) + "\n" for row in rows), encoding="utf-8")
    store = open_store(store_file)
    _refused_or_done(store, lambda: run_import(store, kind, path, town_id="litvinov"))


@FUZZ
@given(rows=st.lists(st.tuples(HOSTILE, NUMBER, NUMBER, HOSTILE), max_size=6))
def test_hostile_feeling_map_rows(store_file: Path, tmp_path_factory: pytest.TempPathFactory,
                                  rows: list[tuple[str, ...]]) -> None:
    path = tmp_path_factory.mktemp("fm") / "pocitova_mapa.csv"
    path.write_text("ID respondenta,Pocit,X,Y,Komentář\n" + "".join(
        f'{_cell(who)},"Místo, kde se necítím dobře",{_cell(x)},{_cell(y)},{_cell(note)}\n'
        for who, x, y, note in rows), encoding="utf-8")
    store = open_store(store_file)
    _refused_or_done(store, lambda: import_feeling_map(store, path, town_id="litvinov"))


COORDINATE = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.floats(-0.01, 0.01))


@FUZZ
@given(rings=st.lists(st.lists(st.tuples(COORDINATE, COORDINATE), max_size=8), max_size=4),
       name=HOSTILE, population=st.one_of(st.integers(), HOSTILE))
def test_hostile_geojson_polygons(store_file: Path, tmp_path_factory: pytest.TempPathFactory,
                                  rings: list[list[tuple[float, float]]], name: str,
                                  population: int | str) -> None:
    def point(x: float, y: float) -> list[float]:
        near = [INSIDE[0] + x, INSIDE[1] + y]
        return near if math.isfinite(x) and abs(x) < 1 else [x, y]

    features = [{"type": "Feature", "properties": {"name": name, "population_est": population},
                 "geometry": {"type": "Polygon",
                              "coordinates": [[point(x, y) for x, y in (*ring, *ring[:1])]]}}
                for ring in rings]
    path = tmp_path_factory.mktemp("geojson") / "lokality.geojson"
    # json writes NaN and Infinity as bare tokens, as a careless exporter does
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    store = open_store(store_file)
    _refused_or_done(store, lambda: run_import(store, "localities", path, town_id="litvinov"))
