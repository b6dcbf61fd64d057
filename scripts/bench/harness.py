"""What every benchmark of ``mapa bench …`` shares: timing, percentiles, a child process that
reports its own figures, and the output (a readable table; with ``--json`` the result as one
JSON object on the last line, whose keys are each benchmark's contract).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np

from scripts.commands.common import emit, format_table

T = TypeVar("T")

#: Python source of an expression a child process evaluates to its own peak resident memory in
#: MB (VmHWM, which unlike ``ru_maxrss`` does not inherit the parent's peak across exec).
PEAK_MB: Final = ('int(__import__("re").search(r"VmHWM:\\s+(\\d+)", '
                  'open("/proc/self/status").read()).group(1)) / 1024')


def timed(func: Callable[[], T]) -> tuple[T, float]:
    """``func()`` and its wall time in seconds."""
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def best_of(func: Callable[[], T], repeat: int) -> tuple[T, float]:
    """``func()`` (of the last run) and the fastest wall time of ``repeat`` runs (at least one):
    short runs are noisy, the fastest is the least disturbed."""
    runs = [timed(func) for _ in range(max(1, repeat))]
    return runs[-1][0], min(seconds for _, seconds in runs)


def median_of(func: Callable[[], T], repeat: int) -> tuple[T, float]:
    """``func()`` (of the first run) and the median wall time of ``repeat`` runs (at least one)."""
    runs = [timed(func) for _ in range(max(1, repeat))]
    return runs[0][0], statistics.median(seconds for _, seconds in runs)


def percentiles_ms(values: Sequence[float]) -> dict[str, float]:
    """``n``, ``p50_ms``, ``p95_ms`` and ``max_ms`` of durations in milliseconds (non-empty)."""
    array = np.asarray(values, dtype=float)
    return {"n": len(values), "p50_ms": float(np.percentile(array, 50)),
            "p95_ms": float(np.percentile(array, 95)), "max_ms": float(array.max())}


def run_child(code: str, *argv: str | Path) -> tuple[dict[str, Any], float]:
    """Run Python ``code`` in a fresh process with ``argv``; return the JSON object it printed
    on its last line and the process's wall time in seconds.

    Raises ``subprocess.CalledProcessError`` when the child fails.
    """
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *map(str, argv)], capture_output=True,
                         text=True, check=True)
    wall = time.perf_counter() - started
    return json.loads(out.stdout.strip().splitlines()[-1]), wall


def report(args: argparse.Namespace, headers: list[str], rows: list[list[Any]],
           result: dict[str, Any], *, title: str = "", notes: Sequence[str] = ()) -> None:
    """Print ``title``, the table of ``rows`` and the ``notes`` lines; with ``--json`` then
    ``result`` as the last line."""
    lines = [*([title] if title else []), format_table(headers, rows), *notes]
    emit(args, "\n".join(lines), result)
