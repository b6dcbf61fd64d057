"""``mapa bench moderate``: deciding a whole imported session at once, on each backend.

For each backend the demo store is copied into a fresh store and ``--pins`` pending pins of
one session are added (as a feeling-map import adds them). Then, each on a fresh set of
pending pins:

* ``approve`` — ``approve_selection`` of the session: one indexed update and its audit entry;
* ``reject`` — ``reject_selection``: the pins with a note are redacted, then one update;
* ``by ids`` — ``approve`` with every pin id listed, as the Moderation page's list does.
"""

from __future__ import annotations

import argparse
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final

import pandas as pd

from layers.access import guarded
from layers.access.principal import Principal
from layers.access.roles import ADMIN
from layers.build import build_demo
from layers.mapping import moderation
from layers.schema import PINS
from layers.store import Store, open_store
from layers.store.base import RowMatch
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store
from scripts.bench.harness import report, timed
from scripts.bench.store import generate_pins
from scripts.commands.common import CommandError, subcommand

DEFAULT_PINS: Final = 25_000
SESSION: Final = "litvinov-bench-import"
ACTOR: Final = Principal("bench", ADMIN)


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "moderate",
                        "moderation of a whole session: one decision over N pending pins", run)
    parser.add_argument("--pins", type=int, default=DEFAULT_PINS,
                        help="pending pins in the session (default %(default)s)")
    parser.add_argument("--backends", default="gpkg,postgis",
                        help="comma-separated backends (default %(default)s)")


def _pending(store: Store, pins: int, round_: int) -> list[str]:
    """Add ``pins`` pending pins to the session; return their ids."""
    frames = []
    for frame in generate_pins(pins, seed=round_):
        frame = frame.assign(pin_id=frame["pin_id"].str.replace("bench-", f"r{round_}-"),
                             town_id="litvinov", session_id=SESSION, status="pending")
        frames.append(frame)
    store.append_batch((PINS, f) for f in frames)
    return [pid for f in frames for pid in f["pin_id"]]


def measure(store: Store, pins: int) -> dict[str, Any]:
    """Times of the three decisions over ``pins`` pending pins each."""
    selection = moderation.Selection(
        RowMatch(PINS.name, equals={"session_id": SESSION, "status": "pending"}),
        SESSION, {"session_id": SESSION}, "litvinov")
    _pending(store, pins, 1)
    approved, approve_s = timed(lambda: guarded.approve_selection(ACTOR, store, selection))
    _pending(store, pins, 2)
    rejected, reject_s = timed(
        lambda: guarded.reject_selection(ACTOR, store, selection, "bench"))
    ids = _pending(store, pins, 3)
    by_ids, by_ids_s = timed(lambda: guarded.approve(ACTOR, store, ids))
    if not approved == rejected == by_ids == pins:
        raise CommandError("cli.bench_wrote", location=store.location,
                           added={"approved": approved, "rejected": rejected, "by_ids": by_ids},
                           pins=pins)
    statuses = pd.DataFrame(store.read(PINS, "litvinov"))["status"]
    return {"pins": pins, "approve_s": round(approve_s, 3), "reject_s": round(reject_s, 3),
            "by_ids_s": round(by_ids_s, 3), "pending_left": int((statuses == "pending").sum())}


def run(args: argparse.Namespace) -> int:
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not backends or not set(backends) <= {"gpkg", "postgis"} or args.pins < 1:
        raise CommandError("cli.bench_store_options")
    results = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        build_demo(Path(tmp) / "demo.gpkg")
        demo = open_store(Path(tmp) / "demo.gpkg")
        for backend in backends:
            if backend == "gpkg":
                store = open_store(Path(tmp) / "bench.gpkg")
            else:
                cluster = stack.enter_context(TemporaryCluster(durable=True))
                store = open_store(cluster.new_database("bench_moderate"))
            try:
                copy_store(demo, store)
                results.append({"backend": backend, **measure(store, args.pins)})
            finally:
                if backend == "postgis":
                    close_pools()
    report(args, ["backend", "pins", "approve s", "reject s", "by ids s", "pending left"],
           [[r["backend"], r["pins"], r["approve_s"], r["reject_s"], r["by_ids_s"],
             r["pending_left"]] for r in results], {"results": results},
           title="Moderating a whole session (one decision over all its pending pins):")
    return 0
