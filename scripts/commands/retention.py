"""``mapa retention [--days N]``: delete the text of held notes older than the retention period.

Like ``mapa user``, the command acts as an admin ("cli:<login name>"); the deletion is audited.
Run it regularly, e.g. from a nightly timer.
"""

from __future__ import annotations

import argparse
from typing import Any

from layers.mapping.retention import HELD_NOTE_DAYS, apply_retention
from scripts.commands.common import OWN_CHECK, cli_actor, emit, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "retention",
                        "delete the text of held notes older than the retention period", run,
                        tenancy=OWN_CHECK)
    parser.add_argument("--days", type=int, default=HELD_NOTE_DAYS,
                        help=f"retention period in days (default {HELD_NOTE_DAYS})")


def run(args: argparse.Namespace) -> int:
    deleted = apply_retention(store_from(args), cli_actor(args), args.days)
    emit(args, f"Deleted the text of {deleted:,} held notes older than {args.days} days",
         {"deleted": deleted, "days": args.days})
    return 0
