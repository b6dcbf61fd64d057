"""The store's layers, their columns and the controlled vocabularies of fear pins.

Codes are stable identifiers kept in the store; the enumerated ones and their Czech and
English labels are defined in ``layers.vocabulary`` and named here as tuples of codes. Every
spatial layer is stored in EPSG:4326.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from layers.crs import STORAGE_CRS
from layers.vocabulary import (
    AGE_GROUP,
    AUDIT_ASPECT,
    CONTEXT_KIND,
    FEELING,
    MEASURE_STATUS,
    PIN_CATEGORY,
    PIN_STATUS,
    QUESTION_KIND,
    SAFETY_ACTION,
    SEEN_HEARD,
    SERVICE_LINK_KIND,
    SERVICE_TYPE,
    SESSION_METHOD,
    TIME_OF_DAY,
)
from layers.vocabulary import SENSITIVE_CATEGORIES as SENSITIVE_CATEGORIES

#: How a column's values are stored: text, a 64-bit integer, a double, or a boolean.
ColumnKind = Literal["text", "integer", "real", "boolean"]
#: Geometry types a spatial layer can have (PostGIS names; a GeoPackage uses the same).
GEOMETRY_TYPES: Final = ("Point", "LineString", "MultiLineString", "MultiPolygon")
#: The last two columns of a hash-chained layer (``layers.store.chain``).
CHAIN_COLUMNS: Final = ("prev_hash", "hash")


@dataclass(frozen=True)
class Column:
    """One attribute column of a layer: its name, how its values are stored, and whether it
    may hold NULL (a missing value)."""

    name: str
    kind: ColumnKind = "text"
    nullable: bool = True



@dataclass(frozen=True)
class LayerSpec:
    """One layer of the store, typed: the single description both backends create it from.

    ``geometry`` is the geometry type (None = attribute table), stored in ``crs``; ``fields``
    the attribute columns in order; ``town_column`` the column a layer is read per town by
    (None = not kept per town); ``key`` the column naming a row uniquely (None = no single
    one); ``lookups`` further columns rows are found or pruned by (``Store.read_where``,
    ``RowMatch``), not unique. The town, key and lookup columns are indexed. Columns must
    not be named ``fid`` or ``geom``. ``chained``: an append-only layer whose rows the store
    links in a hash chain as it appends them (its last columns are :data:`CHAIN_COLUMNS`;
    ``layers.store.chain``). ``analysed``: the columns metric analyses read with a point
    layer's points (``Store.read_points``); a backend may keep them beside the points by town
    (PostGIS: a covering index), so one town's points are read without visiting the table.
    """

    name: str
    geometry: str | None
    fields: tuple[Column, ...]
    town_column: str | None = "town_id"
    key: str | None = None
    crs: str = STORAGE_CRS
    lookups: tuple[str, ...] = ()
    chained: bool = False
    analysed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.geometry is not None and self.geometry not in GEOMETRY_TYPES:
            raise ValueError(f"layer {self.name!r}: unknown geometry type {self.geometry!r}")
        for indexed in (self.town_column, self.key, *self.lookups, *self.analysed):
            if indexed is not None and indexed not in self.columns:
                raise ValueError(f"layer {self.name!r} has no column {indexed!r}")
        if self.chained and self.columns[-len(CHAIN_COLUMNS):] != CHAIN_COLUMNS:
            raise ValueError(f"chained layer {self.name!r} must end with {CHAIN_COLUMNS}")

    @property
    def columns(self) -> tuple[str, ...]:
        """The names of the attribute columns, in order."""
        return tuple(column.name for column in self.fields)

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (None when the layer has none)."""
        return next((column for column in self.fields if column.name == name), None)

    @property
    def indexed(self) -> tuple[str, ...]:
        """Columns a backend keeps an index on: the town column, the key and the lookups."""
        return tuple(dict.fromkeys(c for c in (self.town_column, self.key, *self.lookups)
                                   if c is not None))


