"""``mapa``: the project's one command-line tool.

Every subcommand takes ``--store PATH`` and ``--json``; with ``--json`` the last line printed
is one JSON object: the result, or ``{"error": {"code": ..., "message": ...}}`` when stopped.
Exit status 0 on success, 1 with a one-line reason on stderr when stopped. Subcommands raise
domain errors (:class:`layers.errors.MapaError`) freely; :func:`main` reports them.
Subcommands live in ``scripts/commands/``, one module each, exposing ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from layers.errors import MapaError
from scripts.commands import COMMAND_MODULES
from scripts.commands.common import report_failure


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="mapa", description="Mapa bezpečí – safety map tools")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mapa`` with ``argv``; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.handler(args)
    except (MapaError, ValueError, OSError) as exc:
        return report_failure(args, exc)
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
