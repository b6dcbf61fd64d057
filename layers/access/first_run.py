"""The first admin of a fresh deployment, without any secret in the repository.

``./scripts/run`` calls :func:`ensure_first_admin` (through ``mapa first-admin``) before the
app starts: a store that has an active admin is left alone; otherwise the admin comes from
``MAPA_ADMIN_USER`` / ``MAPA_ADMIN_PASSWORD`` (environment, else ``.streamlit/secrets.toml``),
and when neither names one, a random password is made, written to the secrets file (which
is gitignored, mode 0600) and the account ``admin`` is created with it. The app reads the same
two settings (``app.ui.access.bootstrap_admin``), so either way round ends with one admin.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from layers.access import accounts
from layers.access.secrets_file import append_secrets, read_secrets
from layers.store import Store

ADMIN_USER: Final = "MAPA_ADMIN_USER"
ADMIN_PASSWORD: Final = "MAPA_ADMIN_PASSWORD"
#: The username of a generated first admin.
GENERATED_USER: Final = "admin"


@dataclass(frozen=True)
class FirstAdmin:
    """What :func:`ensure_first_admin` did: ``outcome`` is "existing" (an active admin was
    there), "configured" (created from the settings) or "generated" (a new password was
    written to ``secrets_file``); ``username`` is the admin created ("" when "existing")."""

    outcome: str
    username: str
    secrets_file: Path


def ensure_first_admin(store: Store, secrets_file: Path,
                       environ: Mapping[str, str] | None = None) -> FirstAdmin:
    """Make sure ``store`` has an active admin (see the module docstring).

    ``environ`` defaults to ``os.environ``. The generated password is never returned or
    printed: it is only in ``secrets_file``. Raises ``ValueError`` when the secrets file is
    not valid TOML, names only one of the two settings, or the settings make no valid account
    (e.g. a password shorter than ``accounts.MIN_PASSWORD``), and ``OSError`` when the file
    cannot be written.
    """
    if accounts.has_active_admin(store):
        return FirstAdmin("existing", "", secrets_file)
    env = os.environ if environ is None else environ
    stored = read_secrets(secrets_file)
    username = env.get(ADMIN_USER) or str(stored.get(ADMIN_USER, ""))
    password = env.get(ADMIN_PASSWORD) or str(stored.get(ADMIN_PASSWORD, ""))
    if username and password:
        accounts.bootstrap_admin(store, username, password)
        return FirstAdmin("configured", username, secrets_file)
    if ADMIN_USER in stored or ADMIN_PASSWORD in stored:
        raise ValueError(f"{secrets_file} sets only one of {ADMIN_USER} and {ADMIN_PASSWORD}; "
                         "set both or remove it")
    password = secrets.token_urlsafe(18)  # 144 bits, only [A-Za-z0-9_-]: safe in TOML
    append_secrets(secrets_file, {ADMIN_USER: GENERATED_USER, ADMIN_PASSWORD: password},
                   "first admin, written by mapa first-admin")
    accounts.bootstrap_admin(store, GENERATED_USER, password)
    return FirstAdmin("generated", GENERATED_USER, secrets_file)

