"""Service accessibility: from each locality and hot cell, the distance to the nearest service
of each group, and the "white spots" that have none within a chosen distance.

Groups of ``layers.schema.SERVICE_TYPES`` (the issue's list): NZDM, community centre,
playground or workout place, police (state and municipal police, APK) and social services
(social, addiction and debt counselling). Distances are straight-line metres in EPSG:5514
from the origin geometry — a locality's polygon (0 when the service lies inside it) or a cell's
centre — to the nearest service point, found with ``shapely.STRtree.query_nearest``. A group
the town has no service of is at infinite distance (always a white spot).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import METRIC_CRS, to_metric
from layers.geocode import place_labels
from layers.hotspots.analysis import HotspotInputError, HotspotRequest, run_hotspots
from layers.hotspots.grid import DEFAULT_CELL_M
from layers.mapping.export import any_generated
from layers.naming import name_places
from layers.schema import LOCALITIES, PINS, SERVICES, TOWNS
from layers.store import Store
from layers.store.spatial import nearest
from layers.vocabulary import LANGUAGES

SERVICE_GROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    "nzdm": ("nzdm",),
    "community_centre": ("community_centre",),
    "playground": ("playground",),
    "police": ("police", "municipal_police", "apk"),
    "social": ("social_service", "addiction_service", "debt_counselling"),
}
DEFAULT_DISTANCE_M: Final = 500.0


@dataclass(frozen=True)
class Accessibility:
    """One row per origin (EPSG:5514): ``origin_kind`` ("locality" / "cell"), ``origin_id``,
    ``name``, ``dist_<group>`` (metres, inf without such service), ``white_<group>`` (bool)
    and ``white`` (the groups missing within ``distance_m``, comma-joined, "" if none).
    ``illustrative``: some locality, service or answer behind the figures is generated."""

    distance_m: float
    table: gpd.GeoDataFrame
    illustrative: bool = False

    @property
    def white_spots(self) -> gpd.GeoDataFrame:
        """Origins lacking at least one group within the distance."""
        return self.table[self.table["white"] != ""].reset_index(drop=True)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The table split by geometry for a GeoPackage: ``access_localities`` (polygons) and
        ``access_cells`` (points), each with every distance and white-spot column."""
        kinds = self.table["origin_kind"]
        return {"access_localities": self.table[kinds == "locality"].reset_index(drop=True),
                "access_cells": self.table[kinds == "cell"].reset_index(drop=True)}


def accessibility(origins: gpd.GeoDataFrame, services: gpd.GeoDataFrame,
                  distance_m: float = DEFAULT_DISTANCE_M) -> Accessibility:
    """Distances from ``origins`` (any CRS; columns ``origin_kind``, ``origin_id``, ``name``)
    to ``services`` (any CRS; ``service_type``) per group; ``ValueError`` for a negative
    distance."""
    if not distance_m >= 0:
        raise ValueError(f"distance must be non-negative, got {distance_m}")
    frame = to_metric(origins).reset_index(drop=True)
    located = to_metric(services) if len(services) else services
    geometries = frame.geometry.to_numpy()
    white: list[list[str]] = [[] for _ in range(len(frame))]
    for group, types in SERVICE_GROUPS.items():
        chosen = located[located["service_type"].astype(str).isin(types)] \
            if len(located) else located
        distances = nearest(geometries, np.asarray(chosen.geometry.to_numpy())
                            if len(chosen) else np.empty(0, dtype=object))
        frame[f"dist_{group}"] = distances
        lacking = distances > distance_m
        frame[f"white_{group}"] = lacking
        for index in np.flatnonzero(lacking):
            white[index].append(group)
    frame["white"] = [", ".join(groups) for groups in white]
    return Accessibility(distance_m=float(distance_m), table=frame)


def town_origins(localities: gpd.GeoDataFrame, cells: gpd.GeoDataFrame,
                 hot: np.ndarray, centre: BaseGeometry | None = None,
                 names: Callable[[np.ndarray], list[str]] | None = None) -> gpd.GeoDataFrame:
    """The origins of a town: its localities (polygons) and the centres of its ``hot`` cells
    (``cells`` in EPSG:5514 with ``cell_id``); EPSG:5514. A cell's ``name`` is given by
    ``names`` (centres in EPSG:5514 → place names, "" where none; without a name "hot cell
    N"), or is its id without ``names``; ``place_cs`` and ``place_en`` say what people call an
    origin in each language (a locality by its name, a cell by
    :func:`layers.naming.name_places` from the town's ``centre``, EPSG:5514, or by its id
    without one)."""
    parts = []
    if len(localities):
        parts.append(gpd.GeoDataFrame({
            "origin_kind": "locality", "origin_id": localities["locality_id"].astype(str),
            "name": localities["name"].astype(str),
            **{f"place_{lang}": localities["name"].astype(str) for lang in LANGUAGES}},
            geometry=to_metric(localities).geometry.to_numpy(), crs=METRIC_CRS))
    chosen = cells[np.asarray(hot, dtype=bool)]
    if len(chosen):
        points = chosen.geometry.centroid.to_numpy()
        ids = chosen["cell_id"].astype(str).tolist()
        places = name_places(points, localities, centre) if centre is not None else None
        if names is not None:
            named = names(shapely.get_coordinates(points))
            shown = [name or f"horká buňka {i} / hot cell {i}"
                     for i, name in enumerate(named, start=1)]
        else:
            shown = ids
        parts.append(gpd.GeoDataFrame({
            "origin_kind": "cell", "origin_id": ids, "name": shown,
            **{f"place_{lang}": [p.text(lang) for p in places] if places else ids
               for lang in LANGUAGES}},
            geometry=points, crs=METRIC_CRS))
    if not parts:
        return gpd.GeoDataFrame(columns=["origin_kind", "origin_id", "name",
                                         *(f"place_{lang}" for lang in LANGUAGES), "geometry"],
                                geometry="geometry", crs=METRIC_CRS)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=METRIC_CRS)


def town_accessibility(store: Store, town_id: str, distance_m: float = DEFAULT_DISTANCE_M,
                       cell_m: float = DEFAULT_CELL_M) -> Accessibility:
    """Accessibility of a town's localities and hot cells (public hotspot view: fear hot, and
    crime hot where offences locate it). A town without usable pins has localities only.
    ``illustrative`` when any of the town's localities, services or pins is generated."""
    try:
        report = run_hotspots(store, HotspotRequest(town_id=town_id, cell_m=cell_m,
                                                    public=True, lee_permutations=0))
        cells = report.cells
        hot = cells["fear_hot"].to_numpy(dtype=bool).copy()  # to_numpy may be read-only
        crime = report.layers.get("crime")
        if crime is not None and crime.source == "offences":
            hot |= cells["crime_hot"].to_numpy(dtype=bool)
    except HotspotInputError:
        cells = gpd.GeoDataFrame({"cell_id": []}, geometry=[], crs=METRIC_CRS)
        hot = np.zeros(0, dtype=bool)
    boundary = to_metric(store.read(TOWNS, town_id))
    centre = boundary.geometry.union_all().centroid if len(boundary) else None
    localities, services = store.read(LOCALITIES, town_id), store.read(SERVICES, town_id)
    origins = town_origins(localities, cells, hot, centre, partial(place_labels, store, town_id))
    # the services are read anyway (are they generated?): a town's few dozen are measured
    # faster here than by the store's nearest search, one query per group (README)
    result = accessibility(origins, services, distance_m)
    generated = any(any_generated(rows) for rows in (localities, services,
                                                      store.read(PINS, town_id)))
    return replace(result, illustrative=generated)
