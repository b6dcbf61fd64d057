"""A town's own street network: an OpenStreetMap extract (``.osm`` XML or ``.osm.pbf``, read
by GDAL's OSM driver) or GeoJSON lines (a RÚIAN street export or OSM ways as GeoJSON).

The walking graph is built once, here: the walkable ways (footways, paths, steps, residential
and service streets …, not motorways, trunk roads or ways closed to walkers) are reprojected
to EPSG:5514, noded where they meet or cross, and stored as ``street_edges`` (one row per
edge between two junctions, with the street name and ``highway`` class of the way it comes
from and its length in metres). A town has one network: a second import is refused until the
first batch is undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.ingest.checks import text
from layers.ingest.geometry import check_inside
from layers.ingest.pipeline import Connector, ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import STREET_EDGES, LayerSpec
from layers.store import Store
from layers.store.base import RowMatch

#: OSM ``highway`` values a patrol does not walk along.
NOT_WALKABLE: Final = frozenset({"motorway", "motorway_link", "trunk", "trunk_link",
                                 "construction", "proposed", "raceway", "bus_guideway",
                                 "abandoned", "platform"})
#: ``foot``/``access`` values that close a way to walkers.
CLOSED: Final = frozenset({"no", "private"})
#: Coordinates are merged to this grid (metres) so ways meeting at a node share it.
SNAP_M: Final = 0.01


def has_network(store: Store, town_id: str) -> bool:
    """True when ``town_id`` has a street network in ``store``."""
    return STREET_EDGES.name in store.layer_names() and bool(len(store.read(STREET_EDGES,
                                                                            town_id)))


def connector() -> Connector:
    """The streets connector (``run_import`` refuses a town that has a network already)."""

    def connect(source: Source, ctx: ImportContext, chunk_rows: int
                ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        ctx.undo.append(RowMatch(STREET_EDGES.name, prefix=("edge_id", f"{ctx.batch_id}-")))
        lines: list[gpd.GeoDataFrame] = []
        for chunk in source.chunks(chunk_rows):
            ctx.report.rows += len(chunk.frame)
            geoms = positions(chunk, source, ctx)
            kinds = shapely.get_type_id(geoms)
            ok = np.isin(kinds, (1, 5)) & ~shapely.is_empty(geoms)
            for i in np.flatnonzero(~ok):
                ctx.report.add("rejected", chunk.labels[i], "not a line")
            highway = text(chunk.frame, "highway" if "highway" in chunk.frame.columns
                           else None)
            closed = _closed(chunk.frame)
            for i in np.flatnonzero(ok & (highway.isin(NOT_WALKABLE).to_numpy() | closed)):
                ctx.report.add("rejected", chunk.labels[i],
                               "closed to walkers (foot or access: no, private)" if closed[i]
                               else f"not walkable (highway={highway.iloc[i]})")
            ok &= ~highway.isin(NOT_WALKABLE).to_numpy() & ~closed
            if "highway" in chunk.frame.columns:  # an OSM extract: other lines are no ways
                ok &= (highway != "").to_numpy()
            ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, ctx.report, ctx.town_id,
                              reject_outside=True)
            lines.append(gpd.GeoDataFrame({
                "name": text(chunk.frame, _name_column(chunk.frame))[ok].to_numpy(),
                "highway": highway[ok].to_numpy()}, geometry=list(geoms[ok]), crs=STORAGE_CRS))
        ways = gpd.GeoDataFrame(pd.concat(lines, ignore_index=True), crs=STORAGE_CRS) \
            if lines else gpd.GeoDataFrame({"name": [], "highway": []}, geometry=[],
                                           crs=STORAGE_CRS)
        edges = walking_edges(ways)
        if len(edges):
            edges.insert(0, "edge_id", ctx.new_ids(STREET_EDGES.name, len(edges)))
            edges.insert(1, "town_id", ctx.town_id)
            ctx.report.notes.append(f"walking graph: {len(ways):,} ways noded into "
                                    f"{len(edges):,} edges, "
                                    f"{edges['length_m'].sum() / 1000:,.1f} km")
            yield STREET_EDGES, edges.to_crs(STORAGE_CRS)[[*STREET_EDGES.columns, "geometry"]]

    return connect


def walking_edges(ways: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The edges (EPSG:5514) of ``ways`` (any CRS; ``name`` and ``highway`` columns) noded
    where they meet or cross, each with the name and class of the way it lies on and
    ``length_m``."""
    if not len(ways):
        return gpd.GeoDataFrame({"name": [], "highway": [], "length_m": []}, geometry=[],
                                crs=METRIC_CRS)
    metric = ways.to_crs(METRIC_CRS).reset_index(drop=True)
    snapped = shapely.set_precision(metric.geometry.to_numpy(), SNAP_M)
    parts = shapely.get_parts(shapely.node(shapely.union_all(snapped)))
    parts = parts[shapely.length(parts) > 0]
    # each edge takes the attributes of the way it lies on (the nearest to its middle)
    middles = shapely.line_interpolate_point(parts, 0.5, normalized=True)
    tree = shapely.STRtree(snapped)
    _, way = tree.query_nearest(middles, all_matches=False)
    return gpd.GeoDataFrame({"name": metric["name"].to_numpy()[way],
                             "highway": metric["highway"].to_numpy()[way],
                             "length_m": shapely.length(parts)}, geometry=parts, crs=METRIC_CRS)


def _name_column(frame: pd.DataFrame) -> str | None:
    return next((c for c in ("name", "nazev", "název", "NAZEV", "nazev_ulice") if c in frame),
                None)


def _closed(frame: pd.DataFrame) -> np.ndarray:
    """Ways closed to walkers: ``foot``/``access`` no or private (OSM tags, also inside the
    OSM driver's ``other_tags``)."""
    closed = np.zeros(len(frame), dtype=bool)
    for key in ("foot", "access"):
        if key in frame.columns:
            closed |= text(frame, key).isin(CLOSED).to_numpy()
    if "other_tags" in frame.columns:
        tags = text(frame, "other_tags")
        for key in ("foot", "access"):
            for value in CLOSED:
                closed |= tags.str.contains(f'"{key}"=>"{value}"', regex=False).to_numpy()
    return closed
