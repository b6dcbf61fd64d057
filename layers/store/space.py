"""A write that failed for want of space, told apart from other write failures.

A full file system (ENOSPC, or a quota: EDQUOT) and a process's file size limit
(``RLIMIT_FSIZE``: EFBIG) stop a GeoPackage write half-way. The store is left as it was (the
write went to a private copy or to an SQLite transaction), but the error that reaches the
caller depends on who noticed: Python (an ``OSError`` with its errno), SQLite ("database or
disk is full") or GDAL, which passes SQLite's failures on as text and reports an EFBIG only as
"disk I/O error". :func:`out_of_space` recognises all of them, and :func:`disk_errors` turns
them into one coded ``StoreError`` (``store.disk_full``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from layers.store.base import StoreError

SPACE_ERRNOS: Final = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
#: Texts SQLite and GDAL give for a write that found no space.
SPACE_TEXTS: Final = ("database or disk is full", "no space left on device", "file too large",
                      "disk quota exceeded")
#: Below this much free space (bytes), or this close to the file size limit, an unspecific
#: "disk I/O error" is taken for a full disk.
MARGIN: Final = 1 << 20


def out_of_space(exc: BaseException, written: Path) -> bool:
    """True when ``exc``, raised while writing ``written``, means there was no space."""
    if isinstance(exc, OSError) and exc.errno in SPACE_ERRNOS:
        return True
    text = str(exc).lower()
    if any(phrase in text for phrase in SPACE_TEXTS):
        return True
    # GDAL hands SQLite's other write failures (EFBIG among them) on as "disk I/O error"
    return "disk i/o error" in text and _space_exhausted(written)


def _space_exhausted(written: Path) -> bool:
    """The file system of ``written`` is (nearly) full, or a file of it (with SQLite's
    journal) has (nearly) reached this process's file size limit."""
    sizes = [0]
    for candidate in (written, written.with_name(written.name + "-journal"),
                      written.with_name(written.name + "-wal")):
        with contextlib.suppress(OSError):
            sizes.append(candidate.stat().st_size)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY and max(sizes) + MARGIN >= limit:
        return True
    try:
        stat = os.statvfs(written.parent)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < MARGIN


@contextlib.contextmanager
def disk_errors(location: str, written: Path) -> Iterator[None]:
    """Raise ``StoreError("store.disk_full")`` for a failure inside the block that
    :func:`out_of_space` recognises (``written``: the file the block writes); let any other
    exception through unchanged."""
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:
        if out_of_space(exc, written):
            raise StoreError("store.disk_full", location=location, detail=exc) from exc
        raise
