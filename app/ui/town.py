"""Everything the map page shows for one town, read from the store in one go (no Streamlit).

Pins are reduced to the public view here, before anything reaches the browser: exact points
only for approved, non-sensitive answers; sensitive ones only as cells of at least k answers
(``layers.privacy.public_exact_pins``; the cells counted by the store,
``layers.privacy.public_pin_cells``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from layers.privacy import public_exact_pins, public_pin_cells
from layers.schema import (
    ADDRESS_POINTS,
    CONTEXT_LINES,
    CRIME_REFERENCE,
    CRIME_STATS,
    LOCALITIES,
    PINS,
    POLICE_DISTRICTS,
    SERVICES,
    SOURCES,
    STREET_EDGES,
    TOWNS,
    TRANSIT_STOPS,
    LayerSpec,
)
from layers.store import Store
from layers.summary import CrimeOverview, crime_overview
from layers.vocabulary import PUBLIC_K

#: The crime_reference area of the whole country.
COUNTRY = "Česká republika"
#: Side of the cells sensitive pins are aggregated to, in metres.
CELL_M = 200


@dataclass(frozen=True)
class TownData:
    """One town's layers in EPSG:4326, ready for the map and the side panel."""

    town: pd.Series
    boundary: gpd.GeoDataFrame
    localities: gpd.GeoDataFrame
    services: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    pins_approved: gpd.GeoDataFrame
    pins_exact: gpd.GeoDataFrame
    pin_cells: gpd.GeoDataFrame
    crime: CrimeOverview
    sources: pd.DataFrame
    #: Public-transport stops and the town's own street network (empty when not loaded).
    stops: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    #: The town's address points (empty when not loaded): names on the map when zoomed in.
    addresses: gpd.GeoDataFrame

    @property
    def town_id(self) -> str:
        return str(self.town["town_id"])

    @property
    def name(self) -> str:
        """The town's name as people write it."""
        return str(self.town["name"])

    @property
    def locality_names(self) -> dict[str, str]:
        """The town's localities: id → name, in stored order."""
        return dict(zip(self.localities["locality_id"].astype(str),
                        self.localities["name"].astype(str), strict=True))

    def is_synthetic(self, layer: str) -> bool:
        """True when the town's ``layer`` holds illustrative (generated) data: for the layers
        whose rows carry the flag (localities, services, pins), when any of this town's rows
        does; for others, when any source of ``layer`` is generated."""
        rows = {"localities": self.localities, "services": self.services,
                "pins": self.pins_approved}.get(layer)
        if rows is not None:
            return "synthetic" in rows and bool(rows["synthetic"].fillna(False).astype(bool).any())
        sources = self.sources[self.sources["layer"] == layer]
        return bool(sources["synthetic"].astype(bool).any())


def load_town(store: Store, town_id: str) -> TownData:
    """Read one town's layers from ``store``. Raises ``KeyError`` for an unknown town."""
    towns = store.read(TOWNS)
    match = towns[towns["town_id"] == town_id]
    if match.empty:
        raise KeyError(f"no town {town_id!r} in {store.location}")
    pins = store.read(PINS, town_id)
    pins_exact = public_exact_pins(pins)
    pin_cells = public_pin_cells(store, town_id, k=PUBLIC_K, cell_m=CELL_M)
    districts = store.read(POLICE_DISTRICTS, town_id)
    town = match.iloc[0]
    crime = crime_overview(store.read(CRIME_STATS), districts, store.read(CRIME_REFERENCE),
                           baseline_area=str(town["kraj"]))
    # compare with the country, the town's region and the town itself, not other towns' figures
    crime = replace(crime, references=tuple(
        r for r in crime.references
        if r.area in (COUNTRY, town["kraj"]) or r.area.startswith(str(town["name"]))))
    return TownData(
        town=town.drop("geometry"),
        boundary=gpd.GeoDataFrame(match.reset_index(drop=True)),
        localities=store.read(LOCALITIES, town_id),
        services=store.read(SERVICES, town_id),
        districts=districts,
        context=store.read(CONTEXT_LINES, town_id),
        pins_approved=pins[pins["status"] == "approved"].reset_index(drop=True),
        pins_exact=pins_exact,
        pin_cells=pin_cells,
        crime=crime,
        sources=store.read(SOURCES),
        stops=_optional(store, TRANSIT_STOPS, town_id),
        streets=_optional(store, STREET_EDGES, town_id),
        addresses=_optional(store, ADDRESS_POINTS, town_id),
    )


def _optional(store: Store, spec: LayerSpec, town_id: str) -> gpd.GeoDataFrame:
    """The town's rows of a layer the store may lack (an empty frame then), EPSG:4326."""
    if spec.name in store.layer_names():
        return gpd.GeoDataFrame(store.read(spec, town_id))
    return gpd.GeoDataFrame({c: [] for c in spec.columns}, geometry=[], crs="EPSG:4326")


@dataclass(frozen=True)
class AreaRef:
    """A clicked area: ``kind`` is "locality" or "district", ``area_id`` its id in the store."""

    kind: str
    area_id: str


def area_at(data: TownData, lat: float, lng: float) -> AreaRef | None:
    """The area under a clicked point: a locality if one covers it, else a police district.

    Localities win because they are drawn on top of the districts.
    """
    point = Point(lng, lat)
    for kind, frame, column in (("locality", data.localities, "locality_id"),
                                ("district", data.districts, "oop_code")):
        hit = frame[frame.geometry.covers(point)]
        if not hit.empty:
            return AreaRef(kind, str(hit.iloc[0][column]))
    return None
