"""An uploaded file imported from a private temporary folder that never outlives the import.

The Data page hands the uploaded bytes here; they are written to a fresh folder (named
``mapa-upload-…`` in the system's temporary directory), imported with
:func:`layers.ingest.batches.run_import`, and the folder is deleted whether the import
succeeded or failed. A server killed in the middle leaves a folder behind:
:func:`remove_stale_uploads` deletes those older than a day (run when the app starts).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from layers.ingest.batches import ImportResult, run_import
from layers.store import Store

#: Name prefix of an upload's private folder.
UPLOAD_PREFIX: Final = "mapa-upload-"
#: Age after which an upload folder is taken for one a killed server left (seconds).
STALE_AFTER_S: Final = 24 * 3600


def import_upload(store: Store, kind: str, file_name: str, data: bytes,
                  companions: Mapping[str, bytes] | None = None, **options: Any
                  ) -> ImportResult:
    """Import ``data`` (the bytes of an upload called ``file_name``, whose suffix says its
    format) as ``kind`` with ``run_import``'s keyword ``options`` (``display_name`` defaults
    to ``file_name``); ``companions`` (file name → bytes) are written beside it (the police
    export's lookup tables). The files go to a fresh private folder that is removed when the
    import ends, whatever its outcome. Raises what ``run_import`` raises."""
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    try:
        path = folder / (Path(file_name).name or "upload")
        for name, content in (companions or {}).items():
            (folder / (Path(name).name or "companion")).write_bytes(content)
        path.write_bytes(data)
        options.setdefault("display_name", file_name)
        return run_import(store, kind, path, **options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_uploads(older_than_s: float = STALE_AFTER_S) -> int:
    """Delete upload folders older than ``older_than_s`` seconds; return how many."""
    cutoff = time.time() - older_than_s
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{UPLOAD_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:  # another process removed it first
            continue
    return removed
