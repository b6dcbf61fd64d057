"""The ``mapa`` subcommands, one module each; each exposes ``register(subparsers)``.

``COMMAND_MODULES`` is the order ``mapa --help`` lists them in.
"""

from __future__ import annotations

from types import ModuleType

from scripts.commands import (
    accessibility,
    audit,
    backup,
    batches,
    bench,
    build_demo,
    export,
    first_admin,
    geocode,
    hotspots,
    import_cmd,
    info,
    migrate,
    moderate,
    patrol,
    retention,
    services,
    session_map,
    strategy,
    user,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    build_demo, info, bench, hotspots, import_cmd, export, session_map, user, audit, migrate,
    backup, patrol, accessibility, batches, first_admin, retention,
    moderate, services, strategy, geocode)
