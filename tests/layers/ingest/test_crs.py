"""CRS detection: the declared CRS when it fits, the common Czech cases otherwise, refusal
when unsure."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS, Transformer

from layers.ingest.crs import decide_crs
from layers.sources.errors import SourceError

# Litvínov's centre: WGS 84 and S-JTSK (EPSG:5514) coordinates of the same place
LON, LAT = 13.6128, 50.6009
X, Y = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True).transform(LON, LAT)


def _decide(x: float, y: float, declared: str | None = None):
    crs = CRS.from_user_input(declared) if declared else None
    return decide_crs(np.array([x, x]), np.array([y, y]), crs, "f.csv")


@pytest.mark.parametrize(("x", "y", "declared", "swap", "negate", "words"), [
    (LON, LAT, "EPSG:4326", False, False, "as declared"),
    (X, Y, "EPSG:5514", False, False, "EPSG:5514 read from"),
    (X, Y, None, False, False, "S-JTSK (EPSG:5514)"),
    (-X, -Y, None, False, True, "positive S-JTSK"),
    (-Y, -X, None, True, True, "X, Y order"),
    (-X, -Y, "EPSG:5514", False, True, "not in Czechia there"),
    (LAT, LON, "EPSG:4326", True, False, "swapped back"),
    (LAT, LON, None, True, False, "latitude and longitude swapped"),
])
def test_czech_cases_are_recognised(x: float, y: float, declared: str | None, swap: bool,
                                    negate: bool, words: str) -> None:
    decision = _decide(x, y, declared)
    assert (decision.swap, decision.negate) == (swap, negate)
    assert words in decision.action
    lon, lat = decision.to_storage_xy(np.array([x]), np.array([y]))
    assert abs(lon[0] - LON) < 0.01 and abs(lat[0] - LAT) < 0.01


def test_unrecognisable_coordinates_are_refused() -> None:
    with pytest.raises(SourceError, match=r"not in Czechia.*give the CRS"):
        _decide(500_000.0, 5_600_000.0)  # UTM 33N without saying so
    with pytest.raises(SourceError, match="no usable coordinates"):
        decide_crs(np.array([np.nan]), np.array([np.nan]), None, "f.csv")


def test_a_declared_foreign_crs_is_trusted_when_it_fits() -> None:
    utm = CRS.from_epsg(32633)
    decision = decide_crs(np.array([366_000.0]), np.array([5_607_000.0]), utm, "f.gpkg")
    assert not decision.swap and "EPSG:32633" in decision.action
