"""``mapa template LAYER [--format csv|xlsx] [--out FILE]``: the import template of a layer,
with Czech column headers and an example row (``layers.ingest.templates``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.ingest.templates import FORMATS, TEMPLATES, template_bytes, template_name
from scripts.commands.common import CommandError, emit, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "template",
                        "write the import template of a layer (Czech headers, an example row)",
                        run)
    parser.add_argument("layer", help=f"what the file will hold: {', '.join(TEMPLATES)}")
    parser.add_argument("--format", default="csv", choices=FORMATS,
                        help="csv (UTF-8, ';'-separated) or xlsx (default csv)")
    parser.add_argument("--out", default=None, type=Path,
                        help="file to write (default: sablona-LAYER.FORMAT here)")


def run(args: argparse.Namespace) -> int:
    data = template_bytes(args.layer, args.format)
    out = args.out or Path(template_name(args.layer, args.format))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CommandError("cli.cannot_write", location=str(out), detail=exc) from exc
    headers = TEMPLATES[args.layer].headers
    emit(args, f"template of {args.layer} written to {out}: {', '.join(headers)}",
         {"layer": args.layer, "format": args.format, "out": str(out), "columns": headers,
          "bytes": len(data)})
    return 0