def key(name: str) -> Column:
    """A text column that names a row (never NULL)."""
    return Column(name, "text", nullable=False)


def text(*names: str) -> tuple[Column, ...]:
    """Nullable text columns."""
    return tuple(Column(name, "text") for name in names)


def integer(*names: str) -> tuple[Column, ...]:
    """Nullable integer columns."""
    return tuple(Column(name, "integer") for name in names)


def real(*names: str) -> tuple[Column, ...]:
    """Nullable real-number columns."""
    return tuple(Column(name, "real") for name in names)


def boolean(*names: str) -> tuple[Column, ...]:
    """Nullable boolean columns."""
    return tuple(Column(name, "boolean") for name in names)


TOWNS: Final = LayerSpec(
    "towns", "MultiPolygon",
    (key("town_id"), *text("name", "kod_obec", "okres", "orp", "kraj", "kod_kraj"),
     *integer("population", "population_year"), *real("isv_2023"), *text("isv_band"),
     *real("center_lat", "center_lon")),
    key="town_id",
)
REGIONS: Final = LayerSpec(
    "regions", "MultiPolygon", (key("kod_kraj"), *text("nuts3", "name")), town_column=None,
    key="kod_kraj",
)
LOCALITIES: Final = LayerSpec(
    "localities", "MultiPolygon",
    (key("locality_id"), *text("town_id", "name"), *integer("population_est", "isv"),
     *text("isv_band", "description", "source"), *boolean("synthetic")),
    key="locality_id",
)
SESSIONS: Final = LayerSpec(
    "sessions", None,
    (key("session_id"), *text("town_id", "date", "place", "organiser", "age_group"),
     *integer("participants"), *text("method", "consent"), *boolean("synthetic")),
    key="session_id",
)
#: A pin: one answer placed on the map. ``comment`` is optional free text, screened on entry
#: (``comment_held`` = it may identify a person; moderators only). ``place_note`` is the grid
#: cell of a transcribed paper pin ("C4"). ``source_value`` keeps an imported export's own
#: answer. ``moderation_note`` keeps a moderator's reason (e.g. for a rejection).
PINS: Final = LayerSpec(
    "pins", "Point",
    (key("pin_id"), *text("town_id", "session_id", "category"), *integer("feeling"),
     *text("seen", "time_of_day", "safety_action", "age_group", "place_note", "status"),
     *boolean("transcribed"), *text("created_at"), *boolean("synthetic"), *text("comment"),
     *boolean("comment_held"), *text("source_value", "moderation_note")),
    key="pin_id", lookups=("session_id",),  # a whole session is moderated at once
)
#: A public link answering a session from one's own phone: ``link_id`` is the random token in
#: its URL; open from ``starts_at`` until ``until`` (UTC ISO 8601); ``closed_at`` is set when
#: a facilitator closes it early ("" while open).
SESSION_LINKS: Final = LayerSpec(
    "session_links", None,
    (key("link_id"), *text("session_id", "town_id", "starts_at", "until", "created_at",
                           "closed_at")),
    key="link_id", lookups=("session_id",),
)
#: A session's own question besides the built-in ones: ``kind`` a ``QUESTION_KIND`` code,
#: ``options`` a JSON list of the choices (choice kinds; ``[]`` otherwise).
SESSION_QUESTIONS: Final = LayerSpec(
    "session_questions", None,
    (key("question_id"), *text("session_id", "town_id"), *integer("position"),
     *text("kind", "text", "options")),
    key="question_id", lookups=("session_id",),
)
#: A pin's answer to a session question: ``value`` is the option (single), a JSON list of
#: options (multiple), "1"…"5" (scale) or the short text, screened (``held``: it may identify
#: someone, moderators only).
PIN_ANSWERS: Final = LayerSpec(
    "pin_answers", None,
    (key("answer_id"), *text("pin_id", "session_id", "town_id", "question_id", "value"),
     *boolean("held")),
    key="answer_id", lookups=("pin_id", "session_id"),
)
#: A pin sent through a public link, for the limits per device and per address: ``device``
#: and ``client`` are keyed hashes (never an address), ``at`` UTC ISO 8601.
PUBLIC_SUBMISSIONS: Final = LayerSpec(
    "public_submissions", None,
    (key("pin_id"), *text("link_id", "town_id", "device", "client", "at")),
    key="pin_id", lookups=("link_id",),
)
SESSION_EXTRA_LAYERS: Final[tuple[LayerSpec, ...]] = (SESSION_LINKS, SESSION_QUESTIONS,
                                                      PIN_ANSWERS, PUBLIC_SUBMISSIONS)
