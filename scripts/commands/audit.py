"""``mapa audit [--out FILE.csv]``: the audit log (who saw exact pins, who changed what);
``mapa audit verify``: check its hash chain.

Like ``mapa user``, the command acts as an admin ("cli:<login name>"); the listing and the
export are logged, the verification writes nothing. ``verify`` exits 0 when the chain is
whole and 1 naming the first broken entry (position, time, action) otherwise; with
``--json`` the last line is ``{"entries", "verified", "first_broken"}`` (and ``error`` when
broken).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access.audit import audit_log, export_audit, verify_log
from scripts.commands.common import (
    OWN_CHECK,
    CommandError,
    cli_actor,
    emit,
    format_table,
    store_from,
    subcommand,
)

#: Entries the readable listing shows (newest); --out writes them all.
SHOWN = 50


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "audit",
                        "show the audit log, write it all as CSV, or verify its hash chain", run,
                        tenancy=OWN_CHECK)
    parser.add_argument("task", nargs="?", choices=["verify"], default=None,
                        help="verify: check that no entry was changed, removed or inserted")
    parser.add_argument("--out", type=Path, default=None, help="write the whole log as CSV")


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    actor = cli_actor(args)
    if args.task == "verify":
        return _verify(args, verify_log(store, actor).as_json())
    if args.out is not None:
        entries = export_audit(store, actor, args.out)
        emit(args, f"Wrote {entries:,} audit entries to {args.out}",
             {"out": str(args.out), "entries": entries})
        return 0
    log = audit_log(store, actor)
    columns = ["at", "username", "role", "action", "town_id", "layer", "object_ids"]
    rows = [[str(v) for v in row] for row in log[columns].tail(SHOWN).itertuples(index=False)]
    emit(args, format_table(columns, rows) if rows else "The audit log is empty.",
         {"entries": len(log)})
    return 0


def _verify(args: argparse.Namespace, report: dict[str, Any]) -> int:
    broken = report["first_broken"]
    if broken is None:
        emit(args, f"The audit log's hash chain is whole: {report['entries']:,} entries "
             "verified.", report)
        return 0
    error = CommandError(f"audit.chain_{broken['problem']}", position=broken["position"],
                         at=broken["at"], action=broken["action"])
    error.result = report
    raise error
