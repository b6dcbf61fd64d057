"""``mapa bench store``: write and read throughput of each store backend, and the map query.

For each pin count and backend (GeoPackage file; PostGIS database) the demo store is copied
into a fresh store, then:

* ``write`` — the pins are appended as one batch of 100 k-row chunks (as an import does);
* ``pin`` — median time of one tablet pin (``append_batch`` with a unique key), 30 times;
* ``read`` — the whole pins layer is read;
* ``map`` — the Map page's data query: ``read(PINS, town)`` for Litvínov (half the pins),
  median of 3.

Pins are generated with a fixed seed in the demo's three towns (half of them in Litvínov).
Without ``--url`` the PostGIS side runs in a throwaway local cluster (fsync on, like a real
server); with ``--url`` the database must be empty: the bench fills it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np

from layers.build import build_demo
from layers.schema import AGE_GROUPS, PIN_CATEGORIES, PINS, SEEN, TIMES_OF_DAY
from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.bench.harness import median_of, report, timed
from scripts.commands.common import CommandError, subcommand

DEFAULT_PINS: Final = "25000,1000000"
CHUNK: Final = 100_000
MAP_TOWN: Final = "litvinov"
#: Town centres (lon, lat) and the share of pins each town gets.
TOWNS: Final = {"litvinov": (13.615, 50.600, 0.5), "kraslice": (12.517, 50.324, 0.2),
                "karlovy-vary": (12.872, 50.231, 0.3)}
PIN_SAMPLES: Final = 30


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "store",
                        "store backends: write/read rows per second and the map page query",
                        run)
    parser.add_argument("--pins", default=DEFAULT_PINS,
                        help="comma-separated pin counts (default %(default)s)")
    parser.add_argument("--url", default=None,
                        help="an EMPTY PostGIS database to use (default: a throwaway cluster)")
    parser.add_argument("--backends", default="gpkg,postgis",
                        help="comma-separated backends (default %(default)s)")


def generate_pins(count: int, seed: int = 7) -> Iterator[gpd.GeoDataFrame]:
    """``count`` pins with every column of the pins layer, in chunks of ``CHUNK`` rows."""
    rng = np.random.default_rng(seed)
    names = list(TOWNS)
    shares = np.array([share for *_, share in TOWNS.values()])
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        town = rng.choice(len(names), n, p=shares)
        lon = np.array([TOWNS[names[t]][0] for t in town]) + rng.normal(0, 0.006, n)
        lat = np.array([TOWNS[names[t]][1] for t in town]) + rng.normal(0, 0.004, n)
        ids = np.char.add("bench-p", np.arange(start, start + n).astype(str))
        towns = np.array(names)[town]
        yield gpd.GeoDataFrame({
            "pin_id": ids, "town_id": towns, "session_id": np.char.add(towns, "-bench"),
            "category": rng.choice(PIN_CATEGORIES, n), "feeling": rng.integers(1, 6, n),
            "seen": rng.choice(SEEN, n), "time_of_day": rng.choice(TIMES_OF_DAY, n),
            "safety_action": "avoid", "age_group": rng.choice(AGE_GROUPS, n),
            "place_note": "", "status": "approved", "transcribed": False,
            "created_at": "2026-11-23", "synthetic": True,
            "comment": np.where(rng.random(n) < 0.2, "tma, nesvítí lampy", ""),
            "comment_held": False, "source_value": "", "moderation_note": "",
        }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def measure(store: Store, pins: int) -> dict[str, Any]:
    """Append ``pins`` pins to ``store`` (holding the demo data) and time the reads."""
    base = store.counts()["pins"]
    added, write_s = timed(lambda: store.append_batch((PINS, f) for f in generate_pins(pins)))
    if added.get("pins") != pins:
        raise CommandError("cli.bench_wrote", location=store.location, added=added, pins=pins)
    one_pin = []
    sample = next(generate_pins(PIN_SAMPLES, seed=99))
    for i in range(PIN_SAMPLES):
        row = sample.iloc[[i]].assign(pin_id=f"tablet-{i}")
        _, seconds = timed(partial(store.append_batch, [("pins", row)],
                                   unique_keys={"pins": "pin_id"}))
        one_pin.append(seconds)
    everything, read_s = timed(lambda: store.read(PINS))
    if len(everything) != base + pins + PIN_SAMPLES:
        raise CommandError("cli.bench_read", location=store.location, pins=len(everything))
    del everything
    map_pins, map_query_s = median_of(lambda: store.read(PINS, MAP_TOWN), 3)
    return {"pins": pins, "write_s": round(write_s, 2), "write_rows_per_s": round(pins / write_s),
            "pin_ms": round(statistics.median(one_pin) * 1000, 1),
            "read_s": round(read_s, 2),
            "read_rows_per_s": round((base + pins + PIN_SAMPLES) / read_s),
            "map_query_s": round(map_query_s, 3), "map_rows": len(map_pins)}


def run(args: argparse.Namespace) -> int:
    try:
        sizes = [int(n) for n in args.pins.split(",") if n.strip()]
    except ValueError as exc:
        raise CommandError("cli.pins_list", value=args.pins) from exc
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not sizes or not set(backends) <= {"gpkg", "postgis"}:
        raise CommandError("cli.bench_store_options")
    if args.url is not None and len(sizes) > 1:
        raise CommandError("cli.url_one_count")
    results = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        demo = open_store(Path(tmp) / "demo.gpkg")
        build_demo(Path(tmp) / "demo.gpkg")
        cluster = None
        if "postgis" in backends and args.url is None:
            cluster = stack.enter_context(TemporaryCluster(durable=True))
        for pins in sizes:
            for backend in backends:
                if backend == "gpkg":
                    store = open_store(Path(tmp) / f"bench-{pins}.gpkg")
                elif cluster is not None:
                    store = open_store(cluster.new_database(f"bench_{pins}"))
                else:
                    store = open_store(args.url)
                try:
                    if store.exists():
                        raise CommandError("cli.bench_not_empty", location=store.location)
                    copy_store(demo, store)
                    results.append({"backend": backend, **measure(store, pins)})
                finally:
                    if backend == "postgis":
                        close_pools()
                if backend == "gpkg":
                    for leftover in Path(tmp).glob(f"bench-{pins}.gpkg*"):
                        leftover.unlink()
    report(args, ["backend", "pins", "write s", "rows/s", "1 pin ms", "read s", "rows/s",
                  "map query s", "map rows"],
           [[r["backend"], r["pins"], r["write_s"], r["write_rows_per_s"], r["pin_ms"],
             r["read_s"], r["read_rows_per_s"], r["map_query_s"], r["map_rows"]]
            for r in results], {"results": results},
           title="Store backends (demo store + generated pins; map query = one town's pins):")
    return 0

