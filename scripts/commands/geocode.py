"""``mapa geocode QUERY [--town ID] [--json]`` and ``mapa geocode --reverse LON,LAT [--town ID]
[--json]``: the offline geocoder over the store's address points, stops and parts of town
(``layers.geocode``).

Search: the last ``--json`` line is ``{"results": [{"name", "lon", "lat", "kind", "town_id",
"score"}]}``, best first ([] when nothing matches). Reverse: ``{"name", "distance_m", "kind",
"lon", "lat", "town_id"}`` for the nearest address point, else stop, else part of town (all
null when nothing is near). Positions are WGS 84; distances metres (EPSG:5514).
"""

from __future__ import annotations

import argparse
from typing import Any

from layers.errors import InvalidInput
from layers.geocode import Gazetteer
from scripts.commands.common import (
    add_town_option,
    emit,
    format_table,
    store_from,
    subcommand,
)
from scripts.commands.services import parse_near


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "geocode", "find an address, street, stop or part of town "
                                               "(or name a point with --reverse)", run)
    parser.add_argument("query", nargs="?", default="",
                        help='what to find, e.g. "Hamerská 130, Litvínov" (diacritics, case '
                             "and small typos do not matter)")
    parser.add_argument("--reverse", default=None, metavar="LON,LAT",
                        help="name the place at LON,LAT (WGS 84) instead")
    add_town_option(parser, required=False)


def run(args: argparse.Namespace) -> int:
    if bool(args.reverse) == bool(args.query.strip()):
        raise InvalidInput("geocode.query_or_reverse")
    gazetteer = Gazetteer.from_store(store_from(args), args.town)
    if args.reverse:
        point = parse_near(args.reverse)
        assert point is not None
        place = gazetteer.name(point.x, point.y)
        if place is None:
            emit(args, "no address, stop or part of town near this point",
                 {"name": None, "distance_m": None, "kind": None, "lon": None, "lat": None,
                  "town_id": None})
        else:
            emit(args, place.label(), place.as_json())
        return 0
    results = gazetteer.search(args.query)
    readable = format_table(["name", "kind", "town", "lon", "lat", "score"], [
        [p.name, p.kind, p.town_id, round(p.lon, 6), round(p.lat, 6), round(p.score)]
        for p in results]) if results else "nothing found"
    emit(args, readable, {"results": [p.as_json() for p in results]})
    return 0
