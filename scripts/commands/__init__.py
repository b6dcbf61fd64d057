"""The ``mapa`` subcommands, one module each; each exposes ``register(subparsers)``."""

from __future__ import annotations

from scripts.commands import bench, build_demo, info

COMMAND_MODULES = (build_demo, info, bench)