SERVICES: Final = LayerSpec(
    "services", "Point",
    (key("service_id"), *text("town_id", "name", "service_type", "operator", "target_groups",
                              "opening_hours", "address", "source"), *boolean("synthetic")),
    key="service_id",
)
POLICE_DISTRICTS: Final = LayerSpec(
    "police_districts", "MultiPolygon",
    (key("oop_code"), *text("town_id", "oop_name", "uo_name", "krp_name"),
     *real("population", "area_km2")),
    key="oop_code",
)
CRIME_STATS: Final = LayerSpec(
    "crime_stats", None,
    (*text("oop_code"), *integer("year"), *text("crime_type"), *real("found", "solved")),
    town_column=None,
)
CRIME_REFERENCE: Final = LayerSpec(
    "crime_reference", None,
    (*text("area"), *integer("year"), *real("crimes", "population", "per_10k"), *text("source")),
    town_column=None,
)
CONTEXT_LINES: Final = LayerSpec(
    "context_lines", "MultiLineString", text("town_id", "kind", "label")
)
#: Point-level offences a town imports (``mapa import offences``); ``date`` is ISO YYYY-MM-DD.
OFFENCES: Final = LayerSpec(
    "offences", "Point",
    (key("offence_id"), *text("town_id", "date", "offence_type", "source")), key="offence_id",
    analysed=("offence_type", "date"),
)
#: Offences from the police's open-data export (``mapa import police-open-data``), keyed by the
#: export's own id (a re-import adds nothing). ``type_code`` with its Czech ``type_name`` and
#: ``type_group`` from the export's ``types.json``; ``state``/``relevance`` codes with their
#: names; ``exact`` false = the police placed the offence only approximately (``mp``);
#: ``date`` ISO YYYY-MM-DD, ``hour`` 0–23 or NULL where the export gives no time;
#: ``batch_id`` the import that added the row (undo removes by it).
POLICE_OFFENCES: Final = LayerSpec(
    "police_offences", "Point",
    (key("offence_id"), *text("town_id", "date"), *integer("hour", "type_code"),
     *text("type_name", "type_group"), *boolean("exact"), *integer("state"),
     *text("state_name"), *integer("relevance"), *text("relevance_name", "source", "batch_id")),
    key="offence_id", lookups=("batch_id",), analysed=("type_name", "date", "exact"),
)
SOURCES: Final = LayerSpec(
    "sources", None,
    (*text("layer", "title", "licence", "attribution", "vintage"), *boolean("synthetic")),
    town_column=None,
)

# --- strategies, goals, measures and indicators ------------------------------------------

