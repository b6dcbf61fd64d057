"""Shared plumbing of the ``mapa`` subcommands: common options, output, ``-`` for standard
input and output, progress bars, and the one place that reports a stopped command
(:func:`report_failure`).

The store package (and through it geopandas) is imported only inside the functions that need
it: ``mapa --help`` imports this module without them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from layers.errors import InvalidInput, MapaError

if TYPE_CHECKING:
    from layers.access.principal import Principal
    from layers.store import Store

T = TypeVar("T")

#: The file name that means standard input (where a file is read) or output (where written).
STDIO: Final = "-"

#: The language of the command line's messages (its output has always been English).
CLI_LANGUAGE: Final = "en"


class CommandError(MapaError, RuntimeError):
    """A subcommand stopped for a reason of its own: a bad option, a missing tool, a check
    that failed. ``result`` is what it found before stopping (None: nothing): with ``--json``
    it is printed with the error, in the same object."""

    result: dict[str, Any] | None = None


#: How a subcommand reaches towns' data, for an account of some towns (``--as``): it acts on
#: the store as a whole (refused), on ``--town`` (checked by :func:`store_from`), or it checks
#: the town itself once it knows it (:func:`require_town`, or a ``layers`` function taking
#: the principal).
WHOLE_STORE: Final = "whole_store"
NAMED_TOWN: Final = "named_town"
OWN_CHECK: Final = "own_check"


def add_common_options(parser: argparse.ArgumentParser, tenancy: str = WHOLE_STORE) -> None:
    """Add ``--store``, ``--json`` and ``--as`` to a subcommand parser; ``tenancy`` says how
    it reaches towns' data (:data:`WHOLE_STORE` unless it checks the town)."""
    from layers.store import default_location, public_location

    parser.add_argument("--store", default=None,
                        help="store location: GeoPackage path or postgresql:// URL "
                             f"(default {public_location(default_location())})")
    parser.add_argument("--json", action="store_true",
                        help="print the result as one JSON object on the last line")
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", default=None,
                        help="act as this account: its role's rights in its towns only, "
                             "named in the audit log (default: the operator, an admin of "
                             "every town)")
    parser.set_defaults(tenancy=tenancy)


def subcommand(subparsers: Any, name: str, help_text: str,
               handler: Callable[[argparse.Namespace], int], tenancy: str = WHOLE_STORE
               ) -> argparse.ArgumentParser:
    """Create a subcommand parser with the common options (``tenancy`` as
    :func:`add_common_options`) and its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text,
                                                            description=help_text)
    add_common_options(parser, tenancy)
    parser.set_defaults(handler=handler)
    return parser


def add_town_option(parser: argparse.ArgumentParser, *, required: bool, may_be_new: bool = False,
                    help_text: str = "town: its id or name (litvinov, Litvínov, LITVINOV)") -> None:
    """Add ``--town`` naming a town by id or by name as people write it; :func:`store_from`
    replaces the given text by the town's id and checks it is one of the ``--as`` account's
    towns. ``may_be_new``: a text that names no town in the store is kept as given (the
    command adds that town) instead of refused."""
    parser.add_argument("--town", required=required, default=None, help=help_text)
    parser.set_defaults(resolve_town="may_be_new" if may_be_new else "known",
                        tenancy=NAMED_TOWN)


def store_from(args: argparse.Namespace) -> Store:
    """Open the store named by ``--store`` (or the default), first removing what a killed
    writer left beside it (``Store.remove_leftovers``). A ``--town`` added by
    :func:`add_town_option` is resolved to the town's id in ``args`` (``layers.town_names``).
    The account of ``--as`` becomes ``args.actor`` (:func:`cli_actor`) and the command's
    tenancy is checked against its towns.

    Raises ``StoreError``; ``NotFound`` for a town that is not in the store or an ``--as``
    account that is unknown or disabled; ``AccessDenied`` for a town outside the account's,
    or a whole-store command (or one without ``--town``) run for an account of some towns.
    """
    from layers.store import open_store

    store = open_store(args.store)
    if store.exists():
        store.remove_leftovers()
        if getattr(args, "resolve_town", None) and args.town is not None:
            args.town = _town_id(store, args.town, args.resolve_town == "may_be_new")
    if getattr(args, "as_user", None):
        args.actor = _account(store, args.as_user)
        _check_tenancy(args, args.actor)
    return store


def _account(store: Store, username: str) -> Principal:
    from layers.access.accounts import principal_of
    from layers.errors import NotFound

    found = principal_of(store, username) if store.exists() else None
    if found is None:
        raise NotFound("account.unknown", username=username)
    return found


def _check_tenancy(args: argparse.Namespace, actor: Principal) -> None:
    if actor.towns is None:
        return
    tenancy = getattr(args, "tenancy", WHOLE_STORE)
    if tenancy == NAMED_TOWN:
        if args.town is None:
            raise actor.refusal("access.name_a_town")
        actor.require_town(args.town)
    elif tenancy == WHOLE_STORE:
        raise actor.refusal("access.whole_store")


def cli_actor(args: argparse.Namespace) -> Principal:
    """Who the command acts as: the ``--as`` account once :func:`store_from` ran, else the
    operator, an admin of every town named after the login running it (whoever runs
    ``mapa`` can write the store anyway: ``--as`` narrows a run, it does not authenticate)."""
    import getpass

    from layers.access.principal import Principal
    from layers.access.roles import ADMIN

    actor: Principal | None = getattr(args, "actor", None)
    return actor if actor is not None else Principal(f"cli:{getpass.getuser()}", ADMIN)


def require_town(args: argparse.Namespace, town_id: str) -> None:
    """Refuse (``AccessDenied``) a town outside the towns of the ``--as`` account."""
    cli_actor(args).require_town(town_id)


def _town_id(store: Store, given: str, may_be_new: bool) -> str:
    from layers.errors import NotFound
    from layers.town_names import resolve_town

    try:
        return resolve_town(store, given)
    except NotFound:
        if may_be_new:
            return given
        raise


def print_json_error(code: str, message: str, found: dict[str, Any] | None = None) -> None:
    """Print the ``--json`` error object ``{..found, "error": {"code", "message"}}`` as one
    line on stdout."""
    print(json.dumps({**(found or {}), "error": {"code": code, "message": message}},
                     ensure_ascii=False, default=str))


@contextlib.contextmanager
def input_file(given: Path) -> Iterator[Path]:
    """The file to read: ``given`` itself, or for ``-`` standard input copied into a
    temporary file (removed afterwards) named with the suffix its first bytes tell
    (:func:`sniff_suffix`), since the importers recognise a format by its suffix."""
    if str(given) != STDIO:
        yield given
        return
    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory(prefix="mapa-stdin-") as folder:
        path = Path(folder) / f"stdin{sniff_suffix(data[:4096])}"
        path.write_bytes(data)
        yield path


def sniff_suffix(head: bytes) -> str:
    """The file suffix of a file that starts with ``head``: GeoPackage, zip (shapefile),
    FlatGeobuf, KML, GML, GeoJSON; anything else is read as CSV."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"SQLite format 3"):
        return ".gpkg"
    if head.startswith(b"PK"):
        return ".zip"
    if head.startswith(b"fgb"):
        return ".fgb"
    if text.startswith(b"<"):
        return ".kml" if b"<kml" in head else ".gml"
    if text.startswith((b"{", b"[")):
        return ".geojson"
    return ".csv"


