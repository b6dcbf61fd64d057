"""Services: OpenStreetMap-style GeoJSON (tags mapped onto our service types, the original
tags kept in ``service_tags``) or a CSV with coordinates and a ``type`` column.

An address-only CSV is refused (offline, nothing can geocode it) with its rows listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.crs import STORAGE_CRS
from layers.ingest.checks import Duplicates, accepted_terms, find_columns, term_code, text
from layers.ingest.geometry import check_inside, check_points
from layers.ingest.pipeline import ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import SERVICE_TAGS, SERVICE_TYPES, SERVICES, LayerSpec
from layers.store.base import RowMatch
from layers.vocabulary import SERVICE_TYPE

FIELDS: Final = {
    "name": ("nazev", "název"),
    "service_type": ("type", "typ", "druh"),
    "operator": ("provozovatel", "zrizovatel"),
    "target_groups": ("cilova_skupina", "cílová skupina", "target"),
    "opening_hours": ("oteviraci_doba", "otevírací doba"),
    "address": ("adresa",),
    "source_id": ("id", "@id", "osm_id", "kod"),
}
#: OSM (key, value) → our service type; None as value = any value of that key.
OSM_TYPES: Final = (
    (("social_facility:for", "drug_addicted"), "addiction_service"),
    (("social_facility:for", "juvenile"), "nzdm"),
    (("social_facility:for", "child"), "nzdm"),
    (("healthcare:counselling", "addiction"), "addiction_service"),
    (("amenity", "police"), "police"),
    (("police", None), "police"),
    (("amenity", "community_centre"), "community_centre"),
    (("community_centre", None), "community_centre"),
    (("amenity", "social_centre"), "community_centre"),
    (("amenity", "youth_centre"), "nzdm"),
    (("amenity", "social_facility"), "social_service"),
    (("social_facility", None), "social_service"),
    (("amenity", "school"), "school"),
    (("school", None), "school"),
    (("leisure", "playground"), "playground"),
    (("playground", None), "playground"),
)
#: Words that make an OSM police station the municipal police.
MUNICIPAL_WORDS: Final = SERVICE_TYPE.term("municipal_police").synonyms


def service_type(tags: Mapping[str, str]) -> str:
    """Our service type for a feature's tags ("" when none fits); an explicit
    ``service_type`` tag in our vocabulary wins."""
    explicit = tags.get("service_type", "").strip()
    if explicit in SERVICE_TYPES:
        return explicit
    for (key, value), kind in OSM_TYPES:
        found = tags.get(key, "").strip()
        if found and (value is None or found == value):
            if kind == "police" and any(w in " ".join([tags.get("name", ""),
                                                       tags.get("operator", "")]).casefold()
                                        for w in MUNICIPAL_WORDS):
                return "municipal_police"
            return kind
    return ""


def connect(source: Source, ctx: ImportContext, chunk_rows: int
            ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
    """Validated service rows (SERVICES schema, EPSG:4326) and, for OSM data, their tags."""
    ctx.undo += [RowMatch(SERVICES.name, prefix=("service_id", f"{ctx.batch_id}-")),
                 RowMatch(SERVICE_TAGS.name, prefix=("service_id", f"{ctx.batch_id}-"))]
    duplicates = Duplicates()
    report = ctx.report
    for chunk in source.chunks(chunk_rows):
        report.rows += len(chunk.frame)
        frame = chunk.frame
        columns = find_columns(list(frame.columns), FIELDS, (), source.name)
        geoms, ok = check_points(positions(chunk, source, ctx), chunk.labels, report)
        tags = _tags(frame)
        kinds = np.array([service_type(t) for t in tags], dtype=object)
        given = text(frame, columns.get("service_type")).to_numpy(dtype=object)
        if "service_type" in columns:
            # as people write it ("NZDM", "nízkoprahové zařízení"), else an OSM tag value
            kinds = np.where(kinds == "", [term_code(SERVICE_TYPE, g) or service_type(
                {"amenity": g, "leisure": g}) for g in given], kinds)
        for i in np.flatnonzero(ok & (kinds == "")):
            shown = (f"unknown service type '{given[i]}'" if given[i] else "no service type for "
                     + (", ".join(f"{k}={v}" for k, v in list(tags[i].items())[:4])
                        or "no tags"))
            report.add("rejected", chunk.labels[i],
                       f"{shown}; accepted: {accepted_terms(SERVICE_TYPE)}")
        ok &= kinds != ""
        names = text(frame, columns.get("name"))
        ids = text(frame, columns.get("source_id"))
        keys = pd.DataFrame({"id": ids.to_numpy()}) if (ids != "").all() else pd.DataFrame({
            "name": names.to_numpy(), "type": kinds,
            "at": shapely.to_wkb(geoms)})
        ok = duplicates.reject(keys, ok, chunk.labels, report,
                               "duplicate of an earlier row (same id, or same name, type "
                               "and position)")
        ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, report, ctx.town_id,
                          reject_outside=False)
        if not ok.any():
            continue
        service_ids = ctx.new_ids(SERVICES.name, int(ok.sum()))
        address = text(frame, columns.get("address"))
        if "address" not in columns and "addr:street" in frame.columns:
            address = (text(frame, "addr:street") + " " + text(
                frame, "addr:housenumber" if "addr:housenumber" in frame.columns else None)
                       ).str.strip()
        out = gpd.GeoDataFrame({
            "service_id": service_ids, "town_id": ctx.town_id, "name": names[ok].to_numpy(),
            "service_type": kinds[ok],
            "operator": text(frame, columns.get("operator"))[ok].to_numpy(),
            "target_groups": text(frame, columns.get("target_groups"))[ok].to_numpy(),
            "opening_hours": text(frame, columns.get("opening_hours"))[ok].to_numpy(),
            "address": address[ok].to_numpy(), "source": ctx.source_label, "synthetic": False,
        }, geometry=geoms[ok], crs=STORAGE_CRS)
        yield SERVICES, out[[*SERVICES.columns, "geometry"]]
        if source.kind == "vector":
            yield SERVICE_TAGS, pd.DataFrame({
                "service_id": service_ids, "town_id": ctx.town_id,
                "tags": [json.dumps(t, ensure_ascii=False) for t, keep in zip(tags, ok,
                                                                               strict=True)
                         if keep]})[list(SERVICE_TAGS.columns)]


def _tags(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Each row's non-empty properties as text, the way OSM tags are written."""
    records = frame.astype(object).where(frame.notna(), "").astype(str).to_dict("records")
    return [{str(k): v.strip() for k, v in r.items() if v.strip()} for r in records]
