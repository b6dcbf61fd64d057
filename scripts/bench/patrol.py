"""``mapa bench patrol``: ranking + route for ``--places`` places, accessibility for
``--cells`` cells × ``--services`` services.

* ``rank_s``: :func:`layers.patrol.ranking.rank_places` on the store's ``--town`` (public
  hotspot grid of ``--cell`` metres, no spacing between places, so enough places exist);
* ``route_straight_s`` / ``route_network_s``: Christofides + threshold accepting over the first
  ``--places`` places on straight lines / along the town's road lines (distance matrix by
  Dijkstra included), with the tour lengths;
* ``access_s``: nearest service of each of the five groups for ``--cells`` random points
  among ``--services`` random services (``shapely.STRtree.query_nearest``), and
  ``kdtree_s`` the same with ``scipy.spatial.cKDTree`` as a cross-check
  (``max_abs_diff_m``). Times are the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.spatial import cKDTree

from layers.crs import METRIC_CRS
from layers.patrol.ranking import RankingRequest, rank_places
from layers.patrol.route import StreetNetwork, plan_route
from layers.schema import CONTEXT_LINES, SERVICE_TYPES
from layers.urban.accessibility import SERVICE_GROUPS, accessibility
from scripts.bench.harness import best_of, report
from scripts.commands.common import store_from, subcommand

ORIGIN = (-785_000.0, -985_000.0)


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "patrol",
                        "patrol ranking + route, and service accessibility, timed", run)
    parser.add_argument("--town", default="karlovy-vary")
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--cell", type=float, default=50.0)
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    request = RankingRequest(args.town, cell_m=args.cell, min_spacing_m=0.0)
    ranking, rank_s = best_of(lambda: rank_places(store, request), args.repeat)
    places = ranking.places.head(args.places)
    xy = np.column_stack([places.geometry.x, places.geometry.y])
    straight, straight_s = best_of(lambda: plan_route(xy, None, "straight"), args.repeat)
    network = StreetNetwork.from_lines(store.read(CONTEXT_LINES, args.town))
    routed, network_s = best_of(lambda: plan_route(xy, network, "auto", max_access_m=np.inf),
                                args.repeat)

    rng = np.random.default_rng(args.seed)
    width = 12_000.0
    cells = gpd.GeoDataFrame({"origin_kind": "cell", "origin_id": np.arange(args.cells).astype(str),
                              "name": ""},
                             geometry=shapely.points(rng.uniform(0, width, (args.cells, 2))
                                                     + ORIGIN), crs=METRIC_CRS)
    service_xy = rng.uniform(0, width, (args.services, 2)) + ORIGIN
    services = gpd.GeoDataFrame({"service_type": rng.choice(SERVICE_TYPES, args.services)},
                                geometry=shapely.points(service_xy), crs=METRIC_CRS)
    result, access_s = best_of(lambda: accessibility(cells, services, 500.0), args.repeat)
    origin_xy = shapely.get_coordinates(cells.geometry.to_numpy())

    def kdtree() -> dict[str, np.ndarray]:
        out = {}
        for group, types in SERVICE_GROUPS.items():
            chosen = services["service_type"].isin(types).to_numpy()
            out[group] = cKDTree(service_xy[chosen]).query(origin_xy)[0]
        return out

    kd, kdtree_s = best_of(kdtree, args.repeat)
    diff = max(float(np.max(np.abs(kd[g] - result.table[f"dist_{g}"].to_numpy())))
               for g in SERVICE_GROUPS)
    row = {
        "town": args.town, "ranked_places": len(ranking.places), "places": len(places),
        "rank_s": round(rank_s, 4), "route_straight_s": round(straight_s, 4),
        "straight_m": round(straight.length_m, 1), "route_network_s": round(network_s, 4),
        "network_method": routed.method, "network_m": round(routed.length_m, 1),
        "cells": args.cells, "services": args.services, "access_s": round(access_s, 4),
        "kdtree_s": round(kdtree_s, 4), "max_abs_diff_m": diff,
        "white_spots": len(result.white_spots)}
    report(args, ["measure", "value"], [[h, row[h]] for h in row], row)
    return 0
