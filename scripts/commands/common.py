"""Shared plumbing of the ``mapa`` subcommands: common options, output, and the one place
that reports a stopped command (:func:`report_failure`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any, Final

from layers.errors import InvalidInput, MapaError
from layers.store import Store, default_location, open_store, public_location

#: The language of the command line's messages (its output has always been English).
CLI_LANGUAGE: Final = "en"


class CommandError(MapaError, RuntimeError):
    """A subcommand stopped for a reason of its own: a bad option, a missing tool, a check
    that failed. ``result`` is what it found before stopping (None: nothing): with ``--json``
    it is printed with the error, in the same object."""

    result: dict[str, Any] | None = None


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--store`` and ``--json`` to a subcommand parser."""
    parser.add_argument("--store", default=None,
                        help="store location: GeoPackage path or postgresql:// URL "
                             f"(default {public_location(default_location())})")
    parser.add_argument("--json", action="store_true",
                        help="print the result as one JSON object on the last line")


def subcommand(subparsers: Any, name: str, help_text: str,
               handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """Create a subcommand parser with the common options and its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text,
                                                            description=help_text)
    add_common_options(parser)
    parser.set_defaults(handler=handler)
    return parser


def store_from(args: argparse.Namespace) -> Store:
    """Open the store named by ``--store`` (or the default), first removing what a killed
    writer left beside it (``Store.remove_leftovers``). Raises ``StoreError``."""
    store = open_store(args.store)
    if store.exists():
        store.remove_leftovers()
    return store


def emit(args: argparse.Namespace, readable: str, result: dict[str, Any]) -> None:
    """Print ``readable`` text, and with ``--json`` the result as the last line."""
    if readable:
        print(readable)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))


def report_failure(args: argparse.Namespace, exc: Exception) -> int:
    """Report a stopped command and return its exit status, 1.

    Prints ``mapa COMMAND: reason`` (one line) on stderr and, with ``--json``, the error object
    ``{"error": {"code": ..., "message": ...}}`` as the last line of stdout (with the keys of
    a :class:`CommandError`'s ``result`` beside ``error``). A builtin
    ``ValueError`` or ``OSError`` that is not yet a :class:`MapaError` is reported under the
    code ``invalid_input`` or ``os_error`` with its own text.
    """
    error = exc if isinstance(exc, MapaError) else InvalidInput(
        "invalid_input" if isinstance(exc, ValueError) else "os_error", detail=exc)
    reason = " ".join(error.message(CLI_LANGUAGE).split())
    print(f"mapa {args.command}: {reason}", file=sys.stderr)
    if getattr(args, "json", False):
        found = getattr(error, "result", None) or {}
        print(json.dumps({**found, "error": {"code": error.code, "message": reason}},
                         ensure_ascii=False, default=str))
    return 1


@contextlib.contextmanager
def numeric_warnings_silenced() -> Iterator[None]:
    """Silence numpy's and shapely's RuntimeWarnings (overflow, invalid value) for the block:
    an import meets them on hostile coordinates, and its answer is one line plus the rows it
    rejected, each with its reason, not a warning with a library's file path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def format_table(headers: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table with right-aligned numeric columns."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for idx, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if idx and _numeric(c) else c.ljust(w)
                               for c, w in zip(row, widths, strict=True)).rstrip())
        if idx == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").replace("×", "").isdigit()
