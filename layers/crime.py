"""The crime index: recorded crimes per 10,000 inhabitants of a police department's area.

This is the mapakriminality.cz definition (seed 001, footnote 2): crimes found in a period
divided by the residents of the department's area, times 10,000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PER_INHABITANTS = 10_000


def crime_index(crimes: float, population: float) -> float:
    """Crimes per 10,000 inhabitants; NaN when the population is zero or missing.

    The index is undefined without residents (e.g. an airport police unit): NaN, not an error.
    """
    if population is None or not np.isfinite(population) or population <= 0:
        return float("nan")
    return float(crimes) * PER_INHABITANTS / float(population)


def crime_index_series(crimes: pd.Series, population: pd.Series) -> pd.Series:
    """Element-wise :func:`crime_index` of aligned Series (NaN where population ≤ 0 or missing)."""
    pop = pd.to_numeric(population, errors="coerce")
    return crimes * PER_INHABITANTS / pop.where(pop > 0)


def district_index_table(stats: pd.DataFrame, districts: pd.DataFrame, year: int,
                         crime_type: str = "total") -> pd.DataFrame:
    """Per police department: crimes of ``crime_type`` in ``year``, population and the index.

    ``stats`` is the long ``crime_stats`` table (oop_code, year, crime_type, found, solved);
    ``districts`` carries ``oop_code`` and ``population``. Returns columns
    oop_code, found, solved, population, per_10k (one row per district in ``districts``;
    districts without a figure get NaN).
    """
    chosen = stats[(stats["year"] == year) & (stats["crime_type"] == crime_type)]
    merged = districts[["oop_code", "population"]].merge(
        chosen[["oop_code", "found", "solved"]], on="oop_code", how="left"
    )
    merged["per_10k"] = crime_index_series(merged["found"], merged["population"])
    return merged[["oop_code", "found", "solved", "population", "per_10k"]]
