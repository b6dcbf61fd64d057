"""An offline geocoder over a store's address points, stops and parts of town.

Search (:meth:`Gazetteer.search`) takes what people type: "Hamerská 130, Litvínov",
"Janov, Albrechtická 257", "hamerska 130", "Hamreská 130" (case, diacritics, word order,
commas and small typos do not matter; rapidfuzz scores the street, part and town words).
Reverse geocoding (:meth:`Gazetteer.name`) names any point the way a patrol or a child would:
the nearest address point within :data:`ADDRESS_RADIUS_M` ("Hamerská 130", 30 m), else the
nearest stop within :data:`STOP_RADIUS_M` ("Janov, konečná"), else the part of town
around it (its outline approximate), else None. Distances are metres in EPSG:5514; positions
in and out are WGS 84 (EPSG:4326) longitude/latitude.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from layers.catalogue.text import fold
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.schema import ADDRESS_POINTS, TOWN_PARTS, TOWNS, TRANSIT_STOPS, LayerSpec
from layers.store import Store

#: Farthest address point that names a place (metres).
ADDRESS_RADIUS_M: Final = 150.0
#: Farthest stop that names a place when no address point is near (metres).
STOP_RADIUS_M: Final = 400.0
#: Lowest rapidfuzz score (0–100) at which a word of the query counts as a street, part or
#: town name: "Hamreská" still finds "Hamerská", "Most" does not find "Mostecká".
MATCH_SCORE: Final = 80.0
#: Lowest score at which an importer places an address-only row at an address point.
SURE_SCORE: Final = 90.0
#: Results :meth:`Gazetteer.search` returns at most.
RESULTS: Final = 10
_NUMBER: Final = re.compile(r"^(?:ev\.?\s*)?\d+[a-z]?(?:/\d+[a-z]?)?$")


@dataclass(frozen=True)
class Place:
    """A found or named place: its ``name`` ("Hamerská 130"), position (WGS 84), what it is
    (``kind``: address, street, stop or part), the town, the search ``score`` (0–100) or
    the ``distance_m`` from the asked point (reverse geocoding)."""

    name: str
    lon: float
    lat: float
    kind: str
    town_id: str
    score: float = 100.0
    distance_m: float | None = None

    def label(self) -> str:
        """The name with its distance when it has one: "Hamerská 130 (30 m)"."""
        if self.distance_m is None or self.distance_m < 1:
            return self.name
        return f"{self.name} ({self.distance_m:.0f} m)"

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "lon": round(self.lon, 6),
                                  "lat": round(self.lat, 6), "kind": self.kind,
                                  "town_id": self.town_id}
        if self.distance_m is not None:
            out["distance_m"] = round(self.distance_m, 1)
        else:
            out["score"] = round(self.score, 1)
        return out


def address_names(points: pd.DataFrame) -> pd.Series:
    """The name of each address point: "Street 130/12" ("Street 130" without an orientation
    number); "Part 130" where the municipality names no streets."""
    def column(name: str) -> pd.Series:
        if name not in points.columns:
            return pd.Series("", index=points.index, dtype=object)
        return points[name].fillna("").astype(str)

    street, house, orient, part = (column(c) for c in ("street", "house_number",
                                                       "orientation_number", "part"))
    number = house.where(orient == "", house + "/" + orient)
    return (street.where(street != "", part) + " " + number).str.strip()


def _read(store: Store, spec: LayerSpec, town_id: str | None) -> gpd.GeoDataFrame:
    if spec.name not in store.layer_names():
        return gpd.GeoDataFrame({c: [] for c in spec.columns}, geometry=[], crs=STORAGE_CRS)
    frame = store.read(spec, town_id)
    return frame.reindex(columns=[*spec.columns, "geometry"])  # older stores lack columns


class Gazetteer:
    """The named places of a store (one town, or all): address points, stops, parts of town.

    Build with :meth:`from_store`; an empty gazetteer (a town without address data) searches
    and names nothing.
    """

    def __init__(self, addresses: gpd.GeoDataFrame, stops: gpd.GeoDataFrame,
                 parts: gpd.GeoDataFrame, towns: pd.DataFrame) -> None:
        self.addresses = addresses.reset_index(drop=True)
        self.address_name = address_names(self.addresses).to_numpy(dtype=object)
        self.stops = stops.reset_index(drop=True)
        self.parts = parts.reset_index(drop=True)
        self.towns = towns.set_index(towns["town_id"].astype(str))
        self.town_names = {fold(n): str(t) for t, n in zip(towns["town_id"], towns["name"],
                                                           strict=True)}
        self._xy = {name: shapely.get_coordinates(frame.geometry.to_crs(METRIC_CRS))
                    if len(frame) else np.empty((0, 2))
                    for name, frame in (("addresses", self.addresses), ("stops", self.stops))}
        self._trees = {name: shapely.STRtree(shapely.points(xy))
                       for name, xy in self._xy.items()}
        self._streets = _folded(self.addresses["street"])
        self._parts = _folded(self.addresses["part"])
        self._numbers = self._number_keys()
        self._parts_metric = (self.parts.to_crs(METRIC_CRS).geometry.to_numpy()
                              if len(self.parts) else np.empty(0, dtype=object))

    @classmethod
    def from_store(cls, store: Store, town_id: str | None = None) -> Gazetteer:
        """The gazetteer of ``town_id`` (None: every town) read from ``store``."""
        towns = store.read(TOWNS, town_id)
        return cls(_read(store, ADDRESS_POINTS, town_id), _read(store, TRANSIT_STOPS, town_id),
                   _read(store, TOWN_PARTS, town_id), towns)

    def __len__(self) -> int:
        return len(self.addresses) + len(self.stops)

    def _number_keys(self) -> list[set[str]]:
        """Per address, every way its number may be written: "130", "130/12", "12"."""
        houses = self.addresses["house_number"].fillna("").astype(str).str.lower()
        orients = self.addresses["orientation_number"].fillna("").astype(str).str.lower()
        keys = []
        for house, orient in zip(houses, orients, strict=True):
            bare = house.removeprefix("ev. ")
            found = {house, bare, house.replace(" ", "")}
            if orient:
                found |= {orient, f"{bare}/{orient}"}
            keys.append({k for k in found if k})
        return keys

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = RESULTS) -> list[Place]:
        """Places matching ``query``, best first (at most ``limit``); [] when none does."""
        words = [w for w in re.split(r"[,\s]+", fold(query)) if w]
        numbers = [w.replace(" ", "") for w in words if _NUMBER.match(w)]
        words = [w for w in words if not _NUMBER.match(w) and w not in ("ev", "ev.", "c.p.")]
        rows = np.ones(len(self.addresses), dtype=bool)
        words, town_ids = self._take_names(words, list(self.town_names), self.town_names)
        if town_ids:
            rows &= self.addresses["town_id"].astype(str).isin(town_ids).to_numpy()
        parts = sorted(set(self._parts[rows]) - {""})
        words, chosen_parts = self._take_names(words, parts, {p: p for p in parts})
        if chosen_parts:
            rows &= np.isin(self._parts, list(chosen_parts))
        results: list[Place] = []
        street_query = " ".join(words)
        if street_query:
            streets = sorted(set(self._streets[rows]) - {""})
            for street, score, _ in process.extract(street_query, streets, scorer=fuzz.WRatio,
                                                    limit=3, score_cutoff=MATCH_SCORE):
                results += self._on_street(rows & (self._streets == street), numbers,
                                           float(score))
            # a number names a house, not a stop: stops come after the street's addresses
            results += self._stops_named(street_query, town_ids, 15.0 if numbers else 1.0)
        elif chosen_parts:
            results += self._on_street(rows, numbers, 100.0, kind="part")
        else:  # the town alone
            towns = self.towns.loc[sorted(town_ids)]
            results += [Place(str(name), float(lon), float(lat), "town", str(t))
                        for t, name, lon, lat in zip(towns.index, towns["name"],
                                                     towns["center_lon"], towns["center_lat"],
                                                     strict=True)]
        results.sort(key=lambda p: -p.score)
        unique: dict[str, Place] = {}
        for place in results:
            if place.score >= results[0].score - 20:  # far worse guesses only mislead
                unique.setdefault(f"{place.town_id}|{place.name}", place)
        return list(unique.values())[:limit]

    def address_point(self, address: str) -> shapely.Point | None:
        """The position (WGS 84) of ``address`` when it names one address point with
        certainty (an exact house number on a street matched at :data:`SURE_SCORE`)."""
        found = self.search(address, limit=1) if address.strip() else []
        if found and found[0].kind == "address" and found[0].score >= SURE_SCORE:
            return shapely.Point(found[0].lon, found[0].lat)
        return None

    @staticmethod
    def _take_names(words: list[str], names: list[str], ids: dict[str, str]
                    ) -> tuple[list[str], set[str]]:
        """``words`` without those naming one of ``names`` (a town, a part of town), and the
        ids of the names they matched. Multi-word names are matched as a whole first."""
        found: set[str] = set()
        rest = list(words)
        for name in sorted(names, key=len, reverse=True):
            size = len(name.split())
            for start in range(len(rest) - size + 1):
                phrase = " ".join(rest[start:start + size])
                if fuzz.ratio(phrase, name) >= MATCH_SCORE + 5:
                    found.add(ids[name])
                    del rest[start:start + size]
                    break
        return rest, found

    def _on_street(self, rows: np.ndarray, numbers: list[str], score: float,
                   kind: str = "street") -> list[Place]:
        """Addresses of ``rows`` with one of ``numbers`` (exact), else the street (or part)
        itself at the middle of its address points."""
        picked = np.flatnonzero(rows)
        if not len(picked):
            return []
        if numbers:
            exact = [int(i) for i in picked if self._numbers[i] & set(numbers)]
            if exact:
                return [self._address(i, score) for i in exact]
            score -= 10  # the street is right, the number is not there
        middle = self._xy["addresses"][picked].mean(axis=0)
        nearest = picked[int(np.argmin(np.hypot(*(self._xy["addresses"][picked]
                                                  - middle).T)))]
        first = self.addresses.iloc[nearest]
        name = str(first["street"] or first["part"])
        if kind == "part":
            name = str(first["part"])
        lon, lat = _to_lonlat(middle)
        return [Place(name, lon, lat, kind, str(first["town_id"]), score)]

    def _address(self, i: int, score: float) -> Place:
        point = self.addresses.geometry.iloc[i]
        return Place(str(self.address_name[i]), float(point.x), float(point.y), "address",
                     str(self.addresses["town_id"].iloc[i]), score)

    def _stops_named(self, query: str, town_ids: set[str], behind: float) -> list[Place]:
        """Stops whose name matches ``query``, scored ``behind`` points below the match."""
        stops = self.stops if not town_ids else self.stops[
            self.stops["town_id"].astype(str).isin(town_ids)]
        names = [fold(n) for n in stops["name"].astype(str)]
        found = process.extract(query, names, scorer=fuzz.WRatio, limit=3,
                                score_cutoff=MATCH_SCORE + 5)
        return [Place(str(stops["name"].iloc[i]), float(stops.geometry.iloc[i].x),
                      float(stops.geometry.iloc[i].y), "stop", str(stops["town_id"].iloc[i]),
                      float(score) - behind) for _, score, i in found]

    # --- reverse geocoding --------------------------------------------------------------

    def name(self, lon: float, lat: float) -> Place | None:
        """The name of the point (WGS 84), see the module docstring; None when nothing near."""
        xy = np.array(_to_metric(np.array([[lon, lat]]))[0])
        return self.names(xy.reshape(1, 2))[0]

    def names(self, xy: np.ndarray) -> list[Place | None]:
        """:meth:`name` of many points given in EPSG:5514 metres ((n, 2))."""
        points = shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2))
        out: list[Place | None] = [None] * len(points)
        for layer, radius in (("addresses", ADDRESS_RADIUS_M), ("stops", STOP_RADIUS_M)):
            if not len(self._xy[layer]):
                continue
            (at, found), distance = self._trees[layer].query_nearest(
                points, return_distance=True, all_matches=False)
            for place, row, metres in zip(at, found, distance, strict=True):
                if out[place] is not None or metres > radius:
                    continue
                out[place] = self._reverse_place(layer, int(row), float(metres))
        for i, point in enumerate(points):
            if out[i] is None and len(self._parts_metric):
                inside = np.flatnonzero(shapely.covers(self._parts_metric, point))
                if len(inside):
                    part = self.parts.iloc[int(inside[0])]
                    centre = part.geometry.representative_point()
                    out[i] = Place(str(part["name"]), float(centre.x), float(centre.y), "part",
                                   str(part["town_id"]), distance_m=0.0)
        return out

    def nearest_stops(self, xy: np.ndarray) -> list[Place | None]:
        """The nearest public-transport stop to each point ``xy`` ((n, 2) EPSG:5514 metres),
        with its distance (any distance); None when the town has no stops."""
        if not len(self._xy["stops"]):
            return [None] * len(xy)
        (at, found), distance = self._trees["stops"].query_nearest(
            shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2)), return_distance=True,
            all_matches=False)
        out: list[Place | None] = [None] * len(xy)
        for place, row, metres in zip(at, found, distance, strict=True):
            out[int(place)] = self._reverse_place("stops", int(row), float(metres))
        return out

    def landmarks(self) -> gpd.GeoDataFrame:
        """What a printed map may name (EPSG:5514): each stop (``kind`` "stop") and each
        street at the median of its address points (``kind`` "street"); columns ``name``,
        ``kind``, geometry."""
        streets = pd.DataFrame({"name": self.addresses["street"].fillna("").astype(str),
                                "x": self._xy["addresses"][:, 0],
                                "y": self._xy["addresses"][:, 1]})
        middles = streets[streets["name"] != ""].groupby("name").median()
        frame = pd.DataFrame({
            "name": [*self.stops["name"].astype(str), *middles.index.astype(str)],
            "kind": ["stop"] * len(self.stops) + ["street"] * len(middles)})
        xy = np.vstack([self._xy["stops"], middles[["x", "y"]].to_numpy(dtype=float)
                        .reshape(-1, 2)])
        return gpd.GeoDataFrame(frame, geometry=shapely.points(xy) if len(xy) else [],
                                crs=METRIC_CRS)

    def _reverse_place(self, layer: str, row: int, metres: float) -> Place:
        if layer == "addresses":
            place = self._address(row, 100.0)
            return Place(place.name, place.lon, place.lat, "address", place.town_id,
                         distance_m=metres)
        stop = self.stops.iloc[row]
        return Place(str(stop["name"]), float(stop.geometry.x), float(stop.geometry.y),
                     "stop", str(stop["town_id"]), distance_m=metres)


def _folded(values: pd.Series) -> np.ndarray:
    """:func:`fold` of each value, folding each distinct value once (streets repeat)."""
    text = values.fillna("").astype(str)
    return text.map({value: fold(value) for value in text.unique()}).to_numpy(dtype=object)


def _to_metric(lonlat: np.ndarray) -> np.ndarray:
    return shapely.get_coordinates(gpd.GeoSeries(shapely.points(lonlat), crs=STORAGE_CRS)
                                   .to_crs(METRIC_CRS))


def _to_lonlat(xy: np.ndarray) -> tuple[float, float]:
    point = gpd.GeoSeries([shapely.Point(xy)], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    return float(point.x), float(point.y)


def place_labels(store: Store, town_id: str, xy: np.ndarray) -> list[str]:
    """The names of the points ``xy`` ((n, 2) EPSG:5514 metres) in ``town_id`` with their
    distance ("Hamerská 130 (30 m)"), "" where nothing of the town is near (no address
    data, or far from all of it)."""
    if not len(xy):
        return []
    named = Gazetteer.from_store(store, town_id).names(xy)
    return labels_of(named)


def named_points(store: Store, town_id: str, xy: np.ndarray) -> pd.DataFrame:
    """For each point ``xy`` ((n, 2) EPSG:5514 metres) of ``town_id``: ``place`` (its name
    with distance, as :func:`place_labels`), ``nearest_stop`` (the nearest public-transport
    stop's name, "" when the town has none) and ``stop_m`` (metres to it, NaN without stops).
    Fear near stops is a known pattern, so a hot place is explained with its stop."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    gazetteer = Gazetteer.from_store(store, town_id)
    stops = gazetteer.nearest_stops(xy) if len(xy) else []
    return pd.DataFrame({
        "place": labels_of(gazetteer.names(xy)) if len(xy) else [],
        "nearest_stop": [s.name if s is not None else "" for s in stops],
        "stop_m": [s.distance_m if s is not None and s.distance_m is not None else np.nan
                   for s in stops]}, columns=["place", "nearest_stop", "stop_m"])


def labels_of(places: list[Place | None]) -> list[str]:
    """:meth:`Place.label` of each place, "" for None."""
    return [place.label() if place is not None else "" for place in places]
