"""Named places of the demo towns where people say they feel unsafe or well, as the seed
documents and local knowledge name them (seed 001: Janov; seed 003: the railway and bus
station, the gambling hall in Kpt. Jaroše street, …), at approximate positions (WGS 84).

Strategy measures link to them by label (``"place"`` links, ``layers.strategy``); the
illustrative-data generator (``layers.sources.synthetic``) centres its fear hotspots on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class NamedPlace:
    """A place of a town, named by its ``label`` (unique across towns) at ``lon``/``lat``."""

    town_id: str
    label: str
    lon: float
    lat: float


NAMED_PLACES: Final = (
    NamedPlace("litvinov", "Janov – vchody, kde se prodávají drogy", 13.6320, 50.6075),
    NamedPlace("litvinov", "Janov – obchod a zastávka", 13.6285, 50.6088),
    NamedPlace("litvinov", "Janov – prázdné domy a podchod", 13.6360, 50.6085),
    NamedPlace("litvinov", "Janov – rasistické urážky u hřiště", 13.6255, 50.6100),
    NamedPlace("litvinov", "Nádraží Litvínov", 13.6175, 50.5978),
    NamedPlace("litvinov", "Náměstí Míru", 13.6106, 50.6004),
    NamedPlace("litvinov", "Hlavní silnice u Hamru", 13.6210, 50.6045),
    NamedPlace("kraslice", "Vlakové a autobusové nádraží", 12.5098, 50.3268),
    NamedPlace("kraslice", "Herna v ulici Kpt. Jaroše", 12.5188, 50.3248),
    NamedPlace("kraslice", "Ulice V Zátíší", 12.5218, 50.3214),
    NamedPlace("kraslice", "Kostel v Hradební ulici u radnice", 12.5158, 50.3240),
    NamedPlace("kraslice", "Městské sady", 12.5128, 50.3220),
    NamedPlace("kraslice", "Bývalý internát", 12.5236, 50.3263),
    NamedPlace("karlovy-vary", "Dolní nádraží a Tržnice", 12.8645, 50.2283),
    NamedPlace("karlovy-vary", "Rybáře – sídliště", 12.8560, 50.2352),
    NamedPlace("karlovy-vary", "Tuhnice – podchod a řeka", 12.8600, 50.2262),
    NamedPlace("karlovy-vary", "Drahovice – opuštěný objekt", 12.8935, 50.2245),
    NamedPlace("karlovy-vary", "Lázeňská kolonáda", 12.8820, 50.2225),
    NamedPlace("karlovy-vary", "Křižovatka u Horního nádraží", 12.8665, 50.2345),
)


def place_points() -> dict[str, tuple[float, float]]:
    """Label → (lon, lat) of every named place, which is what ``"place"`` links name."""
    return {place.label: (place.lon, place.lat) for place in NAMED_PLACES}
