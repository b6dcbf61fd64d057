"""A town's own street network from a hand-written OpenStreetMap extract: the walking graph
imported and stored, a patrol round along it (every segment on a way, within 1 m) with the
same length on the page, the PDF sheet and the GPX track."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import geopandas as gpd
import gpxpy
import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely

from app.features.patrol.model import metrics
from layers.ingest.batches import ImportRefused, run_import, undo_batch
from layers.patrol.gpx import plan_gpx
from layers.patrol.plans import build_plan
from layers.patrol.ranking import RankingRequest
from layers.patrol.route import StreetNetwork, plan_route
from layers.patrol.sheet import _draw_map, sheet_pdf
from layers.schema import CONTEXT_LINES, STREET_EDGES, TOWNS
from layers.store import Store

EXTRACT = Path(__file__).resolve().parents[2] / "fixtures" / "streets" / "janov.osm"
JANOV = "litvinov-1"


@pytest.fixture
def streets(demo_store_copy: Store) -> Store:
    run_import(demo_store_copy, "streets", EXTRACT, town_id="litvinov")
    return demo_store_copy


def test_the_walking_graph_is_built_once_and_stored(demo_store_copy: Store) -> None:
    result = run_import(demo_store_copy, "streets", EXTRACT, town_id="litvinov")
    edges = demo_store_copy.read(STREET_EDGES, "litvinov")
    assert len(edges) == result.added > 14  # 14 walkable ways, noded at their crossings
    assert {"D7", "Soukromá"}.isdisjoint(set(edges["name"]))  # motorway, private way
    reasons = {p.reason for p in result.report.rejected}
    assert any("motorway" in r for r in reasons) and any("closed to walkers" in r
                                                         for r in reasons)
    assert {"Albrechtická", "Nad Tratí"} <= set(edges["name"])
    metric = edges.to_crs("EPSG:5514")
    assert np.allclose(metric.length, edges["length_m"], rtol=1e-6)
    with pytest.raises(ImportRefused, match="has a street network already"):
        run_import(demo_store_copy, "streets", EXTRACT, town_id="litvinov")
    undo_batch(demo_store_copy, result.batch_id)
    assert demo_store_copy.read(STREET_EDGES, "litvinov").empty


def test_a_round_follows_the_ways_with_one_length_everywhere(streets: Store,
                                                             tmp_path: Path) -> None:
    plan = build_plan(streets, RankingRequest("litvinov", JANOV), places=6)
    route = plan.route
    assert route.method == "street_network" and "town's streets" in route.note
    ways = shapely.union_all(streets.read(STREET_EDGES, "litvinov").to_crs("EPSG:5514")
                             .geometry.to_numpy())
    line = route.line()
    coords = shapely.get_coordinates(line)
    for a, b in itertools.pairwise(coords):
        segment = shapely.LineString([a, b])
        assert segment.difference(ways.buffer(1.0)).length < 1e-6, segment
    for stop in plan.stops.geometry:  # each stop stands on a street
        assert ways.distance(stop) < 1.0
    assert line.length == pytest.approx(route.length_m, rel=1e-6)
    # the page, the PDF sheet and the GPX track give the same length
    page = dict(metrics(plan, "en"))
    shown_km = float(next(v for k, v in page.items() if "length" in k.lower()).split()[0])
    assert shown_km == pytest.approx(route.length_m / 1000, abs=0.006)
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(sheet_pdf(plan, streets.read(TOWNS, "litvinov"),
                              streets.read(CONTEXT_LINES, "litvinov"), "Litvínov", {}))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = re.search(r"(\d+\.\d\d) km po uliční síti", text)
    assert found and float(found.group(1)) == pytest.approx(route.length_m / 1000, abs=0.006)
    assert re.search(r"^\d+ k?m$", text, re.M)  # the scale bar
    names = set(streets.read(STREET_EDGES, "litvinov")["name"]) - {""}
    assert any(name in text for name in names)  # street names on the map
    figure = plt.figure()
    ax = figure.add_subplot()
    _draw_map(ax, plan, streets.read(TOWNS, "litvinov"), streets.read(CONTEXT_LINES, "litvinov"))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    plt.close(figure)
    for x, y in [*shapely.get_coordinates(line), *zip(plan.stops.geometry.x,
                                                       plan.stops.geometry.y, strict=True)]:
        assert x0 + 50 < x < x1 - 50 and y0 + 50 < y < y1 - 50  # all of it, with a margin
    gpx = gpxpy.parse(plan_gpx("Hlídka", line, plan.stops, [""] * len(plan.stops)))
    assert gpx.length_2d() == pytest.approx(route.length_m, rel=0.005)


def test_without_a_network_the_round_says_so() -> None:
    edges = gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")
    assert StreetNetwork.from_edges(edges) is None
    route = plan_route(np.array([[0.0, 0.0], [100.0, 0.0]]), None)
    assert route.method == "straight_lines"
    assert route.note == "straight lines, no street network loaded"