STRATEGIES: Final = LayerSpec(
    "strategies", None,
    (key("strategy_id"), *text("town_id", "region_code", "title", "issuer", "period", "source")),
    key="strategy_id",
)
GOALS: Final = LayerSpec(
    "goals", None,
    (key("goal_id"), *text("strategy_id", "town_id"), *integer("position"),
     *text("parent_id", "number", "level", "text", "description")),
    key="goal_id",
)
#: List columns (``goal_ids`` … ``related_goal_ids``) are JSON arrays; ``results`` (what the
#: document reports as done), ``funding`` (the sources the document names) and
#: ``related_goal_ids`` (goals a measure relates to without serving them) came later: a store
#: written before them lacks the columns and reads them as empty.
MEASURES: Final = LayerSpec(
    "measures", None,
    (key("measure_id"), *text("strategy_id", "town_id"), *integer("position"),
     *text("number", "title", "text", "goal_ids", "owners", "partners", "target_groups",
           "time_frame", "status", "status_note"), *real("budget_czk"),
     *text("budget_note", "activities", "benefits", "obstacles", "conditions",
           "related_documents", "results", "funding", "related_goal_ids")),
    key="measure_id",
)
MEASURE_LINKS: Final = LayerSpec(
    "measure_links", None,
    (key("link_id"), *text("measure_id", "strategy_id", "town_id"), *integer("position"),
     *text("target_kind", "target_id", "wkt", "note")),
    key="link_id",
)
INDICATORS: Final = LayerSpec(
    "indicators", None,
    (key("indicator_id"), *text("strategy_id", "town_id"), *integer("position"),
     *text("goal_id", "criterion", "name", "kind", "unit", "baseline_value", "baseline_note",
           "baseline_date", "target_value", "target_date", "direction")),
    key="indicator_id",
)
INDICATOR_BANDS: Final = LayerSpec(
    "indicator_bands", None,
    (*text("indicator_id"), *integer("position"), *real("low", "high"),
     *text("label", "description"), *real("municipalities")),
    town_column=None,
)
OBSERVATIONS: Final = LayerSpec(
    "observations", None,
    (*text("indicator_id"), *integer("position"),
     *text("date", "value", "note", "assessed_change")),
    town_column=None,
)
EVALUATIONS: Final = LayerSpec(
    "evaluations", None,
    (key("evaluation_id"), *text("strategy_id"), *integer("position"),
     *text("target_kind", "target_id", "date", "author_role", "text", "source")),
    town_column=None, key="evaluation_id",
)
#: A strategy's programme timeline as its document gives it: ``when`` verbatim ("04-05/2023"),
#: ``start``/``end`` the ISO dates it reads as (empty where the document gives none).
TIMELINE: Final = LayerSpec(
    "strategy_timeline", None,
    (*text("strategy_id"), *integer("position"),
     *text("kind", "when", "start", "end", "text", "note")),
    town_column=None,
)
HISTORY: Final = LayerSpec(
    "history", None,
    (*text("strategy_id"), *integer("position"),
     *text("entity", "entity_id", "at", "who_role", "change")),
    town_column=None,
)
#: Tables of ``layers.strategy.tables`` (attribute tables; drawn polygons are WKT in EPSG:4326).
STRATEGY_LAYERS: Final[tuple[LayerSpec, ...]] = (
    STRATEGIES, GOALS, MEASURES, MEASURE_LINKS, INDICATORS, INDICATOR_BANDS, OBSERVATIONS,
    EVALUATIONS, HISTORY, TIMELINE,
)
#: Strategy tables a store written before them may lack (read as empty).
LATER_STRATEGY_LAYERS: Final[tuple[LayerSpec, ...]] = (TIMELINE,)

# --- accounts and the audit log (layers.access) ------------------------------------------

