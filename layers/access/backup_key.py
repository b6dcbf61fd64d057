"""The key that signs backups (``layers.store.signing``), kept apart from the backups.

``MAPA_BACKUP_KEY`` from the environment wins; otherwise the same setting in the secrets file
(``.streamlit/secrets.toml``). ``mapa backup`` creates a random key in the secrets file (mode
0600) when neither has one; ``mapa restore`` never creates one: a backup can be restored only
with the key that signed it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from layers.access.secrets_file import append_secrets, setting
from layers.errors import InvalidInput

BACKUP_KEY: Final = "MAPA_BACKUP_KEY"
#: Fewest characters a key may have (a generated one has 43: 256 random bits).
MIN_KEY_CHARS: Final = 32


@dataclass(frozen=True)
class BackupKey:
    """A signing key, where it came from ("environment" or "secrets file") and whether it
    was ``created`` just now (in ``secrets_file``)."""

    key: bytes
    source: str
    created: bool
    secrets_file: Path


def backup_key(secrets_file: Path, *, create: bool = False,
               environ: Mapping[str, str] | None = None) -> BackupKey:
    """The backup signing key (see the module docstring); with ``create``, a new random one
    is written to ``secrets_file`` when none is set.

    Raises ``InvalidInput`` ("backup.no_key") when none is set and ``create`` is False,
    ("backup.short_key") for a key shorter than :data:`MIN_KEY_CHARS`, ``ValueError`` for a
    secrets file that is not TOML and ``OSError`` when it cannot be read or written.
    """
    value, source = setting(BACKUP_KEY, secrets_file, environ)
    created = False
    if not value:
        if not create:
            raise InvalidInput("backup.no_key", name=BACKUP_KEY, path=secrets_file)
        value, source, created = secrets.token_urlsafe(32), "secrets file", True
        append_secrets(secrets_file, {BACKUP_KEY: value},
                       "backup signing key, written by mapa backup; keep a copy apart from "
                       "the backups")
    if len(value) < MIN_KEY_CHARS:
        raise InvalidInput("backup.short_key", name=BACKUP_KEY, chars=MIN_KEY_CHARS)
    return BackupKey(value.encode("utf-8"), source, created, secrets_file)
