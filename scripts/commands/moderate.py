"""``mapa moderate list|approve|reject (--batch ID | --session ID)``: decide a whole session
or import batch at once.

An open-data export its publisher already moderated is approved with one decision; each
decision is one indexed update and one audit entry. Like ``mapa user``, the command acts as the
operator, an admin ("cli:<login name>"), or as the account of ``--as`` in its towns only. Only
pending pins are listed and changed.
"""

from __future__ import annotations

import argparse
from typing import Any

from layers.access import guarded
from layers.mapping import moderation
from layers.store import Store
from scripts.commands.common import (
    OWN_CHECK,
    cli_actor,
    emit,
    format_table,
    require_town,
    store_from,
    subcommand,
)

#: Pins the readable ``list`` shows (``--json`` gives the counts of all).
SHOWN: int = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("moderate", help="moderate a whole session or import batch")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, helptext, func in (
            ("list", "the pending answers of a session or batch", run_list),
            ("approve", "approve every pending answer of a session or batch", run_approve),
            ("reject", "reject every pending answer of a session or batch", run_reject)):
        sub = subcommand(actions, name, helptext, func, tenancy=OWN_CHECK)
        chosen = sub.add_mutually_exclusive_group(required=True)
        chosen.add_argument("--batch", help="an import batch id (see `mapa batches`)")
        chosen.add_argument("--session", help="a mapping session id")
        if name == "reject":
            sub.add_argument("--reason", required=True, help="why (kept with every pin)")


def _selection(args: argparse.Namespace, store: Store) -> moderation.Selection:
    """The chosen session or batch, when its town is one of the ``--as`` account's."""
    if args.batch is not None:
        selection = moderation.select_batch(store, args.batch)
    else:
        selection = moderation.select_session(store, args.session)
    require_town(args, selection.town_id)
    return selection


def run_list(args: argparse.Namespace) -> int:
    store = store_from(args)
    selection = _selection(args, store)
    pins = moderation.selected_pins(store, selection)
    by_category = {str(k): int(v) for k, v in pins["category"].value_counts().items()}
    rows = [[row.created_at, row.category, row.feeling, "ano" if row.comment else ""]
            for row in pins.head(SHOWN).itertuples()]
    readable = "\n".join([
        f"{selection.label}: {len(pins):,} answers waiting for moderation",
        *([format_table(["created", "category", "feeling", "note"], rows)] if rows else []),
        *([f"(+{len(pins) - SHOWN:,} more)"] if len(pins) > SHOWN else []),
    ])
    emit(args, readable, {**selection.detail, "name": selection.label, "pending": len(pins),
                          "by_category": by_category})
    return 0


def run_approve(args: argparse.Namespace) -> int:
    store = store_from(args)
    selection = _selection(args, store)
    changed = guarded.approve_selection(cli_actor(args), store, selection)
    emit(args, f"{selection.label}: approved {changed:,} answers",
         {**selection.detail, "name": selection.label, "approved": changed})
    return 0


def run_reject(args: argparse.Namespace) -> int:
    store = store_from(args)
    selection = _selection(args, store)
    changed = guarded.reject_selection(cli_actor(args), store, selection, args.reason)
    emit(args, f"{selection.label}: rejected {changed:,} answers",
         {**selection.detail, "name": selection.label, "rejected": changed})
    return 0
