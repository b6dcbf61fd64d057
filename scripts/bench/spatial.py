"""``mapa bench spatial``: the store's spatial reads against the whole layer read into Python.

A store of each backend (GeoPackage file; PostGIS database) gets ``--pins`` pins in the demo's
three towns (half in Litvínov; as ``mapa bench store``), 60 services and 4 localities per
town. For Litvínov, each query runs ``--repeat`` times both ways:

* ``cells`` — the public cells of sensitive pins (k = 3, 200 m): ``public_pin_view`` of the
  town's pins read whole (``python``) vs ``public_pin_cells`` (``store``: ``cell_counts``);
* ``viewport`` — the pins in a 1 km box: the town's pins filtered in pandas vs
  ``read_intersecting`` with the box;
* ``area`` — the pins inside a locality's polygon: as ``viewport`` with the polygon;
* ``nearest`` — every pin's distance to its nearest NZDM: the town's pins and services read and
  projected, a shapely STRtree search vs ``nearest_distances`` (KNN on PostGIS).

Both ways must give the same number of rows (``rows``): the bench refuses a disagreement.
Without ``--url`` the PostGIS side runs in a throwaway local cluster; with ``--url`` the
database must be empty: the bench fills it.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.access.guarded import PUBLIC_CELL_M
from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric
from layers.privacy import public_pin_cells, public_pin_view
from layers.schema import LOCALITIES, PINS, SERVICE_TYPES, SERVICES
from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.spatial import nearest
from layers.vocabulary import PUBLIC_K
from scripts.bench.harness import percentiles_ms, report, timed
from scripts.bench.store import MAP_TOWN, TOWNS, generate_pins
from scripts.commands.common import CommandError, subcommand

DEFAULT_PINS: Final = 20_000
SERVICES_PER_TOWN: Final = 60
#: Half the side of the viewport box and of a locality, metres.
VIEW_HALF_M: Final = 500.0
LOCALITY_HALF_M: Final = 400.0
#: Services the ``nearest`` query measures to.
NEAREST_TYPES: Final = ["nzdm"]
QUERIES: Final = ("cells", "viewport", "area", "nearest")


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "spatial",
                        "spatial reads of the store vs the whole layer in Python", run)
    parser.add_argument("--pins", type=int, default=DEFAULT_PINS,
                        help="pins to store (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=15,
                        help="runs of each query and path (default %(default)s)")
    parser.add_argument("--url", default=None,
                        help="an EMPTY PostGIS database to use (default: a throwaway cluster)")
    parser.add_argument("--backends", default="gpkg,postgis",
                        help="comma-separated backends (default %(default)s)")


def _centre(town: str) -> shapely.Point:
    lon, lat, _ = TOWNS[town]
    return gpd.GeoSeries([shapely.Point(lon, lat)], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]


def _squares(centres: np.ndarray, half: float) -> gpd.GeoSeries:
    """Squares of side ``2·half`` metres around EPSG:5514 ``centres`` (n × 2), EPSG:4326."""
    boxes = shapely.box(centres[:, 0] - half, centres[:, 1] - half, centres[:, 0] + half,
                        centres[:, 1] + half)
    return gpd.GeoSeries(boxes, crs=METRIC_CRS).to_crs(STORAGE_CRS)


def town_layers(seed: int = 11) -> dict[str, gpd.GeoDataFrame]:
    """Services and localities of the bench's towns around their centres, EPSG:4326."""
    rng = np.random.default_rng(seed)
    services, localities = [], []
    for town in TOWNS:
        centre = _centre(town)
        points = gpd.GeoSeries(gpd.points_from_xy(
            centre.x + rng.normal(0, 600, SERVICES_PER_TOWN),
            centre.y + rng.normal(0, 600, SERVICES_PER_TOWN)), crs=METRIC_CRS)
        services.append(gpd.GeoDataFrame({
            "service_id": [f"{town}-bench-s{i}" for i in range(SERVICES_PER_TOWN)],
            "town_id": town, "name": "Služba", "service_type": rng.choice(
                sorted(SERVICE_TYPES), SERVICES_PER_TOWN), "synthetic": True},
            geometry=points.to_crs(STORAGE_CRS).to_numpy(), crs=STORAGE_CRS))
        offsets = np.array([[-500.0, -300.0], [400.0, 200.0], [0.0, 600.0], [-700.0, 500.0]])
        squares = _squares(np.array([centre.x, centre.y]) + offsets, LOCALITY_HALF_M)
        localities.append(gpd.GeoDataFrame({
            "locality_id": [f"{town}-bench-l{i}" for i in range(len(offsets))],
            "town_id": town, "name": "Lokalita", "synthetic": True},
            geometry=shapely.multipolygons(np.asarray(squares)[:, np.newaxis]),
            crs=STORAGE_CRS))
    return {"services": _concat(services), "localities": _concat(localities)}


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def queries(store: Store, town: str) -> dict[str, tuple[Callable[[], int], Callable[[], int]]]:
    """Each query of the module docstring as (the whole layer in Python, the store's spatial
    read), each returning the number of rows (cells, pins) of its answer."""
    centre = _centre(town)
    # a map's viewport is a box in longitude and latitude
    view = shapely.box(*_squares(np.array([[centre.x, centre.y]]), VIEW_HALF_M).iloc[0].bounds)
    locality = store.read_where(LOCALITIES, "locality_id", [f"{town}-bench-l0"]
                                ).geometry.iloc[0]

    def cells_python() -> int:
        return len(public_pin_view(store.read(PINS, town), k=PUBLIC_K, cell_m=PUBLIC_CELL_M)[1])

    def within_python(shape: shapely.Geometry) -> int:
        pins = store.read(PINS, town)
        return int(pins.geometry.intersects(shape).sum())

    def nearest_python() -> int:
        pins, services = store.read(PINS, town), store.read(SERVICES, town)
        chosen = to_metric(services[services["service_type"].isin(NEAREST_TYPES)])
        found = nearest(np.asarray(to_metric(pins).geometry),
                        np.asarray(chosen.geometry))
        return int(np.isfinite(found).sum())

    def nearest_store() -> int:
        found = store.nearest_distances(PINS, SERVICES, town,
                                        where={"service_type": NEAREST_TYPES})
        return int(np.isfinite(found.to_numpy()).sum())

    return {
        "cells": (cells_python, lambda: len(public_pin_cells(store, town, k=PUBLIC_K,
                                                              cell_m=PUBLIC_CELL_M))),
        "viewport": (lambda: within_python(view),
                     lambda: len(store.read_intersecting(PINS, view.bounds, town))),
        "area": (lambda: within_python(locality),
                 lambda: len(store.read_intersecting(PINS, locality, town))),
        "nearest": (nearest_python, nearest_store),
    }


