"""The deployment's secrets file (Streamlit's ``.streamlit/secrets.toml``, gitignored): read
it, and append a generated secret to it, readable by its owner only (mode 0600).

Settings are looked up in the environment first, then in this file
(:func:`setting`), the same order the app follows.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Final

#: Streamlit's project secrets file, relative to the directory the app is started from.
SECRETS_FILE: Final = Path(".streamlit") / "secrets.toml"


def read_secrets(path: Path) -> dict[str, object]:
    """The settings in ``path`` ({} when it does not exist). Raises ``ValueError`` when it is
    not valid TOML and ``OSError`` when it cannot be read."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc


def setting(name: str, path: Path, environ: Mapping[str, str] | None = None
            ) -> tuple[str, str]:
    """The value of setting ``name`` and where it came from: ("environment" or "secrets
    file"); ("", "") when neither sets it. The environment (``environ``, default
    ``os.environ``) wins. Raises as :func:`read_secrets`."""
    env = os.environ if environ is None else environ
    if env.get(name):
        return env[name], "environment"
    stored = str(read_secrets(path).get(name, ""))
    return (stored, "secrets file") if stored else ("", "")


def append_secrets(path: Path, values: Mapping[str, str], comment: str) -> None:
    """Append ``values`` as TOML strings (under a ``# comment`` line) to ``path``, creating
    it and its folder if needed; the file ends readable by its owner only. The values must
    need no TOML escaping (generated tokens). Raises ``OSError`` when it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode on open
        lines = "".join(f'{key} = "{value}"\n' for key, value in values.items())
        head = b"\n" if path.stat().st_size and not path.read_bytes().endswith(b"\n") else b""
        os.write(fd, head + (f"# {comment}\n" + lines).encode())
    finally:
        os.close(fd)
