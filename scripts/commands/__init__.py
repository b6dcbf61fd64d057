"""The ``mapa`` subcommands, one module each; each exposes ``register(subparsers)``."""

from __future__ import annotations

from scripts.commands import (
    bench,
    build_demo,
    export,
    hotspots,
    import_cmd,
    info,
    session_map,
)

COMMAND_MODULES = (build_demo, info, bench, hotspots, import_cmd, export, session_map)