def measure(store: Store, pins: int, repeat: int) -> list[dict[str, Any]]:
    """Fill ``store`` (empty) and time every query both ways; one result per query and path.

    Raises ``CommandError`` when the two ways disagree on the size of an answer.
    """
    store.replace_all(town_layers())
    store.append_batch((PINS, frame) for frame in generate_pins(pins))
    results = []
    for query, paths in queries(store, MAP_TOWN).items():
        rows = []
        for path, func in zip(("python", "store"), paths, strict=True):
            runs = [timed(func) for _ in range(max(1, repeat))]
            rows.append(runs[-1][0])
            results.append({"query": query, "path": path, "rows": runs[-1][0],
                            **{key: round(value, 1) if key != "n" else value for key, value
                               in percentiles_ms([seconds * 1000 for _, seconds in runs]
                                                 ).items()}})
        if rows[0] != rows[1]:
            raise CommandError("cli.bench_spatial_differs", query=query, python=rows[0],
                               store=rows[1])
    return results


def run(args: argparse.Namespace) -> int:
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.pins < 1 or not backends or not set(backends) <= {"gpkg", "postgis"}:
        raise CommandError("cli.bench_store_options")
    results = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        for backend in backends:
            if backend == "gpkg":
                store = open_store(Path(tmp) / "bench.gpkg")
            elif args.url is None:
                cluster = stack.enter_context(TemporaryCluster())
                store = open_store(cluster.new_database("bench_spatial"))
            else:
                store = open_store(args.url)
            try:
                if store.exists():
                    raise CommandError("cli.bench_not_empty", location=store.location)
                results += [{"backend": backend, **r}
                            for r in measure(store, args.pins, args.repeat)]
            finally:
                if backend == "postgis":
                    close_pools()
    p50 = {(r["backend"], r["query"], r["path"]): r["p50_ms"] for r in results}
    rows = [[r["backend"], r["query"], r["path"], r["rows"], r["p50_ms"], r["p95_ms"],
             round(p50[(r["backend"], r["query"], "python")] / r["p50_ms"], 1)
             if r["path"] == "store" and r["p50_ms"] > 0 else ""]
            for r in results]
    report(args, ["backend", "query", "path", "rows", "p50 ms", "p95 ms", "× faster"], rows,
           {"pins": args.pins, "town": MAP_TOWN, "repeat": args.repeat, "results": results},
           title=f"{args.pins} pins, town {MAP_TOWN}: whole layer in Python vs the store")
    return 0
