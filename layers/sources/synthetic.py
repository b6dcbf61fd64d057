"""Illustrative layers for the demo towns: localities, services, mapping sessions, fear pins.

The real outlines of excluded localities, service lists and feeling-map answers of the three
towns are not public (see geodata/sources/SOURCES.md). This module generates stand-ins shaped
like real data, anchored on the places the seed documents name (seed 001: Janov, Sousedský
dům Libuše, the police station in Janov, APK; seed 003: the railway and bus station, the
gambling hall in Kpt. Jaroše street, V Zátíší street, the church in Hradební street near the
town hall, the town gardens, the former boarding school); fear hotspots are centred on the
named places of ``layers.places``. Positions are approximate. The seeds are data:
``geodata/demo_towns.toml`` (:func:`load_town_seeds`).

Generation is deterministic for a given ``seed`` (numpy's PCG64). Every row carries
``synthetic = True`` and the UI labels these layers "ilustrativní data".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from layers.catalogue.entries import derived_entries, encode
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.places import place_points
from layers.schema import (
    AGE_GROUPS,
    CATALOGUE_ENTRIES,
    PIN_CATEGORIES,
    SAFETY_ACTIONS,
    TIMES_OF_DAY,
)
from layers.sources.facts import GEODATA_DIR
from layers.sources.feeling_map import POCIT_TO_CATEGORY
from layers.sources.real import load_towns

DEFAULT_SEED: Final = 20240615
#: Label → (lon, lat) of the named places the hotspots are centred on.
_PLACES: Final = place_points()
#: Pins per unit of ``scale`` :func:`sample_town_pins` expects in a town: a little under what
#: make_pins puts in Litvínov at scale 1, so one pass suffices there.
_TOWN_PINS_PER_SCALE: Final = 400
#: Free text and age bands of a generated feeling-map export (some of them faulty).
_EXPORT_COMMENTS: Final = ("tma, nesvítí lampy", "feťáci u garáží", "herna, hluk v noci",
                           "chybí lavičky", "hezké hřiště", "zavolejte mi 604 123 456",
                           "strach chodit sám")
_EXPORT_AGES: Final = ("0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65+", "",
                       "nechci-odpovidat")


@dataclass(frozen=True)
class LocalitySeed:
    """An illustrative socially excluded locality: centre, half-axes in metres, population."""

    name: str
    lon: float
    lat: float
    half_width_m: float
    half_height_m: float
    population: int
    description: str


@dataclass(frozen=True)
class ServiceSeed:
    """An illustrative service point."""

    name: str
    service_type: str
    lon: float
    lat: float
    operator: str
    target_groups: str
    opening_hours: str = ""


@dataclass(frozen=True)
class HotspotSeed:
    """A place people fear, a named place (``layers.places``) by its ``label``: pins scatter
    around it (Gaussian, ``spread_m`` metres)."""

    label: str
    spread_m: float
    pins: int
    categories: tuple[tuple[str, float], ...]
    evening_bias: float = 0.6

    @property
    def lon(self) -> float:
        return _PLACES[self.label][0]

    @property
    def lat(self) -> float:
        return _PLACES[self.label][1]


@dataclass(frozen=True)
class SessionSeed:
    """A mapping session whose pins are drawn from the town's hotspots and background."""

    key: str
    date: str
    place: str
    organiser: str
    age_group: str
    participants: int
    method: str
    share: float


@dataclass(frozen=True)
class TownSeed:
    town_id: str
    localities: tuple[LocalitySeed, ...]
    services: tuple[ServiceSeed, ...]
    hotspots: tuple[HotspotSeed, ...]
    sessions: tuple[SessionSeed, ...]
    background_pins: int
    background_radius_m: float


CONSENT: Final = ("Souhlas účastníků (u dětí i zákonných zástupců) zaznamenán organizátorem; "
                  "žádná jména ani kontakty se neukládají.")

_BACKGROUND_MIX: Final = (("traffic", 0.22), ("dark_place", 0.2), ("dogs", 0.12),
                          ("feel_good", 0.2), ("develop", 0.12), ("other", 0.08),
                          ("abandoned_building", 0.06))

