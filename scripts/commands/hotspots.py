"""``mapa hotspots``: a town's fear or crime hotspot grid written to a GeoPackage.

The output holds the layer ``<layer>_hotspots`` (EPSG:4326 hexagons) with per cell its
``count``, ``kde`` (points per km²), Gi* ``gi_z``, ``gi_p``, ``gi_p_fdr`` (Benjamini–Hochberg),
``gi_bin``/``gi_class`` and ``fear_crime``; the layer metadata describes the weights (which
neighbours), the bandwidth rule and what went in. A second, attribute-only layer
``<layer>_localities`` gives the fear-vs-crime class per socially excluded locality.

``mapa hotspots --layer offences|fear --emerging --period month|year`` is the
emerging-hot-spot analysis of the town's offences, or of its fear pins across mapping rounds
(:mod:`layers.hotspots.emerging`): the count of cells per pattern, and with ``--out`` the
layer ``<layer>_emerging`` (cells only, never single points).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio

from layers.crs import to_metric, to_storage
from layers.files import atomic_output
from layers.geocode import named_points, place_labels
from layers.hotspots.analysis import (
    LAYERS,
    HotspotReport,
    HotspotRequest,
    run_hotspots,
)
from layers.hotspots.emerging import EMERGING_LAYERS, PERIODS, TownEmerging, town_emerging
from layers.hotspots.filters import OffenceFilter, PinFilter
from layers.hotspots.gistar import P_METHODS
from layers.hotspots.grid import DEFAULT_CELL_M
from layers.hotspots.privacy import DEFAULT_K
from layers.mapping.export import ILLUSTRATIVE_NOTE, any_generated
from layers.schema import PINS
from layers.vocabulary import EMERGING_PATTERN
from scripts.commands.common import (
    CommandError,
    add_town_option,
    emit,
    format_table,
    store_from,
    subcommand,
)

#: The layer only the emerging-hot-spot analysis reads (offences over time).
EMERGING_LAYER = "offences"

OUTPUT_COLUMNS = ("count", "kde", "z", "p", "p_fdr", "bin", "class")


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "hotspots",
                        "fear or crime hotspots of a town on a hexagonal grid → GeoPackage", run)
    add_town_option(parser, required=True)
    parser.add_argument("--layer", choices=(*LAYERS, EMERGING_LAYER), default="fear",
                        help="fear, crime, or offences (with --emerging; fear too)")
    parser.add_argument("--emerging", action="store_true",
                        help="emerging hot spots: Gi* per time step and the Mann–Kendall "
                             "trend of each cell (--layer offences, or fear across mapping "
                             "rounds)")
    parser.add_argument("--period", choices=PERIODS, default="month",
                        help="time step of --emerging (default month)")
    parser.add_argument("--cell", type=float, default=DEFAULT_CELL_M,
                        help="hexagon size across in metres (50–500, default 100)")
    parser.add_argument("--rings", type=int, default=1,
                        help="Gi* neighbourhood in rings of hexagons (default 1 = 6 neighbours)")
    parser.add_argument("--confidence", type=float, default=0.95, choices=(0.90, 0.95, 0.99),
                        help="confidence at which a cell counts as hot for fear-vs-crime")
    parser.add_argument("--p-method", choices=P_METHODS, default="exact", dest="p_method",
                        help="Gi* p-values: exact randomisation distribution (default) or the "
                             "normal approximation (ArcGIS-style; anti-conservative for sparse "
                             "pins)")
    parser.add_argument("--out", default=None,
                        help="output GeoPackage (overwritten; required but with --emerging)")
    parser.add_argument("--category", action="append", default=[], help="pin category (repeat)")
    parser.add_argument("--feeling", action="append", type=int, default=[],
                        help="feeling 1–5 (repeat)")
    parser.add_argument("--seen", action="append", default=[], choices=("own", "heard"))
    parser.add_argument("--time-of-day", action="append", default=[], dest="time_of_day")
    parser.add_argument("--age-group", action="append", default=[], dest="age_group")
    parser.add_argument("--session", action="append", default=[])
    parser.add_argument("--offence-type", action="append", default=[], dest="offence_type")
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, default=None,
                        help="first day (YYYY-MM-DD) of pins and offences")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, default=None,
                        help="last day (YYYY-MM-DD)")
    parser.add_argument("--public", action="store_true",
                        help="public view: sensitive pins only without filters and only in "
                             "cells with ≥ k of them among all approved pins (a filtered "
                             "public view leaves them out), no bandwidth disclosed")
    parser.add_argument("--k", type=int, default=DEFAULT_K,
                        help="public threshold k (≥ 3, default 5)")


def run(args: argparse.Namespace) -> int:
    if (args.layer == EMERGING_LAYER and not args.emerging) or (
            args.emerging and args.layer not in EMERGING_LAYERS):
        raise CommandError("cli.emerging_layer")
    if args.emerging:
        return run_emerging(args)
    if args.out is None:
        raise CommandError("cli.hotspots_out")
    store = store_from(args)
    request = HotspotRequest(
        town_id=args.town, cell_m=args.cell, rings=args.rings, confidence=args.confidence,
        pins=PinFilter(categories=tuple(args.category), feelings=tuple(args.feeling),
                       seen=tuple(args.seen), times_of_day=tuple(args.time_of_day),
                       age_groups=tuple(args.age_group), sessions=tuple(args.session),
                       date_from=args.date_from, date_to=args.date_to),
        offences=OffenceFilter(types=tuple(args.offence_type), date_from=args.date_from,
                               date_to=args.date_to),
        public=args.public, k=args.k, p_method=args.p_method,
    )
    report = run_hotspots(store, request, layer=args.layer)
    out = Path(args.out)
    metadata = layer_metadata(report, args.layer)
    centres = report.cells.geometry.centroid  # EPSG:5514, as the analysis works
    places = named_points(store, args.town, np.column_stack([centres.x, centres.y]))
    illustrative = args.layer == "fear" and any_generated(store.read(PINS, args.town))
    if illustrative:
        metadata["illustrative"] = ILLUSTRATIVE_NOTE
    write_output(report, args.layer, out, metadata, places, illustrative)
    classes = report.cells[f"{args.layer}_class"].value_counts() \
        if f"{args.layer}_class" in report.cells else pd.Series(dtype=int)
    fear_crime = report.cells["fear_crime"].value_counts()
    summary = report.layers[args.layer]
    result = {
        "out": str(out), "layer": args.layer, "town_id": args.town, "cells": len(report.cells),
        "points": summary.points, "outside": summary.outside, "withheld": summary.withheld,
        "source": summary.source, "bandwidth_m": summary.bandwidth_m,
        "classes": {str(k): int(v) for k, v in classes.items()},
        "fear_crime": {str(k): int(v) for k, v in fear_crime.items()},
        "weights": report.weights, "notes": report.notes,
    }
    readable = "\n".join([
        f"{out}: {len(report.cells)} cells of {request.cell_m:g} m, {summary.points} "
        f"{summary.source} used",
        format_table(["class", "cells"], [[k, v] for k, v in result["classes"].items()])
        if result["classes"] else "(no Gi* classes: crime from the district index)",
        format_table(["fear vs crime", "cells"], [[k, v] for k, v in
                                                  result["fear_crime"].items()]),
        *report.notes,
    ])
    emit(args, readable, result)
    return 0


def layer_metadata(report: HotspotReport, layer: str) -> dict[str, str]:
    """Key/value metadata of the output layer: weights, inputs, agreement (text values)."""
    summary = report.layers[layer]
    meta = dict(report.weights)
    meta.update({
        "town_id": report.request.town_id, "layer": layer, "source": summary.source,
        "points_used": str(summary.points), "points_outside_town": str(summary.outside),
        "points_withheld_public": str(summary.withheld),
        "public_view": str(report.request.public).lower(),
        "kde": "binned Gaussian KDE (linear binning + FFT), points per km2, "
               "bandwidth: ArcGIS/Silverman spatial rule (floor: half a cell)",
    })
    if summary.bandwidth_m is not None:
        meta["kde_bandwidth_m"] = f"{summary.bandwidth_m:.1f}"
    if summary.reference_per_10k is not None:
        meta["crime_reference_per_10k"] = f"{summary.reference_per_10k:.1f}"
    if report.agreement is not None:
        agreement = report.agreement
        meta.update({
            "agreement_jaccard": f"{agreement.jaccard:.3f}",
            "agreement_fear_hot_also_crime_hot": f"{agreement.fear_hot_also_crime_hot:.3f}",
            "lee_l": f"{agreement.lee_l:.4f}", "lee_p": f"{agreement.lee_p:.4f}",
        })
    if report.notes:
        meta["notes"] = " | ".join(report.notes)
    return meta


def write_output(report: HotspotReport, layer: str, out: Path, metadata: dict[str, str],
                 places: pd.DataFrame, illustrative: bool = False) -> None:
    """Write the cells (and localities) to ``out``, replacing it atomically. ``places``
    (``layers.geocode.named_points`` of the cell centres) names each cell (nearest address,
    stop or part of town; "" where none is near) and gives its nearest public-transport stop
    and the metres to it. No cell id: a cell is known by its place and its geometry. Every
    cell's ``illustrative`` column says whether generated answers went into the analysis."""
    cells = report.cells
    columns: dict[str, Any] = {"place": places["place"].to_numpy(),
                               "nearest_stop": places["nearest_stop"].to_numpy(),
                               "stop_m": places["stop_m"].round(1).to_numpy(),
                               "area_m2": cells["area_m2"]}
    for name in OUTPUT_COLUMNS:
        source = f"{layer}_{name}"
        if source in cells:
            target = name if name in ("count", "kde") else f"gi_{name}"
            columns[target] = cells[source]
    if layer == "crime" and "crime_index" in cells:
        columns["crime_index_per_10k"] = cells["crime_index"]
    columns["fear_crime"] = cells["fear_crime"].astype(str)
    columns["illustrative"] = np.full(len(cells), illustrative)
    frame = to_storage(cells[["geometry"]].assign(**columns)[[*columns, "geometry"]])
    with atomic_output(out) as tmp:
        pyogrio.write_dataframe(frame, tmp, layer=f"{layer}_hotspots", driver="GPKG",
                                layer_metadata=metadata, promote_to_multi=True)
        if len(report.localities):
            pyogrio.write_dataframe(report.localities, tmp, layer=f"{layer}_localities",
                                    driver="GPKG")


