"""``mapa import services-register FILE --region CZ042 [--codelist FILE …] [--dry-run]
[--json]``: import or update the catalogue from the MPSV register of social-service
providers (``layers.catalogue.register``). Code lists lying beside FILE under MPSV's names
are read too. Exit 0 when imported; the report lists what was added, updated and withdrawn,
and the services without a position."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.catalogue.register import RegisterReport, codelists_beside, import_register
from scripts.commands.common import (
    OWN_CHECK,
    cli_actor,
    emit,
    format_table,
    store_from,
    subcommand,
)


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "services-register",
                        "the MPSV register of social-service providers (rpss.json) into the "
                        "catalogue, updated by identifier", run, tenancy=OWN_CHECK)
    parser.add_argument("file", type=Path, help="the register's JSON (rpss.json)")
    parser.add_argument("--region", required=True,
                        help="NUTS 3 code of the region to import (e.g. CZ042)")
    parser.add_argument("--codelist", type=Path, action="append", default=[],
                        help="a code-list JSON of the register (names of kinds, target "
                             "groups, forms); repeatable")
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    report = import_register(store, cli_actor(args), args.file, args.region,
                             [*codelists_beside(args.file), *args.codelist], args.dry_run)
    emit(args, readable(report), {**report.as_json(), "store": store.location})
    return 0


def readable(report: RegisterReport) -> str:
    """The report as text: counts, then the services without a position."""
    verb = "would be" if report.dry_run else "were"
    lines = [f"{report.source_name} ({report.region}): {len(report.added)} added, "
             f"{len(report.updated)} updated, {report.unchanged} unchanged, "
             f"{len(report.withdrawn)} withdrawn {verb} recorded; skipped "
             f"{report.outside_region} outside the region and {report.ended} ended; "
             f"{report.outside_towns} lie in none of the store's towns"]
    for service_id, fields in report.updated.items():
        lines.append(f"updated {service_id}: {', '.join(fields)}")
    lines += [f"withdrawn {service_id}" for service_id in report.withdrawn]
    if report.without_position:
        lines.append("without position (no address point in the store; found by search):")
        lines.append(format_table(["id", "name", "address"], [
            [r["id"], r["name"], r["address"]] for r in report.without_position]))
    return "\n".join(lines)
