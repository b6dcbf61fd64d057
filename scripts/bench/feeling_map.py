"""``mapa bench import``: the feeling-map import against its floor, into a small and a large
store.

Rows are generated in the real export format (``layers.sources.feeling_map``) around Litvínov
by :func:`layers.sources.synthetic.write_feeling_map_export`, with the faults real exports have
(points far away, missing coordinates, swapped axes, unknown answers, comments with phone
numbers). For each store size a copy of the demo store is made (``--store-rows`` adds that
many pins first, as a store in use for years holds them); then for each file size, each in a
fresh child process on its own copy of that store, timed inside the child:

* ``ours`` — ``import_feeling_map`` as one batch (read, validate, screen comments, write,
  R-tree and write counters, all or nothing); the child reports its peak resident memory
  (``scripts.bench.harness.PEAK_MB``);
* ``floor`` — the least any import of that file can do: ``pandas.read_csv``,
  ``geopandas.points_from_xy`` and ``pyogrio.write_dataframe`` into a new layer of the store.

ours/floor says what the checks and the all-or-nothing guarantee cost; ours into the large
store over ours into the small one says whether an import costs what the store holds (it
should not: it writes in place, in one SQLite transaction).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Final

from layers.build import build_demo
from layers.sources.synthetic import write_feeling_map_export
from layers.store import open_store
from scripts.bench.harness import PEAK_MB, report, run_child
from scripts.bench.store import generate_pins
from scripts.commands.common import subcommand

OURS: Final = f"""
import json, sys, time
from pathlib import Path
from layers.mapping.feeling_map_import import import_feeling_map
from layers.store import open_store
start = time.perf_counter()
_, report = import_feeling_map(open_store(sys.argv[1]), Path(sys.argv[2]), town_id="litvinov")
print(json.dumps({{"seconds": time.perf_counter() - start, "imported": report.imported,
                  "rejected": len(report.rejected), "peak_mb": {PEAK_MB}}}))
"""
FLOOR: Final = """
import json, sys, time
import geopandas as gpd, pandas as pd, pyogrio
start = time.perf_counter()
frame = pd.read_csv(sys.argv[2])
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["X"], frame["Y"]),
                          crs="EPSG:4326")
pyogrio.write_dataframe(points, sys.argv[1], layer="floor_points", driver="GPKG")
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "import", "feeling-map import against the floor of "
                                              "read_csv + points_from_xy + pyogrio, into a "
                                              "small and a large store", run)
    parser.add_argument("--rows", default="25000,1000000",
                        help="comma-separated row counts (default %(default)s)")
    parser.add_argument("--store-rows", default="0",
                        help="comma-separated pins added to the demo store before each import "
                             "(0: the demo store as it is; default %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each, the fastest counts (default %(default)s)")


def _best(code: str, store: Path, export: Path, folder: Path, repeat: int
          ) -> tuple[dict[str, Any], float]:
    """The child's figures (of the fastest run) and its wall time, best of ``repeat`` runs,
    each on a fresh copy of ``store``."""
    runs = []
    for _ in range(max(1, repeat)):
        target = folder / "target.gpkg"
        shutil.copy(store, target)
        _flush(target)
        runs.append(run_child(code, target, export))
        target.unlink()
    return min(runs, key=lambda run: float(run[0]["seconds"]))


def _flush(path: Path) -> None:
    """Write a fresh copy to disk before it is imported into: else the import's commit (an
    fsync of the file) would also write out the whole copy, a cost of the benchmark's
    copying, not of the import."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def measure(sizes: list[int], store_rows: list[int], repeat: int = 1) -> list[dict[str, Any]]:
    """Ours and the floor for an export of each of ``sizes`` rows, into the demo store holding
    each of ``store_rows`` extra pins; the figures per (store, file) size."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "base.gpkg"
        build_demo(base)
        for extra in store_rows:
            store = folder / f"store-{extra}.gpkg"
            shutil.copy(base, store)
            if extra:
                open_store(store).append_batch(("pins", chunk) for chunk in generate_pins(extra))
            for rows in sizes:
                export = folder / f"export-{rows}.csv"
                if not export.exists():
                    write_feeling_map_export(export, rows)
                ours, wall = _best(OURS, store, export, folder, repeat)
                floor, _ = _best(FLOOR, store, export, folder, repeat)
                results.append({
                    "rows": rows, "store_rows": extra,
                    "store_mb": round(store.stat().st_size / 1e6, 1),
                    "seconds": round(ours["seconds"], 3),
                    "floor_seconds": round(floor["seconds"], 3),
                    "ratio": round(ours["seconds"] / floor["seconds"], 2),
                    "rows_per_s": round(rows / ours["seconds"]),
                    "peak_mb": round(ours["peak_mb"], 1), "imported": ours["imported"],
                    "rejected": ours["rejected"],
                    "file_mb": round(export.stat().st_size / 1e6, 1),
                    "process_s": round(wall, 2)})
            store.unlink()
    by_size = {(r["rows"], r["store_rows"]): r["seconds"] for r in results}
    for result in results:  # the store-size effect: ours here / ours into the first store
        result["vs_first_store"] = round(
            result["seconds"] / by_size[(result["rows"], store_rows[0])], 2)
    return results


def run(args: argparse.Namespace) -> int:
    results = measure([int(n) for n in args.rows.split(",")],
                      [int(n) for n in args.store_rows.split(",")], args.repeat)
    report(args, ["rows", "store pins +", "store MB", "ours s", "floor s", "ours/floor",
                  "vs 1st store", "rows/s", "peak MB", "imported", "rejected"],
           [[r["rows"], r["store_rows"], r["store_mb"], r["seconds"], r["floor_seconds"],
             r["ratio"], r["vs_first_store"], r["rows_per_s"], r["peak_mb"], r["imported"],
             r["rejected"]] for r in results], {"rows": results},
           title="Feeling-map import vs read_csv + points_from_xy + pyogrio (child process "
                 "each, best of --repeat):")
    return 0
