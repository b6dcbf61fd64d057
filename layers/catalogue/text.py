"""Folding text for diacritics-insensitive matching ("nizkoprahove" finds "nízkoprahové").

Uses the standard library's Unicode decomposition (NFKD) and drops the combining marks, which
covers Czech and every other Latin script the data use; no transliteration library is needed
for that (none is installed), and folding never changes a letter into another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(value: object) -> str:
    """``value`` as text in lower case without diacritics, whitespace collapsed to one space
    ("Nízkoprahové  ZAŘÍZENÍ" → "nizkoprahove zarizeni"); None and NaN fold to ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def tokens(query: str) -> list[str]:
    """The folded words of a search query (empty for a blank one)."""
    return fold(query).split()


def mentions(text: str, fragments: Iterable[str]) -> bool:
    """True when folded ``text`` contains any of ``fragments`` (folded too)."""
    folded = fold(text)
    return any(fold(fragment) in folded for fragment in fragments if fold(fragment))
