"""Fear versus crime: what each cell (or locality) calls for, and how far the two maps agree.

Per cell, with fear hot / crime hot from Gi* at a chosen confidence (or, without point-level
offences, crime "high" where the police district's crime index exceeds the national one):

=================  ==================  ===================================================
fear               crime               class code → meaning
=================  ==================  ===================================================
hot                hot                 ``patrol_situational`` – patrols, situational measures
hot                not                 ``design_communication`` – lighting, public space,
                                       information (the Litvínov report's "objectively
                                       unfounded" fears, seed 001)
not                hot                 ``hidden_risk`` – crime people do not perceive
not                not                 ``neither``
=================  ==================  ===================================================

With only a police district's crime index (no offences), crime is known per district: every
cell of a district would get the same crime value, so the classes would say nothing within
the town; such cells are ``department_only`` (fear shown alone, see
:mod:`layers.hotspots.analysis`).

Agreement between the maps: the share of overlapping hot cells (Jaccard index of the two hot
sets, and the share of fear-hot cells that are crime-hot), and the bivariate spatial
association of the two surfaces, Lee's L (Lee 2001) as ``esda.Spatial_Pearson`` computes it,
on the row-standardised grid weights, with a permutation p-value from a generator of its own
(never NumPy's global one).

References: Lee, S.-I. (2001), "Developing a bivariate spatial association measure: an
integration of Pearson's r and Moran's I", J. Geographical Systems 3(4); Jaccard, P. (1912),
"The distribution of the flora in the alpine zone", New Phytologist 11(2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from scipy import sparse

BOTH: Final = "patrol_situational"
FEAR_ONLY: Final = "design_communication"
CRIME_ONLY: Final = "hidden_risk"
NEITHER: Final = "neither"
#: No crime information for the cell (no offences, no district index).
UNKNOWN: Final = "unknown"
#: Crime known only per police department: the class cannot be told apart within it.
DEPARTMENT_ONLY: Final = "department_only"
FEAR_CRIME_CLASSES: Final = (BOTH, FEAR_ONLY, CRIME_ONLY, NEITHER, DEPARTMENT_ONLY, UNKNOWN)
#: Permutations for Lee's L p-value (esda's loop recomputes W'W each time; 199 keeps it short).
LEE_PERMUTATIONS: Final = 199


@dataclass(frozen=True)
class Agreement:
    """How much the fear and crime maps agree."""

    fear_hot_cells: int
    crime_hot_cells: int
    both_hot_cells: int
    jaccard: float
    fear_hot_also_crime_hot: float
    lee_l: float
    lee_p: float


def classify(fear_hot: np.ndarray, crime_hot: np.ndarray,
             crime_known: np.ndarray | None = None) -> np.ndarray:
    """Class code per cell from two boolean arrays (``crime_known`` False → ``unknown``)."""
    fear = np.asarray(fear_hot, dtype=bool)
    crime = np.asarray(crime_hot, dtype=bool)
    out = np.where(fear & crime, BOTH,
                   np.where(fear, FEAR_ONLY, np.where(crime, CRIME_ONLY, NEITHER))).astype(object)
    if crime_known is not None:
        out[~np.asarray(crime_known, dtype=bool)] = UNKNOWN
    return out


def lees_l(x: np.ndarray, y: np.ndarray, weights: sparse.csr_matrix,
           permutations: int = LEE_PERMUTATIONS, seed: int = 0) -> tuple[float, float]:
    """Lee's L of two per-cell surfaces and its permutation p-value (NaN when undefined).

    ``weights`` are row-standardised here (Lee's definition); a constant surface has no
    association to measure and gives NaN.
    """
    xv = np.asarray(x, dtype=float)
    yv = np.asarray(y, dtype=float)
    if xv.size < 3 or np.std(xv) == 0 or np.std(yv) == 0:
        return float("nan"), float("nan")
    rows = np.asarray(weights.sum(axis=1)).ravel()
    standardised = sparse.csr_matrix(sparse.diags(1.0 / np.where(rows > 0, rows, 1.0)) @ weights)
    # Lee (2001), eq. 18, as esda's Spatial_Pearson computes it, with the permutations drawn
    # from a generator of this call's own: esda draws from NumPy's global one, and seeding
    # that inside a threaded server would change every other request's random numbers
    z = np.column_stack(((xv - xv.mean()) / xv.std(), (yv - yv.mean()) / yv.std()))
    ctc = standardised.T @ standardised
    ones = np.ones(ctc.shape[0])
    denominator = float(ones @ (ctc @ ones))

    def statistic(values: np.ndarray) -> np.ndarray:
        return np.asarray(values.T @ (ctc @ values)) / denominator

    association = statistic(z)
    value = float(association[0, 1])
    if permutations <= 0:
        return value, float("nan")
    generator = np.random.RandomState(seed)  # the stream esda's global draws gave
    larger = sum(int(statistic(generator.permutation(z))[0, 1] >= association[0, 1])
                 for _ in range(permutations))
    extreme = min(permutations - larger, larger)
    return value, (extreme + 1.0) / (permutations + 1.0)


def agreement(fear_hot: np.ndarray, crime_hot: np.ndarray, fear_values: np.ndarray,
              crime_values: np.ndarray, weights: sparse.csr_matrix,
              permutations: int = LEE_PERMUTATIONS) -> Agreement:
    """Overlap of the hot sets and Lee's L of the two surfaces (e.g. KDE or counts)."""
    fear = np.asarray(fear_hot, dtype=bool)
    crime = np.asarray(crime_hot, dtype=bool)
    both = int((fear & crime).sum())
    either = int((fear | crime).sum())
    lee, p = lees_l(fear_values, crime_values, weights, permutations)
    return Agreement(
        fear_hot_cells=int(fear.sum()), crime_hot_cells=int(crime.sum()), both_hot_cells=both,
        jaccard=both / either if either else float("nan"),
        fear_hot_also_crime_hot=both / int(fear.sum()) if fear.any() else float("nan"),
        lee_l=lee, lee_p=p,
    )


def by_locality(cells: pd.DataFrame, cell_locality: pd.Series) -> pd.DataFrame:
    """Fear-vs-crime per locality from per-cell ``fear_hot``/``crime_hot``/``crime_known``.

    ``cell_locality`` gives each cell's locality id (NaN outside every locality). A locality is
    fear (crime) hot when any of its cells is. Returns locality_id, cells, fear_hot_cells,
    crime_hot_cells, fear_crime.
    """
    frame = pd.DataFrame({
        "locality_id": cell_locality.to_numpy(),
        "fear_hot": cells["fear_hot"].to_numpy(dtype=bool),
        "crime_hot": cells["crime_hot"].to_numpy(dtype=bool),
        "crime_known": cells["crime_known"].to_numpy(dtype=bool),
    }).dropna(subset=["locality_id"])
    grouped = frame.groupby("locality_id", sort=True).agg(
        cells=("fear_hot", "size"), fear_hot_cells=("fear_hot", "sum"),
        crime_hot_cells=("crime_hot", "sum"), crime_known=("crime_known", "any"),
    ).reset_index()
    grouped["fear_crime"] = classify((grouped["fear_hot_cells"] > 0).to_numpy(),
                                     (grouped["crime_hot_cells"] > 0).to_numpy(),
                                     grouped["crime_known"].to_numpy(dtype=bool))
    return grouped.drop(columns="crime_known")