#: A user: ``password_hash`` is an Argon2id hash (never a password); ``role`` one of
#: ``layers.access.roles.ROLES``; ``centre`` the organisation a facilitator works for (matched
#: against a session's ``organiser``); ``active`` False once disabled (rows are never deleted).
#: The towns it acts for (``layers.access.accounts``): ``towns`` a JSON list of town ids or
#: "*" (every town), ``regions`` a JSON list of ``kod_kraj`` codes whose towns it also covers;
#: both empty in a row from before towns were tenants.
ACCOUNTS: Final = LayerSpec(
    "accounts", None,
    (key("username"), *text("display_name", "role", "centre", "password_hash"),
     *boolean("active"), *text("created_at", "towns", "regions")),
    town_column=None, key="username",
)
#: Append-only: who (username, role) did what (action) to which layer and objects, in which
#: town (``town_id``, "" when none), when (UTC ISO 8601); ``object_ids`` and ``detail`` are
#: JSON. Hash-chained: ``prev_hash`` and ``hash`` are set by the store as it appends an entry
#: (``layers.store.chain``).
AUDIT_LOG: Final = LayerSpec(
    "audit_log", None,
    text("at", "username", "role", "action", "layer", "object_ids", "detail", "town_id",
         *CHAIN_COLUMNS),
    town_column=None, chained=True,
)
#: One failed login: ``account`` the login key of the name tried
#: (``layers.access.accounts.login_key``), ``client`` a keyed hash of the client's address
#: (never the address, ``layers.access.clients``), ``at`` UTC ISO 8601. Kept apart from the
#: audit log so the throttle reads a few indexed rows per attempt; rows older than
#: ``layers.access.throttle.MEMORY_S`` are pruned, and an unlock or a password reset deletes
#: the account's rows.
LOGIN_FAILURES: Final = LayerSpec(
    "login_failures", None, (key("account"), key("client"), key("at")),
    town_column=None, lookups=("account", "at"),
)
#: One login of a browser (``layers.access.sessions``): a random ``session_id``, the account,
#: the SHA-256 of the token its cookie carries ("" until the cookie is delivered; the token
#: itself is never stored), the SHA-256 of its one-time grant (exchanged for the cookie once,
#: then "") and the grant's expiry, and when it began, was last used and ended ("" while
#: open); times UTC ISO 8601.
LOGIN_SESSIONS: Final = LayerSpec(
    "login_sessions", None,
    (key("session_id"), key("username"), *text("token_hash", "grant_hash", "grant_until",
                                                "created_at", "seen_at", "ended_at")),
    town_column=None, key="session_id", lookups=("username", "grant_hash"),
)
#: An account whose password is a temporary one an admin set: it must be changed at the next
#: login. The row goes when its owner sets a password of their own.
TEMPORARY_PASSWORDS: Final = LayerSpec(
    "temporary_passwords", None, (key("username"), *text("issued_at", "issued_by")),
    town_column=None, key="username",
)
ACCESS_LAYERS: Final[tuple[LayerSpec, ...]] = (ACCOUNTS, AUDIT_LOG, LOGIN_FAILURES,
                                               LOGIN_SESSIONS, TEMPORARY_PASSWORDS)

# --- imports as undoable batches (layers.ingest) -----------------------------------------

#: One import: ``kind`` the connector (localities, services, town …), ``layers`` JSON
#: {layer: rows added}, ``undo`` JSON list of the row matches that remove it, ``sha256`` of
#: the source file (the same file twice is refused), ``status`` "committed" or "undone";
#: ``created_at``/``undone_at`` UTC ISO 8601.
IMPORT_BATCHES: Final = LayerSpec(
    "import_batches", None,
    (key("batch_id"), *text("town_id", "kind", "layers", "undo", "source_name", "sha256"),
     *integer("rows", "added", "rejected", "repaired"),
     *text("crs_action", "licence", "created_at", "status", "undone_at")),
    key="batch_id",
)
#: The original tags (JSON) of a service imported from OpenStreetMap-style data.
SERVICE_TAGS: Final = LayerSpec("service_tags", None, text("service_id", "town_id", "tags"))
#: A municipality's row of an imported social-exclusion index edition (joined on ``kod_obec``).
EXCLUSION_INDEX: Final = LayerSpec(
    "exclusion_index", None,
    (*text("kod_obec", "name"), *integer("year"), *real("isv"), *text("isv_band"),
     *real("population_15"), *text("source", "batch_id")),
    town_column=None,
)
INGEST_LAYERS: Final[tuple[LayerSpec, ...]] = (IMPORT_BATCHES, SERVICE_TAGS, EXCLUSION_INDEX)
#: Every municipality of the shipped regions with its social-exclusion index (``isv``, points
#: 0–30, ``isv_year``): the region's choropleth. Not kept per town.
MUNICIPALITIES: Final = LayerSpec(
    "municipalities", "MultiPolygon",
    (key("kod_obec"), *text("name", "okres", "kod_kraj"), *real("isv"), *text("isv_band"),
     *integer("isv_year")),
    town_column=None, key="kod_obec", lookups=("kod_kraj",),
)
#: Which police department (``oop_code``) covers a town (``ku_code`` empty) or one of its
#: cadastral areas (``area_name``, ``ku_code``), from the police's own jurisdiction table.
POLICE_JURISDICTION: Final = LayerSpec(
    "police_jurisdiction", None,
    text("town_id", "area_name", "ku_code", "oop_code", "oop_name", "note"),
)
#: Real reference data build-demo writes that older stores may lack (readers check first).
REFERENCE_LAYERS: Final[tuple[LayerSpec, ...]] = (MUNICIPALITIES, POLICE_JURISDICTION)

