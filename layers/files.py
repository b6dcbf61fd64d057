"""Files: written whole or not at all, and fingerprinted."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_output(out: str | os.PathLike[str], suffix: str = ".gpkg") -> Iterator[Path]:
    """Yield a fresh, not yet existing path beside ``out`` to write the file to.

    When the block ends without an exception the file replaces ``out`` in one rename, so a
    reader never sees half a file; otherwise ``out`` is left as it was. Either way the
    temporary file and its SQLite side files (``-journal``, ``-wal``) are removed. The parent
    folder of ``out`` is created when missing.
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL refuse to open an existing empty file as a new one
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        for leftover in tmp.parent.glob(f"{tmp.name}*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of the file at ``path``, read in 1 MiB blocks (any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
