"""``mapa bench police-import``: a generated police open-data export (CSV in the published
shape ``id, x, y, mp, date, state, relevance, types``, with its lookups beside it) imported as
one batch at 100 k and 1 M rows; rows/s and peak resident memory, to show memory does not grow
with the file.

Rows lie around Litvínov over 2021–2025, a fifth at approximate positions, with 1 % faults
(another town, unknown type code, impossible date). Each size is imported into a fresh copy of
the demo store in a child process that reports its own peak memory
(``scripts.bench.harness.PEAK_MB``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scripts.bench.ingest import measure_sizes, report_sizes, sizes_of
from scripts.commands.common import subcommand

KIND = "police-open-data"
#: Type codes of the generated lookup (illustrative names, not the police's list).
TYPES = {18: "Krádeže vloupáním do obchodů", 25: "Krádeže jízdních kol",
         55: "Krádeže věcí z automobilů", 64: "Úmyslné ublížení na zdraví"}


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "police-import", "police open-data export import: rows/s "
                                                     "and peak memory at 100 k and 1 M rows", run)
    parser.add_argument("--rows", default="100000,1000000",
                        help="comma-separated file sizes in rows (default 100000,1000000)")


def write_export(folder: Path, rows: int, seed: int = 1) -> Path:
    """Write ``rows`` generated offences as ``folder/export.csv`` with the lookups beside it."""
    rng = np.random.default_rng(seed)
    x = rng.normal(13.615, 0.006, rows).round(6)
    y = rng.normal(50.600, 0.004, rows).round(6)
    days = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1826, rows), "D")
    stamps = (days + pd.to_timedelta(rng.integers(0, 24, rows), "h")).strftime(
        "%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object)
    types = rng.choice(list(TYPES), rows)
    fault = rng.random(rows)
    x[fault < 0.004] = 14.42  # Prague: outside the town
    types[(fault >= 0.004) & (fault < 0.007)] = 999
    stamps[(fault >= 0.007) & (fault < 0.01)] = "2023-02-30"
    pd.DataFrame({"id": np.arange(10_000_000, 10_000_000 + rows), "x": x, "y": y,
                  "mp": np.where(rng.random(rows) < 0.8, "true", "false"), "date": stamps,
                  "state": rng.choice([1, 2], rows), "relevance": 3, "types": types},
                 ).to_csv(folder / "export.csv", index=False)
    lookups = {"types.json": [{"id": code, "nazev": name} for code, name in TYPES.items()],
               "states.json": [{"id": 1, "nazev": "objasněno"}, {"id": 2, "nazev": "neobjasněno"}],
               "relevance.json": [{"id": 3, "nazev": "místo spáchání"}]}
    for name, items in lookups.items():
        (folder / name).write_text(json.dumps({"polozky": items}, ensure_ascii=False),
                                   encoding="utf-8")
    return folder / "export.csv"


def run(args: argparse.Namespace) -> int:
    report_sizes(args, KIND, measure_sizes(sizes_of(args.rows), KIND, write_export))
    return 0