# --- patrol plans and public-space tools (layers.patrol, layers.urban) -------------------

#: A saved patrol plan: its route (EPSG:4326), the weights and times it was ranked with
#: (JSON), the routing method, length (m), minutes, coverage (JSON {layer: {hot, covered}})
#: and the measure it became (``measure_id``, "" until then).
PATROL_PLANS: Final = LayerSpec(
    "patrol_plans", "LineString",
    (key("plan_id"), *text("town_id", "locality_id", "title", "created_at", "who_role",
                           "weights", "times_of_day", "method"),
     *real("length_m", "walk_min", "total_min", "distance_m"), *text("coverage", "measure_id")),
    key="plan_id",
)
#: A stop of a plan in route order: a hotspot cell, its score, time window, answers by
#: category (JSON, public view only) and the per-factor contributions (JSON).
PATROL_STOPS: Final = LayerSpec(
    "patrol_stops", "Point",
    (*text("plan_id", "town_id"), *integer("position"), *text("place_id"), *integer("rank"),
     *real("score"), *text("time_window", "reported", "contributions")),
)
#: A CPTED-style safety audit of a place: scores 1 (bad) … 5 (good) per aspect, a note, and
#: the measures it links to (JSON list of measure ids).
SAFETY_AUDITS: Final = LayerSpec(
    "safety_audits", "Point",
    (key("audit_id"), *text("town_id", "place_label", "date", "auditor_role"),
     *integer("lighting", "visibility", "maintenance", "escape_routes", "activity", "feeling"),
     *text("note", "measure_ids", "created_at")),
    key="audit_id",
)
#: A cooperation or referral link between two services, drawn as a line between them.
SERVICE_LINKS: Final = LayerSpec(
    "service_links", "LineString",
    (key("link_id"), *text("town_id", "from_service", "to_service", "kind", "note",
                           "created_at", "who_role")),
    key="link_id",
)
PATROL_URBAN_LAYERS: Final[tuple[LayerSpec, ...]] = (PATROL_PLANS, PATROL_STOPS, SAFETY_AUDITS,
                                                     SERVICE_LINKS)

# --- the catalogue of services (layers.catalogue) -----------------------------------------

