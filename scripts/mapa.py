"""``mapa``: the project's one command-line tool.

Every subcommand takes ``--store PATH`` and ``--json``; with ``--json`` the last line printed
is one JSON object: the result, or ``{"error": {"code": ..., "message": ...}}`` when stopped
(also when the command line itself is wrong: argparse's usage errors are reported the same
way, with exit status 2). Exit status 0 on success, 1 with a one-line reason on stderr when
stopped. Subcommands raise domain errors (:class:`layers.errors.MapaError`) freely;
:func:`main` reports them.

Subcommands live in ``scripts/commands/``, one module each, exposing ``register(subparsers)``.
Only the module of the command being run is imported (``scripts.commands.COMMANDS``), so
``mapa --help`` and ``mapa --version`` import no heavy library.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from scripts.commands import COMMANDS, Command, find, load


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors, when ``--json`` was asked for, also end with
    the JSON error object on stdout (code ``cli.usage``), as every other failure does.
    Subparsers are of the same class (argparse creates them from the parent's type)."""

    json_wanted = False

    def error(self, message: str) -> NoReturn:
        if Parser.json_wanted:
            from scripts.commands.common import print_json_error  # only on failure

            self.print_usage(sys.stderr)
            print(f"{self.prog}: error: {message}", file=sys.stderr)
            print_json_error("cli.usage", message)
            self.exit(2)
        super().error(message)


class _Version(argparse.Action):
    """``--version``: print it and stop; looked up only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from scripts import __version__

        print(f"mapa {__version__}")
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser for ``argv``: the command ``argv`` names is registered in full
    (its module imported), every other command only by name and summary. With ``argv``
    None every command is registered in full (for tests and documentation)."""
    parser = Parser(prog="mapa", description="Mapa bezpečí – safety map tools")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version and exit")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = _command_name(argv)
    if chosen is not None:  # first: its module may register sibling commands too
        load(chosen).register(subparsers)
    for command in COMMANDS:
        if command.name in subparsers.choices:
            continue  # a module registering several commands registered it already
        if argv is None:
            load(command).register(subparsers)
        else:
            subparsers.add_parser(command.name, help=command.summary, add_help=False)
    return parser


def _command_name(argv: Sequence[str] | None) -> Command | None:
    """The command the first word of ``argv`` that is not an option names, if it names one."""
    first = next((word for word in argv or () if not word.startswith("-")), None)
    return None if first is None else find(first)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mapa`` with ``argv``; return the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    Parser.json_wanted = "--json" in words
    from layers.logs import configure_logging  # light: the standard library only

    configure_logging()
    args = build_parser(words).parse_args(words)
    from layers.errors import MapaError
    from scripts.commands.common import report_failure

    try:
        status = args.handler(args)
    except (MapaError, ValueError, OSError) as exc:
        return report_failure(args, exc)
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
