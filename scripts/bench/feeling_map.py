"""``mapa bench import``: feeling-map import throughput and peak memory, 25 k and 1 M rows.

Rows are generated in the real export format (``layers.sources.feeling_map``) around Litvínov
by :func:`layers.sources.synthetic.write_feeling_map_export`, with the faults real exports have
(points far away, missing coordinates, swapped axes, unknown answers, comments with phone
numbers). Each size is imported into a fresh copy of the demo store in a child process, which
reports its own peak resident memory (``scripts.bench.harness.PEAK_MB``).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from layers.build import build_demo
from layers.sources.synthetic import write_feeling_map_export
from scripts.bench.harness import PEAK_MB, report, run_child
from scripts.commands.common import subcommand

CHILD = f"""
import json, sys, time
from pathlib import Path
from layers.mapping.feeling_map_import import import_feeling_map
from layers.store import open_store
start = time.perf_counter()
_, report = import_feeling_map(open_store(sys.argv[1]), Path(sys.argv[2]), town_id="litvinov")
print(json.dumps({{"seconds": time.perf_counter() - start, "imported": report.imported,
                  "rejected": len(report.rejected), "peak_mb": {PEAK_MB}}}))
"""


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "import", "feeling-map import: rows/s and peak memory", run)
    parser.add_argument("--rows", default="25000,1000000",
                        help="comma-separated row counts (default 25000,1000000)")


def run(args: argparse.Namespace) -> int:
    sizes = [int(n) for n in args.rows.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.gpkg"
        build_demo(base)
        for rows in sizes:
            export = Path(tmp) / f"export-{rows}.csv"
            write_feeling_map_export(export, rows)
            store = Path(tmp) / f"store-{rows}.gpkg"
            shutil.copy(base, store)
            child, wall = run_child(CHILD, store, export)
            results.append({"rows": rows, "seconds": round(child["seconds"], 3),
                            "rows_per_s": round(rows / child["seconds"]),
                            "peak_mb": round(child["peak_mb"], 1),
                            "imported": child["imported"], "rejected": child["rejected"],
                            "file_mb": round(export.stat().st_size / 1e6, 1),
                            "process_s": round(wall, 2)})
    report(args, ["rows", "file MB", "import s", "rows/s", "peak MB", "imported", "rejected"],
           [[r["rows"], r["file_mb"], r["seconds"], r["rows_per_s"], r["peak_mb"], r["imported"],
             r["rejected"]] for r in results], {"rows": results},
           title="Feeling-map import (child process per size, fresh demo store):")
    return 0
