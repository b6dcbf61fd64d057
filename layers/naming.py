"""Places named the way people name them, never by an internal id or a coordinate.

A hot cell (or any point of a town) is named by the socially excluded locality it lies in,
else by its direction and distance from the town's centre ("1,2 km severně od centra"). The
direction phrases are the vocabulary :data:`layers.vocabulary.DIRECTION`. This is the one place
that names points: a better source (the nearest street or named place from the store's context
layers) belongs here, and every caller gets it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import to_metric
from layers.vocabulary import DIRECTION

#: Within this many metres of the centre a place is "the centre".
CENTRE_RADIUS_M: Final = 300.0
#: Compass directions in the order of their angle (0 = north, clockwise, 45° apart).
_COMPASS: Final = ("n", "ne", "e", "se", "s", "sw", "w", "nw")


@dataclass(frozen=True)
class PlaceName:
    """What a point is called: the ``locality`` it lies in (its name), else the ``direction``
    (a :data:`~layers.vocabulary.DIRECTION` code) and ``distance_m`` from the town's centre."""

    locality: str
    direction: str
    distance_m: float

    def text(self, lang: str) -> str:
        """The name in ``lang`` ("Janov", "1,2 km severně od centra"); ``ValueError`` for an
        unknown language."""
        if self.locality:
            return self.locality
        km = f"{self.distance_m / 1000:.1f}"
        return DIRECTION.term(self.direction).label(lang).format(
            km=km.replace(".", ",") if lang == "cs" else km)


def name_places(points: np.ndarray, localities: gpd.GeoDataFrame,
                centre: BaseGeometry) -> list[PlaceName]:
    """The name of each of ``points`` (shapely points, EPSG:5514), given the town's
    ``localities`` (any CRS, with ``name``) and its ``centre`` (a point, EPSG:5514)."""
    points = np.asarray(points, dtype=object)
    inside = [""] * len(points)
    if len(localities) and len(points):
        shapes = to_metric(localities).reset_index(drop=True)
        where, which = shapely.STRtree(shapes.geometry.to_numpy()).query(
            points, predicate="within")
        for point_index, shape_index in zip(where.tolist(), which.tolist(), strict=True):
            inside[point_index] = inside[point_index] or str(shapes["name"].iloc[shape_index])
    names = []
    for point, locality in zip(points, inside, strict=True):
        dx, dy = point.x - centre.x, point.y - centre.y
        distance = math.hypot(dx, dy)
        if distance <= CENTRE_RADIUS_M:
            direction = "centre"
        else:
            # EPSG:5514 (Krovak East North): x grows to the east, y to the north
            angle = math.degrees(math.atan2(dx, dy)) % 360
            direction = _COMPASS[round(angle / 45) % 8]
        names.append(PlaceName(locality, direction, distance))
    return names
