"""``mapa bench cli``: how fast ``mapa --help`` and ``mapa --version`` answer, against the
floor of starting Python at all (``python -c pass``).

Each command runs ``--runs`` times as a fresh process; the figure is the median wall time.
``mapa`` is the console script beside this Python (``-m scripts.mapa`` when there is none).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.bench.harness import report
from scripts.commands.common import subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "cli", "mapa --help/--version against python -c pass", run)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (median)")


def mapa_command() -> list[str]:
    """The command that starts ``mapa``: its console script, or ``python -m scripts.mapa``."""
    script = Path(sys.executable).parent / "mapa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "scripts.mapa"]


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time in seconds of ``runs`` runs of ``command`` (which must succeed)."""
    times = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(args: argparse.Namespace) -> int:
    floor = median_seconds([sys.executable, "-c", "pass"], args.runs)
    timings = {"python_pass_s": floor,
               "help_s": median_seconds([*mapa_command(), "--help"], args.runs),
               "version_s": median_seconds([*mapa_command(), "--version"], args.runs)}
    rows = [["python -c pass", floor * 1000, 1.0],
            ["mapa --help", timings["help_s"] * 1000, timings["help_s"] / floor],
            ["mapa --version", timings["version_s"] * 1000, timings["version_s"] / floor]]
    report(args, ["command", "median ms", "× python"], rows, {"runs": args.runs, **timings},
           title=f"median of {args.runs} runs each")
    return 0
