"""``mapa bench catalogue``: search over ``--services`` catalogue entries (default 10,000).

Generates entries around Litvínov (random names from Czech words, types, target groups,
forms; a tenth without a position), writes them to a throwaway GeoPackage, and times:

* ``load_s``: :func:`layers.catalogue.entries.load_catalogue` from that store,
* ``index_s``: building the :class:`~layers.catalogue.search.CatalogueIndex`,
* ``search``: ``--queries`` searches (keywords with and without diacritics, type, target
  group, form, tab, town, near a point within a distance, and combinations), as ``n``,
  ``p50_ms``, ``p95_ms``, ``max_ms`` overall and per kind of query.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from layers.catalogue.entries import encode, load_catalogue
from layers.catalogue.search import CatalogueIndex, Query
from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.schema import CATALOGUE_ENTRIES, SERVICES
from layers.store import open_store
from layers.vocabulary import SERVICE_FORM, SERVICE_TYPE, TARGET_GROUP
from scripts.bench.harness import percentiles_ms, report, timed
from scripts.commands.common import subcommand

CENTRE = (-792_000.0, -975_000.0)  # Litvínov, EPSG:5514
WORDS = ("nízkoprahové", "zařízení", "klub", "poradna", "dluhová", "rodinné", "centrum",
         "terénní", "program", "azylový", "dům", "sociální", "služba", "Janov", "Hamr",
         "adiktologická", "kontaktní", "mládež", "senioři", "oběti")
QUERIES = {"keyword": Query("nizkoprahove"), "keywords": Query("terenni program janov"),
           "type": Query(service_type="nzdm"), "target": Query(target_group="children_youth"),
           "form+tab": Query(form="field", tab="drug_prevention"),
           "town+target+near": Query(town_id="litvinov", target_group="children_youth",
                                     near=Point(13.631, 50.6085), distance_m=1000),
           "keyword+near": Query("poradna", near=Point(13.61, 50.60), distance_m=2000)}


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "catalogue", "catalogue search over many services, "
                                                  "p50/p95", run)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=700)
    parser.add_argument("--seed", type=int, default=0)


def generate(n: int, seed: int) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """``n`` services (EPSG:4326) and their catalogue entries; a tenth has no point."""
    rng = np.random.default_rng(seed)
    types = np.array(SERVICE_TYPE.codes)[rng.integers(0, len(SERVICE_TYPE.codes), n)]
    names = [" ".join(rng.choice(WORDS, 3)) for _ in range(n)]
    groups = [encode(sorted(set(rng.choice(TARGET_GROUP.codes, 2)))) for _ in range(n)]
    forms = [encode([str(rng.choice(SERVICE_FORM.codes))]) for _ in range(n)]
    ids = [f"bench-{i:06d}" for i in range(n)]
    towns = np.where(rng.random(n) < 0.5, "litvinov", "most")
    entries = pd.DataFrame({c.name: "" for c in CATALOGUE_ENTRIES.fields if c.kind == "text"},
                           index=range(n))
    entries = entries.assign(service_id=ids, town_id=towns, name=names, service_type=types,
                             target_groups=groups, forms=forms, origin="local",
                             description=[" ".join(rng.choice(WORDS, 8)) for _ in range(n)],
                             capacity=None, svi_contact=False, synthetic=True)
    placed = rng.random(n) >= 0.1
    xy = np.array(CENTRE) + rng.normal(0, 3000, (n, 2))
    points = gpd.GeoSeries([Point(x, y) for x, y in xy[placed]], crs=METRIC_CRS) \
        .to_crs(STORAGE_CRS)
    services = gpd.GeoDataFrame({
        "service_id": np.array(ids)[placed], "town_id": towns[placed],
        "name": np.array(names)[placed], "service_type": types[placed], "operator": "",
        "target_groups": "", "opening_hours": "", "address": "", "source": "bench",
        "synthetic": True}, geometry=points.to_numpy(), crs=STORAGE_CRS)
    return services, entries[list(CATALOGUE_ENTRIES.columns)]


def run(args: argparse.Namespace) -> int:
    services, entries = generate(args.services, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.gpkg")
        store.replace_all({SERVICES.name: services, CATALOGUE_ENTRIES.name: entries})
        catalogue, load_s = timed(lambda: load_catalogue(store))
    index, index_s = timed(lambda: CatalogueIndex(catalogue))
    kinds = list(QUERIES)
    durations: dict[str, list[float]] = {kind: [] for kind in kinds}
    found: dict[str, int] = {}
    for i in range(args.queries):
        kind = kinds[i % len(kinds)]
        started = time.perf_counter()
        result = index.search(QUERIES[kind])
        durations[kind].append((time.perf_counter() - started) * 1000)
        found[kind] = len(result)
    overall = percentiles_ms([d for values in durations.values() for d in values])
    per_kind = {kind: {**percentiles_ms(values), "found": found[kind]}
                for kind, values in durations.items()}
    rows = [[kind, v["n"], v["found"], v["p50_ms"], v["p95_ms"], v["max_ms"]]
            for kind, v in per_kind.items()]
    rows.append(["all", overall["n"], "", overall["p50_ms"], overall["p95_ms"],
                 overall["max_ms"]])
    result = {"services": args.services, "positioned": len(services), "load_s": load_s,
              "index_s": index_s, "search": overall, "by_query": per_kind}
    report(args, ["query", "n", "found", "p50 ms", "p95 ms", "max ms"], rows, result,
           title=f"catalogue search over {args.services:,} services "
                 f"({len(services):,} with a position)",
           notes=[f"load from a GeoPackage {load_s:.2f} s, index {index_s:.2f} s"])
    return 0
