"""``mapa import feeling-map FILE --town TOWN [--boundary FILE]``: a feeling-map export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from layers.mapping.feeling_map_import import import_feeling_map
from scripts.commands import common


def register(subparsers: Any) -> None:
    parser = common.subcommand(
        subparsers, "feeling-map",
        "import an open-data feeling-map export (pocitová mapa), all or nothing", run)
    parser.add_argument("file", type=Path,
                        help="CSV export (UTF-8, columns Pocit, X, Y, …); - reads standard input")
    common.add_town_option(parser, required=True, may_be_new=True)
    parser.add_argument("--boundary", type=Path, default=None,
                        help="boundary of a town not in the store (GeoJSON/GeoPackage/…)")
    parser.add_argument("--chunk-rows", type=int, default=100_000, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    store = common.store_from(args)

    def progress(rows: int) -> None:
        print(f"… {rows:,} rows read", file=sys.stderr, flush=True)

    with common.numeric_warnings_silenced(), common.input_file(args.file) as path:
        session_id, report = import_feeling_map(store, path, town_id=args.town,
                                                boundary_path=args.boundary,
                                                chunk_rows=args.chunk_rows, progress=progress)
    problems = [[i.line, i.reason] for i in report.rejected]
    repaired = [[i.line, i.reason] for i in report.repaired]
    readable = "\n".join([
        f"{args.file}: {report.rows:,} rows, {report.imported:,} imported as pending pins of "
        f"session {session_id}; {len(report.rejected):,} rejected, {len(report.repaired):,} "
        f"repaired, {report.screened_comments:,} comments held for a moderator",
        *([common.format_table(["line", "rejected because"], problems[:50])] if problems else []),
        *([f"(+{len(problems) - 50:,} more rejected rows: see --json)"]
          if len(problems) > 50 else []),
        *([common.format_table(["line", "repaired"], repaired[:50])] if repaired else []),
    ])
    common.emit(args, readable, {**report.as_json(), "session_id": session_id})
    return 0
