"""Which coordinate system a file is really in, and the conversion to WGS 84 (EPSG:4326).

Czech data come in a few well-known shapes: S-JTSK / Krovak East North (EPSG:5514) with
negative coordinates; the same numbers written positive (the EPSG:5513 habit of surveyors,
Y = westing ≈ 430–905 km, X = southing ≈ 930–1230 km), sometimes as X, Y; and WGS 84
degrees, sometimes latitude first. The declared CRS is trusted when the data then land in
Czechia; otherwise the numbers are matched against these shapes, and when none fits the file
is refused: a wrong guess would silently misplace every feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from pyproj import CRS, Transformer

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.sources.errors import SourceError

#: Generous lon/lat box around Czechia.
CZECHIA_LONLAT: Final = (12.0, 48.5, 19.0, 51.1)
#: S-JTSK (EPSG:5514) box around Czechia, metres: x (negative westing), y (negative southing).
CZECHIA_SJTSK: Final = (-905_000.0, -1_230_000.0, -430_000.0, -930_000.0)


@dataclass(frozen=True)
class CrsDecision:
    """How to bring a file's coordinates to EPSG:4326: optionally swap the two axes, then
    optionally negate both, then transform from ``crs``. ``action`` says it in words."""

    crs: CRS
    swap: bool
    negate: bool
    action: str

    def to_storage(self, geometries: np.ndarray) -> np.ndarray:
        """``geometries`` (shapely, in the file's numbers) as lon/lat geometries."""
        transformer = Transformer.from_crs(self.crs, STORAGE_CRS, always_xy=True)

        def convert(coords: np.ndarray) -> np.ndarray:
            xy = coords[:, ::-1] if self.swap else coords
            if self.negate:
                xy = -xy
            lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])

        return shapely.transform(geometries, convert)

    def to_storage_xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coordinate columns as lon, lat arrays (NaN stays NaN)."""
        points = self.to_storage(shapely.points(x, y))
        return (np.asarray(shapely.get_x(points), dtype=float),
                np.asarray(shapely.get_y(points), dtype=float))


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    minx, miny, maxx, maxy = box
    return bool(minx <= x <= maxx and miny <= y <= maxy)


def decide_crs(x: np.ndarray, y: np.ndarray, declared: CRS | None, name: str,
               declared_by: str = "the file") -> CrsDecision:
    """Decide how to read coordinates ``x``, ``y`` (the file's first and second number).

    ``declared`` is the CRS the file (or the user, or the column names) states, if any. The
    median position decides for the whole file, so a few stray rows cannot flip it; rows
    that still fall outside the town are rejected one by one later. Raises ``SourceError``
    naming ``name`` when the coordinates fit neither the declared CRS nor a known shape.
    """
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        raise SourceError(name, "has no usable coordinates")
    mx, my = float(np.median(x[finite])), float(np.median(y[finite]))
    if declared is not None:
        lon, lat = Transformer.from_crs(declared, STORAGE_CRS, always_xy=True).transform(mx, my)
        if _inside(CZECHIA_LONLAT, lon, lat):
            code = declared.to_epsg()
            label = f"EPSG:{code}" if code else declared.name
            action = ("WGS 84 (EPSG:4326) as declared, kept" if code == 4326 else
                      f"{label} read from {declared_by}, converted to WGS 84 (EPSG:4326)")
            return CrsDecision(declared, False, False, action)
    guess = _guess(mx, my)
    if guess is None:
        said = f"declared {declared.name}" if declared is not None else "no CRS declared"
        raise SourceError(name, f"coordinates around ({mx:.6g}, {my:.6g}) are not in Czechia "
                                f"({said}) and match neither S-JTSK (EPSG:5514, also positive "
                                "or swapped) nor WGS 84 (either axis order); give the CRS "
                                "(--crs) or fix the file")
    if declared is not None:
        guess = CrsDecision(guess.crs, guess.swap, guess.negate,
                            f"{declared_by} gives {declared.name}, but the coordinates are "
                            f"not in Czechia there: {guess.action}")
    return guess


def _guess(x: float, y: float) -> CrsDecision | None:
    sjtsk = CRS.from_user_input(METRIC_CRS)
    wgs84 = CRS.from_user_input(STORAGE_CRS)
    shapes = (
        (CZECHIA_LONLAT, wgs84, False, False, "WGS 84 longitude/latitude, kept"),
        (CZECHIA_LONLAT, wgs84, True, False,
         "WGS 84 with latitude and longitude swapped: swapped back"),
        (CZECHIA_SJTSK, sjtsk, False, False,
         "S-JTSK (EPSG:5514), converted to WGS 84"),
        (CZECHIA_SJTSK, sjtsk, False, True,
         "positive S-JTSK coordinates (EPSG:5513 style Y, X): negated to EPSG:5514, "
         "converted to WGS 84"),
        (CZECHIA_SJTSK, sjtsk, True, True,
         "positive S-JTSK coordinates in X, Y order: swapped and negated to EPSG:5514, "
         "converted to WGS 84"),
        (CZECHIA_SJTSK, sjtsk, True, False,
         "S-JTSK with the axes swapped: swapped back to EPSG:5514, converted to WGS 84"),
    )
    for box, crs, swap, negate, action in shapes:
        a, b = (y, x) if swap else (x, y)
        if negate:
            a, b = -a, -b
        if _inside(box, a, b):
            return CrsDecision(crs, swap, negate, action)
    return None
