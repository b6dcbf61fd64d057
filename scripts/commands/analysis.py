"""``mapa analysis``: the yearly security analysis (bezpečnostní analýza) of a town or a
locality as an editable DOCX or ODT, or a PDF (``layers.analysis``).

``--area`` names a town (id or name) or a locality (id or name); ``--year`` the year of the
analysis, which must have crime figures (else the error lists the years that have);
``--out`` the file, its suffix choosing the format (.docx, .odt or .pdf; anything else is
refused with the list). The JSON result: area, town_id, locality_id, year, out, format, headings,
tables, pictures.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scripts.commands import common
from scripts.commands.common import emit, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "analysis",
                        "the yearly security analysis of an area (DOCX, ODT or PDF)", run,
                        tenancy=common.OWN_CHECK)
    parser.add_argument("--area", required=True,
                        help="a town (id or name) or a locality (id or name)")
    parser.add_argument("--year", type=int, required=True, help="the year of the analysis")
    parser.add_argument("--out", required=True, type=Path,
                        help="the file to write: .docx or .odt (editable) or .pdf")


def run(args: argparse.Namespace) -> int:
    from layers.analysis.content import build_analysis, check_format, resolve_area
    from layers.analysis.document import Picture, Table
    from layers.analysis.writers import FORMATS, write

    check_format(args.out.suffix, FORMATS)  # before the work, not after it
    store = store_from(args)
    area = resolve_area(store, args.area)
    common.require_town(args, area.town_id)
    doc = build_analysis(store, area, args.year)
    write(doc, args.out)
    result = {"area": area.name, "town_id": area.town_id, "locality_id": area.locality_id,
              "year": args.year, "out": str(args.out), "format": args.out.suffix.lower()[1:],
              "headings": doc.headings(),
              "tables": sum(isinstance(b, Table) for b in doc.blocks),
              "pictures": sum(isinstance(b, Picture) for b in doc.blocks)}
    emit(args, f"{doc.title}, {doc.subtitle}: {args.out} ({result['tables']} tables, "
               f"{result['pictures']} pictures)", result)
    return 0
