"""Safety audits of places (CPTED style): lighting, visibility, maintenance, escape routes,
activity and the auditor's feeling, each scored 1 (bad) … 5 (good), at a point on the map.

An audit names its place (e.g. a hotspot's label or "Janov – zastávka") and the date, may
carry a note, and links to measures of the town's strategies (lighting, a new youth space) by
id. :func:`add_audit` validates and appends one row to ``safety_audits`` (EPSG:4326) for a
:class:`~layers.access.principal.Principal` with the right ``edit_urban``, recording its role as
``auditor_role`` and the change in the audit log; :func:`load_audits` reads a town's audits
with ``mean`` and ``weakest`` (the aspects with the lowest score) added.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from layers.access import audit as audit_log
from layers.access.principal import Principal
from layers.access.roles import EDIT_URBAN
from layers.errors import InvalidInput, NotFound
from layers.schema import AUDIT_ASPECTS, AUDIT_LOG, MEASURES, SAFETY_AUDITS, TOWNS
from layers.store import Store
from layers.strategy.model import check_date

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Audit:
    """One audit; ``scores`` maps every aspect of ``AUDIT_ASPECTS`` to 1 … 5."""

    town_id: str
    place_label: str
    date: str
    lon: float
    lat: float
    scores: Mapping[str, int]
    note: str = ""
    measure_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.place_label.strip():
            raise InvalidInput("audit.no_place")
        check_date(self.date, "audit date")
        if set(self.scores) != set(AUDIT_ASPECTS):
            raise InvalidInput("audit.aspects", aspects=", ".join(AUDIT_ASPECTS))
        bad = {a: s for a, s in self.scores.items() if s not in SCORES}
        if bad:
            raise InvalidInput("audit.scores", bad=bad)
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InvalidInput("audit.not_lonlat")


def add_audit(store: Store, principal: Principal, audit: Audit, created_at: str) -> str:
    """Append ``audit`` by ``principal`` (its role is the ``auditor_role``); return its id.

    Raises ``AccessDenied`` without the right ``edit_urban`` in the audit's town (before
    anything is read or written), ``ValueError`` when the place lies outside the town or a
    linked measure is not one of the town's measures. The change is audited
    ("add_safety_audit")."""
    principal.require(EDIT_URBAN, town=audit.town_id)
    towns = store.read(TOWNS, audit.town_id)
    if towns.empty:
        raise NotFound("audit.no_town", town=audit.town_id)
    if not shapely.union_all(towns.geometry.to_numpy()).covers(Point(audit.lon, audit.lat)):
        raise InvalidInput("audit.outside", town=audit.town_id)
    if audit.measure_ids:
        known = set(store.read(MEASURES, audit.town_id)["measure_id"].astype(str)) \
            if "measures" in store.layer_names() else set()
        unknown = sorted(set(audit.measure_ids) - known)
        if unknown:
            raise NotFound("audit.no_measures", measures=unknown, town=audit.town_id)
    audit_id = f"{audit.town_id}:audit:{uuid.uuid4().hex[:8]}"
    row = {"audit_id": audit_id, "town_id": audit.town_id,
           "place_label": audit.place_label.strip(), "date": audit.date,
           "auditor_role": principal.role,
           **{aspect: int(audit.scores[aspect]) for aspect in AUDIT_ASPECTS},
           "note": audit.note.strip(), "measure_ids": json.dumps(list(audit.measure_ids)),
           "created_at": created_at}
    frame = gpd.GeoDataFrame([row], columns=list(SAFETY_AUDITS.columns),
                             geometry=[Point(audit.lon, audit.lat)], crs="EPSG:4326")
    store.append_batch([(SAFETY_AUDITS, frame), (AUDIT_LOG, audit_log.entry(
        principal, "add_safety_audit", SAFETY_AUDITS.name, [audit_id],
        {"town_id": audit.town_id, "measure_ids": list(audit.measure_ids)}, audit.town_id))])
    return audit_id


def load_audits(store: Store, town_id: str) -> gpd.GeoDataFrame:
    """The town's audits (EPSG:4326), newest first, with ``mean`` score and ``weakest``
    aspects (comma-joined); empty when none was ever recorded."""
    columns = [*SAFETY_AUDITS.columns, "mean", "weakest", "geometry"]
    if "safety_audits" not in store.layer_names():
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs="EPSG:4326")
    audits = store.read(SAFETY_AUDITS, town_id)
    scores = audits[list(AUDIT_ASPECTS)].to_numpy(dtype=float)
    audits["mean"] = scores.mean(axis=1) if len(audits) else []
    audits["weakest"] = [", ".join(a for a, s in zip(AUDIT_ASPECTS, row, strict=True)
                                   if s == row.min()) for row in scores]
    return audits.sort_values(["date", "created_at"], ascending=False).reset_index(drop=True)


def aspect_summary(audits: pd.DataFrame, aspects: Sequence[str] = AUDIT_ASPECTS
                   ) -> pd.DataFrame:
    """Mean score and audits scoring ≤ 2 per aspect: where the town's places are weakest."""
    return pd.DataFrame({
        "aspect": list(aspects),
        "mean": [float(np.mean(audits[a].astype(float))) if len(audits) else float("nan")
                 for a in aspects],
        "poor": [int((audits[a].astype(float) <= 2).sum()) for a in aspects],
    })
