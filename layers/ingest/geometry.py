"""Geometry checks: empty features rejected, invalid ones repaired (and said so), wrong types
rejected, features outside the town rejected or flagged."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers import messages
from layers.ingest.report import ValidationReport

_POLYGONAL = ("Polygon", "MultiPolygon")
#: Why a geometry with a NaN or infinite coordinate is rejected (GEOS cannot compute on it).
NOT_FINITE = "a coordinate is not a number (NaN or infinite)"


def not_finite(geoms: np.ndarray) -> np.ndarray:
    """Per geometry: True when any of its x/y coordinates is NaN or infinite."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    bad = np.zeros(len(geoms), dtype=bool)
    bad[index[~np.isfinite(coords).all(axis=1)]] = True
    return bad


def check_polygons(geoms: np.ndarray, labels: list[str], report: ValidationReport
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(Multi)Polygons of ``geoms`` as MultiPolygons, and a per-row ok mask.

    Empty or missing geometries and non-polygons are rejected; invalid polygons are repaired
    with ``shapely.make_valid`` (keeping their polygonal part) and reported with GEOS's
    reason; a polygon that has no area left after repair is rejected.
    """
    out = np.empty(len(geoms), dtype=object)
    ok = np.zeros(len(geoms), dtype=bool)
    broken = not_finite(geoms)
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            report.add("rejected", labels[i], "empty geometry")
            continue
        if broken[i]:
            report.add("rejected", labels[i], NOT_FINITE)
            continue
        if geom.geom_type not in _POLYGONAL:
            report.add("rejected", labels[i], f"expected a polygon, got a {geom.geom_type}")
            continue
        if not geom.is_valid:
            why = shapely.is_valid_reason(geom)
            geom = _polygonal(shapely.make_valid(geom))
            if geom.is_empty:
                report.add("rejected", labels[i], f"invalid polygon ({why}) with no area left "
                                                  "after repair")
                continue
            report.add("repaired", labels[i], f"invalid polygon ({why}) repaired")
        out[i] = geom if geom.geom_type == "MultiPolygon" else shapely.MultiPolygon([geom])
        ok[i] = True
    return out, ok


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in _POLYGONAL]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    return shapely.MultiPolygon(polygons) if polygons else shapely.MultiPolygon()


def check_points(geoms: np.ndarray, labels: list[str], report: ValidationReport
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Points of ``geoms`` and a per-row ok mask. Empty geometries are rejected; a polygon or
    line (a building mapped as an outline) becomes a point inside it, reported as repaired."""
    out = np.empty(len(geoms), dtype=object)
    ok = np.zeros(len(geoms), dtype=bool)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    broken = ~missing & not_finite(geoms)
    missing |= broken
    kinds = shapely.get_type_id(geoms)
    points = ~missing & (kinds == 0)
    out[points] = geoms[points]
    ok[points] = True
    for i in np.flatnonzero(~points):
        if missing[i]:
            code, params = report.unplaced.get(labels[i], ("", {}))
            if broken[i] or not code:
                report.add("rejected", labels[i], NOT_FINITE if broken[i] else
                           "empty geometry or missing coordinates")
            else:
                report.add("rejected", labels[i], messages.render(code, params, "en"), code,
                           params)
            continue
        geom = geoms[i] if geoms[i].is_valid else shapely.make_valid(geoms[i])
        out[i] = geom.representative_point() if kinds[i] != 4 else geom.geoms[0]
        ok[i] = True
        report.add("repaired", labels[i], f"{geoms[i].geom_type} reduced to a point inside it")
    return out, ok


def check_inside(geoms: np.ndarray, ok: np.ndarray, town: BaseGeometry, labels: list[str],
                 report: ValidationReport, town_id: str, reject_outside: bool) -> np.ndarray:
    """Update ``ok``: features wholly outside ``town`` are rejected (``reject_outside``) or
    flagged; polygons partly outside are flagged. Returns the new mask."""
    shapely.prepare(town)
    ok = ok.copy()
    rows = np.flatnonzero(ok)
    if not len(rows):
        return ok
    touching = shapely.intersects(town, geoms[rows])
    within = np.ones(len(rows), dtype=bool)
    polygons = shapely.get_type_id(geoms[rows]) != 0
    within[polygons] = shapely.covers(town, geoms[rows][polygons])
    for row, hit, inside in zip(rows, touching, within, strict=True):
        if not hit:
            if reject_outside:
                ok[row] = False
                report.add("rejected", labels[row], f"outside the boundary of {town_id}")
            else:
                report.add("flagged", labels[row], f"outside the boundary of {town_id}")
        elif not inside:
            report.add("flagged", labels[row], f"partly outside the boundary of {town_id}")
    return ok