@contextlib.contextmanager
def output_file(args: argparse.Namespace, given: Path) -> Iterator[Path]:
    """The file to write: ``given`` itself, or for ``-`` a temporary file (with ``given``'s
    suffix taken from ``--format`` when there is one) whose bytes go to standard output once
    the block has written it whole. ``-`` with ``--json`` is refused (``cli.stdout_json``):
    the JSON line would mix with the file."""
    if str(given) != STDIO:
        yield given
        return
    if getattr(args, "json", False):
        raise InvalidInput("cli.stdout_json")
    suffix = f".{args.format}" if getattr(args, "format", None) else ""
    with tempfile.TemporaryDirectory(prefix="mapa-stdout-") as folder:
        path = Path(folder) / f"stdout{suffix}"
        yield path
        sys.stdout.flush()
        with path.open("rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def shows_progress(args: argparse.Namespace) -> bool:
    """Whether a long command draws a progress bar: only when stdout is a terminal, without
    ``--json`` and not when ``MAPA_NO_PROGRESS`` is set."""
    return (not getattr(args, "json", False) and sys.stdout.isatty()
            and not os.environ.get("MAPA_NO_PROGRESS"))


def progress(args: argparse.Namespace, steps: Iterable[T], description: str,
             total: int | None = None) -> Iterator[T]:
    """``steps`` as they are, drawn as a progress bar (rich, which Streamlit brings) on
    stderr when :func:`shows_progress`; quiet otherwise (piped, ``--json``)."""
    if not shows_progress(args):
        yield from steps
        return
    from rich.progress import track

    yield from track(steps, description=description, total=total, transient=True,
                     console=_stderr_console())


@contextlib.contextmanager
def step_reporter(args: argparse.Namespace) -> Iterator[Callable[[str], None]]:
    """A callable that reports the step a long command is at: a spinner with the step's text
    (rich) on stderr when :func:`shows_progress`, silent otherwise (piped, ``--json``)."""
    if not shows_progress(args):
        yield lambda _message: None
        return
    with _stderr_console().status("…") as status:
        yield lambda message: status.update(message)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)


def emit(args: argparse.Namespace, readable: str, result: dict[str, Any]) -> None:
    """Print ``readable`` text, and with ``--json`` the result as the last line. When the
    command writes its file to standard output (``--out -``) the text goes to stderr."""
    if readable:
        print(readable, file=sys.stderr if str(getattr(args, "out", "")) == STDIO else sys.stdout)
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
        print_json_error(error.code, reason, getattr(error, "result", None))
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
