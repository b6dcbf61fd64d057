"""A closed walking route over patrol places: the order, the legs, length and walking time.

The order is an approximate shortest closed tour (travelling salesman) computed by networkx:
Christofides' algorithm (``networkx.algorithms.approximation.christofides``; at most 1.5 × the
optimum on metric distances) improved by threshold accepting
(``threshold_accepting_tsp``, seeded, never worse than its start). Distances are metres in
EPSG:5514, either

* along the town's own street network (``method="street_network"``, a network
  ``StreetNetwork.own``, ``mapa import streets``): each place moves to the nearest point of
  the nearest street (a patrol stops on the street, not inside the block) and the legs are
  shortest paths (networkx Dijkstra) along the streets, so every leg lies on the ways,
* along road lines of the base map (also ``"street_network"``): as above, but each place is
  joined to the nearest road by a straight access leg that counts in the length; used when
  every place lies within ``max_access_m`` (default 200 m) of a road and the roads connect
  every place, or
* straight lines (``method="straight_lines"``) otherwise ("straight lines, no street network
  loaded" when the town has none), or when asked.

Why the access limit: a line layer of main roads only (the demo towns' ``context_lines`` come
from ArcČR 500 / Data200) is no walking network; with places 300 m from the nearest main road,
every leg would walk out to the road and back, and a tour of a housing estate would come out
several times longer than the walk it stands for.

``Route.note`` says which and why. Walking time is the length at ``walk_kmh`` (patrol pace,
default 4 km/h) plus ``stop_min`` minutes at each place.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from networkx.algorithms import approximation
from shapely.geometry import LineString

from layers.crs import to_metric
from layers.vocabulary import ROUTE_REASON

WALK_KMH: Final = 4.0
STOP_MIN: Final = 5.0
NETWORK_MODES: Final = ("auto", "straight")
STREET_NETWORK: Final = "street_network"
STRAIGHT_LINES: Final = "straight_lines"
#: Line kinds of ``context_lines`` that a patrol can walk along.
WALKABLE_KINDS: Final = ("road",)
#: Coordinates are merged to this grid (metres) so touching lines share a node.
SNAP_M: Final = 0.5
#: Farthest a place may lie from the street lines for them to be used (metres).
MAX_ACCESS_M: Final = 200.0


@dataclass(frozen=True)
class Route:
    """A closed tour: ``order`` indexes the input places (starting at place 0, not repeated
    at the end); ``legs[i]`` runs from ``order[i]`` to the next place (the last one back to
    the start), EPSG:5514; ``leg_m`` their lengths."""

    order: tuple[int, ...]
    legs: tuple[LineString, ...]
    leg_m: tuple[float, ...]
    method: str
    #: Why the route runs as it does: a code of :data:`layers.vocabulary.ROUTE_REASON`.
    reason: str
    walk_kmh: float = WALK_KMH
    stop_min: float = STOP_MIN
    #: Metres from the place farthest from a street line to it (for ``far_from_streets``).
    farthest_m: float = 0.0
    #: The longest access leg in metres a street network is used with.
    max_access_m: float = MAX_ACCESS_M

    def reason_text(self, lang: str) -> str:
        """Why the route runs as it does, in ``lang`` (distances in whole metres).

        Raises ``ValueError`` for an unknown language.
        """
        return ROUTE_REASON.term(self.reason).label(lang).format(
            farthest=f"{self.farthest_m:.0f}", limit=f"{self.max_access_m:.0f}")

    @property
    def note(self) -> str:
        """:meth:`reason_text` in English (the command line's and saved plans' note)."""
        return self.reason_text("en")
    #: Where each input place stands on the street network it was moved to (EPSG:5514,
    #: input order); None when the places stay where they are.
    moved: tuple[tuple[float, float], ...] | None = None

    @property
    def length_m(self) -> float:
        return float(sum(self.leg_m))

    @property
    def walk_min(self) -> float:
        """Minutes of walking alone."""
        return self.length_m / (self.walk_kmh * 1000.0 / 60.0)

    @property
    def total_min(self) -> float:
        """Walking plus the stops."""
        return self.walk_min + self.stop_min * len(self.order)

    def line(self) -> LineString:
        """The whole tour as one line (EPSG:5514), from place ``order[0]`` back to it."""
        coords: list[tuple[float, float]] = []
        for leg in self.legs:
            part = list(leg.coords)
            coords.extend(part[1:] if coords else part)
        if len(coords) < 2:
            coords = coords * 2
        return LineString(coords)


class StreetNetwork:
    """An undirected graph of walkable line segments in EPSG:5514 (edge weight = metres).

    Build it with :meth:`from_lines` (road lines, noded here) or :meth:`from_edges` (a town's
    own walking graph, noded when imported: ``own``); :meth:`distances` joins places to it
    and returns the shortest-path distance matrix and paths, or None when the network does not
    connect them.
    """

    def __init__(self, segments: np.ndarray, own: bool = False) -> None:
        #: (m, 2, 2) array of segment end points.
        self.segments = segments
        self.own = own
        self.tree = shapely.STRtree(shapely.linestrings(segments))
        self.graph = nx.Graph()
        for (ax, ay), (bx, by) in segments.tolist():
            self.graph.add_edge((ax, ay), (bx, by), weight=float(np.hypot(bx - ax, by - ay)))

    @classmethod
    def from_lines(cls, lines: gpd.GeoDataFrame, kinds: Sequence[str] = WALKABLE_KINDS
                   ) -> StreetNetwork | None:
        """The network of ``lines`` (any CRS, a ``kind`` column) of the walkable ``kinds``;
        None when there are none."""
        chosen = lines[lines["kind"].astype(str).isin(kinds)] if len(lines) else lines
        if len(chosen) == 0:
            return None
        # lines that cross without a shared vertex must meet in the graph: node them (a bridge
        # over a road becomes a junction too, a small error on a town's walking scale)
        noded = shapely.node(shapely.union_all(to_metric(chosen).geometry.to_numpy()))
        return cls._of_parts(shapely.get_parts(noded))

    @classmethod
    def from_edges(cls, edges: gpd.GeoDataFrame) -> StreetNetwork | None:
        """The network of a town's stored walking graph (``street_edges``, any CRS); None
        when it has no edges."""
        if not len(edges):
            return None
        return cls._of_parts(to_metric(edges).geometry.to_numpy(), own=True)

    @classmethod
    def _of_parts(cls, parts: np.ndarray, own: bool = False) -> StreetNetwork | None:
        segments = []
        for part in parts:
            coords = np.round(shapely.get_coordinates(part) / SNAP_M) * SNAP_M
            if len(coords) >= 2:
                segments.append(np.stack([coords[:-1], coords[1:]], axis=1))
        if not segments:
            return None
        stacked = np.concatenate(segments)
        stacked = stacked[np.any(stacked[:, 0] != stacked[:, 1], axis=1)]
        return cls(stacked, own) if len(stacked) else None

    def access_m(self, xy: np.ndarray) -> np.ndarray:
        """Distance (metres) from each place ``xy`` to the nearest street line."""
        _, distance = self.tree.query_nearest(shapely.points(xy), return_distance=True,
                                              all_matches=False)
        return np.asarray(distance, dtype=float)

    def distances(self, xy: np.ndarray
                  ) -> tuple[np.ndarray, dict[tuple[int, int], list[tuple[float, float]]]] | None:
        """Shortest walking distances between the places ``xy`` ((n, 2) metres) and the
        paths (coordinates, place to place, access legs included); None when some place
        cannot reach another over the network."""
        graph = self.graph.copy()
        nearest = self.tree.query_nearest(shapely.points(xy), return_distance=False,
                                          all_matches=False)
        place_of = {int(p): int(s) for p, s in zip(*nearest, strict=True)}
        by_segment: dict[int, list[tuple[float, int]]] = {}
        for place, segment in place_of.items():
            (ax, ay), (bx, by) = self.segments[segment]
            line = LineString([(ax, ay), (bx, by)])
            along = float(line.project(shapely.Point(xy[place])))
            by_segment.setdefault(segment, []).append((along, place))
        for segment, on_it in by_segment.items():
            (ax, ay), (bx, by) = self.segments[segment]
            line = LineString([(ax, ay), (bx, by)])
            # chain the joins in their order along the segment, so joins sharing a segment
            # reach each other along it and not round its end points
            chain: list[object] = [(ax, ay)]
            for along, place in sorted(on_it):
                join = ("join", place)
                graph.add_node(join, xy=tuple(line.interpolate(along).coords[0]))
                chain.append(join)
            chain.append((bx, by))
            positions = [0.0, *(a for a, _ in sorted(on_it)), float(line.length)]
            for (u, pu), (v, pv) in itertools.pairwise(zip(chain, positions, strict=True)):
                graph.add_edge(u, v, weight=pv - pu)
        for place in range(len(xy)):
            join = ("join", place)
            # on the town's own network the place stands at its join: no access leg
            access = 0.0 if self.own else float(np.hypot(*(np.asarray(graph.nodes[join]["xy"])
                                                           - xy[place])))
            graph.add_edge(("place", place), join, weight=access)
            graph.nodes[("place", place)]["xy"] = graph.nodes[join]["xy"] if self.own \
                else tuple(xy[place])
        n = len(xy)
        matrix = np.zeros((n, n))
        paths: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for i in range(n):
            lengths, found = nx.single_source_dijkstra(graph, ("place", i), weight="weight")
            for j in range(n):
                if i == j:
                    continue
                target = ("place", j)
                if target not in lengths:
                    return None
                matrix[i, j] = lengths[target]
                paths[(i, j)] = _dedup([_xy(graph, node) for node in found[target]])
        return matrix, paths

    def joins(self, xy: np.ndarray) -> np.ndarray:
        """The nearest point of the network to each place ``xy`` ((n, 2) metres)."""
        nearest = self.tree.query_nearest(shapely.points(xy), return_distance=False,
                                          all_matches=False)
        out = np.asarray(xy, dtype=float).copy()
        for place, segment in zip(*nearest, strict=True):
            line = LineString(self.segments[int(segment)])
            out[int(place)] = line.interpolate(line.project(shapely.Point(xy[int(place)]))
                                               ).coords[0]
        return out


def _dedup(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``coords`` without a point repeating the one before it (a place at its join)."""
    kept = coords[:1]
    for point in coords[1:]:
        if point != kept[-1]:
            kept.append(point)
    return kept if len(kept) > 1 else kept * 2