def run_emerging(args: argparse.Namespace) -> int:
    """The emerging-hot-spot analysis of the town's offences; cells only, never offences."""
    store = store_from(args)
    analysis = town_emerging(store, args.town, args.period, args.cell, args.rings, args.layer)
    patterns = analysis.cells["pattern"].value_counts()
    counts = {code: int(patterns.get(code, 0)) for code in EMERGING_PATTERN.codes}
    steps = analysis.result.steps
    result: dict[str, Any] = {
        "layer": args.layer, "town_id": args.town, "period": args.period,
        "steps": len(steps), "first": steps[0], "last": steps[-1], "cell_m": args.cell,
        "cells": len(analysis.cells), "offences": analysis.points,
        "approximate": analysis.approximate, "left_out": analysis.left_out,
        "patterns": counts, "out": args.out,
    }
    if args.out:
        centres = to_metric(analysis.cells).geometry.centroid
        write_emerging(analysis, args.layer, Path(args.out), place_labels(
            store, args.town, np.column_stack([centres.x, centres.y])))
    rows = [[EMERGING_PATTERN.term(code).en, n] for code, n in counts.items() if n]
    readable = "\n".join([
        f"{args.town}: {analysis.points} {args.layer} ({analysis.approximate} at approximate "
        f"positions, counted half) in {len(steps)} {args.period}s {steps[0]} … {steps[-1]}, "
        f"{len(analysis.cells)} cells of {args.cell:g} m",
        format_table(["pattern", "cells"], rows),
    ])
    emit(args, readable, result)
    return 0


def write_emerging(analysis: TownEmerging, layer: str, out: Path, places: list[str]) -> None:
    """The cells with their place name (``places``), pattern (code and Czech label) to
    ``out`` as the layer ``<layer>_emerging``, atomically; no cell id."""
    cells = analysis.cells
    frame = to_storage(cells.assign(
        place=places,
        pattern_cs=[EMERGING_PATTERN.term(code).cs for code in cells["pattern"]])[[
            "place", "pattern", "pattern_cs", "points", "hot_steps", "cold_steps",
            "trend_z", "trend_p", "tau", "geometry"]])
    steps = analysis.result.steps
    with atomic_output(out) as tmp:
        pyogrio.write_dataframe(frame, tmp, layer=f"{layer}_emerging", driver="GPKG",
                                promote_to_multi=True, layer_metadata={
                                    "period": analysis.period, "first": steps[0],
                                    "last": steps[-1], "steps": str(len(steps)),
                                    "method": "Gi* per step (exact p, BH FDR, 90 %), "
                                              "Mann-Kendall on the z-scores (alpha 0.05), "
                                              "Esri emerging hot spot patterns"})
