"""The ``mapa`` subcommands, one module each; each exposes ``register(subparsers)``."""

from __future__ import annotations

from types import ModuleType

from scripts.commands import (
    audit,
    backup,
    bench,
    build_demo,
    export,
    hotspots,
    import_cmd,
    info,
    migrate,
    session_map,
    user,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    build_demo, info, bench, hotspots, import_cmd, export, session_map, user, audit, migrate,
    backup)

# issue 7 (patrol planning, public-space tools), kept apart so concurrent edits stay additive
from scripts.commands import accessibility, patrol  # noqa: E402

COMMAND_MODULES = (*COMMAND_MODULES, patrol, accessibility)

# issue 6 (import batches: list and undo)
from scripts.commands import batches  # noqa: E402

COMMAND_MODULES = (*COMMAND_MODULES, batches)

# issue 8 (accounts): the first admin of a fresh clone, called by scripts/run
from scripts.commands import first_admin  # noqa: E402

COMMAND_MODULES = (*COMMAND_MODULES, first_admin)

from scripts.commands import retention  # noqa: E402

COMMAND_MODULES = (*COMMAND_MODULES, retention)
