"""The ``mapa`` subcommands, one module each; each exposes ``register(subparsers)``.

:data:`COMMANDS` lists every top-level command with the module that registers it and a
one-line summary, *without importing the modules*: ``mapa --help`` and ``mapa --version``
read only this table, and ``mapa NAME …`` imports only NAME's module (:func:`load`), so the
heavy libraries (geopandas, Streamlit…) are imported only by a command that uses them.
The order is the order ``mapa --help`` lists them in.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final, NamedTuple


class Command(NamedTuple):
    """A top-level command: its name, the module under ``scripts.commands`` that registers it,
    and the summary ``mapa --help`` shows."""

    name: str
    module: str
    summary: str


COMMANDS: Final[tuple[Command, ...]] = (
    Command("build-demo", "build_demo", "build the demo store (real and illustrative data)"),
    Command("info", "info", "layers, feature counts per town, CRS and sources"),
    Command("bench", "bench", "benchmarks (mapa bench map, …)"),
    Command("hotspots", "hotspots", "fear or crime hotspots of a town on a hexagonal grid"),
    Command("import", "import_cmd", "import outside data (mapa import localities …)"),
    Command("export", "export", "export data (mapa export pins …)"),
    Command("session", "session", "public links and the list of sessions"),
    Command("session-map", "session_map", "print a session map (PDF with a lettered grid)"),
    Command("user", "user", "app accounts (mapa user add|list|disable|passwd|unlock)"),
    Command("audit", "audit", "show, write or verify the audit log"),
    Command("migrate", "migrate", "update a store's schema, or copy a whole store"),
    Command("backup", "backup", "write a verified, signed snapshot of the store"),
    Command("restore", "backup", "replace the store with a signed backup"),
    Command("patrol", "patrol", "patrol plan: ranked places, walking route, GPX and sheet"),
    Command("accessibility", "accessibility", "distance to the nearest service; white spots"),
    Command("analysis", "analysis", "the yearly security analysis of an area (DOCX, ODT or PDF)"),
    Command("batches", "batches", "list import batches, newest first"),
    Command("undo", "batches", "remove every row of one import batch, atomically"),
    Command("first-admin", "first_admin", "create the first admin when the store has none"),
    Command("retention", "retention", "delete the text of held notes past the retention period"),
    Command("moderate", "moderate", "moderate a whole session or import batch"),
    Command("services", "services", "the catalogue of services (mapa services search …)"),
    Command("strategy", "strategy", "strategies, goals, measures and indicators"),
    Command("geocode", "geocode",
            "find an address, street, stop or part of town (or name a point with --reverse)"),
    Command("template", "template",
            "write the import template of a layer (Czech headers, an example row)"),
    Command("serve", "serve", "start the app (streamlit run of the installed package)"),
)


def load(command: Command) -> ModuleType:
    """Import the module that registers ``command`` (and only that one)."""
    return importlib.import_module(f"{__name__}.{command.module}")


def find(name: str) -> Command | None:
    """The command called ``name``, or None."""
    return next((c for c in COMMANDS if c.name == name), None)
