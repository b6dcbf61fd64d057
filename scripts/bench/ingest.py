"""``mapa bench ingest``: a generated offences or services file imported as one batch at
several sizes; rows/s and peak memory, to show memory does not grow with the file.

Rows are generated around Litvínov in the police crime-map export shape (date, type, lat,
lon) or as a services CSV (name, type, lat, lon), with 1 % faults (no date, far away). Each
size is imported into a fresh copy of the demo store in a child process that reports its own
peak resident memory (``scripts.bench.harness.PEAK_MB``) and the rows/s of the whole import
(read, validate, write).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.build import build_demo
from scripts.bench.harness import PEAK_MB, report, run_child
from scripts.commands.common import subcommand

CHILD = f"""
import json, sys, time
from layers.ingest.batches import run_import
from layers.store import open_store
start = time.perf_counter()
result = run_import(open_store(sys.argv[1]), sys.argv[3], sys.argv[2], town_id="litvinov")
print(json.dumps({{"seconds": time.perf_counter() - start, "added": result.added,
                  "rejected": result.report.counts["rejected"], "peak_mb": {PEAK_MB}}}))
"""
OFFENCE_TYPES = ("krádež prostá", "vloupání do vozidla", "výtržnictví", "poškození cizí věci",
                 "ublížení na zdraví", "sprejerství")
SERVICE_TYPES = ("police", "school", "playground", "community_centre", "social_service")


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "ingest", "offences/services import: rows/s and peak "
                                              "memory at several file sizes", run)
    parser.add_argument("--rows", default="1000000",
                        help="largest file (rows; also measured at 1/10 and 1/3 of it), or a "
                             "comma-separated list of sizes")
    parser.add_argument("--kind", choices=("offences", "services"), default="offences")


def write_file(path: Path, rows: int, kind: str, seed: int = 1) -> None:
    """Write ``rows`` generated rows of ``kind`` (UTF-8 CSV, WGS 84 lat/lon)."""
    rng = np.random.default_rng(seed)
    lat = rng.normal(50.600, 0.004, rows).round(6)
    lon = rng.normal(13.615, 0.006, rows).round(6)
    fault = rng.random(rows)
    lon[fault < 0.005] = 14.42  # another town: rejected
    if kind == "offences":
        days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, rows), "D")
        date = days.strftime("%Y-%m-%d").to_numpy(dtype=object)
        date[(fault >= 0.005) & (fault < 0.01)] = ""
        frame = pd.DataFrame({"date": date, "type": rng.choice(OFFENCE_TYPES, rows),
                              "lat": lat, "lon": lon})
    else:
        frame = pd.DataFrame({"name": np.char.add("Služba ", np.arange(rows).astype(str)),
                              "type": rng.choice(SERVICE_TYPES, rows), "lat": lat, "lon": lon})
    frame.to_csv(path, index=False)


def sizes_of(text: str) -> list[int]:
    values = [int(n) for n in text.split(",")]
    if len(values) > 1:
        return values
    return [max(1, values[0] // 10), max(1, values[0] // 3), values[0]]


def measure_sizes(sizes: list[int], kind: str, write: Callable[[Path, int], Path]
                  ) -> list[dict[str, Any]]:
    """Import a file of each size (``write(folder, rows)`` makes it and returns its path) as
    ``kind`` into a fresh demo store, each in a child process; the figures per size."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.gpkg"
        build_demo(base)
        for rows in sizes:
            folder = Path(tmp) / f"rows-{rows}"
            folder.mkdir()
            source = write(folder, rows)
            store = Path(tmp) / f"store-{rows}.gpkg"
            shutil.copy(base, store)
            child, wall = run_child(CHILD, store, source, kind)
            results.append({"rows": rows, "file_mb": round(source.stat().st_size / 1e6, 1),
                            "seconds": round(child["seconds"], 2),
                            "rows_per_s": round(rows / child["seconds"]),
                            "peak_mb": round(child["peak_mb"], 1), "added": child["added"],
                            "rejected": child["rejected"], "process_s": round(wall, 2)})
            shutil.rmtree(folder)
            store.unlink()
    return results


def report_sizes(args: argparse.Namespace, kind: str, results: list[dict[str, Any]]) -> None:
    """The table of :func:`measure_sizes`' figures, and with ``--json`` the result."""
    report(args, ["rows", "file MB", "import s", "rows/s", "peak MB", "added", "rejected"],
           [[r["rows"], r["file_mb"], r["seconds"], r["rows_per_s"], r["peak_mb"], r["added"],
             r["rejected"]] for r in results], {"kind": kind, "rows": results},
           title=f"{kind} import as one batch (child process per size, fresh demo store):")


def run(args: argparse.Namespace) -> int:
    def write(folder: Path, rows: int) -> Path:
        source = folder / f"{args.kind}-{rows}.csv"
        write_file(source, rows, args.kind)
        return source

    report_sizes(args, args.kind, measure_sizes(sizes_of(args.rows), args.kind, write))
    return 0
