"""The public view of a hotspot analysis: sensitive pins only in cells with at least k of them.

Pins of :data:`layers.schema.SENSITIVE_CATEGORIES` point at people (seed 003: children show
where "dangerous people live"). Before an analysis meant for the public, every sensitive pin
in a grid cell holding fewer than ``k`` approved sensitive pins is left out, so no published
count, density or hotspot can be traced back to one or two answers. ``k`` is configurable
but never below :data:`layers.privacy.MIN_K` (the project's one k floor, shared with the
map's public pin view). Exact points and the KDE bandwidth (which, with a small value,
reveals point positions) are analyst details; :mod:`layers.hotspots.analysis` drops the
bandwidth from public results.

Reference: the k-anonymity principle (Sweeney, L. (2002), "k-anonymity: a model for protecting
privacy", Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 10(5)) applied to
spatial cells, as in small-cell suppression of official statistics.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from layers.errors import InvalidInput
from layers.privacy import MIN_K
from layers.schema import SENSITIVE_CATEGORIES
from layers.vocabulary import PUBLIC_K

#: The public threshold of hotspot analyses unless a caller asks for a stricter one.
DEFAULT_K: Final = PUBLIC_K


def check_k(k: int) -> int:
    """Return ``k``; ``ValueError`` when it is below :data:`MIN_K`."""
    if int(k) < MIN_K:
        raise InvalidInput("privacy.public_k", minimum=MIN_K, k=k)
    return int(k)


def public_mask(categories: pd.Series, cell_index: np.ndarray, k: int = DEFAULT_K) -> np.ndarray:
    """Which pins may enter a public analysis (boolean, aligned with ``categories``).

    ``cell_index`` is each pin's grid cell (−1 outside the grid). Non-sensitive pins always
    pass; a sensitive pin passes only when its cell holds at least ``k`` sensitive pins.
    """
    k = check_k(k)
    sensitive = categories.astype(str).isin(SENSITIVE_CATEGORIES).to_numpy()
    cells = np.asarray(cell_index)
    valid = sensitive & (cells >= 0)
    per_cell = np.bincount(cells[valid], minlength=int(cells.max(initial=0)) + 1)
    enough = np.zeros(cells.shape, dtype=bool)
    enough[valid] = per_cell[cells[valid]] >= k
    return ~sensitive | enough
