"""``mapa build-demo``: build the demo store of the three towns."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from layers.build import build_demo
from layers.sources.errors import SourceError
from layers.sources.real import SOURCES_DIR
from layers.store import default_location
from layers.store.base import StoreError
from scripts.commands.common import CommandError, emit, format_table, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "build-demo",
                        "build the demo store (real data of Litvínov, Kraslice and Karlovy Vary "
                        "plus illustrative layers)", run)
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR,
                        help="folder of the shipped source data (default geodata/sources)")


def run(args: argparse.Namespace) -> int:
    location = args.store or default_location()
    if location.startswith(("postgresql://", "postgres://")):
        raise CommandError("build-demo writes a GeoPackage; give a file path")
    try:
        counts = build_demo(Path(location), sources=args.sources,
                            progress=lambda m: print(f"… {m}", file=sys.stderr))
    except (SourceError, StoreError) as exc:
        raise CommandError(f"{exc} (the existing store was left untouched)") from exc
    table = format_table(["layer", "rows"], [[k, v] for k, v in counts.items()])
    emit(args, f"Built {location}\n{table}", {"store": location, "layers": counts})
    return 0
