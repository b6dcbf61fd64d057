"""``mapa build-demo``: build the demo store of the three towns."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from layers.access.accounts import MIN_PASSWORD
from layers.build import build_demo
from layers.sources.errors import SourceError
from layers.sources.real import SOURCES_DIR
from layers.store import default_location
from layers.store.base import StoreError
from scripts.commands.common import CommandError, emit, format_table, step_reporter, subcommand

#: The demo accounts' password comes from here, never from the repository.
DEMO_PASSWORD_ENV = "MAPA_DEMO_PASSWORD"


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "build-demo",
                        "build the demo store (real data of Litvínov, Kraslice and Karlovy Vary "
                        "plus illustrative layers)", run)
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR,
                        help="folder of the shipped source data (default geodata/sources)")
    parser.epilog = (f"With {DEMO_PASSWORD_ENV} set, one demo account per role is created "
                     "with that password (admin, moderator, policie, urbanista, koordinator, "
                     "nzdm-rybare, my-litvinov).")


def run(args: argparse.Namespace) -> int:
    location = args.store or default_location()
    if location.startswith(("postgresql://", "postgres://")):
        raise CommandError("cli.build_demo_file")
    password = os.environ.get(DEMO_PASSWORD_ENV) or None
    if password is not None and len(password) < MIN_PASSWORD:
        raise CommandError("cli.demo_password", name=DEMO_PASSWORD_ENV, minimum=MIN_PASSWORD)
    try:
        with step_reporter(args) as report_step:
            counts = build_demo(Path(location), sources=args.sources, progress=report_step,
                                demo_password=password)
    except (SourceError, StoreError) as exc:
        raise CommandError("cli.store_untouched", reason=exc) from exc
    table = format_table(["layer", "rows"], [[k, v] for k, v in counts.items()])
    emit(args, f"Built {location}\n{table}", {"store": location, "layers": counts})
    return 0