#: The demo towns' seeds, kept as data beside the other shipped data.
SEEDS_PATH: Final = GEODATA_DIR / "demo_towns.toml"


def load_town_seeds(path: Path = SEEDS_PATH) -> tuple[TownSeed, ...]:
    """The towns of ``path`` (its ``[[town]]`` tables) in file order.

    Raises ``OSError`` for an unreadable file, ``tomllib.TOMLDecodeError`` for bad TOML and
    ``TypeError``/``KeyError`` for a field the seeds do not have or lack.
    """
    with path.open("rb") as file:
        towns = tomllib.load(file)["town"]
    return tuple(
        TownSeed(
            town["town_id"],
            localities=tuple(LocalitySeed(**row) for row in town.get("locality", ())),
            services=tuple(ServiceSeed(**row) for row in town.get("service", ())),
            hotspots=tuple(HotspotSeed(**{**row, "categories": tuple(
                (str(name), float(share)) for name, share in row["categories"])})
                for row in town.get("hotspot", ())),
            sessions=tuple(SessionSeed(**row) for row in town.get("session", ())),
            background_pins=town["background_pins"],
            background_radius_m=town["background_radius_m"])
        for town in towns)


TOWN_SEEDS: Final = load_town_seeds()


def _ellipse(lon: float, lat: float, half_w: float, half_h: float) -> BaseGeometry:
    centre = gpd.GeoSeries([Point(lon, lat)], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    ring = np.column_stack([centre.x + half_w * np.cos(angles),
                            centre.y + half_h * np.sin(angles)])
    return Polygon(ring)


def _as_multi(geom: BaseGeometry) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    polygons = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    return MultiPolygon(polygons)


def _town_metric(towns: gpd.GeoDataFrame, town_id: str) -> BaseGeometry:
    rows = towns[towns["town_id"] == town_id]
    if rows.empty:
        raise ValueError(f"town {town_id!r} is not among the loaded towns")
    return rows.to_crs(METRIC_CRS).geometry.iloc[0]


def make_localities(towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Illustrative locality outlines, clipped to their town (EPSG:4326)."""
    rows = []
    for seed in TOWN_SEEDS:
        town = _town_metric(towns, seed.town_id)
        for idx, loc in enumerate(seed.localities, start=1):
            shape = _ellipse(loc.lon, loc.lat, loc.half_width_m, loc.half_height_m)
            clipped = shape.intersection(town)
            if clipped.is_empty:
                raise ValueError(f"locality {loc.name} lies outside {seed.town_id}")
            rows.append({"locality_id": f"{seed.town_id}-{idx}", "town_id": seed.town_id,
                         "name": loc.name, "population_est": loc.population,
                         # no locality score is published: only the town's (MMR 2023)
                         "isv": None, "isv_band": "", "description": loc.description,
                         "source": "ilustrativní data (generováno)", "synthetic": True,
                         "geometry": _as_multi(clipped)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS).to_crs(STORAGE_CRS)


def make_services(towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Illustrative services (EPSG:4326); each must lie inside its town."""
    rows = []
    for seed in TOWN_SEEDS:
        town = _town_metric(towns, seed.town_id)
        for idx, svc in enumerate(seed.services, start=1):
            point = gpd.GeoSeries([Point(svc.lon, svc.lat)], crs=STORAGE_CRS)
            if not town.contains(point.to_crs(METRIC_CRS).iloc[0]):
                raise ValueError(f"service {svc.name} lies outside {seed.town_id}")
            rows.append({"service_id": f"{seed.town_id}-s{idx:02d}", "town_id": seed.town_id,
                         "name": svc.name, "service_type": svc.service_type,
                         "operator": svc.operator, "target_groups": svc.target_groups,
                         "opening_hours": svc.opening_hours, "address": "",
                         "source": "ilustrativní data (generováno)", "synthetic": True,
                         "geometry": point.iloc[0]})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_CRS)


#: What an illustrative catalogue entry says of a service of each type (seed 004: a catalogue
#: understandable to lay people).
_DESCRIPTIONS: Final = {
    "police": "Oznámení trestného činu, pomoc v nouzi, preventivní besedy.",
    "municipal_police": "Dohled na veřejný pořádek, preventivní programy pro školy a seniory.",
    "apk": "Asistenti prevence kriminality v ulicích lokality: pomoc lidem v nouzi, dohled "
           "u škol a zastávek, spolupráce s městskou policií.",
    "nzdm": "Nízkoprahové zařízení pro děti a mládež: bezpečný prostor pro volný čas, "
            "pomoc s úkoly, rozhovor s pracovníkem, anonymně a zdarma.",
    "community_centre": "Komunitní centrum pro sousedy: setkávání, kurzy, poradenství, "
                        "aktivity pro rodiny s dětmi.",
    "school": "Základní škola; školní poradenské pracoviště a preventivní program.",
    "social_service": "Sociální práce a odborné sociální poradenství: bydlení, dávky, dluhy, "
                      "kontakt s úřady.",
    "addiction_service": "Adiktologické služby: kontaktní centrum, výměna injekčního "
                         "materiálu, poradenství pro uživatele drog a jejich blízké.",
    "debt_counselling": "Bezplatná dluhová poradna: oddlužení, exekuce, rozpočet domácnosti.",
    "playground": "Veřejné hřiště.",
}
#: Illustrative entries without a service point: a field programme and the early-intervention
#: system's contact of an area (seeds 000 and 004: a contact, never case data).
_CATALOGUE_ONLY: Final = (
    {"service_id": "litvinov-c01", "town_id": "litvinov",
     "name": "Terénní program NZDM – sídliště Janov", "service_type": "nzdm",
     "provider": "", "target_groups": encode(["children_youth"]),
     "target_note": "děti a mládež 6–18 let", "forms": encode(["field"]),
     "area_note": "sídliště Janov a okolí", "opening_hours": "",
     "description": "Terénní forma nízkoprahového zařízení pro děti a mládež: pracovníci "
                    "chodí za dětmi na hřiště a do ulic Janova."},
    {"service_id": "karlovy-vary-c01", "town_id": "karlovy-vary",
     "name": "Systém včasné intervence – kontakt pro ORP Karlovy Vary",
     "service_type": "social_service", "provider": "",
     "target_groups": encode(["children_youth", "families"]),
     "target_note": "děti a mladiství ohrožení sociálně nežádoucími jevy",
     "forms": encode(["outpatient"]), "area_note": "správní obvod ORP Karlovy Vary",
     "svi_contact": True,
     "description": "Kontakt systému včasné intervence (SVI): spolupráce OSPOD, policie, "
                    "probační služby, škol a neziskových organizací v týmu pro mládež. "
                    "Katalog vede jen kontakt, nikdy údaje o případech."},
)


def make_catalogue(services: gpd.GeoDataFrame) -> pd.DataFrame:
    """Illustrative catalogue entries: one per illustrative service (its card derived from
    the service, with a description of its type) and the entries of :data:`_CATALOGUE_ONLY`,
    which have no position."""
    derived = derived_entries(services)
    derived["description"] = derived["service_type"].map(_DESCRIPTIONS).fillna("")
    extra = pd.DataFrame(list(_CATALOGUE_ONLY)).assign(origin="local", synthetic=True)
    frame = pd.concat([derived, extra], ignore_index=True)
    frame["svi_contact"] = frame["svi_contact"].fillna(False).astype(bool)
    frame["updated_at"] = "generováno"
    texts = [c for c in frame.columns if c not in ("svi_contact", "synthetic", "capacity")]
    frame[texts] = frame[texts].astype(object).fillna("")
    return frame[list(CATALOGUE_ENTRIES.columns)]


def make_sessions() -> pd.DataFrame:
    """Illustrative mapping sessions (no participant names, consent recorded)."""
    rows = [{"session_id": f"{seed.town_id}-{s.key}", "town_id": seed.town_id, "date": s.date,
             "place": s.place, "organiser": s.organiser, "age_group": s.age_group,
             "participants": s.participants, "method": s.method, "consent": CONSENT,
             "synthetic": True}
            for seed in TOWN_SEEDS for s in seed.sessions]
    return pd.DataFrame(rows)


def make_pins(towns: gpd.GeoDataFrame, seed: int = DEFAULT_SEED,
              scale: float = 1.0) -> gpd.GeoDataFrame:
    """Illustrative fear pins shaped like feeling-map answers (EPSG:4326).

    Pins cluster around each town's hotspots and scatter thinly over its centre; every pin
    lies inside its town. ``scale`` multiplies the pin counts (benchmarks use large scales).
    """
    rng = np.random.default_rng(seed)
    frames = [_town_pins(town_seed, _town_metric(towns, town_seed.town_id), rng, scale)
              for town_seed in TOWN_SEEDS]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def sample_town_pins(n: int, town_id: str, seed: int = DEFAULT_SEED) -> gpd.GeoDataFrame:
    """``n`` illustrative pins of the demo town ``town_id`` (EPSG:4326), drawn from
    :func:`make_pins` scaled up as far as needed; the same for the same ``n`` and ``seed``.

    Raises ``ValueError`` when the generator gives the town fewer than ``n`` pins.
    """
    pins = make_pins(load_towns(), seed=seed, scale=max(1.0, n / _TOWN_PINS_PER_SCALE))
    town = pins[pins["town_id"] == town_id]
    if len(town) < n:
        raise ValueError(f"the generator gave only {len(town)} pins of {town_id}, {n} needed")
    return town.sample(n=n, random_state=seed).reset_index(drop=True)


def write_feeling_map_export(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` feeling-map answers around Litvínov in the real open-data export format
    (``layers.sources.feeling_map``, UTF-8 with BOM), with the faults real exports have:
    points in another city, missing coordinates, swapped axes, unknown answers and comments
    with phone numbers."""
    rng = np.random.default_rng(seed)
    lon = rng.normal(13.615, 0.006, rows).round(6)
    lat = rng.normal(50.600, 0.004, rows).round(6)
    fault = rng.random(rows)
    lon[fault < 0.01], lat[fault < 0.01] = 14.42, 50.088  # another city
    swap = (fault >= 0.01) & (fault < 0.015)
    lon[swap], lat[swap] = lat[swap], lon[swap].copy()
    x = lon.astype(str)
    x[(fault >= 0.015) & (fault < 0.02)] = ""
    answers = np.array([*POCIT_TO_CATEGORY, "Neznámá kategorie"])
    weights = np.array([0.4, 0.3, 0.2, 0.095, 0.005])
    comments = np.where(rng.random(rows) < 0.25, rng.choice(_EXPORT_COMMENTS, rows), "")
    pd.DataFrame({
        "ID respondenta": np.char.add("r", (rng.integers(0, rows // 10 + 1, rows)).astype(str)),
        "Pocit": rng.choice(answers, rows, p=weights), "X": x, "Y": lat.astype(str),
        "Městský obvod": "Litvínov", "Komentář": comments, "Věk": rng.choice(_EXPORT_AGES, rows),
        "Bydliště": "v Litvínově", "Bydliště MOb": "", "Pohlaví": "nechci odpovídat",
    }).to_csv(path, index=False, encoding="utf-8-sig")


def _town_pins(seed: TownSeed, town: BaseGeometry, rng: np.random.Generator,
               scale: float) -> gpd.GeoDataFrame:
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    cats: list[np.ndarray] = []
    evening: list[np.ndarray] = []
    for spot in seed.hotspots:
        n = max(1, round(spot.pins * scale))
        centre = gpd.GeoSeries([Point(spot.lon, spot.lat)], crs=STORAGE_CRS)
        c = centre.to_crs(METRIC_CRS).iloc[0]
        xs.append(rng.normal(c.x, spot.spread_m, n))
        ys.append(rng.normal(c.y, spot.spread_m, n))
        names, weights = zip(*spot.categories, strict=True)
        cats.append(rng.choice(names, n, p=np.array(weights) / sum(weights)))
        evening.append(np.full(n, spot.evening_bias))
    n_bg = max(1, round(seed.background_pins * scale))
    centre = town.centroid if not seed.hotspots else Point(
        np.mean([x.mean() for x in xs]), np.mean([y.mean() for y in ys]))
    radius = seed.background_radius_m * np.sqrt(rng.random(n_bg))
    angle = rng.random(n_bg) * 2 * np.pi
    xs.append(centre.x + radius * np.cos(angle))
    ys.append(centre.y + radius * np.sin(angle))
    names, weights = zip(*_BACKGROUND_MIX, strict=True)
    cats.append(rng.choice(names, n_bg, p=np.array(weights) / sum(weights)))
    evening.append(np.full(n_bg, 0.4))

    x, y = np.concatenate(xs), np.concatenate(ys)
    category = np.concatenate(cats)
    evening_share = np.concatenate(evening)
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=METRIC_CRS)
    inside = points.within(town).to_numpy()
    points, category, evening_share = points[inside], category[inside], evening_share[inside]
    n = len(points)

    sessions = seed.sessions
    shares = np.array([s.share for s in sessions])
    session_idx = rng.choice(len(sessions), n, p=shares / shares.sum())
    positive = np.isin(category, ["feel_good", "develop"])
    feeling = np.where(positive, rng.choice([4, 5], n), rng.choice([1, 2, 3], n,
                                                                   p=[0.45, 0.4, 0.15]))
    late = rng.random(n) < evening_share
    time_of_day = np.where(late, rng.choice(["evening", "night"], n, p=[0.7, 0.3]),
                           rng.choice(["morning", "afternoon"], n, p=[0.35, 0.65]))
    action = np.where(positive, "nothing",
                      rng.choice(SAFETY_ACTIONS, n, p=[0.4, 0.2, 0.2, 0.05, 0.15]))
    seen = rng.choice(["own", "heard"], n, p=[0.6, 0.4])
    status = rng.choice(["approved", "pending", "rejected"], n, p=[0.9, 0.08, 0.02])
    age = np.array([sessions[i].age_group for i in session_idx])
    method = np.array([sessions[i].method for i in session_idx])
    dates = np.array([sessions[i].date for i in session_idx])
    assert set(np.unique(category)) <= set(PIN_CATEGORIES)
    assert set(np.unique(time_of_day)) <= set(TIMES_OF_DAY)
    assert set(np.unique(age)) <= set(AGE_GROUPS)
    return gpd.GeoDataFrame({
        "pin_id": [f"{seed.town_id}-p{i:06d}" for i in range(n)],
        "town_id": seed.town_id,
        "session_id": [f"{seed.town_id}-{sessions[i].key}" for i in session_idx],
        "category": category, "feeling": feeling.astype("int64"), "seen": seen,
        "time_of_day": time_of_day, "safety_action": action, "age_group": age,
        "place_note": "", "status": status, "transcribed": method == "paper",
        "created_at": dates, "synthetic": True, "comment": "", "comment_held": False,
        "source_value": "", "moderation_note": "",
        "geometry": points.to_crs(STORAGE_CRS).to_numpy(),
    }, geometry="geometry", crs=STORAGE_CRS)


SYNTHETIC_SOURCES: Final = tuple(
    {"layer": layer, "title": title, "licence": "EUPL-1.2 (generováno tímto projektem)",
     "attribution": "ilustrativní data – vygenerovala aplikace Mapa bezpečí; místa podle "
                    "závěrečných zpráv poradenských programů Litvínov a Kraslice",
     "vintage": "generováno"}
    for layer, title in (("localities", "Sociálně vyloučené lokality (ilustrativní obrysy)"),
                         ("services", "Služby (ilustrativní)"),
                         ("catalogue_entries", "Katalog služeb (ilustrativní karty)"),
                         ("sessions", "Mapovací setkání (ilustrativní)"),
                         ("pins", "Pocitová mapa – místa strachu (ilustrativní)"))
)
