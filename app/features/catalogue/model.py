"""What the Catalogue page shows (no Streamlit here): the places "near" can measure from, the
result table and the lines of a detail card, in the user's language."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from app.ui.i18n import label, translate
from layers.catalogue.detail import Card
from layers.catalogue.entries import decode

#: The "near" choice meaning no place.
NOWHERE = ""
#: The "near" choice meaning the point clicked on the map.
CLICKED = "clicked"


@dataclass(frozen=True)
class Place:
    """A place the catalogue can measure distances from: a choice key, its label and its
    geometry (EPSG:4326)."""

    key: str
    label: str
    geometry: BaseGeometry


def near_places(localities: gpd.GeoDataFrame, hot: gpd.GeoDataFrame,
                clicked: tuple[float, float] | None, lang: str, clicked_name: str = ""
                ) -> list[Place]:
    """The town's localities, its most exposed hot cells (``hot``: the patrol ranking's
    places, EPSG:4326, with ``place_id``, ``rank`` and ``locality``) and the clicked point
    (named ``clicked_name``), as places to search near."""
    places = [Place(f"locality:{row.locality_id}",
                    translate("catalogue.near.locality", lang, name=row.name), row.geometry)
              for row in localities.itertuples()]
    places += [Place(f"hot:{row.place_id}", translate(
        "catalogue.near.hot", lang, rank=row.rank,
        where=next((w for w in (getattr(row, "place_name", ""), row.locality)
                    if isinstance(w, str) and w), "–")),
        row.geometry) for row in hot.itertuples()]
    if clicked is not None:
        places.append(Place(CLICKED, translate("catalogue.near.clicked", lang,
                                               place=clicked_name or "–"),
                            Point(*clicked)))
    return places


def _labels(group: str, codes_json: str, lang: str) -> str:
    return ", ".join(label(group, code, lang) for code in decode(codes_json))


def results_table(found: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per result: name, type, target groups, forms, distance (m, straight line;
    empty without a place), whether it is on the map and whether it is an illustrative
    (generated) entry ("illustrative data", "" for a real one)."""
    return pd.DataFrame({
        translate("catalogue.col.name", lang): found["name"].to_numpy(),
        translate("catalogue.col.type", lang): [label("service.type", t, lang)
                                                for t in found["service_type"]],
        translate("catalogue.col.target", lang): [_labels("catalogue.target", v, lang)
                                                  for v in found["target_groups"]],
        translate("catalogue.col.form", lang): [_labels("catalogue.form", v, lang)
                                                for v in found["forms"]],
        translate("catalogue.col.distance", lang): [
            "" if pd.isna(d) else f"{round(float(d))} m" for d in found["distance_m"]],
        translate("catalogue.col.position", lang): [
            "" if placed else translate("catalogue.no_position", lang)
            for placed in found["positioned"]],
        translate("catalogue.col.synthetic", lang): [
            translate("common.synthetic", lang) if generated else ""
            for generated in found["synthetic"].fillna(False).astype(bool)],
    })


def card_lines(card: Card, lang: str) -> list[tuple[str, str]]:
    """(label, text) pairs of a detail card's filled fields, in the card's order."""
    entry = card.entry
    capacity = "" if entry.get("capacity") is None or pd.isna(entry.get("capacity")) else \
        f"{int(entry['capacity'])} {entry.get('capacity_unit', '')}".strip()
    fields = [
        ("catalogue.card.provider", str(entry["provider"])),
        ("catalogue.card.type", label("service.type", entry["service_type"], lang)),
        ("catalogue.card.target", ", ".join(label("catalogue.target", c, lang)
                                            for c in entry["target_groups"])),
        ("catalogue.card.target_note", str(entry["target_note"])),
        ("catalogue.card.form", ", ".join(label("catalogue.form", c, lang)
                                          for c in entry["forms"])),
        ("catalogue.card.address", str(entry["address"])
         or (translate("catalogue.card.hidden", lang) if entry["register_id"] else "")),
        ("catalogue.card.hours", str(entry["opening_hours"])),
        ("catalogue.card.phone", str(entry["phone"])),
        ("catalogue.card.email", str(entry["email"])),
        ("catalogue.card.web", str(entry["web"])),
        ("catalogue.card.capacity", capacity),
        ("catalogue.card.register", str(entry["register_id"])),
        ("catalogue.card.area", str(entry["area_note"])),
        ("catalogue.card.description", str(entry["description"])),
        ("catalogue.col.synthetic", translate("catalogue.card.synthetic", lang)
         if entry.get("synthetic") else ""),
        ("catalogue.card.origin", label("catalogue.origin", entry["origin"], lang)
         + (f" ({translate('catalogue.card.withdrawn', lang)})"
            if entry["register_status"] == "withdrawn" else "")),
    ]
    return [(translate(key, lang), value) for key, value in fields if value]


def measure_lines(card: Card, lang: str) -> list[str]:
    """One line per linked measure: number, title, status and strategy."""
    return [" ".join(p for p in (m["number"], m["title"]) if p)
            + f" – {label('area.status', m['status'], lang)} ({m['strategy']})"
            for m in card.measures]


def partner_lines(card: Card, lang: str) -> list[str]:
    """One line per service the entry works with, and the kind of link."""
    return [f"{p['name']} – {label('urban.links.kind', p['kind'], lang)}"
            for p in card.partners]
