"""Searching the catalogue: keywords (diacritics-insensitive), type, target group, form, tab,
town, and distance from a place.

:class:`CatalogueIndex` folds every entry's words once; a query then filters with vectorised
pandas/numpy operations, so one search over 10,000 entries takes milliseconds
(``mapa bench catalogue``). Distances are straight lines in EPSG:5514 (metres) from the
entry's point to the place (0 inside a locality's polygon): the store holds no walkable street
network, so "walking distance" here is the distance as the crow flies, and pages say so.
Entries without a position are found by every filter but "near".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.catalogue.entries import decode, load_catalogue
from layers.catalogue.text import fold, tokens
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.errors import InvalidInput
from layers.store import Store
from layers.vocabulary import CATALOGUE_TAB, SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP

#: Service types whose every entry belongs to the crime-prevention tab.
PREVENTION_TYPES: Final = frozenset({"police", "municipal_police", "apk", "nzdm",
                                     "community_centre", "social_service",
                                     "debt_counselling"})


def tabs_of(service_type: str, target_groups: list[str]) -> list[str]:
    """The catalogue tabs (``CATALOGUE_TAB``) an entry appears under, as seed 004 names the
    areas: crime prevention (prevention services and their target groups), drug prevention
    (addiction services and people at risk of addiction), families with children."""
    groups = set(target_groups)
    tabs = []
    if service_type in PREVENTION_TYPES or groups & {"victims", "excluded", "offenders",
                                                     "children_youth"}:
        tabs.append("prevention")
    if service_type == "addiction_service" or "addiction" in groups:
        tabs.append("drug_prevention")
    if "families" in groups:
        tabs.append("families")
    return tabs


@dataclass(frozen=True)
class Query:
    """What to look for. ``text``: keywords, every one must occur (folded) in the entry's
    words; the codes filter by ``SERVICE_TYPE``, ``TARGET_GROUP``, ``SERVICE_FORM`` and
    ``CATALOGUE_TAB``; ``near`` a place (EPSG:4326: a point, a locality's polygon, a cell)
    with ``distance_m`` metres (straight line in EPSG:5514)."""

    text: str = ""
    town_id: str | None = None
    service_type: str | None = None
    target_group: str | None = None
    form: str | None = None
    tab: str | None = None
    near: BaseGeometry | None = None
    distance_m: float | None = None

    def check(self) -> None:
        """Raise ``InvalidInput`` for an unknown code, a distance without a place (or a
        negative one)."""
        for code, vocabulary, name in ((self.service_type, SERVICE_TYPE, "catalogue.type"),
                                       (self.target_group, TARGET_GROUP, "catalogue.target"),
                                       (self.form, SERVICE_FORM, "catalogue.form"),
                                       (self.tab, CATALOGUE_TAB, "catalogue.tab")):
            if code and code not in vocabulary:
                raise InvalidInput(name, code=code, known=", ".join(map(str, vocabulary.codes)))
        if self.distance_m is not None and (self.near is None or self.distance_m < 0):
            raise InvalidInput("catalogue.distance", distance=self.distance_m)


class CatalogueIndex:
    """The catalogue (a frame of :func:`~layers.catalogue.entries.load_catalogue`) ready to
    search: folded words, tabs, and points in EPSG:5514."""

    def __init__(self, catalogue: gpd.GeoDataFrame) -> None:
        self.entries = catalogue.reset_index(drop=True)
        words = []
        tabs = []
        for row in self.entries.itertuples():
            groups = decode(row.target_groups)
            forms = decode(row.forms)
            kind = SERVICE_TYPE.term(row.service_type) if row.service_type in SERVICE_TYPE \
                else None
            parts = [row.name, row.provider, row.target_note, row.address, row.municipality,
                     row.description, row.area_note, row.register_id, row.opening_hours,
                     *((kind.cs, kind.en, *kind.synonyms) if kind else (row.service_type,)),
                     *(TARGET_GROUP.label(g, "cs") + " " + TARGET_GROUP.label(g, "en")
                       for g in groups),
                     *(SERVICE_FORM.label(f, "cs") + " " + SERVICE_FORM.label(f, "en")
                       for f in forms)]
            words.append(fold(" ".join(str(p) for p in parts)))
            tabs.append(" ".join(tabs_of(str(row.service_type), groups)))
        self.words = pd.Series(words, dtype=object)
        self.sort_names = self.entries["name"].map(fold).to_numpy(dtype=object)
        self.tabs = pd.Series(tabs, dtype=object)
        positioned = self.entries["positioned"].to_numpy(dtype=bool)
        metric = gpd.GeoSeries(self.entries.geometry.where(positioned), crs=STORAGE_CRS) \
            .to_crs(METRIC_CRS)
        self.points = np.asarray(metric.values, dtype=object)
        self.positioned = positioned

    def search(self, query: Query) -> gpd.GeoDataFrame:
        """Entries matching ``query``, nearest first when it has a place, else by name; with
        ``distance_m`` (metres, NaN without a place or a position). Raises ``InvalidInput``
        (see :meth:`Query.check`)."""
        query.check()
        entries = self.entries
        keep = np.ones(len(entries), dtype=bool)
        for word in tokens(query.text):
            keep &= self.words.str.contains(word, regex=False).to_numpy(dtype=bool)
        if query.town_id:
            keep &= (entries["town_id"] == query.town_id).to_numpy()
        if query.service_type:
            keep &= (entries["service_type"] == query.service_type).to_numpy()
        for column, code in (("target_groups", query.target_group), ("forms", query.form)):
            if code:
                keep &= entries[column].str.contains(f'"{code}"', regex=False).to_numpy()
        if query.tab:
            keep &= self.tabs.str.contains(query.tab, regex=False).to_numpy(dtype=bool)
        distance = np.full(len(entries), np.nan)
        if query.near is not None:
            place = gpd.GeoSeries([query.near], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
            shown = self.positioned & keep if query.distance_m is not None else self.positioned
            distance[shown] = shapely.distance(self.points[shown], place)
            if query.distance_m is not None:
                keep &= self.positioned
                keep &= np.nan_to_num(distance, nan=np.inf) <= query.distance_m
        found = entries[keep].assign(distance_m=distance[keep], sort_name=self.sort_names[keep])
        order = ["distance_m", "sort_name"] if query.near is not None else ["sort_name"]
        return found.sort_values(order, na_position="last").drop(columns="sort_name") \
            .reset_index(drop=True)


def search_catalogue(store: Store, query: Query) -> gpd.GeoDataFrame:
    """:meth:`CatalogueIndex.search` over the store's catalogue (of ``query.town_id``)."""
    return CatalogueIndex(load_catalogue(store, query.town_id)).search(query)


def result_rows(found: pd.DataFrame) -> list[dict[str, Any]]:
    """Search results as plain records (the CLI's ``--json`` ``results``): ``id``, ``name``,
    ``type``, ``target_groups`` (codes), ``forms``, ``town``, ``distance_m`` (rounded metres,
    None without a place), ``provider``, ``address``, ``register_id``, ``positioned``,
    ``lon``/``lat`` (None without a position)."""
    rows = []
    for record in found.drop(columns="geometry").to_dict("records"):
        distance = float(record["distance_m"])
        placed = bool(record["positioned"])
        rows.append({
            "id": record["service_id"], "name": record["name"],
            "type": record["service_type"], "target_groups": decode(record["target_groups"]),
            "forms": decode(record["forms"]), "town": record["town_id"],
            "distance_m": None if np.isnan(distance) else round(distance),
            "provider": record["provider"], "address": record["address"],
            "register_id": record["register_id"], "positioned": placed,
            "lon": round(float(record["lon"]), 6) if placed else None,
            "lat": round(float(record["lat"]), 6) if placed else None})
    return rows
