"""``mapa import …``: bring outside data into the store. ``mapa import offences FILE``.

Each importer is a sub-subcommand registered in ``IMPORTERS`` (name, help, register function),
so a later importer (feeling-map answers, localities …) is one more entry.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import shapely

from layers.schema import OFFENCES
from layers.sources.errors import SourceError
from layers.sources.offences import read_offences
from layers.store.base import StoreError
from scripts.commands import import_feeling_map
from scripts.commands.common import CommandError, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import outside data (mapa import offences …)")
    inner = parser.add_subparsers(dest="importer", required=True, metavar="WHAT")
    for add in IMPORTERS:
        add(inner)


def _register_offences(subparsers: Any) -> None:
    parser = subcommand(subparsers, "offences",
                        "append point-level offences (CSV date,type,lon/lat or x/y; or GeoJSON)",
                        run_offences)
    parser.add_argument("file", help="CSV or GeoJSON file of offences")
    parser.add_argument("--town", required=True, help="town id (see `mapa info`)")
    parser.add_argument("--crs", default=None,
                        help="CRS of CSV x/y columns (default EPSG:5514; lon/lat is EPSG:4326)")
    parser.add_argument("--source", default=None, help="source label kept per row (default: "
                                                       "the file name)")
    parser.add_argument("--strict", action="store_true",
                        help="import nothing when any row is rejected")


IMPORTERS: tuple[Callable[[Any], None], ...] = (_register_offences, import_feeling_map.register)


def run_offences(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        towns = store.read("towns", args.town)
        if len(towns) == 0:
            raise CommandError(f"unknown town {args.town!r}")
        area = shapely.union_all(towns.geometry.to_numpy())
        frame, report = read_offences(args.file, args.town, area, crs=args.crs,
                                      source=args.source)
        if args.strict and report.problems:
            raise CommandError(f"{len(report.problems)} of {report.rows} rows rejected "
                               f"(first: {report.problems[0].where}: "
                               f"{report.problems[0].reason}); nothing imported (--strict)")
        if report.rows and not report.accepted:
            raise CommandError(f"none of the {report.rows} rows can be imported "
                               f"(first: {report.problems[0].where}: "
                               f"{report.problems[0].reason})")
        # the store skips ids it already holds, under its writer lock (no read-then-write race)
        written = store.append_batch([(OFFENCES.name, frame)],
                                     unique_keys={OFFENCES.name: "offence_id"})
        imported = written.get(OFFENCES.name, 0)
        duplicates = len(frame) - imported
    except (SourceError, StoreError) as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot write to {store.location}: {exc}") from exc
    rows = [[p.where, p.reason] for p in report.problems]
    readable = "\n".join([
        f"{report.path}: {report.rows} rows, {imported} imported into {store.location} "
        f"({duplicates} already there, {len(report.problems)} rejected)",
        *([format_table(["where", "problem"], rows)] if rows else []),
    ])
    emit(args, readable, {**report.as_dict(), "imported": imported,
                          "already_present": duplicates, "town_id": args.town,
                          "store": store.location})
    return 0
