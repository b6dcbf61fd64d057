"""Import of the national register of social-service providers (Registr poskytovatelů
sociálních služeb, MPSV open data, ``https://data.mpsv.cz/od/soubory/rpss/rpss.json``).

The shape read here is the published JSON: one object whose ``polozky`` array holds one item
per registered service, with ``identifikator`` (the service's register number),
``druhSocialniSluzby`` (``{"id": "DruhSocialniSluzby/…"}``), ``ciloveSkupiny``
(``[{"cilovaSkupina": {"id": …}}]``), ``formy`` (``[{"forma": {"id":
"FormaSocialniSluzby/pob|amb|ter"}, "kapacity": [{"typ": {"id": …}, "pocet": n}]}]``),
``poskytovatel`` (``nazev``, ``ico``, ``adresa``, ``telefony``/``emaily``/``weby``), the
service's own ``telefony``/``emaily``/``weby``, ``zarizeni`` (facilities: ``nazev``,
``adresa`` with ``kodAdresnihoMista``, ``obec``/``okres``/``kraj`` as ``{"id":
"Obec/567256"}``…, ``ulice.nazev``, ``cisloDomovni``, ``cisloOrientacni``, ``psc``;
``utajenaAdresa``; ``poskytujeOd``/``poskytujeDo``) and ``datumPoskytovaniOd``/``Do``. Code
lists (``{"polozky": [{"id", "nazev": {"cs"}}]}``, published beside it) give the names of the
kinds, target groups, forms and capacity types; a name given inline (``nazev``) is read too.

The register has no coordinates. A service is placed at its facility's address point
(``kodAdresnihoMista``) when the store holds that point (``address_points``), and otherwise
listed as "without position" (still found by search): never placed at a guessed point.

A re-import updates entries by their identifier (``rpss-<identifikator>``), keeps what was
edited locally (``local_fields``) and what the register does not hold (descriptions, hours,
photos), marks entries gone from the newer edition "withdrawn", and reports what appeared,
changed and disappeared. Everything is written in one store transaction, audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd
from shapely.geometry import Point

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import MANAGE_DATA
from layers.catalogue.editing import now, service_row
from layers.catalogue.entries import (
    SHARED,
    decode,
    encode,
    forms_of,
    plain,
    read_entries,
    service_type_of,
    target_groups_of,
)
from layers.errors import InvalidInput
from layers.schema import (
    ADDRESS_POINTS,
    CATALOGUE_ENTRIES,
    CATALOGUE_HISTORY,
    SERVICES,
    TOWNS,
)
from layers.store import Store

#: NUTS 3 code of a region → its RÚIAN code (VÚSC), which the register writes as "Kraj/60".
REGION_CODES: Final = {"CZ010": 19, "CZ020": 27, "CZ031": 35, "CZ032": 43, "CZ041": 51,
                       "CZ042": 60, "CZ051": 78, "CZ052": 86, "CZ053": 94, "CZ063": 108,
                       "CZ064": 116, "CZ071": 124, "CZ072": 141, "CZ080": 132}
#: Entry fields the register fills (a re-import compares and updates these only).
REGISTER_FIELDS: Final = ("name", "service_type", "provider", "target_groups", "target_note",
                          "forms", "address", "kod_obec", "municipality", "phone", "email",
                          "web", "capacity", "capacity_unit", "register_id", "town_id")
#: Code lists read from beside the register file when present (MPSV publishes its code lists
#: as separate files; others can be named explicitly).
CODELIST_FILES: Final = ("druhy-socialni-sluzby.json", "cilove-skupiny.json",
                         "formy-socialni-sluzby.json", "typy-kapacity-socialni-sluzby.json")


def codelists_beside(path: Path) -> list[Path]:
    """The code-list files of :data:`CODELIST_FILES` in the register file's folder."""
    folder = Path(path).parent
    return [folder / name for name in CODELIST_FILES if (folder / name).is_file()]


@dataclass(frozen=True)
class RegisterService:
    """One active service of the register, as a catalogue entry's register fields, with the
    RÚIAN address point of its facility (``kod_adm``, "" when unknown) and its region's
    RÚIAN code (``kraj``, 0 when not stated)."""

    fields: dict[str, Any]
    kod_adm: str
    kraj: int