#: A catalogue entry: everything a detail card shows of a service. A service with a position
#: also has its point in ``services`` (same ``service_id``; name, type, provider, hours and
#: address kept equal there); an entry without one (a register service whose address has no
#: address point in the store) lives here only and is still found by search.
#: ``target_groups`` and ``forms`` are JSON lists of ``TARGET_GROUP`` / ``SERVICE_FORM`` codes,
#: ``target_note`` the groups as the source words them; ``area_note`` / ``area_wkt`` the area
#: a field service covers (WKT polygon, EPSG:4326); ``photo_url`` is shown only with
#: ``photo_licence``; ``svi_contact`` marks the early-intervention system's contact of an area
#: (a contact, never case data). ``origin`` is an ``ENTRY_ORIGIN`` code; ``local_fields`` (JSON
#: list) the fields edited locally, which a register re-import keeps; ``region`` the NUTS 3
#: code a register entry was imported for; ``register_status`` is "active" or "withdrawn"
#: (gone from the newest register edition), "" for local entries.
CATALOGUE_ENTRIES: Final = LayerSpec(
    "catalogue_entries", None,
    (key("service_id"), *text("town_id", "name", "service_type", "provider", "target_groups",
                              "target_note", "forms", "address", "kod_obec", "municipality",
                              "opening_hours", "phone", "email", "web"),
     *integer("capacity"),
     *text("capacity_unit", "register_id", "area_note", "area_wkt", "description",
           "photo_url", "photo_licence"), *boolean("svi_contact"),
     *text("origin", "local_fields", "region", "register_status", "register_date",
           "updated_at"),
     *boolean("synthetic")),
    key="service_id",
)
#: One change of an entry: who (role only), when (UTC ISO 8601), how (``edit``, ``proposal``,
#: ``register``) and what (JSON {field: [old, new]}).
CATALOGUE_HISTORY: Final = LayerSpec(
    "catalogue_history", None,
    text("service_id", "town_id", "at", "who_role", "how", "change"),
)
#: A provider's proposed change of an entry (``service_id`` "" proposes a new one): the
#: proposing organisation, the changes (JSON {field: value}), and the editor's decision.
CATALOGUE_PROPOSALS: Final = LayerSpec(
    "catalogue_proposals", None,
    (key("proposal_id"), *text("service_id", "town_id", "proposer", "changes", "created_at",
                               "status", "decided_at", "decided_role", "note")),
    key="proposal_id",
)
CATALOGUE_LAYERS: Final[tuple[LayerSpec, ...]] = (CATALOGUE_HISTORY, CATALOGUE_PROPOSALS)

# --- named places: address points, stops, parts of town, streets (layers.geocode) ---------

#: Address points (RÚIAN ``kod_adm``) of a town: ``street`` ("" where the municipality has no
#: street names), ``house_number`` the číslo domovní ("ev. 12" for a číslo evidenční),
#: ``orientation_number`` the číslo orientační with its letter ("12a", "" when none), ``part``
#: the část obce. ``batch_id`` is the import that added it (``demo-<town>`` in the demo build). The
#: register import places a service at its address point when the store has it, and never
#: elsewhere; the geocoder (``layers.geocode``) searches and names places by them.
ADDRESS_POINTS: Final = LayerSpec(
    "address_points", "Point",
    (key("kod_adm"), *text("town_id", "kod_obec", "street", "house_number", "postcode",
                           "part", "orientation_number", "batch_id")),
    key="kod_adm", lookups=("batch_id",),
)
#: A public-transport stop (GTFS ``stop_id``, prefixed by the batch that imported it).
TRANSIT_STOPS: Final = LayerSpec(
    "transit_stops", "Point", (key("stop_id"), *text("town_id", "name", "gtfs_id", "source")),
    key="stop_id",
)
#: A part of town (část obce): ``approximate`` True when the outline was derived from its
#: address points (a hull, never an official boundary), as the shipped ones are.
TOWN_PARTS: Final = LayerSpec(
    "town_parts", "MultiPolygon",
    (key("part_id"), *text("town_id", "kod_casti", "name"), *boolean("approximate"),
     *text("source")),
    key="part_id",
)
#: The walking graph of a town's own street network: one row per edge between two junctions
#: (noded once, when imported), with its street name and OSM ``highway`` class; ``edge_id``
#: starts with the import's batch id.
STREET_EDGES: Final = LayerSpec(
    "street_edges", "LineString",
    (key("edge_id"), *text("town_id", "name", "highway"), *real("length_m")),
    key="edge_id",
)
#: Layers of named places the demo store is built with.
PLACE_LAYERS: Final[tuple[LayerSpec, ...]] = (ADDRESS_POINTS, TRANSIT_STOPS, TOWN_PARTS)
#: Columns added to a layer after stores were first written with it: both backends add them
#: (a GeoPackage on its first write to the layer, PostGIS by migrations 0004 and 0006) and
#: read an older table's rows with them empty.
LATER_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    ADDRESS_POINTS.name: ("part", "orientation_number", "batch_id"),
    ACCOUNTS.name: ("towns", "regions"),
    AUDIT_LOG.name: ("town_id",),
}
AUDIT_ASPECTS: Final = AUDIT_ASPECT.codes
SERVICE_LINK_KINDS: Final = SERVICE_LINK_KIND.codes

