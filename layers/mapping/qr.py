"""QR codes of public session links (segno: pure Python, no network), as SVG or PNG."""

from __future__ import annotations

import io
from pathlib import Path

import segno

#: Formats a QR code is written in, by file suffix.
QR_KINDS = ("svg", "png")


def qr_bytes(url: str, kind: str, scale: int = 8) -> bytes:
    """The QR code of ``url`` as an SVG or PNG file's bytes (``scale`` pixels a module, a
    quiet zone of four). Raises ``ValueError`` for another ``kind``."""
    if kind not in QR_KINDS:
        raise ValueError(f"QR code kind must be one of {list(QR_KINDS)}, got {kind!r}")
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind=kind, scale=scale, border=4)
    return buffer.getvalue()


def qr_matrix(url: str) -> list[list[int]]:
    """The QR code of ``url`` as rows of 0/1 modules (1 dark), with a quiet zone of four,
    for drawing it into a printed sheet."""
    return [list(row) for row in segno.make(url, error="m", micro=False).matrix_iter(border=4)]


def write_qr(url: str, out: Path) -> None:
    """Write the QR code of ``url`` to ``out``, SVG or PNG by its suffix. Raises
    ``ValueError`` for another suffix."""
    out.write_bytes(qr_bytes(url, out.suffix.lower().lstrip(".")))
