"""``mapa patrol``: a patrol plan for a town or locality → GPX, a printable sheet, GeoPackage.

Ranks the exposed places (``layers.patrol.ranking``: fear density, crime, answers at the chosen
times of day, with the given weights), takes ``--places`` of them, orders them into a closed
walking route (street lines when the town has them and they connect the places, else straight
lines; the output says which) and reports length, walking time and coverage of the hot cells.
A plan built from generated (illustrative) pins or localities says so in every output (the GPX
descriptions, the sheet's first line, an ``illustrative`` column and layer metadata in the
GeoPackage, ``"illustrative": true`` in ``--json``). ``--save`` keeps the plan in the store
(``patrol_plans``/``patrol_stops``). Like ``mapa user`` and ``mapa audit``, the command acts
as an admin named after the login running it ("cli:<login name>",
``scripts.commands.common.cli_actor``): that is the plan's role and the audit log's user.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from layers.hotspots.privacy import DEFAULT_K
from layers.patrol.coverage import DEFAULT_DISTANCE_M
from layers.patrol.gpx import plan_gpx
from layers.patrol.plans import (
    DEFAULT_PLACES,
    build_plan,
    plan_layers,
    plan_metadata,
    save_plan,
)
from layers.patrol.ranking import (
    DEFAULT_STOP_RADIUS_M,
    DEFAULT_TIMES,
    FACTORS,
    RankingRequest,
    Weights,
)
from layers.patrol.route import NETWORK_MODES
from layers.patrol.sheet import reported_text, sheet_html, sheet_pdf
from layers.schema import CONTEXT_LINES, LOCALITIES, TIMES_OF_DAY, TOWNS
from layers.urban.export import export_gpkg
from layers.vocabulary import PIN_CATEGORY
from scripts.commands import common


def register(subparsers: Any) -> None:
    parser = common.subcommand(
        subparsers, "patrol",
        "patrol plan: ranked exposed places, walking route, GPX and sheet", run)
    common.add_town_option(parser, required=True)
    parser.add_argument("--locality", default=None,
                        help="locality name or id within the town (default: the whole town)")
    parser.add_argument("--places", type=int, default=DEFAULT_PLACES,
                        help=f"number of places on the route (default {DEFAULT_PLACES})")
    parser.add_argument("--weights", default="",
                        help=f"factor weights, e.g. fear=2,crime=1,time=1,stop=1 "
                             f"({', '.join(FACTORS)}; missing ones are 1, stop 0: nearness to "
                             "a public-transport stop counts only when weighted)")
    parser.add_argument("--stop-radius", type=float, default=DEFAULT_STOP_RADIUS_M,
                        help="metres from a stop within which a place counts as near it "
                             f"(default {DEFAULT_STOP_RADIUS_M:g})")
    parser.add_argument("--times", default=",".join(DEFAULT_TIMES),
                        help=f"times of day of the time factor ({', '.join(TIMES_OF_DAY)})")
    parser.add_argument("--distance", type=float, default=DEFAULT_DISTANCE_M,
                        help="coverage distance from the route in metres (default 150)")
    parser.add_argument("--network", choices=NETWORK_MODES, default="auto",
                        help="auto: along street lines when they connect the places; "
                             "straight: straight lines")
    parser.add_argument("--gpx", default=None, help="write the route and places as GPX")
    parser.add_argument("--sheet", default=None,
                        help="write the patrol sheet (.pdf, or .html for the HTML version)")
    parser.add_argument("--gpkg", default=None, help="write stops, route, left-out cells")
    parser.add_argument("--save", default=None, metavar="TITLE",
                        help="keep the plan in the store under this title (acting as "
                             "cli:<login name>, an admin; audited)")


def _locality_id(store: Any, town: str, given: str | None) -> str | None:
    if given is None:
        return None
    localities = store.read(LOCALITIES, town)
    for _, row in localities.iterrows():
        if given in (str(row["locality_id"]), str(row["name"])):
            return str(row["locality_id"])
    raise common.CommandError("cli.no_locality", locality=given, town=town,
                              known=", ".join(localities["name"].astype(str)))


def run(args: argparse.Namespace) -> int:
    store = common.store_from(args)
    request = RankingRequest(
        town_id=args.town, locality_id=_locality_id(store, args.town, args.locality),
        weights=Weights.parse(args.weights),
        times_of_day=tuple(t.strip() for t in args.times.split(",") if t.strip()),
        stop_radius_m=args.stop_radius)
    plan = build_plan(store, request, args.places, args.distance, args.network)
    towns = store.read(TOWNS, args.town)
    context = store.read(CONTEXT_LINES, args.town)
    town_name = str(towns["name"].iloc[0])
    category_labels = PIN_CATEGORY.labels("cs")
    outputs: dict[str, str] = {}
    if args.gpx:
        descriptions = [reported_text(r, category_labels, DEFAULT_K)
                        for r in plan.stops["reported"]]
        Path(args.gpx).write_text(plan_gpx(f"Hlídka {town_name}", plan.route.line(),
                                           plan.stops, descriptions, plan.illustrative_note),
                                  encoding="utf-8")
        outputs["gpx"] = args.gpx
    if args.sheet:
        sheet = Path(args.sheet)
        if sheet.suffix.lower() == ".html":
            sheet.write_text(sheet_html(plan, town_name, category_labels), encoding="utf-8")
        else:
            sheet.write_bytes(sheet_pdf(plan, towns, context, town_name, category_labels))
        outputs["sheet"] = args.sheet
    if args.gpkg:
        export_gpkg(plan_layers(plan), Path(args.gpkg), plan_metadata(plan))
        outputs["gpkg"] = args.gpkg
    plan_id = save_plan(store, common.cli_actor(args), plan, args.save) if args.save else None
    cover = {name: {"hot": c.hot, "covered": c.covered,
                    "share": None if math.isnan(c.share) else round(c.share, 4)}
             for name, c in {**plan.coverage.layers, "any": plan.coverage.any_hot}.items()}
    stops = [{"position": int(r.position), "place_id": r.place_id, "place_name": r.place_name,
              "nearest_stop": r.nearest_stop,
              "stop_m": None if math.isnan(r.stop_m) else round(float(r.stop_m), 1),
              "rank": int(r.rank),
              "score": round(float(r.score), 4), "time_window": r.time_window,
              **{f"{f}_contribution": round(float(getattr(r, f"{f}_contribution")), 4)
                 for f in FACTORS}} for r in plan.stops.itertuples()]
    result = {
        "town_id": args.town, "locality_id": request.locality_id,
        "weights": request.weights.as_dict(), "times_of_day": list(request.times_of_day),
        "stop_radius_m": request.stop_radius_m,
        "method": plan.route.method, "method_note": plan.route.note,
        "length_m": round(plan.route.length_m, 1), "walk_min": round(plan.route.walk_min, 1),
        "total_min": round(plan.route.total_min, 1), "distance_m": args.distance,
        "coverage": cover, "left_out_cells": len(plan.coverage.left_out), "stops": stops,
        "outputs": outputs, "plan_id": plan_id, "notes": list(plan.ranking.notes),
        "illustrative": plan.illustrative}
    readable = "\n".join([
        f"{town_name}: {len(stops)} places, {plan.route.length_m:,.0f} m, walk "
        f"{plan.route.walk_min:.0f} min ({plan.route.total_min:.0f} min with stops)",
        f"route: {plan.route.note}",
        common.format_table(["#", "place", "rank", "score", "window", *FACTORS],
                            [[s["position"], s["place_name"] or "–", s["rank"], s["score"],
                              s["time_window"],
                              *(s[f"{f}_contribution"] for f in FACTORS)] for s in stops]),
        common.format_table(["hot cells", "hot", "covered", "share"],
                            [[k, v["hot"], v["covered"], "–" if v["share"] is None
                              else f"{v['share']:.0%}"] for k, v in cover.items()]),
        *([plan.illustrative_note] if plan.illustrative else []),
        *(f"{kind}: {path}" for kind, path in outputs.items()),
        *([f"saved as {plan_id}"] if plan_id else []),
    ])
    common.emit(args, readable, result)
    return 0
