"""A catalogue entry's detail card: the entry, the measures of the strategies it takes part
in (measures linked to the service on the map, ``measure_links`` with target kind
"service"), and the services it works with (the links the public-space tools draw,
``layers.urban.service_links``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from layers.catalogue.entries import decode, load_catalogue
from layers.errors import NotFound
from layers.schema import MEASURE_LINKS, MEASURES, STRATEGIES
from layers.store import Store
from layers.urban.service_links import load_links


@dataclass(frozen=True)
class Card:
    """What a detail card shows. ``entry`` holds the entry's columns (lists decoded:
    ``target_groups`` and ``forms`` are lists of codes); ``position`` is (lon, lat) or None;
    ``photo_url`` is "" unless the entry names the photo's licence. ``measures``: dicts with
    ``measure_id``, ``number``, ``title``, ``status`` and ``strategy`` (its title);
    ``partners``: dicts with ``service_id``, ``name`` and ``kind`` of each link."""

    entry: dict[str, Any]
    position: tuple[float, float] | None
    measures: list[dict[str, str]] = field(default_factory=list)
    partners: list[dict[str, str]] = field(default_factory=list)


def linked_measures(store: Store, service_id: str) -> list[dict[str, str]]:
    """Measures linked to ``service_id`` on the map, in their strategy's order."""
    links = store.read(MEASURE_LINKS)
    ids = set(links.loc[(links["target_kind"] == "service")
                        & (links["target_id"] == service_id), "measure_id"])
    if not ids:
        return []
    measures = store.read(MEASURES)
    measures = measures[measures["measure_id"].isin(ids)].sort_values(
        ["strategy_id", "position"])
    titles = store.read(STRATEGIES).set_index("strategy_id")["title"]
    return [{"measure_id": str(m.measure_id), "number": str(m.number),
             "title": str(m.title or m.text), "status": str(m.status),
             "strategy": str(titles.get(m.strategy_id, m.strategy_id))}
            for m in measures.itertuples()]


def partners(store: Store, entry: pd.Series, catalogue: pd.DataFrame) -> list[dict[str, str]]:
    """The services ``entry`` has a cooperation or referral link with."""
    if not entry["town_id"]:
        return []
    links = load_links(store, str(entry["town_id"]))
    names = catalogue.set_index("service_id")["name"]
    out = []
    sid = entry["service_id"]
    for link in links.itertuples():
        if sid in (link.from_service, link.to_service):
            other = link.to_service if link.from_service == sid else link.from_service
            out.append({"service_id": str(other), "name": str(names.get(other, other)),
                        "kind": str(link.kind), "note": str(link.note)})
    return out


def service_card(store: Store, service_id: str, catalogue: pd.DataFrame | None = None) -> Card:
    """The detail card of ``service_id`` (``catalogue``: the loaded catalogue, if at hand).

    Raises ``NotFound`` ("catalogue.no_entry") for a service not in the catalogue.
    """
    frame = load_catalogue(store) if catalogue is None else catalogue
    rows = frame[frame["service_id"] == service_id]
    if rows.empty:
        raise NotFound("catalogue.no_entry", service=service_id)
    row = rows.iloc[0]
    entry = {c: row[c] for c in frame.columns if c != "geometry"}
    entry["target_groups"] = decode(row["target_groups"])
    entry["forms"] = decode(row["forms"])
    if not str(row["photo_licence"]).strip():
        entry["photo_url"] = ""  # a photo is shown only with its licence
    position = (float(row["lon"]), float(row["lat"])) if row["positioned"] else None
    return Card(entry, position, linked_measures(store, service_id),
                partners(store, row, frame))
