"""The store's catalogue as one frame: every service of ``services`` with its catalogue entry
(``catalogue_entries``), and the entries without a position.

A service imported or generated before the catalogue existed has no entry: its card is
derived from its ``services`` row (target groups read from the row's words, forms from its
type). An entry overrides what its ``services`` row says; the position always comes from
``services`` (EPSG:4326), so an entry without a ``services`` row has none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from layers.catalogue.text import fold
from layers.crs import STORAGE_CRS
from layers.schema import CATALOGUE_ENTRIES, SERVICES
from layers.store import Store
from layers.vocabulary import SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP

#: Columns of an entry that hold JSON lists of codes.
LIST_FIELDS: Final = ("target_groups", "forms")
#: Columns an entry shares with its ``services`` row (entry column → services column).
SHARED: Final = {"name": "name", "service_type": "service_type", "provider": "operator",
                 "target_note": "target_groups", "opening_hours": "opening_hours",
                 "address": "address"}
#: Target groups a service of a type serves whatever its row says.
TYPE_TARGETS: Final[Mapping[str, tuple[str, ...]]] = {
    "nzdm": ("children_youth",), "school": ("children_youth",),
    "addiction_service": ("addiction",), "playground": ("children_youth", "families"),
}
#: How a service of a type is usually provided, for a row that does not say.
TYPE_FORMS: Final[Mapping[str, tuple[str, ...]]] = {
    "police": ("outpatient", "field"), "municipal_police": ("outpatient", "field"),
    "apk": ("field",), "nzdm": ("outpatient",), "community_centre": ("outpatient",),
    "school": ("outpatient",), "social_service": ("outpatient",),
    "addiction_service": ("outpatient",), "debt_counselling": ("outpatient",),
}


def codes_in(text: str, vocabulary_terms: Iterable[Any]) -> list[str]:
    """Codes of the terms whose label or a synonym fragment occurs in ``text`` (folded)."""
    folded = fold(text)
    found = []
    for term in vocabulary_terms:
        words = (term.cs, term.en, *term.synonyms)
        if any(_occurs(fold(word), folded) for word in words):
            found.append(str(term.code))
    return found


def _occurs(fragment: str, folded: str) -> bool:
    # a code of three letters ("ter", "amb") counts only as a whole word
    if len(fragment) <= 3:
        return fragment in folded.split()
    return fragment in folded


def target_groups_of(text: str, service_type: str) -> list[str]:
    """Target-group codes of a service of ``service_type`` described by ``text``, in the
    vocabulary's order."""
    found = set(codes_in(text, TARGET_GROUP.terms)) | set(TYPE_TARGETS.get(service_type, ()))
    return [code for code in TARGET_GROUP.codes if code in found]


def forms_of(text: str, service_type: str) -> list[str]:
    """Form codes named in ``text``, else the usual forms of ``service_type``."""
    return codes_in(text, SERVICE_FORM.terms) or list(TYPE_FORMS.get(service_type, ()))


def service_type_of(text: str) -> str:
    """Our service type for a register's kind of service (its Czech name): the type whose
    label or synonym it names, else ``social_service`` (every registered service is one)."""
    for code in codes_in(text, [t for t in SERVICE_TYPE.terms if t.code != "social_service"]):
        return code
    return "social_service"


def plain(value: Any) -> Any:
    """A stored value as a plain Python value for comparing and JSON: None for any missing
    value (None, NaN, pandas' NA), numpy scalars unwrapped, whole floats as ints."""
    if value is None or (not isinstance(value, list | tuple | dict) and bool(pd.isna(value))):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value == int(value):
        return int(value)
    return value


def decode(value: object) -> list[str]:
    """A JSON list column's codes ([] for empty or missing)."""
    if not isinstance(value, str) or not value.strip():
        return []
    return [str(v) for v in json.loads(value)]


def encode(codes: Iterable[str]) -> str:
    """Codes as a JSON list column."""
    return json.dumps(list(codes), ensure_ascii=False)


def read_entries(store: Store, town_id: str | None = None) -> pd.DataFrame:
    """The stored entries (all, or one town's); an empty table with the entry columns when
    the store has none yet."""
    if CATALOGUE_ENTRIES.name not in store.layer_names():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CATALOGUE_ENTRIES.columns})
    return pd.DataFrame(store.read(CATALOGUE_ENTRIES, town_id)).reset_index(drop=True)


def derived_entries(services: pd.DataFrame) -> pd.DataFrame:
    """Entries derived from ``services`` rows that have no entry of their own."""
    rows = []
    for row in services.itertuples():
        words = f"{row.target_groups} {row.name}"
        rows.append({
            "service_id": row.service_id, "town_id": row.town_id, "name": row.name,
            "service_type": row.service_type, "provider": row.operator,
            "target_groups": encode(target_groups_of(words, str(row.service_type))),
            "target_note": row.target_groups, "forms": encode(forms_of("", str(row.service_type))),
            "address": row.address, "opening_hours": row.opening_hours, "origin": "local",
            "svi_contact": False, "synthetic": bool(row.synthetic)})
    return pd.DataFrame(rows, columns=list(CATALOGUE_ENTRIES.columns))


def load_catalogue(store: Store, town_id: str | None = None) -> gpd.GeoDataFrame:
    """Every catalogue entry (of one town, or all) with its position: the entry columns,
    ``positioned``, ``lon`` and ``lat`` and the point geometry (EPSG:4326; None without a
    position). Text columns are never NaN."""
    services = store.read(SERVICES, town_id)
    entries = read_entries(store, town_id)
    missing = services[~services["service_id"].isin(entries["service_id"])]
    frame = pd.concat([entries, derived_entries(missing)], ignore_index=True) \
        if len(missing) else entries
    points = services.set_index("service_id").geometry
    geometry = frame["service_id"].map(points)
    out = gpd.GeoDataFrame(frame.drop(columns=[], errors="ignore"),
                           geometry=gpd.GeoSeries(geometry.to_numpy(), crs=STORAGE_CRS),
                           crs=STORAGE_CRS)
    for column in CATALOGUE_ENTRIES.fields:
        if column.kind == "text":
            out[column.name] = out[column.name].fillna("").astype(str)
    out["svi_contact"] = out["svi_contact"].fillna(False).astype(bool)
    out["synthetic"] = out["synthetic"].fillna(False).astype(bool)
    present = out.geometry.notna() & ~out.geometry.is_empty
    out["positioned"] = present.to_numpy()
    out["lon"] = out.geometry.x.where(present)
    out["lat"] = out.geometry.y.where(present)
    return out.reset_index(drop=True)
