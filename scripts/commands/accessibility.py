"""``mapa accessibility``: distance from each locality and hot cell of a town to the nearest
service of each group, the white spots without one within ``--distance``, and a GeoPackage of
origins (with their distances), services and service links for QGIS. Generated (illustrative)
data are marked: an ``illustrative`` column, the layers' metadata and ``"illustrative"`` in
``--json``."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from layers.schema import SERVICES
from layers.urban.accessibility import DEFAULT_DISTANCE_M, SERVICE_GROUPS, town_accessibility
from layers.urban.export import export_gpkg, illustrative_metadata, mark_illustrative
from layers.urban.service_links import load_links
from scripts.commands.common import add_town_option, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "accessibility",
                        "distance to the nearest service per group; white spots → GeoPackage",
                        run)
    add_town_option(parser, required=True)
    parser.add_argument("--distance", type=float, default=DEFAULT_DISTANCE_M,
                        help="a group farther than this (metres) makes a white spot "
                             "(default 500)")
    parser.add_argument("--out", default=None, help="write a GeoPackage (overwritten)")


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    result = town_accessibility(store, args.town, args.distance)
    services = store.read(SERVICES, args.town)
    links = load_links(store, args.town)
    table = result.table
    groups = list(SERVICE_GROUPS)
    if args.out:
        # links are recorded by people, never generated: they carry no mark
        layers = mark_illustrative({**result.layers(), "services": services},
                                   result.illustrative)
        export_gpkg({**layers, "service_links": links}, Path(args.out),
                    illustrative_metadata(result.illustrative))
    rows = [{"origin_kind": r.origin_kind, "origin_id": r.origin_id, "name": r.name,
             **{g: None if math.isinf(getattr(r, f"dist_{g}"))
                else round(float(getattr(r, f"dist_{g}")), 1) for g in groups},
             "white": r.white} for r in table.itertuples()]
    white = {g: int(table[f"white_{g}"].sum()) for g in groups}
    readable = "\n".join([
        f"{args.town}: {len(table)} origins ({int((table['origin_kind'] == 'locality').sum())} "
        f"localities, {int((table['origin_kind'] == 'cell').sum())} hot cells); white spot = "
        f"no service of a group within {args.distance:g} m",
        format_table(["origin", "name", *groups, "white"],
                     [[r["origin_kind"], r["name"],
                       *("–" if r[g] is None else f"{r[g]:,.0f}" for g in groups), r["white"]]
                      for r in rows if r["origin_kind"] == "locality"]),
        format_table(["group", "white spots"], [[g, n] for g, n in white.items()]),
        *([f"written: {args.out}"] if args.out else []),
    ])
    emit(args, readable, {"town_id": args.town, "distance_m": args.distance,
                          "origins": len(table), "white_spots": len(result.white_spots),
                          "white_by_group": white, "rows": rows, "out": args.out,
                          "illustrative": result.illustrative})
    return 0
