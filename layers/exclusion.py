"""The social-exclusion index (index sociálního vyloučení, MMR/ASZ, 0–30 points) and its bands.

Method: Lang & Matoušek (2020); the 2023 edition is published by MMR – Odbor pro sociální
začleňování. The bands are those of the ministry's table (also used by seed 002):
0–1 none/low, 2–7 medium, 8–11 elevated, 12–30 high.
"""

from __future__ import annotations

import math
from typing import Final

from layers.vocabulary import EXCLUSION_BAND

#: (code, lowest points, highest points), in ascending order; a band's code
#: (``layers.vocabulary.EXCLUSION_BAND``) is its lowest and highest points.
BANDS: Final[tuple[tuple[str, int, int], ...]] = tuple(
    (code, int(code.split("-")[0]), int(code.split("-")[1])) for code in EXCLUSION_BAND.codes)
#: Fill colours per band, light to dark, for maps and legends.
BAND_COLOURS: Final = {"0-1": "#fee5d9", "2-7": "#fcae91", "8-11": "#fb6a4a", "12-30": "#cb181d"}
#: Fill of an area whose score is not published (a locality: MMR publishes municipalities).
NO_SCORE_COLOUR: Final = "#bdbdbd"


def band_of(points: float) -> str:
    """Return the band code ("0-1", "2-7", "8-11" or "12-30") of an index value.

    Raises ``ValueError`` for values outside 0–30 or NaN: the index is defined only there.
    Fractional values (a locality's estimate) fall into the band of their rounded value.
    """
    if points is None or math.isnan(points) or not 0 <= points <= 30:
        raise ValueError(f"social-exclusion index must be within 0–30 points, got {points!r}")
    rounded = math.floor(points + 0.5)
    for code, low, high in BANDS:
        if low <= rounded <= high:
            return code
    raise AssertionError("bands cover 0–30")  # pragma: no cover


def band_from_ministry_label(label: str) -> str:
    """Translate the ministry's category label (e.g. "12 až 30") into a band code.

    Raises ``ValueError`` for a label that names no band.
    """
    parts = label.replace("až", " ").split()
    code = "-".join(parts)
    if code not in {c for c, _, _ in BANDS}:
        raise ValueError(f"unknown social-exclusion category label {label!r}")
    return code
