"""The store's layers, their columns and the controlled vocabularies of fear pins.

Codes are stable identifiers kept in the store; their Czech and English labels live in
``app/i18n.py``. Every spatial layer is stored in EPSG:4326.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the store: its name, geometry type (None = attribute table) and columns."""

    name: str
    geometry: str | None
    columns: tuple[str, ...]
    town_column: str | None = "town_id"


TOWNS: Final = LayerSpec(
    "towns",
    "MultiPolygon",
    (
        "town_id", "name", "kod_obec", "okres", "orp", "kraj", "kod_kraj", "population",
        "population_year", "isv_2023", "isv_band", "center_lat", "center_lon",
    ),
)
REGIONS: Final = LayerSpec(
    "regions", "MultiPolygon", ("kod_kraj", "nuts3", "name"), town_column=None
)
LOCALITIES: Final = LayerSpec(
    "localities",
    "MultiPolygon",
    ("locality_id", "town_id", "name", "population_est", "isv", "isv_band", "description",
     "source", "synthetic"),
)
SESSIONS: Final = LayerSpec(
    "sessions",
    None,
    ("session_id", "town_id", "date", "place", "organiser", "age_group", "participants",
     "method", "consent", "synthetic"),
)
#: A pin: one answer placed on the map. ``comment`` is optional free text, screened on entry
#: (``comment_held`` = it may identify a person; moderators only). ``place_note`` is the grid
#: cell of a transcribed paper pin ("C4"). ``source_value`` keeps an imported export's own
#: answer. ``moderation_note`` keeps a moderator's reason (e.g. for a rejection).
PINS: Final = LayerSpec(
    "pins",
    "Point",
    ("pin_id", "town_id", "session_id", "category", "feeling", "seen", "time_of_day",
     "safety_action", "age_group", "place_note", "status", "transcribed", "created_at",
     "synthetic", "comment", "comment_held", "source_value", "moderation_note"),
)
SERVICES: Final = LayerSpec(
    "services",
    "Point",
    ("service_id", "town_id", "name", "service_type", "operator", "target_groups",
     "opening_hours", "address", "source", "synthetic"),
)
POLICE_DISTRICTS: Final = LayerSpec(
    "police_districts",
    "MultiPolygon",
    ("oop_code", "town_id", "oop_name", "uo_name", "krp_name", "population", "area_km2"),
)
CRIME_STATS: Final = LayerSpec(
    "crime_stats", None, ("oop_code", "year", "crime_type", "found", "solved")
)
CRIME_REFERENCE: Final = LayerSpec(
    "crime_reference", None, ("area", "year", "crimes", "population", "per_10k", "source"),
    town_column=None,
)
CONTEXT_LINES: Final = LayerSpec(
    "context_lines", "MultiLineString", ("town_id", "kind", "label")
)
#: Point-level offences a town imports (``mapa import offences``); ``date`` is ISO YYYY-MM-DD.
OFFENCES: Final = LayerSpec(
    "offences", "Point", ("offence_id", "town_id", "date", "offence_type", "source")
)
SOURCES: Final = LayerSpec(
    "sources", None, ("layer", "title", "licence", "attribution", "vintage", "synthetic"),
    town_column=None,
)

# --- strategies, goals, measures and indicators (issue 5) --------------------------------

STRATEGIES: Final = LayerSpec(
    "strategies", None,
    ("strategy_id", "town_id", "region_code", "title", "issuer", "period", "source"),
)
GOALS: Final = LayerSpec(
    "goals", None,
    ("goal_id", "strategy_id", "town_id", "position", "parent_id", "number", "level", "text",
     "description"),
)
MEASURES: Final = LayerSpec(
    "measures", None,
    ("measure_id", "strategy_id", "town_id", "position", "number", "title", "text", "goal_ids",
     "owners", "partners", "target_groups", "time_frame", "status", "status_note", "budget_czk",
     "budget_note", "activities", "benefits", "obstacles", "conditions", "related_documents"),
)
MEASURE_LINKS: Final = LayerSpec(
    "measure_links", None,
    ("link_id", "measure_id", "strategy_id", "town_id", "position", "target_kind", "target_id",
     "wkt", "note"),
)
INDICATORS: Final = LayerSpec(
    "indicators", None,
    ("indicator_id", "strategy_id", "town_id", "position", "goal_id", "criterion", "name", "kind",
     "unit", "baseline_value", "baseline_note", "baseline_date", "target_value", "target_date"),
)
INDICATOR_BANDS: Final = LayerSpec(
    "indicator_bands", None,
    ("indicator_id", "position", "low", "high", "label", "description", "municipalities"),
    town_column=None,
)
OBSERVATIONS: Final = LayerSpec(
    "observations", None, ("indicator_id", "position", "date", "value", "note"),
    town_column=None,
)
EVALUATIONS: Final = LayerSpec(
    "evaluations", None,
    ("evaluation_id", "strategy_id", "position", "target_kind", "target_id", "date", "author_role",
     "text"),
    town_column=None,
)
HISTORY: Final = LayerSpec(
    "history", None,
    ("strategy_id", "position", "entity", "entity_id", "at", "who_role", "change"),
    town_column=None,
)
#: Tables of ``layers.strategy.tables`` (attribute tables; drawn polygons are WKT in EPSG:4326).
STRATEGY_LAYERS: Final[tuple[LayerSpec, ...]] = (
    STRATEGIES, GOALS, MEASURES, MEASURE_LINKS, INDICATORS, INDICATOR_BANDS, OBSERVATIONS,
    EVALUATIONS, HISTORY,
)

