"""Editors' changes of the catalogue, and providers' proposals an editor decides on.

An editor is a principal with the right ``manage_data`` (the data manager). A change of an
entry writes, in ONE store transaction: the entry, its ``services`` row (the shared columns;
the point when the position changes), a history entry (role, UTC time, {field: [old, new]})
and an audit entry; a failure leaves the store as it was. A register entry remembers which
fields were edited locally (``local_fields``) so that a re-import keeps them.

Anyone, the public included, may propose a change (a provider adding what the register does
not hold); a proposal waits, unseen in the catalogue, until an editor approves it (the change
is then written as above, with its history marked "proposal") or rejects it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import MANAGE_DATA
from layers.catalogue.entries import SHARED, decode, derived_entries, encode, plain, read_entries
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.errors import Conflict, InvalidInput, NotFound
from layers.schema import (
    CATALOGUE_ENTRIES,
    CATALOGUE_HISTORY,
    CATALOGUE_PROPOSALS,
    SERVICES,
    TOWNS,
)
from layers.store import Store
from layers.vocabulary import SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP

#: Fields an editor or a proposal may set (``lon``/``lat`` move the service's point).
EDITABLE: Final = ("name", "service_type", "provider", "target_groups", "target_note", "forms",
                   "address", "opening_hours", "phone", "email", "web", "capacity",
                   "capacity_unit", "register_id", "area_note", "area_wkt", "description",
                   "photo_url", "photo_licence", "svi_contact", "lon", "lat")
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def now() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` checked and normalised: text stripped, lists of codes as lists, capacity
    an int (None when empty). Raises ``InvalidInput`` for an unknown field or a bad value."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise InvalidInput("catalogue.field", field=name, known=", ".join(EDITABLE))
        if name in ("target_groups", "forms"):
            codes = decode(value) if isinstance(value, str) else [str(v) for v in value]
            vocabulary = TARGET_GROUP if name == "target_groups" else SERVICE_FORM
            for code in codes:
                if code not in vocabulary:
                    raise InvalidInput("catalogue.target" if name == "target_groups"
                                       else "catalogue.form", code=code,
                                       known=", ".join(vocabulary.codes))
            out[name] = codes
        elif name == "capacity":
            out[name] = _capacity(value)
        elif name == "svi_contact":
            out[name] = bool(value)
        elif name in ("lon", "lat"):
            out[name] = None if value in (None, "") else float(value)
        else:
            out[name] = "" if value is None else str(value).strip()
    if "name" in out and not out["name"]:
        raise InvalidInput("catalogue.no_name")
    if out.get("service_type") and out["service_type"] not in SERVICE_TYPE:
        raise InvalidInput("catalogue.type", code=out["service_type"],
                           known=", ".join(SERVICE_TYPE.codes))
    if out.get("email") and not _EMAIL.match(out["email"]):
        raise InvalidInput("catalogue.email", value=out["email"])
    if out.get("web") and not out["web"].startswith(("http://", "https://")):
        raise InvalidInput("catalogue.web", value=out["web"])
    if out.get("area_wkt"):
        _area(out["area_wkt"])
    return out


def _capacity(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput("catalogue.capacity", value=value) from None
    if number != number or number < 0 or number != int(number):
        raise InvalidInput("catalogue.capacity", value=value)
    return int(number)


def _area(wkt: str) -> None:
    try:
        geometry = shapely.from_wkt(wkt)
    except shapely.errors.GEOSException as exc:
        raise InvalidInput("catalogue.area", detail=exc) from exc
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
        raise InvalidInput("catalogue.area", detail=geometry.geom_type)


@dataclass(frozen=True)
class EntryChange:
    """A checked change of one entry, ready to write: the entry row, its point (None: keep
    or none), whether the entry and a ``services`` row are stored, and the history diff."""

    entry: dict[str, Any]
    point: Point | None
    stored: bool
    had_point: bool
    diff: dict[str, Any]

    @property
    def service_id(self) -> str:
        return str(self.entry["service_id"])


def plan_entry(store: Store, town_id: str, changes: Mapping[str, Any],
               service_id: str | None = None) -> EntryChange:
    """Check a change (see :func:`save_entry`) and work out what to write, reading the store
    before any transaction opens. Raises ``InvalidInput`` or ``NotFound``."""
    values = clean_changes(changes)
    towns = store.read(TOWNS)
    town = towns[towns["town_id"] == town_id]
    if town.empty:
        raise NotFound("catalogue.no_town", town=town_id)
    entries = read_entries(store, town_id)
    services = store.read(SERVICES, town_id)
    if service_id is None:
        if not values.get("name"):
            raise InvalidInput("catalogue.no_name")
        service_id = f"{town_id}:svc:{uuid.uuid4().hex[:8]}"
        old: dict[str, Any] = {}
        stored = False
    else:
        old = _current(entries, services, service_id)
        stored = bool((entries["service_id"] == service_id).any())
    point = _point(values, town)
    new = {**_defaults(service_id, town_id), **old,
           **{k: v for k, v in values.items() if k not in ("lon", "lat")}}
    for name in ("target_groups", "forms"):
        new[name] = encode(decode(new[name]) if isinstance(new[name], str) else new[name])
    new["updated_at"] = now()
    diff = {k: [plain(old.get(k)), plain(new[k])] for k in CATALOGUE_ENTRIES.columns
            if k not in ("updated_at", "local_fields") and plain(old.get(k)) != plain(new[k])}
    if point is not None:
        diff["position"] = [None, [point.x, point.y]]
    if new.get("origin") == "register":
        edited = set(decode(new.get("local_fields"))) | (set(diff) - {"position"})
        new["local_fields"] = encode(sorted(edited))
    return EntryChange(new, point, stored,
                       bool((services["service_id"] == service_id).any()), diff)


def write_entry(store: Store, principal: Principal, change: EntryChange, how: str) -> None:
    """Write a planned change: entry, ``services`` row, history and audit entry (inside the
    caller's transaction when one is open)."""
    new = change.entry
    row = pd.DataFrame([new], columns=list(CATALOGUE_ENTRIES.columns))
    if change.stored:
        store.update_rows(CATALOGUE_ENTRIES, "service_id", row.drop(columns=["town_id"]))
    else:
        store.append(CATALOGUE_ENTRIES, row)
    if change.point is not None and change.had_point:
        store.delete_rows(SERVICES, "service_id", [change.service_id])
    if change.point is not None:
        store.append(SERVICES, service_row(new, change.point))
    elif change.had_point:
        store.update_rows(SERVICES, "service_id", pd.DataFrame([{
            "service_id": change.service_id, **{s: new[e] for e, s in SHARED.items()}}]))
    store.append(CATALOGUE_HISTORY, pd.DataFrame([{
        "service_id": change.service_id, "town_id": new["town_id"], "at": new["updated_at"],
        "who_role": principal.role, "how": how,
        "change": json.dumps(change.diff, ensure_ascii=False, default=str)}],
        columns=list(CATALOGUE_HISTORY.columns)))
    audit.record(store, principal, "edit_catalogue_entry", CATALOGUE_ENTRIES.name,
                 [change.service_id], {"town_id": new["town_id"], "fields": sorted(change.diff),
                                       "how": how}, str(new["town_id"]))


def save_entry(store: Store, principal: Principal, town_id: str, changes: Mapping[str, Any],
               service_id: str | None = None) -> str:
    """Add an entry (``service_id`` None) or change one; return its id.

    ``changes`` maps :data:`EDITABLE` fields to values (``lon`` and ``lat`` together place
    the service, in EPSG:4326, inside its town). The entry, its ``services`` row, a history
    entry and an audit entry ("edit_catalogue_entry") are written in one transaction.
    Raises ``AccessDenied`` without ``manage_data`` in ``town_id`` (before anything is read),
    ``InvalidInput`` for a bad value, a new entry without a name or a place outside the town,
    ``NotFound`` for an unknown town or service.
    """
    principal.require(MANAGE_DATA, town=town_id)
    change = plan_entry(store, town_id, changes, service_id)
    with store.transaction():
        write_entry(store, principal, change, "edit")
    return change.service_id


def service_row(entry: Mapping[str, Any], point: Point) -> gpd.GeoDataFrame:
    """The ``services`` row (EPSG:4326) of a catalogue entry placed at ``point``."""
    return gpd.GeoDataFrame([{
        "service_id": entry["service_id"], "town_id": entry["town_id"],
        **{s: entry[e] for e, s in SHARED.items()},
        "source": "katalog" if entry.get("origin") != "register"
        else "Registr poskytovatelů sociálních služeb (MPSV)",
        "synthetic": bool(entry.get("synthetic", False))}],
        columns=list(SERVICES.columns), geometry=[point], crs=STORAGE_CRS)


def _defaults(service_id: str, town_id: str) -> dict[str, Any]:
    values: dict[str, Any] = {c.name: "" for c in CATALOGUE_ENTRIES.fields if c.kind == "text"}
    return {**values, "service_id": service_id, "town_id": town_id, "capacity": None,
            "svi_contact": False, "synthetic": False, "origin": "local",
            "service_type": "social_service", "target_groups": "[]", "forms": "[]"}


def _current(entries: pd.DataFrame, services: pd.DataFrame, service_id: str) -> dict[str, Any]:
    """The entry of ``service_id`` as stored, or derived from its ``services`` row."""
    found = entries[entries["service_id"] == service_id]
    if found.empty:
        found = derived_entries(services[services["service_id"] == service_id])
    if found.empty:
        raise NotFound("catalogue.no_entry", service=service_id)
    row = found.iloc[0].to_dict()
    return {str(k): (None if k == "capacity" and pd.isna(v) else v) for k, v in row.items()}


def _point(values: Mapping[str, Any], town: pd.DataFrame) -> Point | None:
    lon, lat = values.get("lon"), values.get("lat")
    if lon is None or lat is None:
        return None
    point = Point(lon, lat)
    area = gpd.GeoSeries(town.geometry.to_numpy(), crs=STORAGE_CRS).to_crs(METRIC_CRS)
    place = gpd.GeoSeries([point], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
    if not area.iloc[0].contains(place):
        raise InvalidInput("catalogue.outside", town=str(town.iloc[0]["name"]))
    return point



# --- proposals ---------------------------------------------------------------------------

def propose_change(store: Store, principal: Principal, town_id: str, proposer: str,
                   changes: Mapping[str, Any], service_id: str = "") -> str:
    """Record a provider's proposed change (``service_id`` "" proposes a new entry); return
    the proposal's id. Anyone may propose; nothing reaches the catalogue until an editor
    approves. Audited ("propose_catalogue_change"). Raises ``InvalidInput`` for a bad value,
    no change or no proposer, ``NotFound`` for an unknown service."""
    values = clean_changes(changes)
    if not values:
        raise InvalidInput("catalogue.no_changes")
    if not proposer.strip():
        raise InvalidInput("catalogue.no_proposer")
    if service_id:
        _current(read_entries(store, town_id), store.read(SERVICES, town_id), service_id)
    elif not values.get("name"):
        raise InvalidInput("catalogue.no_name")
    proposal_id = f"{town_id}:proposal:{uuid.uuid4().hex[:8]}"
    with store.transaction():
        store.append(CATALOGUE_PROPOSALS, pd.DataFrame([{
            "proposal_id": proposal_id, "service_id": service_id, "town_id": town_id,
            "proposer": proposer.strip(),
            "changes": json.dumps(values, ensure_ascii=False), "created_at": now(),
            "status": "pending", "decided_at": "", "decided_role": "", "note": ""}],
            columns=list(CATALOGUE_PROPOSALS.columns)))
        audit.record(store, principal, "propose_catalogue_change", CATALOGUE_PROPOSALS.name,
                     [proposal_id], {"town_id": town_id, "service_id": service_id,
                                     "fields": sorted(values)}, town_id)
    return proposal_id


def proposals(store: Store, town_id: str | None = None, status: str | None = "pending"
              ) -> pd.DataFrame:
    """Proposals (of a town; of ``status``, or all with None), oldest first."""
    if CATALOGUE_PROPOSALS.name not in store.layer_names():
        return pd.DataFrame(columns=list(CATALOGUE_PROPOSALS.columns))
    found = pd.DataFrame(store.read(CATALOGUE_PROPOSALS, town_id))
    if status is not None:
        found = found[found["status"] == status]
    return found.sort_values("created_at").reset_index(drop=True)


def decide_proposal(store: Store, principal: Principal, proposal_id: str, approve: bool,
                    note: str = "") -> str | None:
    """Approve (apply with :func:`save_entry`, history marked "proposal") or reject a
    pending proposal, in one transaction; return the entry's id when approved.

    Raises ``AccessDenied`` without ``manage_data`` in the proposal's town, ``NotFound`` for
    an unknown proposal, ``Conflict`` for one already decided.
    """
    principal.require(MANAGE_DATA)
    found = proposals(store, None, None)
    rows = found[found["proposal_id"] == proposal_id]
    if rows.empty:
        raise NotFound("catalogue.no_proposal", proposal=proposal_id)
    proposal = rows.iloc[0]
    principal.require_town(str(proposal["town_id"]))
    if proposal["status"] != "pending":
        raise Conflict("catalogue.decided", proposal=proposal_id, status=proposal["status"])
    change = plan_entry(store, str(proposal["town_id"]), json.loads(proposal["changes"]),
                        str(proposal["service_id"]) or None) if approve else None
    service_id = change.service_id if change is not None else None
    with store.transaction():
        if change is not None:
            write_entry(store, principal, change, "proposal")
        store.update_rows(CATALOGUE_PROPOSALS, "proposal_id", pd.DataFrame([{
            "proposal_id": proposal_id, "status": "approved" if approve else "rejected",
            "decided_at": now(), "decided_role": principal.role, "note": note.strip(),
            "service_id": service_id or str(proposal["service_id"])}]))
        audit.record(store, principal, "decide_catalogue_proposal", CATALOGUE_PROPOSALS.name,
                     [proposal_id], {"approved": approve, "service_id": service_id or ""},
                     str(proposal["town_id"]))
    return service_id


def history(store: Store, service_id: str) -> pd.DataFrame:
    """The history of one entry, oldest first (empty when it never changed)."""
    if CATALOGUE_HISTORY.name not in store.layer_names():
        return pd.DataFrame(columns=list(CATALOGUE_HISTORY.columns))
    frame = pd.DataFrame(store.read(CATALOGUE_HISTORY))
    return frame[frame["service_id"] == service_id].sort_values("at").reset_index(drop=True)
