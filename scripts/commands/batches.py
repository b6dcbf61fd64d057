"""``mapa batches [--town TOWN]`` lists import batches; ``mapa undo BATCH_ID`` removes one."""

from __future__ import annotations

import argparse
import json
from typing import Any

from layers.ingest.batches import list_batches, undo_batch
from scripts.commands import common
from scripts.commands.common import add_town_option, emit, format_table, store_from, subcommand

COLUMNS = ("batch_id", "town_id", "kind", "source_name", "added", "rejected", "created_at",
           "status")


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "batches", "list import batches, newest first", run_list)
    add_town_option(parser, required=False, help_text="only this town's batches (id or name)")
    parser = subcommand(subparsers, "undo", "remove every row of one import batch, atomically",
                        run_undo, tenancy=common.OWN_CHECK)
    parser.add_argument("batch_id", help="the batch (see `mapa batches`)")


def run_list(args: argparse.Namespace) -> int:
    batches = list_batches(store_from(args), args.town)
    rows = [[row[c] for c in COLUMNS] for _, row in batches.iterrows()]
    readable = format_table(list(COLUMNS), rows) if rows else "no import batches"
    emit(args, readable, {"batches": [
        {**{c: row[c] for c in COLUMNS}, "layers": json.loads(str(row["layers"]))}
        for _, row in batches.iterrows()]})
    return 0


def run_undo(args: argparse.Namespace) -> int:
    store = store_from(args)
    batches = list_batches(store)
    for town in batches.loc[batches["batch_id"] == args.batch_id, "town_id"].astype(str):
        common.require_town(args, town)
    deleted = undo_batch(store, args.batch_id)
    emit(args, f"batch {args.batch_id} undone: " + ", ".join(
        f"{n:,} {layer}" for layer, n in deleted.items()),
        {"batch_id": args.batch_id, "deleted": deleted})
    return 0
