"""The store's layers, their columns and the controlled vocabularies of fear pins.

Codes are stable identifiers kept in the store; the enumerated ones and their Czech and
English labels are defined in ``layers.vocabulary`` and named here as tuples of codes. Every
spatial layer is stored in EPSG:4326.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from layers.vocabulary import (
    AGE_GROUP,
    AUDIT_ASPECT,
    CONTEXT_KIND,
    FEELING,
    MEASURE_STATUS,
    PIN_CATEGORY,
    PIN_STATUS,
    SAFETY_ACTION,
    SEEN_HEARD,
    SERVICE_LINK_KIND,
    SERVICE_TYPE,
    SESSION_METHOD,
    TIME_OF_DAY,
)
from layers.vocabulary import SENSITIVE_CATEGORIES as SENSITIVE_CATEGORIES


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
#: List columns (``goal_ids`` … ``results``) are JSON arrays; ``results`` (what the document
#: reports as done) came later: a store written before it lacks the column and reads as empty.
MEASURES: Final = LayerSpec(
    "measures", None,
    ("measure_id", "strategy_id", "town_id", "position", "number", "title", "text", "goal_ids",
     "owners", "partners", "target_groups", "time_frame", "status", "status_note", "budget_czk",
     "budget_note", "activities", "benefits", "obstacles", "conditions", "related_documents",
     "results"),
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

# --- accounts and the audit log (issue 8, layers.access) --------------------------------

#: A user: ``password_hash`` is an Argon2id hash (never a password); ``role`` one of
#: ``layers.access.roles.ROLES``; ``centre`` the organisation a facilitator works for (matched
#: against a session's ``organiser``); ``active`` False once disabled (rows are never deleted).
ACCOUNTS: Final = LayerSpec(
    "accounts", None,
    ("username", "display_name", "role", "centre", "password_hash", "active", "created_at"),
    town_column=None,
)
#: Append-only: who (username, role) did what (action) to which layer and objects, when (UTC
#: ISO 8601); ``object_ids`` and ``detail`` are JSON.
AUDIT_LOG: Final = LayerSpec(
    "audit_log", None,
    ("at", "username", "role", "action", "layer", "object_ids", "detail"),
    town_column=None,
)
ACCESS_LAYERS: Final[tuple[LayerSpec, ...]] = (ACCOUNTS, AUDIT_LOG)

# --- imports as undoable batches (issue 6, layers.ingest) --------------------------------

#: One import: ``kind`` the connector (localities, services, town …), ``layers`` JSON
#: {layer: rows added}, ``undo`` JSON list of the row matches that remove it, ``sha256`` of
#: the source file (the same file twice is refused), ``status`` "committed" or "undone";
#: ``created_at``/``undone_at`` UTC ISO 8601.
IMPORT_BATCHES: Final = LayerSpec(
    "import_batches", None,
    ("batch_id", "town_id", "kind", "layers", "undo", "source_name", "sha256", "rows",
     "added", "rejected", "repaired", "crs_action", "licence", "created_at", "status",
     "undone_at"),
)
#: The original tags (JSON) of a service imported from OpenStreetMap-style data.
SERVICE_TAGS: Final = LayerSpec("service_tags", None, ("service_id", "town_id", "tags"))
#: A municipality's row of an imported social-exclusion index edition (joined on ``kod_obec``).
EXCLUSION_INDEX: Final = LayerSpec(
    "exclusion_index", None,
    ("kod_obec", "name", "year", "isv", "isv_band", "population_15", "source", "batch_id"),
    town_column=None,
)
INGEST_LAYERS: Final[tuple[LayerSpec, ...]] = (IMPORT_BATCHES, SERVICE_TAGS, EXCLUSION_INDEX)

# --- patrol plans and public-space tools (issue 7, layers.patrol, layers.urban) ----------

#: A saved patrol plan: its route (EPSG:4326), the weights and times it was ranked with
#: (JSON), the routing method, length (m), minutes, coverage (JSON {layer: {hot, covered}})
#: and the measure it became (``measure_id``, "" until then).
PATROL_PLANS: Final = LayerSpec(
    "patrol_plans", "LineString",
    ("plan_id", "town_id", "locality_id", "title", "created_at", "who_role", "weights",
     "times_of_day", "method", "length_m", "walk_min", "total_min", "distance_m", "coverage",
     "measure_id"),
)
#: A stop of a plan in route order: a hotspot cell, its score, time window, answers by
#: category (JSON, public view only) and the per-factor contributions (JSON).
PATROL_STOPS: Final = LayerSpec(
    "patrol_stops", "Point",
    ("plan_id", "town_id", "position", "place_id", "rank", "score", "time_window", "reported",
     "contributions"),
)
#: A CPTED-style safety audit of a place: scores 1 (bad) … 5 (good) per aspect, a note, and
#: the measures it links to (JSON list of measure ids).
SAFETY_AUDITS: Final = LayerSpec(
    "safety_audits", "Point",
    ("audit_id", "town_id", "place_label", "date", "auditor_role", "lighting", "visibility",
     "maintenance", "escape_routes", "activity", "feeling", "note", "measure_ids",
     "created_at"),
)
#: A cooperation or referral link between two services, drawn as a line between them.
SERVICE_LINKS: Final = LayerSpec(
    "service_links", "LineString",
    ("link_id", "town_id", "from_service", "to_service", "kind", "note", "created_at",
     "who_role"),
)
PATROL_URBAN_LAYERS: Final[tuple[LayerSpec, ...]] = (PATROL_PLANS, PATROL_STOPS, SAFETY_AUDITS,
                                                     SERVICE_LINKS)
AUDIT_ASPECTS: Final = AUDIT_ASPECT.codes
SERVICE_LINK_KINDS: Final = SERVICE_LINK_KIND.codes

ALL_LAYERS: Final[tuple[LayerSpec, ...]] = (
    TOWNS, REGIONS, LOCALITIES, SESSIONS, PINS, SERVICES, POLICE_DISTRICTS, CRIME_STATS,
    CRIME_REFERENCE, CONTEXT_LINES, SOURCES, *STRATEGY_LAYERS,
)
#: Layers a store holds only once something was imported into them (not built by build-demo).
OPTIONAL_LAYERS: Final[tuple[LayerSpec, ...]] = (OFFENCES, *ACCESS_LAYERS, *INGEST_LAYERS,
                                                   *PATROL_URBAN_LAYERS)
LAYERS_BY_NAME: Final = {spec.name: spec for spec in
                         (*ALL_LAYERS, *OPTIONAL_LAYERS)}

# --- vocabularies of a fear pin (codes and labels: layers.vocabulary) ---------------------

PIN_CATEGORIES: Final = PIN_CATEGORY.codes
FEELINGS: Final = FEELING.codes
SEEN: Final = SEEN_HEARD.codes
TIMES_OF_DAY: Final = TIME_OF_DAY.codes
SAFETY_ACTIONS: Final = SAFETY_ACTION.codes
AGE_GROUPS: Final = AGE_GROUP.codes
PIN_STATUSES: Final = PIN_STATUS.codes
SESSION_METHODS: Final = SESSION_METHOD.codes
SERVICE_TYPES: Final = SERVICE_TYPE.codes
CONTEXT_KINDS: Final = CONTEXT_KIND.codes

# --- vocabularies of strategies and measures (issue 5) -------------------------------

MEASURE_STATUSES: Final = MEASURE_STATUS.codes
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
