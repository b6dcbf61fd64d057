"""``mapa services search [QUERY] [--town ID] [--type T] [--target-group G] [--form F]
[--tab T] [--near LON,LAT --distance M] [--json]``: the catalogue's search from the command
line (``layers.catalogue.search``). With ``--json`` the last line is ``{"results": [{"id",
"name", "type", "target_groups", "town", "distance_m", …}]}``; distances are straight lines
in EPSG:5514, in metres."""

from __future__ import annotations

import argparse
from typing import Any

from shapely.geometry import Point

from layers.catalogue.search import Query, result_rows, search_catalogue
from layers.errors import InvalidInput
from layers.vocabulary import CATALOGUE_TAB, SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP
from scripts.commands.common import add_town_option, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("services", help="the catalogue of services (mapa services "
                                                    "search …)")
    inner = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    search = subcommand(inner, "search", "search the catalogue by keyword, type, target "
                                         "group, town and distance", run_search)
    search.add_argument("query", nargs="?", default="",
                        help="keywords; diacritics and case do not matter")
    add_town_option(search, required=False)
    search.add_argument("--type", default=None, choices=SERVICE_TYPE.codes)
    search.add_argument("--target-group", default=None, choices=TARGET_GROUP.codes)
    search.add_argument("--form", default=None, choices=SERVICE_FORM.codes)
    search.add_argument("--tab", default=None, choices=CATALOGUE_TAB.codes)
    search.add_argument("--near", default=None, metavar="LON,LAT",
                        help="a place in WGS 84; results nearest first")
    search.add_argument("--distance", type=float, default=None, metavar="M",
                        help="only services within M metres of --near (straight line)")


def parse_near(text: str | None) -> Point | None:
    """``LON,LAT`` as a point (None for None). Raises ``InvalidInput`` ("catalogue.near")."""
    if text is None:
        return None
    try:
        lon, lat = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidInput("catalogue.near", near=text) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("catalogue.near", near=text)
    return Point(lon, lat)


def run_search(args: argparse.Namespace) -> int:
    store = store_from(args)  # first: it resolves --town to the town's id
    query = Query(args.query, args.town, args.type, args.target_group, args.form, args.tab,
                  parse_near(args.near), args.distance)
    results = result_rows(search_catalogue(store, query))
    rows = [[r["id"], r["name"], r["type"], ",".join(r["target_groups"]), r["town"],
             "" if r["distance_m"] is None else r["distance_m"],
             "" if r["positioned"] else "without position"] for r in results]
    readable = format_table(["id", "name", "type", "target groups", "town", "distance m",
                             ""], rows) if rows else "no service found"
    emit(args, readable, {"results": results})
    return 0