@dataclass
class RegisterReport:
    """What an import did (or, with ``dry_run``, would do): entries ``added``, ``updated``
    (id → changed fields), ``unchanged`` (count), ``withdrawn`` (gone from this edition),
    ``without_position`` (dicts: ``id``, ``name``, ``address``), and services skipped as
    ``outside_region`` or ``ended``; ``outside_towns`` counts entries in the region but in
    none of the store's towns."""

    source_name: str
    region: str
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0
    withdrawn: list[str] = field(default_factory=list)
    without_position: list[dict[str, str]] = field(default_factory=list)
    outside_region: int = 0
    ended: int = 0
    outside_towns: int = 0
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict (the CLI's ``--json``)."""
        return {"source": self.source_name, "region": self.region, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged,
                "withdrawn": self.withdrawn, "without_position": self.without_position,
                "outside_region": self.outside_region, "ended": self.ended,
                "outside_towns": self.outside_towns, "dry_run": self.dry_run}


class CodeLists:
    """Names of the register's codes (``{"polozky": [{"id", "nazev": {"cs"}}]}`` files)."""

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self.names: dict[str, str] = {}
        for path in paths:
            for item in _load(path).get("polozky", []):
                if isinstance(item, Mapping) and "id" in item:
                    self.names[str(item["id"])] = _name(item.get("nazev"))

    def name(self, ref: object) -> str:
        """The name of a code reference (``{"id": …, "nazev"?: …}``): inline, else from the
        code lists, else ""."""
        if not isinstance(ref, Mapping):
            return ""
        return _name(ref.get("nazev")) or self.names.get(str(ref.get("id", "")), "")


def _name(value: object) -> str:
    if isinstance(value, Mapping):
        return str(value.get("cs") or "")
    return str(value or "")


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("register.unreadable", name=Path(path).name, detail=exc) from exc
    if not isinstance(data, dict) or not isinstance(data.get("polozky"), list):
        raise InvalidInput("register.shape", name=Path(path).name,
                           detail=type(data).__name__)
    return data


def _contacts(*sources: Mapping[str, Any]) -> tuple[str, str, str]:
    """The first phone, e-mail and web of the first source that has one of each."""
    out = []
    for key, inner in (("telefony", "telefon"), ("emaily", "email"), ("weby", "web")):
        value = ""
        for source in sources:
            items = source.get(key) or []
            if items and isinstance(items[0], Mapping) and items[0].get(inner):
                value = str(items[0][inner]).strip()
                break
        out.append(value)
    return out[0], out[1], out[2]


def _address(adresa: Mapping[str, Any], municipality: str) -> str:
    street = _name((adresa.get("ulice") or {}).get("nazev") if isinstance(
        adresa.get("ulice"), Mapping) else "")
    number = "/".join(str(n) for n in (adresa.get("cisloDomovni"),
                                       adresa.get("cisloOrientacni")) if n)
    first = " ".join(p for p in (street or municipality, number) if p)
    town = " ".join(p for p in (str(adresa.get("psc") or ""), municipality) if p)
    return ", ".join(p for p in (first, town) if p)


def _ref_code(ref: object, prefix: str) -> str:
    """The code after ``prefix/`` of a reference ``{"id": "Obec/567256"}`` ("" if none)."""
    ident = str(ref.get("id", "")) if isinstance(ref, Mapping) else ""
    return ident.split("/", 1)[1] if ident.startswith(prefix + "/") else ""


def read_register(path: Path, codelists: CodeLists, town_names: Mapping[str, str],
                  today: str) -> tuple[list[RegisterService], int]:
    """The register's services active on ``today`` (ISO date) and how many had ended.

    ``town_names`` maps RÚIAN municipality codes to names (the store's towns). Raises
    ``InvalidInput`` ("register.unreadable", "register.shape") for a file that is not the
    register's JSON.
    """
    data = _load(path)
    services = []
    ended = 0
    for item in data["polozky"]:
        if not isinstance(item, Mapping) or not item.get("identifikator"):
            continue
        until = str(item.get("datumPoskytovaniDo") or "")
        if until and until[:10] < today:
            ended += 1
            continue
        facilities = [f for f in item.get("zarizeni") or [] if isinstance(f, Mapping)
                      and not (f.get("poskytujeDo") and str(f["poskytujeDo"])[:10] < today)]
        facility = next((f for f in facilities if f.get("adresa")
                         and not f.get("utajenaAdresa")), None)
        provider = item.get("poskytovatel") or {}
        # a hidden address (a shelter, an intervention centre) stays hidden: the provider's
        # seat gives the region and town only, never the service's address or point
        hidden = facility is None and any(f.get("utajenaAdresa") for f in facilities)
        adresa = (facility or {}).get("adresa") or provider.get("adresa") or {}
        kod_obec = _ref_code(adresa.get("obec"), "Obec")
        municipality = codelists.name(adresa.get("obec")) or town_names.get(kod_obec, "")
        kind = codelists.name(item.get("druhSocialniSluzby"))
        groups = [codelists.name(g.get("cilovaSkupina")) for g in item.get("ciloveSkupiny") or []
                  if isinstance(g, Mapping)]
        groups = [g for g in groups if g]
        forms: list[str] = []
        capacity: int | None = None
        unit = ""
        for form in item.get("formy") or []:
            code = _ref_code(form.get("forma"), "FormaSocialniSluzby")
            forms += forms_of(f"{code} {codelists.name(form.get('forma'))}", "")
            for amount in form.get("kapacity") or []:
                if capacity is None and isinstance(amount.get("pocet"), int | float):
                    capacity = int(amount["pocet"])
                    unit = codelists.name(amount.get("typ"))
        service_type = service_type_of(kind)
        phone, email, web = _contacts(item, provider)
        named = facility or (facilities[0] if facilities else {})
        name = str(named.get("nazev") or "").strip() or \
            " – ".join(p for p in (kind, str(provider.get("nazev") or "")) if p)
        services.append(RegisterService({
            "name": name, "service_type": service_type,
            "provider": str(provider.get("nazev") or "").strip(),
            "target_groups": encode(target_groups_of(" ".join([*groups, kind]), service_type)),
            "target_note": "; ".join(groups), "forms": encode(dict.fromkeys(forms)),
            "address": "" if hidden else _address(adresa, municipality),
            "kod_obec": kod_obec, "municipality": municipality, "phone": phone,
            "email": email, "web": web, "capacity": capacity, "capacity_unit": unit,
            "register_id": str(item["identifikator"]), "description": kind},
            "" if hidden else str(adresa.get("kodAdresnihoMista") or ""),
            int(_ref_code(adresa.get("kraj"), "Kraj") or 0)))
    return services, ended


def import_register(store: Store, principal: Principal, path: Path, region: str,
                    codelist_paths: Sequence[Path] = (), dry_run: bool = False,
                    today: str | None = None) -> RegisterReport:
    """Import (or update from) the register file ``path`` for ``region`` (NUTS 3, e.g.
    CZ042); see the module's docstring. With ``dry_run`` nothing is written.

    Raises ``AccessDenied`` without ``manage_data`` in every town of the region,
    ``InvalidInput`` for an unknown region
    or a file not in the register's shape (the store is then unchanged), ``StoreError``
    when a write fails (nothing of the import is stored).
    """
    principal.require(MANAGE_DATA)
    if region not in REGION_CODES:
        raise InvalidInput("register.region", region=region, known=", ".join(REGION_CODES))
    day = today or dt.date.today().isoformat()
    towns = store.read(TOWNS)
    for town in towns.loc[towns["kod_kraj"].astype(str) == region, "town_id"].astype(str):
        principal.require_town(town)  # the import writes to every town of the region
    town_of = dict(zip(towns["kod_obec"].astype(str), towns["town_id"], strict=True))
    services, ended = read_register(path, CodeLists(codelist_paths),
                                    dict(zip(towns["kod_obec"].astype(str), towns["name"],
                                             strict=True)), day)
    report = RegisterReport(Path(path).name, region, ended=ended, dry_run=dry_run)
    points = _address_points(store)
    existing = read_entries(store)
    existing = existing[existing["origin"] == "register"].set_index("service_id")
    stored_points = store.read(SERVICES)
    stored_points = stored_points[stored_points["service_id"].str.startswith("rpss-")] \
        .set_index("service_id").geometry
    stamp = now()
    new_rows: list[dict[str, Any]] = []
    changes: list[tuple[dict[str, Any], Point | None, bool]] = []
    history: list[dict[str, Any]] = []
    seen: set[str] = set()
    for service in services:
        if service.kraj != REGION_CODES[region]:
            report.outside_region += 1
            continue
        fields = {**service.fields, "town_id": town_of.get(service.fields["kod_obec"], "")}
        service_id = f"rpss-{fields['register_id']}"
        if service_id in seen:
            continue
        seen.add(service_id)
        point = points.get(service.kod_adm)
        report.outside_towns += not fields["town_id"]
        if point is None:
            report.without_position.append({"id": service_id, "name": fields["name"],
                                            "address": fields["address"]})
        if service_id not in existing.index:
            entry = {**_blank(), **fields, "service_id": service_id, "origin": "register",
                     "region": region, "register_status": "active", "register_date": day,
                     "updated_at": stamp, "local_fields": "[]"}
            new_rows.append(entry)
            changes.append((entry, point, False))
            report.added.append(service_id)
            history.append(_history(service_id, entry["town_id"], stamp, principal,
                                    {"added": fields["register_id"]}))
            continue
        old = existing.loc[service_id]
        kept = set(decode(old["local_fields"]))
        diff = {k: [plain(old[k]), plain(v)] for k, v in fields.items()
                if k not in kept and plain(old[k]) != plain(v)}
        if old["register_status"] != "active":
            diff["register_status"] = [old["register_status"], "active"]
        before = stored_points.get(service_id)
        moved = point is not None and (before is None or not before.equals(point))
        if point is not None and moved:
            diff["position"] = [None, [point.x, point.y]]
        if not diff:
            report.unchanged += 1
            continue
        entry = {**{str(k): plain(v) for k, v in old.items()}, "service_id": service_id,
                 **{k: v for k, v in fields.items() if k not in kept},
                 "register_status": "active", "register_date": day, "updated_at": stamp}
        changes.append((entry, point if moved else None, before is not None))
        report.updated[service_id] = sorted(diff)
        history.append(_history(service_id, entry["town_id"], stamp, principal, diff))
    gone = [sid for sid in existing.index if sid not in seen
            and existing.loc[sid, "region"] == region
            and existing.loc[sid, "register_status"] == "active"]
    report.withdrawn = gone
    history += [_history(sid, str(existing.loc[sid, "town_id"]), stamp, principal,
                         {"register_status": ["active", "withdrawn"]}) for sid in gone]
    if dry_run or not (changes or gone):
        return report
    with store.transaction():
        if new_rows:
            store.append(CATALOGUE_ENTRIES, pd.DataFrame(new_rows,
                                                         columns=list(CATALOGUE_ENTRIES.columns)))
        updated = [entry for entry, _, _ in changes if entry["service_id"] not in report.added]
        if updated:
            store.update_rows(CATALOGUE_ENTRIES, "service_id", pd.DataFrame(
                updated, columns=list(CATALOGUE_ENTRIES.columns)).drop(columns="town_id"))
        if gone:
            store.update_rows(CATALOGUE_ENTRIES, "service_id", pd.DataFrame(
                {"service_id": gone, "register_status": "withdrawn", "updated_at": stamp}))
        _write_points(store, changes)
        store.append(CATALOGUE_HISTORY, pd.DataFrame(history,
                                                     columns=list(CATALOGUE_HISTORY.columns)))
        audit.record(store, principal, "import_services_register", CATALOGUE_ENTRIES.name,
                     [], {"region": region, "source": report.source_name,
                          "added": len(report.added), "updated": len(report.updated),
                          "withdrawn": len(gone),
                          "without_position": len(report.without_position)})
    return report


def _write_points(store: Store, changes: list[tuple[dict[str, Any], Point | None, bool]]
                  ) -> None:
    """The ``services`` rows of changed entries: a new point replaces the old one, an entry
    that keeps its point gets the shared columns updated."""
    moved = [(entry, point) for entry, point, _ in changes if point is not None]
    replaced = [entry["service_id"] for (entry, point, had) in changes
                if point is not None and had]
    if replaced:
        store.delete_rows(SERVICES, "service_id", replaced)
    if moved:
        store.append(SERVICES, pd.concat([service_row(e, p) for e, p in moved],
                                         ignore_index=True))
    kept = [entry for entry, point, had in changes if point is None and had]
    if kept:
        store.update_rows(SERVICES, "service_id", pd.DataFrame(
            [{"service_id": e["service_id"], **{s: e[c] for c, s in SHARED.items()}}
             for e in kept]))


def _address_points(store: Store) -> dict[str, Point]:
    """The store's address points by RÚIAN code (none when it has no such layer)."""
    if ADDRESS_POINTS.name not in store.layer_names():
        return {}
    frame = store.read(ADDRESS_POINTS)
    return dict(zip(frame["kod_adm"].astype(str), frame.geometry, strict=True))


def _blank() -> dict[str, Any]:
    values: dict[str, Any] = {c.name: "" for c in CATALOGUE_ENTRIES.fields if c.kind == "text"}
    return {**values, "capacity": None, "svi_contact": False, "synthetic": False}


def _history(service_id: str, town_id: str, at: str, principal: Principal,
             change: Mapping[str, Any]) -> dict[str, Any]:
    return {"service_id": service_id, "town_id": town_id, "at": at,
            "who_role": principal.role, "how": "register",
            "change": json.dumps(change, ensure_ascii=False, default=str)}

