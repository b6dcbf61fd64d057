"""``mapa bench faults``: writers killed with SIGKILL at random moments; the store must stay whole.

Four operations, each a child process as an operator or the app runs it, on each backend:

* ``import`` — ``mapa import feeling-map`` of a generated export (``--rows`` rows) for Litvínov;
* ``restore`` — ``mapa restore`` of a backup of the demo store with that import in it;
* ``migrate`` — ``mapa migrate --from`` a GeoPackage holding the demo store with the import
  ``--to`` the store (GeoPackage → PostGIS on PostGIS, GeoPackage → GeoPackage on GeoPackage);
* ``edit`` — a strategy coordinator adding measures one after another
  (:func:`layers.strategy.editing.add_measure`: the measure, its history entry and its audit
  entry in one transaction), the child printing each measure's id once it is stored.

Each case first runs its operation to the end once, timing it (``D``) and keeping the state it
leaves. Then every kill starts the operation on a fresh copy of the demo store and sends
SIGKILL after a delay drawn (seeded) uniformly between the child's start-up time (a child
that only loads the same code) and ``D``; a child that finished before its kill is not
counted and the draw is repeated, ``D`` lowered to the time that child took.
After each kill the bench waits for the server to roll the dead writer back (PostGIS: the
write lock becomes free), opens the store again as the next process would, and counts:

* ``integrity_failures`` — ``store.check()`` names a problem;
* ``lost`` — the store holds neither the state before nor the state after the operation
  (every layer's rows and order-independent checksum) and no row is doubled; for the
  edits: an edit the child had reported stored is missing, an edit is stored without its
  history or audit entry, or another layer changed;
* ``duplicated`` — a layer holds more rows than both before and after, or a key is doubled;
* ``leftovers`` — what the dead writer left behind: files beside a GeoPackage other than the
  store and its two lock files, files in the child's own ``TMPDIR``, sessions of the dead
  child still connected to the database 10 s later, a write lock still held after 60 s.

PostGIS runs in a throwaway local cluster (fsync on); each kill gets a database copied from a
template holding the demo store.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd
import psycopg

from layers.access.backup_key import BACKUP_KEY
from layers.build import build_demo
from layers.schema import (
    AUDIT_LOG,
    HISTORY,
    IMPORT_BATCHES,
    LAYERS_BY_NAME,
    MEASURE_LINKS,
    MEASURES,
)
from layers.sources.synthetic import write_feeling_map_export
from layers.store import GeoPackageStore, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import WRITE_LOCK, close_pools
from layers.store.transfer import Manifest, backup, copy_store, manifest_of, read_all
from scripts.bench.harness import best_of, report
from scripts.commands.common import CommandError, subcommand

ROOT: Final = Path(__file__).resolve().parents[2]
OPERATIONS: Final = ("import", "restore", "migrate", "edit")
DEFAULT_KILLS: Final = 64
DEFAULT_ROWS: Final = 40_000
TOWN: Final = "litvinov"
#: Measures the edit child adds, and how their titles start.
EDITS: Final = 20
EDIT_TITLE: Final = "Opatření po pádu"
EDIT_CHILD: Final = f"""
import sys
from layers.access.principal import Principal
from layers.store import open_store
from layers.strategy.editing import add_measure
store = open_store(sys.argv[1])
who = Principal("bench-faults", "strategy_coordinator")
for i in range({EDITS}):
    print(add_measure(store, who, "litvinov-pp9", "litvinov-pp9:goal:1.1.1",
                      f"{EDIT_TITLE} {{i}}", [], "in_progress", "", []), flush=True)