ALL_LAYERS: Final[tuple[LayerSpec, ...]] = (
    TOWNS, REGIONS, LOCALITIES, SESSIONS, PINS, SERVICES, POLICE_DISTRICTS, CRIME_STATS,
    CRIME_REFERENCE, CONTEXT_LINES, SOURCES, *STRATEGY_LAYERS,
)
#: Layers a store holds only once something was imported into them (not built by build-demo).
OPTIONAL_LAYERS: Final[tuple[LayerSpec, ...]] = (OFFENCES,)
LAYERS_BY_NAME: Final = {spec.name: spec for spec in
                         (*ALL_LAYERS, *OPTIONAL_LAYERS)}

# --- vocabularies of a fear pin (issue: participatory mapping) ---------------------------

#: What a pin is about. The last two are the positive side of a feeling map.
PIN_CATEGORIES: Final = (
    "drug_dealing", "drunk_drugged", "syringes", "exhibitionist", "aggressive_groups",
    "racism", "dark_place", "traffic", "dogs", "abandoned_building", "other",
    "feel_good", "develop",
)
#: Categories that point at people; public views show them only aggregated to cells.
SENSITIVE_CATEGORIES: Final = frozenset(
    {"drug_dealing", "drunk_drugged", "syringes", "exhibitionist", "aggressive_groups", "racism"}
)
#: Feeling on a five-point scale: 1 = very afraid … 5 = safe.
FEELINGS: Final = (1, 2, 3, 4, 5)
SEEN: Final = ("own", "heard")
TIMES_OF_DAY: Final = ("morning", "afternoon", "evening", "night")
SAFETY_ACTIONS: Final = ("avoid", "with_older", "in_group", "call_police", "nothing")
AGE_GROUPS: Final = ("6-12", "13-18", "adults", "seniors")
PIN_STATUSES: Final = ("pending", "approved", "rejected")
SESSION_METHODS: Final = ("tablet", "paper", "imported")

SERVICE_TYPES: Final = (
    "police", "municipal_police", "apk", "nzdm", "community_centre", "school",
    "social_service", "addiction_service", "debt_counselling", "playground",
)
CONTEXT_KINDS: Final = ("road", "railway", "river")

# --- vocabularies of strategies and measures (issue 5) -------------------------------

#: Status of a measure.
MEASURE_STATUSES: Final = ("planned", "in_progress", "done", "suspended", "ended")
#: How an indicator is read: the seeds' three-way answer, a number with a unit, or prose.
INDICATOR_KINDS: Final = ("ano_castecne_ne", "numeric", "text")
ANO_CASTECNE_NE: Final = ("ANO", "ČÁSTEČNĚ", "NE")
#: Level of a goal in its document (priorita, dlouhodobý cíl, cíl, specifický cíl).
GOAL_LEVELS: Final = ("priority", "long_term", "goal", "specific")
#: What a measure can be linked to on the map; "place" is a named hotspot, "polygon" a drawn
#: area and "point" a clicked place, both kept as WKT in EPSG:4326.
LINK_KINDS: Final = ("town", "locality", "police_district", "polygon", "pin", "cell", "service",
                     "place", "point")
#: What an evaluation or a history entry can be about.
STRATEGY_ENTITIES: Final = ("strategy", "goal", "measure", "indicator")
