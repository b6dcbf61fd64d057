"""A patrol plan as GPX 1.1 (gpxpy): the tour as a track and the places as waypoints.

Waypoints are named "1. <place name>" in route order ("1. <time window>" where a place has
no name) and carry the time window and only aggregated figures in their description (answers
by category), never a pin, a comment or a person. A plan from illustrative (generated) data
says so in the file's description and in every waypoint's. Coordinates are
WGS 84 (EPSG:4326), as GPX requires.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import gpxpy
import gpxpy.gpx
import shapely
from shapely.geometry import LineString

from layers.crs import METRIC_CRS, STORAGE_CRS


@dataclass(frozen=True)
class GpxContent:
    """What a GPX file holds: waypoint names and (lat, lon), track points (lat, lon)."""

    name: str
    waypoints: list[tuple[str, float, float]]
    track: list[tuple[float, float]]


def plan_gpx(name: str, route_line: LineString, stops: gpd.GeoDataFrame,
             descriptions: list[str], illustrative_note: str = "") -> str:
    """GPX text of a plan: ``route_line`` (EPSG:5514) as a track, ``stops`` (any CRS, in
    route order, with ``position`` and ``time_window``) as waypoints described by
    ``descriptions`` (one per stop), named by their ``place_name`` when they have one.
    A non-empty ``illustrative_note`` is the file's metadata description and ends every
    waypoint's description. Raises ``ValueError`` when the counts differ."""
    if len(descriptions) != len(stops):
        raise ValueError(f"{len(descriptions)} descriptions for {len(stops)} stops")
    gpx = gpxpy.gpx.GPX()
    gpx.name = name
    gpx.creator = "Mapa bezpečí"
    if illustrative_note:
        gpx.description = illustrative_note
    line = gpd.GeoSeries([route_line], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    track = gpxpy.gpx.GPXTrack(name=name)
    segment = gpxpy.gpx.GPXTrackSegment()
    for lon, lat in shapely.get_coordinates(line).tolist():
        segment.points.append(gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon))
    track.segments.append(segment)
    gpx.tracks.append(track)
    points = stops.to_crs(STORAGE_CRS)
    names = points["place_name"] if "place_name" in points.columns else [""] * len(points)
    for (position, window, name, point), text in zip(
            zip(points["position"], points["time_window"], names, points.geometry,
                strict=True), descriptions, strict=True):
        title = f"{int(position)}. {name or window}".strip()
        about = "; ".join(part for part in (str(window or ""), text, illustrative_note)
                          if part)
        gpx.waypoints.append(gpxpy.gpx.GPXWaypoint(latitude=point.y, longitude=point.x,
                                                   name=title, description=about))
    return gpx.to_xml(version="1.1")


def read_gpx(text: str) -> GpxContent:
    """Parse GPX text back (gpxpy); raises ``gpxpy.gpx.GPXException`` for a broken file."""
    gpx = gpxpy.parse(text)
    return GpxContent(
        name=gpx.name or "",
        waypoints=[(w.name or "", w.latitude, w.longitude) for w in gpx.waypoints],
        track=[(p.latitude, p.longitude) for t in gpx.tracks for s in t.segments
               for p in s.points])
