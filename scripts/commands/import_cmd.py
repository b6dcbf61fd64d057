"""``mapa import …``: bring outside data into the store, validated, as an undoable batch.

``mapa import localities|services|police-stats|offences|exclusion-index FILE --town TOWN
[--dry-run] [--json]``, ``mapa import police-open-data FILE… --town TOWN`` (the police's
open-data export, many files, each its own batch), ``mapa import addresses FILE… --town ID``
(RÚIAN address CSVs, one batch each), ``mapa import stops FILE [--town ID]`` (a GTFS feed;
without ``--town`` one batch per town of the store it serves) and ``mapa import town KOD_OBEC
--town ID`` go through ``layers.ingest`` (preview with ``--dry-run``; ``mapa batches`` lists
the batches, ``mapa undo BATCH_ID`` removes one); ``mapa import feeling-map`` imports a
feeling-map export as a session of pins. Each importer is an entry of ``IMPORTERS``. Exit 0
when committed (even with some rows rejected), 1 with a one-line reason when stopped; the
store is then unchanged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from layers.ingest.batches import ImportRefused, ImportResult, run_import
from layers.ingest.report import ValidationReport
from layers.ingest.stops import towns_with_stops
from layers.ingest.towns import import_town
from scripts.commands import import_feeling_map, import_register
from scripts.commands.common import (
    CommandError,
    add_town_option,
    emit,
    format_table,
    input_file,
    numeric_warnings_silenced,
    store_from,
    subcommand,
)

#: Ingest importers: name → help text.
INGEST_KINDS: Final = {
    "localities": "socially excluded localities (GeoJSON, GeoPackage, Shapefile or zipped "
                  "Shapefile; name, population_est, source, date)",
    "services": "services (OpenStreetMap-style GeoJSON, or CSV with type and coordinates)",
    "police-stats": "police statistics per 6-digit department code (CSV/XLSX table), or "
                    "department polygons (vector file)",
    "offences": "point-level offences (date, type, coordinates) as the police crime map "
                "exports them",
    "exclusion-index": "a new edition of the social-exclusion index table (CSV or the "
                       "ministry's XLSX)",
    "streets": "the town's own street network: an OpenStreetMap extract (.osm, .osm.pbf) or "
               "GeoJSON lines; the walking graph is built and stored",
}
#: Problems printed in the readable output (all of them are in --json).
SHOWN: Final = 50


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import outside data (mapa import localities "
                                                  "…)")
    inner = parser.add_subparsers(dest="importer", required=True, metavar="WHAT")
    for add in IMPORTERS:
        add(inner)


def _register_ingest(subparsers: Any) -> None:
    for kind, help_text in INGEST_KINDS.items():
        parser = subcommand(subparsers, kind, help_text, run)
        parser.set_defaults(kind=kind)
        parser.add_argument("file", type=Path, help="the file to import (- reads standard input)")
        add_town_option(parser, required=True)
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report only; write nothing")
        parser.add_argument("--crs", default=None,
                            help="the file's CRS when it states none or a wrong one "
                                 "(e.g. EPSG:5514)")
        parser.add_argument("--year", type=int, default=None,
                            help="year of a table without a year column")
        parser.add_argument("--licence", default="", help="licence of the data (kept with "
                                                          "the batch and shown in the app)")
        parser.add_argument("--source", default=None,
                            help="source label kept per row (default: the file name)")
        parser.add_argument("--strict", action="store_true",
                            help="import nothing when any row is rejected")


def _register_town(subparsers: Any) -> None:
    parser = subcommand(subparsers, "town", "add any Czech municipality as a town, by its "
                                            "RÚIAN code (boundary, exclusion index, population)",
                        run_town)
    parser.add_argument("kod_obec", help="the municipality's 6-digit RÚIAN code")
    parser.add_argument("--town", required=True, help="id of the new town (e.g. most)")
    parser.add_argument("--name", default=None, help="display name (default: from the data)")
    parser.add_argument("--boundary", type=Path, default=None,
                        help="boundary file (default: the shipped polygons of Karlovarský and "
                             "Ústecký kraj)")
    parser.add_argument("--crs", default=None, help="the boundary file's CRS if it is wrong")
    parser.add_argument("--licence", default="", help="licence of the boundary data")
    parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")


def _register_police(subparsers: Any) -> None:
    parser = subcommand(subparsers, "police-open-data",
                        "the police's open-data export of its crime map (CSV or GeoJSON, one "
                        "file per month or year, lookups types/states/relevance.json beside "
                        "them); rows already stored are skipped", run_police)
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE",
                        help="export files (each imported as its own batch)")
    add_town_option(parser, required=True)
    parser.add_argument("--dry-run", action="store_true",
                        help="validate and report only; write nothing")
    parser.add_argument("--licence", default="", help="licence of the data (kept with "
                                                      "the batch and shown in the app)")


def _register_places(subparsers: Any) -> None:
    parser = subcommand(subparsers, "addresses", "RÚIAN address points of a municipality (the "
                                                 "ČÚZK CSV as published; several files at once)",
                        run_places)
    parser.set_defaults(kind="addresses")
    parser.add_argument("files", type=Path, nargs="+", help="the RÚIAN address CSV files")
    add_town_option(parser, required=True)
    parser = subcommand(subparsers, "stops", "public-transport stops (a GTFS stops.txt or the "
                                             "feed's zip)", run_places)
    parser.set_defaults(kind="stops")
    parser.add_argument("files", type=Path, nargs=1, metavar="file", help="the GTFS file")
    add_town_option(parser, required=False,
                    help_text="town: its id or name (default: every town of the store the "
                              "feed serves)")
    for each in (subparsers.choices["addresses"], parser):
        each.add_argument("--dry-run", action="store_true",
                          help="validate and report only; write nothing")
        each.add_argument("--licence", default="", help="licence of the data")


IMPORTERS: tuple[Callable[[Any], None], ...] = (_register_ingest, _register_police,
                                                _register_places, _register_town,
                                                import_feeling_map.register,
                                                import_register.register)


def run(args: argparse.Namespace) -> int:
    store = store_from(args)

    def progress(report: ValidationReport) -> None:
        if report.rows >= 100_000:
            print(f"… {report.rows:,} rows read, {report.counts['rejected']:,} rejected",
                  file=sys.stderr, flush=True)

    try:
        with numeric_warnings_silenced(), input_file(args.file) as path:
            result = run_import(store, args.kind, path, town_id=args.town,
                                dry_run=args.dry_run, crs=args.crs, year=args.year,
                                licence=args.licence, source_label=args.source,
                                strict=args.strict, progress=progress)
    except OSError as exc:
        raise CommandError("cli.cannot_write", location=store.location, detail=exc) from exc
    emit(args, _readable(result), {**result.as_json(), "store": store.location})
    return 0


#: Refusals that only mean a police file brings nothing new (same file, or every row stored).
NOTHING_NEW: Final = ("import.already_imported", "import.nothing_usable")


def run_police(args: argparse.Namespace) -> int:
    """Import each export file as its own batch; a file with nothing new is reported, not an
    error. Any other refusal stops the command (files before it stay imported)."""
    store = store_from(args)
    files: list[dict[str, Any]] = []
    lines: list[str] = []
    for path in args.files:
        try:
            with numeric_warnings_silenced():
                result = run_import(store, "police-open-data", path, town_id=args.town,
                                    dry_run=args.dry_run, licence=args.licence)
        except ImportRefused as exc:
            if exc.code not in NOTHING_NEW:
                raise
            files.append({"file": path.name, "batch_id": None, "added": 0,
                          "nothing_new": exc.message("en")})
            lines.append(f"{path.name}: nothing new ({exc.message('en')})")
            continue
        except OSError as exc:
            raise CommandError("cli.cannot_write", location=store.location, detail=exc) from exc
        files.append({"file": path.name, **result.as_json(), "nothing_new": None})
        lines.append(_readable(result))
    total = {"added": sum(f["added"] for f in files),
             "rejected": sum(f.get("counts", {}).get("rejected", 0) for f in files)}
    lines.append(f"together: {total['added']:,} offences added, {total['rejected']:,} rows "
                 "rejected")
    emit(args, "\n".join(lines), {"kind": "police-open-data", "town_id": args.town,
                                   "dry_run": args.dry_run, "files": files, **total,
                                   "store": store.location})
    return 0


def run_places(args: argparse.Namespace) -> int:
    """Address files for one town, or a stops feed for one town or every town it serves;
    each (file, town) one batch, all in one transaction (all stored or none)."""
    store = store_from(args)
    jobs = [(file, args.town) for file in args.files] if args.town else \
        [(args.files[0], town) for town in towns_with_stops(store, args.files[0])]
    if not jobs:
        raise CommandError("cli.no_town_served", file=args.files[0].name)
    results: list[ImportResult] = []
    with numeric_warnings_silenced(), store.transaction():
        for file, town in jobs:
            results.append(run_import(store, args.kind, file, town_id=town,
                                      dry_run=args.dry_run, licence=args.licence))
    emit(args, "\n".join(f"{r.town_id}: {_readable(r)}" for r in results),
         {"batches": [r.as_json() for r in results], "added": sum(r.added for r in results),
          "store": store.location})
    return 0


def run_town(args: argparse.Namespace) -> int:
    store = store_from(args)
    result = import_town(store, args.kod_obec, town_id=args.town, name=args.name,
                         boundary=args.boundary, crs=args.crs, dry_run=args.dry_run,
                         licence=args.licence)
    emit(args, _readable(result), {**result.as_json(), "store": store.location})
    return 0


def _readable(result: ImportResult) -> str:
    report = result.report
    verb = "would be added (dry run, nothing written)" if result.dry_run else \
        f"added as batch {result.batch_id}"
    added = ", ".join(f"{n:,} {layer}" for layer, n in report.added.items())
    lines = [f"{report.source_name}: {report.rows:,} rows; {added} {verb}; "
             f"{report.counts['rejected']:,} rejected, {report.counts['repaired']:,} repaired, "
             f"{report.counts['flagged']:,} flagged"]
    if report.crs_action:
        lines.append(f"coordinates: {report.crs_action}")
    if report.encoding:
        lines.append(f"text encoding: {report.encoding}")
    lines += report.notes
    for kind in ("rejected", "repaired", "flagged"):
        problems = [[p.where, p.reason] for p in getattr(report, kind)]
        if problems:
            lines.append(format_table(["where", kind], problems[:SHOWN]))
            if report.counts[kind] > SHOWN:
                lines.append(f"(+{report.counts[kind] - SHOWN:,} more: see --json)")
    return "\n".join(lines)