"""
#: Layers a strategy edit writes; every other layer must stay as it was.
EDITED_LAYERS: Final = {MEASURES.name, MEASURE_LINKS.name, HISTORY.name, AUDIT_LOG.name}
#: Layers whose rows carry the time they were written.
STAMPED: Final = {IMPORT_BATCHES.name, AUDIT_LOG.name}
#: How long a killed writer's database sessions and write lock may take to go.
SESSION_GRACE_S: Final = 10.0
LOCK_GRACE_S: Final = 60
#: Draws of a kill's delay before the bench gives up on a child that always ends first.
MAX_DRAWS: Final = 20
#: Start-up is timed as the fastest of this many runs (other work on the machine only slows).
STARTUP_RUNS: Final = 3


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "faults", "SIGKILL imports, restores, migrations and "
                                              "strategy edits at random moments; count damage",
                        run)
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS,
                        help="kills in all, spread over the cases in turn (default "
                             "%(default)s; fewer than 8 leave the later operations out)")
    parser.add_argument("--backend", choices=("gpkg", "postgis", "both"), default="both")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS,
                        help="rows of the imported feeling-map export (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays")


@dataclass
class Case:
    """One operation on one backend: its reference run and the tally of its kills."""

    backend: str
    operation: str
    before: Manifest
    after: Manifest
    duration_s: float
    startup_s: float
    kills: int = 0
    outcomes: list[str] = field(default_factory=list)
    integrity_failures: int = 0
    lost: int = 0
    duplicated: int = 0
    leftovers: int = 0
    left_behind: list[str] = field(default_factory=list)  # what the leftovers were


class Places(ABC):
    """Fresh stores holding the demo data, on one backend."""

    backend: str
    count: int  # stores handed out so far

    @abstractmethod
    def fresh(self) -> str:
        """A new store holding the demo store; returns its location."""

    @abstractmethod
    def settle(self, location: str) -> int:
        """Wait until a killed writer is rolled back; 1 when its write lock stays held."""

    @abstractmethod
    def leftovers(self, location: str) -> list[str]:
        """What a killed writer left that is still there after the store was opened again,
        one name each."""

    @abstractmethod
    def discard(self, location: str) -> None:
        """Delete the store at ``location``."""


class GeoPackagePlaces(Places):
    """Copies of the demo GeoPackage, each in a folder of its own."""

    backend = "gpkg"
    #: What may lie beside a store: the file and its writer and reader lock files.
    EXPECTED: Final = {"s.gpkg", "s.gpkg.lock", "s.gpkg.rlock"}

    def __init__(self, root: Path, demo: Path) -> None:
        self.root, self.demo, self.count = root, demo, 0

    def fresh(self) -> str:
        self.count += 1
        folder = self.root / f"gpkg-{self.count}"
        folder.mkdir()
        shutil.copy(self.demo, folder / "s.gpkg")
        return str(folder / "s.gpkg")

    def settle(self, location: str) -> int:
        """The kernel releases a dead writer's lock at once: it must be free now."""
        path = Path(location)
        with open(path.with_name(path.name + ".lock"), "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 1
            fcntl.flock(handle, fcntl.LOCK_UN)
        return 0

    def leftovers(self, location: str) -> list[str]:
        """Files beside the store other than the store and its two lock files."""
        path = Path(location)
        return sorted({p.name for p in path.parent.iterdir()} - self.EXPECTED)

    def discard(self, location: str) -> None:
        shutil.rmtree(Path(location).parent, ignore_errors=True)


class PostGISPlaces(Places):
    """Databases of a throwaway cluster, copied from a template holding the demo store."""

    backend = "postgis"
    TEMPLATE: Final = "faults_demo"

    def __init__(self, cluster: TemporaryCluster, demo: Path) -> None:
        self.cluster, self.count = cluster, 0
        self.names: dict[str, str] = {}
        url = cluster.new_database(self.TEMPLATE)
        copy_store(open_store(demo), open_store(url))
        close_pools(url)  # a template must have no connection while it is copied

    def fresh(self) -> str:
        self.count += 1
        name = f"faults_{self.count}"
        url = self.cluster.new_database(name, template=self.TEMPLATE)
        self.names[url] = name
        return url

    def settle(self, location: str) -> int:
        """The server rolls a dead writer back (and frees its write lock) once it notices
        the dropped connection: wait up to :data:`LOCK_GRACE_S` for the lock."""
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(f"SET lock_timeout = '{LOCK_GRACE_S}s'")
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
            except psycopg.errors.LockNotAvailable:
                return 1
            conn.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))
        return 0

    def leftovers(self, location: str) -> list[str]:
        """Sessions of other clients still connected after :data:`SESSION_GRACE_S`, and
        prepared transactions."""
        close_pools(location)  # the bench's own reads
        with psycopg.connect(location, autocommit=True) as conn:
            deadline = time.monotonic() + SESSION_GRACE_S
            while True:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()").fetchone()
                others = int(row[0]) if row else 0
                if not others or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            prepared = conn.execute("SELECT count(*) FROM pg_prepared_xacts WHERE "
                                    "database = current_database()").fetchone()
        return ["database session"] * others \
            + ["prepared transaction"] * (int(prepared[0]) if prepared else 0)

    def discard(self, location: str) -> None:
        close_pools(location)
        self.cluster.drop_database(self.names.pop(location))


