"""``mapa bench …``: benchmarks. Each prints a readable table, and the JSON with ``--json``.

Benchmarks are registered in ``BENCHMARKS`` (module with ``register(subparsers)``).
"""

from __future__ import annotations

from typing import Any

from scripts.commands import (
    bench_hotspots,
    bench_import,
    bench_ingest,
    bench_load,
    bench_map,
    bench_patrol,
    bench_store,
)

BENCHMARKS = (bench_map, bench_hotspots, bench_import, bench_patrol, bench_store, bench_ingest,
              bench_load)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("bench", help="benchmarks (mapa bench map, …)")
    inner = parser.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    for module in BENCHMARKS:
        module.register(inner)