def _xy(graph: nx.Graph, node: object) -> tuple[float, float]:
    if isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], float):
        return (float(node[0]), float(node[1]))
    x, y = graph.nodes[node]["xy"]
    return (float(x), float(y))


def plan_route(xy: np.ndarray, network: StreetNetwork | None = None, mode: str = "auto",
               walk_kmh: float = WALK_KMH, stop_min: float = STOP_MIN, seed: int = 0,
               max_access_m: float = MAX_ACCESS_M) -> Route:
    """The closed tour over the places ``xy`` ((n, 2) EPSG:5514 metres), see the module
    docstring. ``mode`` "auto" uses ``network`` when it connects the places, "straight" never.

    Raises ``ValueError`` for no places, an unknown mode or a non-positive speed.
    """
    points = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(points) == 0:
        raise ValueError("a route needs at least one place")
    if mode not in NETWORK_MODES:
        raise ValueError(f"mode must be one of {NETWORK_MODES}, got {mode!r}")
    if not walk_kmh > 0 or stop_min < 0:
        raise ValueError("walking speed must be positive and stop time non-negative")
    routed = None
    farthest = 0.0
    moved = None
    if mode == "straight":
        reason = "asked"
    elif network is None:
        reason = "no_streets"
    elif (farthest := float(network.access_m(points).max())) > max_access_m:
        reason = "far_from_streets"
    else:
        routed = network.distances(points) if len(points) > 1 else None
        if routed is None:
            reason = "disconnected"
        elif network.own:
            reason = "own_streets"
            points = network.joins(points)
            moved = tuple((float(x), float(y)) for x, y in points)
        else:
            reason = "street_network"
    if routed is None:
        matrix = np.hypot(points[:, None, 0] - points[None, :, 0],
                          points[:, None, 1] - points[None, :, 1])
        method = STRAIGHT_LINES
    else:
        matrix = routed[0]
        method = STREET_NETWORK
    order = tour_order(matrix, seed)
    legs = []
    leg_m = []
    for a, b in itertools.pairwise([*order, order[0]]):
        if a == b:
            coords = [tuple(points[a]), tuple(points[a])]
        elif routed is not None:
            coords = routed[1][(a, b)]
        else:
            coords = [tuple(points[a]), tuple(points[b])]
        legs.append(LineString(coords))
        leg_m.append(float(matrix[a, b]))
    if len(order) == 1:
        legs, leg_m = [], []
    return Route(order=tuple(order), legs=tuple(legs), leg_m=tuple(leg_m), method=method,
                 reason=reason, walk_kmh=walk_kmh, stop_min=stop_min, farthest_m=farthest,
                 max_access_m=max_access_m, moved=moved)


def tour_order(matrix: np.ndarray, seed: int = 0) -> list[int]:
    """An approximate shortest closed tour for a symmetric metric distance ``matrix``:
    Christofides, then threshold accepting; starts at 0 (not repeated at the end)."""
    n = len(matrix)
    if n <= 3:
        return list(range(n))
    graph = nx.Graph()
    for i, j in itertools.combinations(range(n), 2):
        graph.add_edge(i, j, weight=float(matrix[i, j]))
    cycle = approximation.christofides(graph, weight="weight")
    start_cost = _cost(matrix, cycle)
    improved = approximation.threshold_accepting_tsp(
        graph, cycle, weight="weight", source=cycle[0], move="1-1",
        threshold=start_cost / n * 0.05, seed=seed)
    best = improved if _cost(matrix, improved) < start_cost else cycle
    tour = best[:-1]
    start = tour.index(0)
    return tour[start:] + tour[:start]


def _cost(matrix: np.ndarray, cycle: Sequence[int]) -> float:
    return float(sum(matrix[a, b] for a, b in itertools.pairwise(cycle)))