@dataclass(frozen=True)
class Inputs:
    """The files the operations read."""

    export: Path  # feeling-map export to import
    imported: Path  # GeoPackage: the demo store with the export imported (migration source)
    backup: Path  # `mapa backup` of ``imported`` (restore source)


def command(operation: str, location: str, inputs: Inputs) -> list[str]:
    """The child's command line for ``operation`` on the store at ``location``."""
    mapa = [sys.executable, "-m", "scripts.mapa"]
    if operation == "import":
        return [*mapa, "import", "feeling-map", str(inputs.export), "--town", TOWN,
                "--chunk-rows", "4000", "--store", location]
    if operation == "restore":
        return [*mapa, "restore", "--from", str(inputs.backup), "--store", location]
    if operation == "migrate":
        return [*mapa, "migrate", "--from", str(inputs.imported), "--to", location, "--force"]
    return [sys.executable, "-c", EDIT_CHILD, location]


@dataclass
class Run:
    """A child started on a fresh store: where, its private TMPDIR and its stdout file."""

    location: str
    tmpdir: Path
    stdout: Path
    finished: bool = False
    seconds: float = 0.0  # from the child's start to its end (or its kill)


@contextlib.contextmanager
def started(argv_of: Callable[[str], list[str]], places: Places, scratch: Path,
            delay: float | None) -> Iterator[Run]:
    """Run a child on a fresh store, SIGKILL it after ``delay`` s (None: let it finish).

    ``Run.finished`` tells whether it ended on its own (it must then have succeeded: raises
    ``CommandError`` otherwise). The store and the child's files are discarded afterwards.
    """
    location = places.fresh()
    run = Run(location, Path(tempfile.mkdtemp(dir=scratch)), scratch / f"out-{places.count}")
    try:
        with open(run.stdout, "w") as out:
            begun = time.perf_counter()
            child = subprocess.Popen(argv_of(location), cwd=ROOT, stdout=out,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "TMPDIR": str(run.tmpdir)})
            try:
                _, errors = child.communicate(timeout=delay)
                run.finished = True
            except subprocess.TimeoutExpired:
                os.kill(child.pid, signal.SIGKILL)
                child.communicate()
            run.seconds = time.perf_counter() - begun
            if run.finished and child.returncode != 0:
                raise CommandError("cli.bench_child_failed", command=" ".join(
                    argv_of("STORE")[1:4]), detail=(errors or "").strip()[-500:])
        yield run
    finally:
        places.discard(location)
        shutil.rmtree(run.tmpdir, ignore_errors=True)


def state(location: str) -> tuple[dict[str, pd.DataFrame], Manifest, list[str]]:
    """Every layer of the store at ``location``, their manifest, and its integrity problems,
    read by a new store object (as the next process to open the store would)."""
    store = open_store(location)
    problems = store.check()
    frames, _ = read_all(store)
    return frames, manifest_of(frames), problems


def doubled_keys(frames: dict[str, pd.DataFrame]) -> bool:
    """True when a layer's key column holds a value twice."""
    for name, frame in frames.items():
        spec = LAYERS_BY_NAME.get(name)
        if spec is not None and spec.key in frame.columns and frame[spec.key].duplicated().any():
            return True
    return False


def same_work(manifest: Manifest, reference: Manifest) -> bool:
    """True when ``manifest`` holds what ``reference`` holds; layers that record the time of
    the write (an import's batch row, audit entries) are compared by their row counts, as a
    run killed after its commit wrote them a few seconds after the reference run did."""
    if manifest.keys() != reference.keys():
        return False
    return all(entry == reference[name] if name not in STAMPED
               else entry["rows"] == reference[name]["rows"]
               for name, entry in manifest.items())


