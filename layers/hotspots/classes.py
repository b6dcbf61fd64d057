"""Hot and cold classes at 90/95/99 % confidence from z-scores and FDR-adjusted p-values.

The bins follow ArcGIS' Hot Spot Analysis (``Gi_Bin`` −3 … 3): ``3`` = hot at 99 %, ``2`` = hot
at 95 %, ``1`` = hot at 90 %, ``0`` = not significant, negatives the same for cold spots. A cell
is in the highest bin whose level its FDR-adjusted p-value meets.

Reference: Esri, "How Hot Spot Analysis (Getis-Ord Gi*) works" (ArcGIS Pro documentation).
"""

from __future__ import annotations

from typing import Final

import numpy as np

#: (bin, alpha) from the strictest level down.
LEVELS: Final = ((3, 0.01), (2, 0.05), (1, 0.10))

#: Stable codes of the bins (labels live in the UI's i18n).
CLASS_CODES: Final = {
    3: "hot_99", 2: "hot_95", 1: "hot_90", 0: "not_significant",
    -1: "cold_90", -2: "cold_95", -3: "cold_99",
}


def gi_bins(z: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Integer bins −3 … 3 from z-scores (their sign) and (FDR-adjusted) p-values; NaN → 0."""
    zv = np.asarray(z, dtype=float)
    qv = np.asarray(q, dtype=float)
    bins = np.zeros(zv.shape, dtype=np.int64)
    for level, alpha in reversed(LEVELS):
        passed = np.isfinite(qv) & (qv <= alpha)
        bins = np.where(passed & (zv > 0), level, bins)
        bins = np.where(passed & (zv < 0), -level, bins)
    return bins


def class_codes(bins: np.ndarray) -> np.ndarray:
    """The class code (``"hot_99"`` …) of each bin."""
    return np.array([CLASS_CODES[int(b)] for b in np.asarray(bins).ravel()], dtype=object)


def is_hot(bins: np.ndarray, confidence: float = 0.95) -> np.ndarray:
    """Cells hot at ``confidence`` (0.90, 0.95 or 0.99) or more."""
    return np.asarray(bins) >= min_bin(confidence)


def min_bin(confidence: float) -> int:
    """The bin a cell must reach to be significant at ``confidence``; ``ValueError`` otherwise."""
    for level, alpha in LEVELS:
        if abs((1.0 - alpha) - confidence) < 1e-9:
            return level
    raise ValueError(f"confidence must be 0.90, 0.95 or 0.99, got {confidence}")
