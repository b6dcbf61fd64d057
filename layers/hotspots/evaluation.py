"""How well a hotspot map built on one period predicts the next: hit rate and PAI.

Cells are ranked by a score from the earlier period (KDE, Gi* z or counts) and taken from the
top until they cover ``coverage`` of the study area (e.g. 5 %); then, for the later period's
``N`` points of which ``n`` fall in those cells covering area ``a`` of ``A``:

* hit rate = n / N
* Predictive Accuracy Index PAI = (n / N) / (a / A)  (Chainey, Tompson & Uhlig 2008)

PAI 1 means the map does no better than spreading patrols evenly; 5–10 is common for good
crime hotspot maps at 5 % coverage.

References: Chainey, S., Tompson, L. & Uhlig, S. (2008), "The utility of hotspot mapping for
predicting spatial patterns of crime", Security Journal 21; Hunt, J. M. (2016), "Do crime
hot spots move?", NIJ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Evaluation:
    """Hit rate and PAI of a selection of cells against later points."""

    coverage: float
    cells: int
    area_share: float
    hits: int
    total: int
    hit_rate: float
    pai: float


def select_top_cells(scores: np.ndarray, areas: np.ndarray, coverage: float) -> np.ndarray:
    """Boolean mask of the highest-scoring cells whose area adds up to at most ``coverage``.

    Cells are taken in descending score (ties by index) while the cumulative area stays within
    ``coverage · A``; at least one cell is taken. Cells with a non-finite or non-positive score
    are never taken. Raises ``ValueError`` for coverage outside (0, 1].
    """
    if not 0 < coverage <= 1:
        raise ValueError(f"coverage must be in (0, 1], got {coverage}")
    score = np.asarray(scores, dtype=float)
    area = np.asarray(areas, dtype=float)
    eligible = np.isfinite(score) & (score > 0)
    order = np.argsort(-np.where(eligible, score, -np.inf), kind="stable")
    order = order[eligible[order]]
    cumulative = np.cumsum(area[order])
    take = order[cumulative <= coverage * area.sum()]
    if take.size == 0 and order.size:
        take = order[:1]
    mask = np.zeros(score.shape, dtype=bool)
    mask[take] = True
    return mask


def pai(hits: int, total: int, area: float, total_area: float) -> float:
    """Predictive Accuracy Index ``(hits/total) / (area/total_area)``; NaN when undefined."""
    if total <= 0 or area <= 0 or total_area <= 0:
        return float("nan")
    return (hits / total) / (area / total_area)


def evaluate(scores: np.ndarray, later_counts: np.ndarray, areas: np.ndarray,
             coverage: float = 0.05) -> Evaluation:
    """Hit rate and PAI of the top ``coverage`` cells by ``scores`` for ``later_counts``."""
    mask = select_top_cells(scores, areas, coverage)
    counts = np.asarray(later_counts, dtype=float)
    area = np.asarray(areas, dtype=float)
    hits = int(counts[mask].sum())
    total = int(counts.sum())
    chosen_area = float(area[mask].sum())
    total_area = float(area.sum())
    return Evaluation(
        coverage=coverage, cells=int(mask.sum()),
        area_share=chosen_area / total_area if total_area > 0 else float("nan"),
        hits=hits, total=total, hit_rate=hits / total if total else float("nan"),
        pai=pai(hits, total, chosen_area, total_area),
    )