def judge_state(case: Case, frames: dict[str, pd.DataFrame], manifest: Manifest
                ) -> tuple[str, int, int]:
    """Outcome of a killed import, restore or migration, and (lost, duplicated)."""
    if doubled_keys(frames):
        return "doubled", 0, 1
    if manifest == case.before:
        return "not done", 0, 0
    if same_work(manifest, case.after):
        return "done", 0, 0
    bound = {name: max(case.before.get(name, {}).get("rows", 0),
                       case.after.get(name, {}).get("rows", 0)) for name in manifest}
    if any(entry["rows"] > bound[name] for name, entry in manifest.items()):
        return "doubled", 0, 1
    return "partial", 1, 0


def judge_edits(case: Case, frames: dict[str, pd.DataFrame], manifest: Manifest,
                reported: list[str]) -> tuple[str, int, int]:
    """Outcome of killed strategy edits (how many are stored), and (lost, duplicated)."""
    measures = frames[MEASURES.name]
    stored = measures.loc[measures["title"].str.startswith(EDIT_TITLE), "measure_id"].tolist()
    history = frames[HISTORY.name]
    logged = history.loc[(history["entity"] == "measure")
                         & history["entity_id"].isin(stored), "entity_id"].tolist()
    audit = frames.get(AUDIT_LOG.name, pd.DataFrame(columns=["action", "object_ids"]))
    audited = [json.loads(ids)[0] for ids in
               audit.loc[audit["action"] == "add_measure", "object_ids"]]
    duplicated = int(any(len(ids) != len(set(ids)) for ids in (stored, logged, audited)))
    others_changed = any(manifest.get(name) != entry for name, entry in case.before.items()
                         if name not in EDITED_LAYERS)
    whole = set(stored) == set(logged) == set(audited)
    lost = int(not set(reported) <= set(stored) or not whole or others_changed)
    return f"{len(set(stored))} of {EDITS}", lost, duplicated


def kill_once(case: Case, places: Places, inputs: Inputs, scratch: Path,
              rng: random.Random) -> None:
    """Kill ``case``'s operation once at a random moment of its work (after its start-up,
    before its reference run's end) and tally what the kill did."""
    for _ in range(MAX_DRAWS):
        delay = rng.uniform(min(case.startup_s, 0.8 * case.duration_s), case.duration_s)
        with started(lambda at: command(case.operation, at, inputs), places, scratch,
                     delay) as run:
            if run.finished:
                # done before the kill: the machine got faster since the reference run, so
                # draw again within the time this run took
                case.duration_s = min(case.duration_s, run.seconds)
                continue
            stale = ["write lock"] * places.settle(run.location)
            frames, manifest, problems = state(run.location)
            stale += places.leftovers(run.location)
            stale += [f"TMPDIR/{p.name}" for p in run.tmpdir.iterdir()]
            if case.operation == "edit":
                reported = run.stdout.read_text().split()
                outcome, lost, duplicated = judge_edits(case, frames, manifest, reported)
            else:
                outcome, lost, duplicated = judge_state(case, frames, manifest)
            case.kills += 1
            case.outcomes.append(outcome)
            case.integrity_failures += int(bool(problems))
            case.lost += lost
            case.duplicated += duplicated
            case.leftovers += len(stale)
            case.left_behind += stale
            return
    raise CommandError("cli.bench_faults_no_kill", operation=case.operation,
                       backend=case.backend, draws=MAX_DRAWS)


def startup_s(operation: str) -> float:
    """Wall time of a child that only loads what ``operation``'s child loads before it
    works (its start-up, during which a kill can do nothing)."""
    code = "import layers.strategy.editing" if operation == "edit" else "import scripts.mapa"
    _, seconds = best_of(lambda: subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                                                capture_output=True, check=True), STARTUP_RUNS)
    return seconds


@contextlib.contextmanager
def signing_key() -> Iterator[None]:
    """A throwaway backup signing key in the environment (the children's too) for the run;
    the environment is put back afterwards."""
    before = os.environ.get(BACKUP_KEY)
    os.environ[BACKUP_KEY] = secrets.token_urlsafe(32)
    try:
        yield
    finally:
        if before is None:
            del os.environ[BACKUP_KEY]
        else:
            os.environ[BACKUP_KEY] = before


