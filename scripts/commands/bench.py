"""``mapa bench …``: benchmarks. Each prints a readable table, and the JSON with ``--json``.

The benchmarks live in ``scripts/bench/`` (one module each, with ``register(subparsers)``);
this command lists them in ``BENCHMARKS``.
"""

from __future__ import annotations

from typing import Any

from scripts.bench import (
    catalogue,
    cli,
    emerging,
    faults,
    feeling_map,
    fuzz,
    hotspots,
    ingest,
    load,
    moderate,
    national,
    pages,
    patrol,
    police_import,
    spatial,
    store,
)
from scripts.bench import map as map_bench

BENCHMARKS = (map_bench, hotspots, feeling_map, patrol, store, ingest, load, moderate,
              catalogue, fuzz, faults, police_import, emerging, cli, spatial, pages,
              national)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bench", help="benchmarks (mapa bench map, …)")
    inner = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    for module in BENCHMARKS:
        module.register(inner)
