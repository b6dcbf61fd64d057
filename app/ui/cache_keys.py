"""What each cached view of the app depends on, and the key it is cached under.

Every cached view (a town's map data, its hotspots, a patrol plan …) is keyed on the store's
location and a token of exactly the (layer, town) pairs it reads (``Store.version_of``), so a
pin added in one town leaves every other town's cached views alone, while any write a view
could see gives it a new key. This module is the one place that says which layers each view
reads: a view that starts reading another layer adds it here. No Streamlit here; the token
is asked of the store on every call, never kept in the process, so several app processes
serving one PostGIS see each other's writes.
"""

from __future__ import annotations

from typing import Final, Literal

from layers.schema import (
    ADDRESS_POINTS,
    CATALOGUE_ENTRIES,
    CONTEXT_LINES,
    CRIME_REFERENCE,
    CRIME_STATS,
    LOCALITIES,
    MUNICIPALITIES,
    OFFENCES,
    PIN_ANSWERS,
    PINS,
    PLACE_LAYERS,
    POLICE_DISTRICTS,
    POLICE_JURISDICTION,
    POLICE_OFFENCES,
    REGIONS,
    SAFETY_AUDITS,
    SERVICE_LINKS,
    SERVICES,
    SESSION_QUESTIONS,
    SESSIONS,
    SOURCES,
    STRATEGY_LAYERS,
    STREET_EDGES,
    TOWNS,
    TRANSIT_STOPS,
    LayerSpec,
)
from layers.store import Store

#: A cached view: the towns table, the regions' names, a town's map data (also its printable
#: session map), its hotspots, services' accessibility, places to audit, a patrol plan, an
#: area's strategy view, an area's real figures (exclusion index, police department, the
#: region's choropleth), its catalogue of services and a service's card in it, the names of its
#: places, an area's crime over the years, its yearly security analysis (which reads all of
#: these), a mapping session's counted results and what people recorded in the public space
#: (links between services, safety audits).
View = Literal["towns", "regions", "town", "hotspots", "access", "places", "patrol", "area",
               "figures", "catalogue", "catalogue_card", "names", "crime", "analysis",
               "session_results", "public_space"]

#: Layers a view reads only its town's rows of, and layers it reads whole.
_TOWN_MAP: Final = ((PINS, POLICE_DISTRICTS, LOCALITIES, SERVICES, CONTEXT_LINES, ADDRESS_POINTS,
                     TRANSIT_STOPS, STREET_EDGES),
                    (TOWNS, CRIME_STATS, CRIME_REFERENCE, SOURCES))
#: What ranking a town's places reads (hotspots, patrol ranking, accessibility's hot cells),
#: and naming them (address points, stops, parts of town).
_PLACES: Final = ((TOWNS, PINS, OFFENCES, POLICE_OFFENCES, POLICE_DISTRICTS, LOCALITIES,
                   *PLACE_LAYERS),
                  (CRIME_STATS, CRIME_REFERENCE))
READS: Final[dict[View, tuple[tuple[LayerSpec, ...], tuple[LayerSpec, ...]]]] = {
    "towns": ((), (TOWNS,)),
    "regions": ((), (REGIONS,)),
    "town": _TOWN_MAP,
    "hotspots": _PLACES,
    "places": _PLACES,
    "access": ((*_PLACES[0], SERVICES), _PLACES[1]),
    "patrol": ((*_PLACES[0], CONTEXT_LINES, STREET_EDGES), _PLACES[1]),
    "area": ((LOCALITIES, SERVICES, PINS), (TOWNS, *STRATEGY_LAYERS)),
    "figures": ((LOCALITIES, POLICE_DISTRICTS, POLICE_JURISDICTION),
                (TOWNS, CRIME_STATS, CRIME_REFERENCE, SOURCES, MUNICIPALITIES)),
    "catalogue": ((SERVICES, CATALOGUE_ENTRIES), ()),
    "catalogue_card": ((SERVICES, CATALOGUE_ENTRIES, SERVICE_LINKS), STRATEGY_LAYERS),
    "names": ((TOWNS, *PLACE_LAYERS), ()),
    "crime": ((LOCALITIES, POLICE_DISTRICTS, POLICE_JURISDICTION, POLICE_OFFENCES),
              (TOWNS, CRIME_STATS, CRIME_REFERENCE, SOURCES)),
    "analysis": ((*_PLACES[0], SERVICES, SESSIONS, CONTEXT_LINES, STREET_EDGES,
                  POLICE_JURISDICTION),
                 (*_PLACES[1], SOURCES, MUNICIPALITIES, *STRATEGY_LAYERS)),
    "session_results": ((PINS, SESSIONS, SESSION_QUESTIONS, PIN_ANSWERS), ()),
    "public_space": ((SERVICE_LINKS, SAFETY_AUDITS), ()),
}


def depends_on(view: View, town_id: str | None) -> tuple[tuple[LayerSpec, str | None], ...]:
    """The (layer, town) pairs ``view`` of ``town_id`` reads (town None: the whole layer)."""
    per_town, whole = READS[view]
    return (*((spec, town_id) for spec in per_town), *((spec, None) for spec in whole))


def cache_key(store: Store, view: View, town_id: str | None = None) -> tuple[str, str]:
    """(location, token) to key ``view`` of ``town_id`` on: the token changes exactly when a
    row the view reads is added, changed or deleted, or the store is replaced."""
    return store.location, store.version_of(depends_on(view, town_id))