def prepare(scratch: Path, rows: int) -> tuple[Path, Inputs]:
    """The demo store, the export, the demo store with the export imported, its backup."""
    demo = scratch / "demo.gpkg"
    build_demo(demo)
    export = scratch / "export.csv"
    write_feeling_map_export(export, rows)
    imported = scratch / "imported.gpkg"
    shutil.copy(demo, imported)
    subprocess.run(command("import", str(imported), Inputs(export, imported, imported)),
                   cwd=ROOT, capture_output=True, check=True)
    backup_path = scratch / "backup.gpkg"
    backup(GeoPackageStore(imported), backup_path, os.environ[BACKUP_KEY].encode("utf-8"))
    return demo, Inputs(export, imported, backup_path)


def run(args: argparse.Namespace) -> int:
    if args.kills < 1 or args.rows < 1:
        raise CommandError("cli.bench_faults_options")
    backends = ("gpkg", "postgis") if args.backend == "both" else (args.backend,)
    rng = random.Random(args.seed)
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="mapa-faults-") as folder, \
            contextlib.ExitStack() as stack:
        scratch = Path(folder)
        stack.enter_context(signing_key())
        demo, inputs = prepare(scratch, args.rows)
        # operation by operation, each on every backend: a short run covers both backends
        pairs = [(backend, operation) for operation in OPERATIONS for backend in backends]
        pairs = pairs[:args.kills]
        places: dict[str, Places] = {}
        for backend in dict.fromkeys(backend for backend, _ in pairs):
            if backend == "gpkg":
                places[backend] = GeoPackagePlaces(scratch, demo)
            else:
                cluster = stack.enter_context(TemporaryCluster(durable=True))
                places[backend] = PostGISPlaces(cluster, demo)
        for backend, operation in pairs:
            cases.append(measure_reference(places[backend], operation, inputs, scratch))
        for index in range(args.kills):
            case = cases[index % len(cases)]
            kill_once(case, places[case.backend], inputs, scratch, rng)
        close_pools()
    totals = {key: sum(getattr(c, key) for c in cases)
              for key in ("kills", "integrity_failures", "lost", "duplicated", "leftovers")}
    report(args, ["backend", "operation", "start-up s", "run s", "kills", "after the kill",
                  "integrity", "lost", "duplicated", "leftovers"],
           [[c.backend, c.operation, round(c.startup_s, 2), round(c.duration_s, 2), c.kills,
             summary(c.outcomes),
             c.integrity_failures, c.lost, c.duplicated, c.leftovers] for c in cases],
           {**totals, "cases": [
               {"backend": c.backend, "operation": c.operation,
                "startup_s": round(c.startup_s, 2), "run_s": round(c.duration_s, 2),
                "kills": c.kills, "outcomes": summary(c.outcomes),
                "integrity_failures": c.integrity_failures, "lost": c.lost,
                "duplicated": c.duplicated, "leftovers": c.leftovers,
                "left_behind": c.left_behind} for c in cases]},
           title=f"SIGKILL at a random moment between start-up and the end of a reference run "
                 f"(seed {args.seed}, {args.rows:,} imported rows):",
           notes=[f"left behind by killed {c.operation} on {c.backend}: "
                  f"{', '.join(c.left_behind)}" for c in cases if c.left_behind])
    return 0


def measure_reference(places: Places, operation: str, inputs: Inputs, scratch: Path) -> Case:
    """Run ``operation`` to the end once on a fresh store: its duration and the states
    before and after it."""
    location = places.fresh()
    try:
        before = state(location)[1]
    finally:
        places.discard(location)
    with started(lambda at: command(operation, at, inputs), places, scratch, None) as done:
        after = state(done.location)[1]
    return Case(places.backend, operation, before, after, done.seconds, startup_s(operation))


def summary(outcomes: list[str]) -> str:
    """``outcomes`` counted, most frequent first: "5× not done, 3× done"."""
    counts = pd.Series(outcomes, dtype=object).value_counts()
    return ", ".join(f"{n}× {outcome}" for outcome, n in counts.items())
