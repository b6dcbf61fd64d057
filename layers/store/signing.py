"""HMAC-SHA256 signatures of backup manifests, so a backup cannot be changed unnoticed.

A backup's checksums show whether its layers match its manifest; anyone who edits a layer
can rewrite the checksum too. The signature covers the manifest (and when and from where the
backup was made) with a key kept outside the backup (``layers.access.backup_key``): without
the key, no changed manifest gets a matching signature. The key is named in the backup only
by its :func:`key_id`, a hash that does not reveal it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any, Final

ALGORITHM: Final = "HMAC-SHA256"


def signed_text(manifest: Mapping[str, Mapping[str, Any]], source: str, created_at: str
                ) -> str:
    """The canonical text a signature covers: the manifest (layer → rows, checksum), the
    store it was made from and when, as JSON with sorted keys."""
    return json.dumps({"created_at": created_at, "source": source,
                       "layers": {name: {"rows": int(entry["rows"]),
                                         "checksum": str(entry["checksum"])}
                                  for name, entry in manifest.items()}},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def signature(text: str, key: bytes) -> str:
    """The HMAC-SHA256 of ``text`` with ``key``, 64 hex digits."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(text: str, key: bytes, claimed: str) -> bool:
    """True when ``claimed`` is the signature of ``text`` with ``key`` (constant time)."""
    return hmac.compare_digest(signature(text, key), claimed)


def key_id(key: bytes) -> str:
    """A short name of ``key`` (16 hex digits of a hash): tells keys apart, reveals nothing."""
    return hashlib.sha256(b"mapa backup key id\x00" + key).hexdigest()[:16]
