"""``mapa bench import``: feeling-map import throughput and peak memory, 25 k and 1 M rows.

Rows are generated in the real export format (``layers.sources.feeling_map``) around
Litvínov, with the faults real exports have (points far away, missing coordinates, swapped
axes, unknown answers, comments with phone numbers). Each size is imported into a fresh copy
of the demo store in a child process, which reports its own peak resident memory (VmHWM,
which unlike ``ru_maxrss`` does not inherit the parent's peak across exec).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.build import build_demo
from layers.sources.feeling_map import POCIT_TO_CATEGORY
from scripts.commands.common import emit, format_table, subcommand

COMMENTS = ("tma, nesvítí lampy", "feťáci u garáží", "herna, hluk v noci", "chybí lavičky",
            "hezké hřiště", "zavolejte mi 604 123 456", "strach chodit sám")
AGES = ("0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65+", "", "nechci-odpovidat")

CHILD = """
import json, re, sys, time
from pathlib import Path
from layers.mapping.feeling_map_import import import_feeling_map
from layers.store import open_store
start = time.perf_counter()
_, report = import_feeling_map(open_store(sys.argv[1]), Path(sys.argv[2]), town_id="litvinov")
print(json.dumps({"seconds": time.perf_counter() - start, "imported": report.imported,
                  "rejected": len(report.rejected),
                  "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+)",
                                           open("/proc/self/status").read()).group(1)) / 1024}))
"""


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "import", "feeling-map import: rows/s and peak memory", run)
    parser.add_argument("--rows", default="25000,1000000",
                        help="comma-separated row counts (default 25000,1000000)")


def write_export(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` feeling-map rows in the real export format (UTF-8 with BOM)."""
    rng = np.random.default_rng(seed)
    lon = rng.normal(13.615, 0.006, rows).round(6)
    lat = rng.normal(50.600, 0.004, rows).round(6)
    fault = rng.random(rows)
    lon[fault < 0.01], lat[fault < 0.01] = 14.42, 50.088  # another city
    swap = (fault >= 0.01) & (fault < 0.015)
    lon[swap], lat[swap] = lat[swap], lon[swap].copy()
    x = lon.astype(str)
    x[(fault >= 0.015) & (fault < 0.02)] = ""
    answers = np.array([*POCIT_TO_CATEGORY, "Neznámá kategorie"])
    weights = np.array([0.4, 0.3, 0.2, 0.095, 0.005])
    comments = np.where(rng.random(rows) < 0.25, rng.choice(COMMENTS, rows), "")
    pd.DataFrame({
        "ID respondenta": np.char.add("r", (rng.integers(0, rows // 10 + 1, rows)).astype(str)),
        "Pocit": rng.choice(answers, rows, p=weights), "X": x, "Y": lat.astype(str),
        "Městský obvod": "Litvínov", "Komentář": comments, "Věk": rng.choice(AGES, rows),
        "Bydliště": "v Litvínově", "Bydliště MOb": "", "Pohlaví": "nechci odpovídat",
    }).to_csv(path, index=False, encoding="utf-8-sig")


def run(args: argparse.Namespace) -> int:
    sizes = [int(n) for n in args.rows.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.gpkg"
        build_demo(base)
        for rows in sizes:
            export = Path(tmp) / f"export-{rows}.csv"
            write_export(export, rows)
            store = Path(tmp) / f"store-{rows}.gpkg"
            shutil.copy(base, store)
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(store), str(export)],
                                 capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            child = json.loads(out.stdout.strip().splitlines()[-1])
            results.append({"rows": rows, "seconds": round(child["seconds"], 3),
                            "rows_per_s": round(rows / child["seconds"]),
                            "peak_mb": round(child["peak_mb"], 1),
                            "imported": child["imported"], "rejected": child["rejected"],
                            "file_mb": round(export.stat().st_size / 1e6, 1),
                            "process_s": round(wall, 2)})
    table = format_table(
        ["rows", "file MB", "import s", "rows/s", "peak MB", "imported", "rejected"],
        [[r["rows"], r["file_mb"], r["seconds"], r["rows_per_s"], r["peak_mb"], r["imported"],
          r["rejected"]] for r in results])
    emit(args, "Feeling-map import (child process per size, fresh demo store):\n" + table,
         {"rows": results})
    return 0
