"""How much of the hot area a patrol route passes: hot cells within a distance of the route.

A hot cell is *covered* when any part of it lies within ``distance_m`` metres of the route
line (EPSG:5514, ``shapely.dwithin``); the share is covered / hot per layer (fear, and crime
when it is located by offences) and for their union. The cells left out are what the plan
does not reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import shapely

DEFAULT_DISTANCE_M: Final = 150.0


@dataclass(frozen=True)
class LayerCoverage:
    """Hot cells of one layer and how many the route covers (``share`` NaN without any)."""

    layer: str
    hot: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.hot if self.hot else float("nan")


@dataclass(frozen=True)
class Coverage:
    """Coverage per layer and of any hot cell; ``left_out`` are the uncovered hot cells
    (EPSG:5514, with ``cell_id`` and a ``layers`` column naming why each is hot)."""

    distance_m: float
    layers: dict[str, LayerCoverage]
    any_hot: LayerCoverage
    left_out: gpd.GeoDataFrame


def coverage(route_line: shapely.Geometry, cells: gpd.GeoDataFrame,
             hot: Mapping[str, np.ndarray], distance_m: float = DEFAULT_DISTANCE_M) -> Coverage:
    """Coverage of the ``hot`` masks (layer → boolean per row of ``cells``) by ``route_line``.

    ``cells`` and ``route_line`` are in EPSG:5514. Raises ``ValueError`` for a negative
    distance or a mask of another length than ``cells``.
    """
    if not distance_m >= 0:
        raise ValueError(f"distance must be non-negative, got {distance_m}")
    near = np.asarray(shapely.dwithin(cells.geometry.to_numpy(), route_line, distance_m),
                      dtype=bool)
    layers: dict[str, LayerCoverage] = {}
    union = np.zeros(len(cells), dtype=bool)
    for name, mask in hot.items():
        values = np.asarray(mask, dtype=bool)
        if values.shape != (len(cells),):
            raise ValueError(f"hot mask {name!r} has {values.size} values for {len(cells)} cells")
        layers[name] = LayerCoverage(name, int(values.sum()), int((values & near).sum()))
        union |= values
    missed = union & ~near
    reasons = [", ".join(name for name, mask in hot.items() if np.asarray(mask)[i])
               for i in np.flatnonzero(missed)]
    left_out = gpd.GeoDataFrame({"cell_id": cells["cell_id"].to_numpy()[missed],
                                 "layers": reasons},
                                geometry=cells.geometry.to_numpy()[missed], crs=cells.crs)
    return Coverage(distance_m=float(distance_m), layers=layers,
                    any_hot=LayerCoverage("any", int(union.sum()), int((union & near).sum())),
                    left_out=left_out)
