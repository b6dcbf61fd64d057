"""``mapa audit [--out FILE.csv]``: the audit log (who saw exact pins, who changed what).

Like ``mapa user``, the command acts as an admin ("cli:<login name>"); the export itself is
logged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access.audit import audit_log, export_audit
from scripts.commands.common import emit, format_table, store_from, subcommand
from scripts.commands.user import cli_actor

#: Entries the readable listing shows (newest); --out writes them all.
SHOWN = 50


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "audit", "show the audit log, or write it all as CSV", run)
    parser.add_argument("--out", type=Path, default=None, help="write the whole log as CSV")


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    actor = cli_actor()
    if args.out is not None:
        entries = export_audit(store, actor, args.out)
        emit(args, f"Wrote {entries:,} audit entries to {args.out}",
             {"out": str(args.out), "entries": entries})
        return 0
    log = audit_log(store, actor)
    columns = ["at", "username", "role", "action", "layer", "object_ids"]
    rows = [[str(v) for v in row] for row in log[columns].tail(SHOWN).itertuples(index=False)]
    emit(args, format_table(columns, rows) if rows else "The audit log is empty.",
         {"entries": len(log)})
    return 0
