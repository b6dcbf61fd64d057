"""``mapa first-admin``: make sure the store has an admin (``layers.access.first_run``).

Run by ``./scripts/run`` before the app starts. It prints where a generated password is,
never the password itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access.first_run import ensure_first_admin
from layers.access.secrets_file import SECRETS_FILE
from layers.store.base import StoreError
from scripts.commands.common import CommandError, emit, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "first-admin",
                        "create the first admin when the store has none (a random password "
                        "goes to .streamlit/secrets.toml unless MAPA_ADMIN_USER and "
                        "MAPA_ADMIN_PASSWORD are set)", run)
    parser.add_argument("--secrets", type=Path, default=SECRETS_FILE,
                        help=f"secrets file (default {SECRETS_FILE})")


def run(args: argparse.Namespace) -> int:
    try:
        done = ensure_first_admin(store_from(args), args.secrets)
    except (ValueError, OSError, StoreError) as exc:
        raise CommandError("cli.first_admin", reason=exc) from exc
    messages = {
        "existing": "",
        "configured": f"» first admin {done.username!r} created from MAPA_ADMIN_USER / "
                      "MAPA_ADMIN_PASSWORD",
        "generated": f"» first admin {done.username!r} created; its password is "
                     f"MAPA_ADMIN_PASSWORD in {done.secrets_file} (readable by you only). "
                     f"Change it with `mapa user passwd {done.username}`.",
    }
    emit(args, messages[done.outcome], {"outcome": done.outcome, "username": done.username,
                                        "secrets_file": str(done.secrets_file)})
    return 0
