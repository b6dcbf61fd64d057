"""``mapa first-admin``: make sure the store has an admin (``layers.access.first_run``) and
the app a key to sign login cookies (``MAPA_SESSION_KEY``, ``layers.access.sessions``).

Run by ``./scripts/run`` before the app starts. It prints where a generated password or key
is, never the secret itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access import sessions
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
        key_created = sessions.session_key(args.secrets) is None
        sessions.session_key(args.secrets, create=True)
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
    key_message = (f"» a key that signs login cookies ({sessions.SESSION_KEY}) was written to "
                   f"{args.secrets}" if key_created else "")
    emit(args, "\n".join(m for m in (messages[done.outcome], key_message) if m),
         {"outcome": done.outcome, "username": done.username,
          "secrets_file": str(done.secrets_file), "session_key_created": key_created})
    return 0