ALL_LAYERS: Final[tuple[LayerSpec, ...]] = (
    TOWNS, REGIONS, LOCALITIES, SESSIONS, PINS, SERVICES, POLICE_DISTRICTS, CRIME_STATS,
    CRIME_REFERENCE, CONTEXT_LINES, SOURCES, *STRATEGY_LAYERS, CATALOGUE_ENTRIES,
    *PLACE_LAYERS,
)
#: Layers a store holds only once something was imported into them (not built by build-demo).
OPTIONAL_LAYERS: Final[tuple[LayerSpec, ...]] = (OFFENCES, POLICE_OFFENCES, *ACCESS_LAYERS,
                                                   *INGEST_LAYERS, *PATROL_URBAN_LAYERS,
                                                   *CATALOGUE_LAYERS, *SESSION_EXTRA_LAYERS,
                                                   *REFERENCE_LAYERS, STREET_EDGES)
LAYERS_BY_NAME: Final = {spec.name: spec for spec in
                         (*ALL_LAYERS, *OPTIONAL_LAYERS)}
#: Layers measured in metres (grid cells, nearest distances): a PostGIS store keeps their
#: geometry in EPSG:5514 as well, generated from the stored one and indexed, so metric work
#: needs no reprojection per request.
METRIC_LAYERS: Final[tuple[LayerSpec, ...]] = (LOCALITIES, PINS, SERVICES, OFFENCES,
                                               POLICE_OFFENCES)

# --- vocabularies of a fear pin (codes and labels: layers.vocabulary) ---------------------

PIN_CATEGORIES: Final = PIN_CATEGORY.codes
FEELINGS: Final = FEELING.codes
SEEN: Final = SEEN_HEARD.codes
TIMES_OF_DAY: Final = TIME_OF_DAY.codes
SAFETY_ACTIONS: Final = SAFETY_ACTION.codes
AGE_GROUPS: Final = AGE_GROUP.codes
PIN_STATUSES: Final = PIN_STATUS.codes
SESSION_METHODS: Final = SESSION_METHOD.codes
QUESTION_KINDS: Final = QUESTION_KIND.codes
SERVICE_TYPES: Final = SERVICE_TYPE.codes
CONTEXT_KINDS: Final = CONTEXT_KIND.codes

# --- vocabularies of strategies and measures -------------------------------------------

MEASURE_STATUSES: Final = MEASURE_STATUS.codes
#: How an indicator is read: the seeds' three-way answer, a number with a unit, or prose.
INDICATOR_KINDS: Final = ("ano_castecne_ne", "numeric", "text")
#: Which way an indicator improves: a higher value (more of it, or ANO over NE) or a lower one.
INDICATOR_DIRECTIONS: Final = ("higher_better", "lower_better")
#: How an indicator moved from its baseline to its latest value.
INDICATOR_CHANGES: Final = ("better", "worse", "same", "not_comparable")
#: Entries of a programme timeline: its period, a planned step, a phase as carried out, an
#: output, and an early end.
TIMELINE_KINDS: Final = ("period", "planned_step", "phase", "output", "early_end")
ANO_CASTECNE_NE: Final = ("ANO", "ČÁSTEČNĚ", "NE")
#: Level of a goal in its document (priorita, dlouhodobý cíl, cíl, specifický cíl).
GOAL_LEVELS: Final = ("priority", "long_term", "goal", "specific")
#: What a measure can be linked to on the map; "place" is a named hotspot, "polygon" a drawn
#: area and "point" a clicked place, both kept as WKT in EPSG:4326.
LINK_KINDS: Final = ("town", "locality", "police_district", "polygon", "pin", "cell", "service",
                     "place", "point")
#: What an evaluation or a history entry can be about.
STRATEGY_ENTITIES: Final = ("strategy", "goal", "measure", "indicator")
