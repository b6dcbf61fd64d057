"""``mapa export pins``: a town's pins as CSV, GeoJSON, GeoPackage, KML or FlatGeobuf
(``--public`` for all; ``--crs 5514`` S-JTSK for GeoPackage and FlatGeobuf)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access import guarded
from layers.mapping.export import FORMATS, OUTPUT_CRS, ExportOptions, export_pins
from scripts.commands.common import (
    add_town_option,
    cli_actor,
    emit,
    output_file,
    store_from,
    subcommand,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="export data (mapa export pins …)")
    inner = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
    pins = subcommand(inner, "pins", "export a town's pins; --public: approved only, no "
                                     "comments, sensitive categories only as cells of ≥ k",
                      run_pins)
    add_town_option(pins, required=True)
    pins.add_argument("--session", default=None, help="only this session's pins")
    pins.add_argument("--format", choices=FORMATS, required=True)
    pins.add_argument("--public", action="store_true", help="the public, aggregated view")
    pins.add_argument("--k", type=int, default=5, help="public: smallest cell count (≥ 3)")
    pins.add_argument("--crs", choices=tuple(OUTPUT_CRS), default="4326",
                      help="5514: S-JTSK / Krovak East North (gpkg and fgb only); "
                           "default 4326, WGS 84")
    pins.add_argument("--decimal-comma", action="store_true",
                      help="csv: numbers with a decimal comma (Czech Excel)")
    pins.add_argument("--out", type=Path, required=True,
                      help="output file (- writes standard output)")


def run_pins(args: argparse.Namespace) -> int:
    store = store_from(args)
    options = ExportOptions(crs=args.crs, decimal_comma=args.decimal_comma)
    with output_file(args, args.out) as out:
        if args.public:
            counts = export_pins(store, args.town, out, args.format, session_id=args.session,
                                 public=True, k=args.k, options=options)
        else:  # exact pins leave the store: the audit log names who took them
            counts = guarded.export_pins(cli_actor(args), store, args.town, out, args.format,
                                         session_id=args.session, options=options)
    view = "public" if args.public else "internal"
    emit(args, f"Wrote {counts['pins']:,} pins and {counts['cells']:,} aggregated cells "
               f"({view} view) to {args.out}",
         {"out": str(args.out), "format": args.format, "public": args.public, "crs": args.crs,
          **counts})
    return 0
