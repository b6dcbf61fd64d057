"""False-discovery-rate control for the per-cell tests (Benjamini–Hochberg).

Testing thousands of cells at 5 % each finds hundreds of "hotspots" in pure noise; the
Benjamini–Hochberg step-up procedure bounds the expected share of false discoveries among the
cells called significant. ``fdr_adjust`` returns BH-adjusted p-values (q-values) from
``scipy.stats.false_discovery_control``; a cell is significant at level α when ``q ≤ α``, which
rejects exactly the cells that ``esda.fdr(p, α)`` (the BH cut-off) does, except that esda falls
back to Bonferroni when nothing passes (then we, correctly for BH, reject nothing).

References: Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate",
J. R. Stat. Soc. B 57(1); Caldas de Castro, M. & Singer, B. H. (2006), "Controlling the false
discovery rate: a new application to account for multiple and dependent tests in local
statistics of spatial association", Geographical Analysis 38(2).
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def fdr_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (same shape as ``p``; NaN stays NaN)."""
    values = np.asarray(p, dtype=float)
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    if finite.any():
        out[finite] = stats.false_discovery_control(np.clip(values[finite], 0.0, 1.0),
                                                    method="bh")
    return out
