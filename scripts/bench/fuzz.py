"""``mapa bench fuzz [--count N] [--store PATH] [--seed S]``: hostile and broken files through
every importer, counting what a town's data officer cares about.

Inputs, in turn: CSV services and feeling-map rows with hostile values (separators, quotes,
line breaks, NaN, infinities, huge numbers, formula prefixes, control characters, overlong
comments and cells), GeoJSON localities with hostile properties and coordinates (NaN,
infinite, out of range, degenerate and self-crossing rings, too many vertices), and random
mutations (bit flips, cuts, splices, inserted bytes) of the broken-file corpus
(``tests/fixtures/ingest``). Each goes through ``run_import`` (localities, services, offences,
police statistics, exclusion index) or ``import_feeling_map`` on a private copy of the store,
with real commits. An input is *refused* when the importer raises a coded
:class:`~layers.errors.MapaError`; any other exception is a *crash*; a refusal after which the
store file's SHA-256 differs is a *store change*. ``crashed`` and ``store_changed`` must be 0.

``--json`` prints ``{"tried", "refused", "crashed", "store_changed", "max_rss_mb", "max_s"}``
last (peak resident memory of this process, slowest single input).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import numpy as np

from layers.build import build_demo
from layers.errors import MapaError
from layers.ingest.batches import KINDS, run_import
from layers.mapping.feeling_map_import import import_feeling_map
from layers.store import open_store
from scripts.bench.harness import report
from scripts.commands.common import CommandError, numeric_warnings_silenced, subcommand

#: The broken-file corpus and the small valid fixtures, mutated by the benchmark.
CORPUS: Final = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ingest"
TOWN: Final = "litvinov"
#: A point inside Litvínov (lon, lat), so that some hostile rows are otherwise valid.
INSIDE: Final = (13.61, 50.60)
HOSTILE_TEXT: Final = ("", " ", ",", ";", '"', '""', "\n", "\r\n", "\t", "=1+1", "+420 777 123 456",
                       "@SUM(A1)", "-2", "<script>alert(1)</script>", "NaN", "inf", "-inf",
                       "1e308", "-1e309", "0x10", "Žluťoučký kůň", "\x00", "\x1b[31m", "\ufeff",
                       "\u202e", "jan.novak@example.cz", "pan Novák", "None", "null", "[]",
                       "{}", "'; DROP TABLE pins; --")
NUMBERS: Final = ("nan", "inf", "-inf", "1e308", "-1e308", "0", "-0", "13,61", "50,60",
                  "13.61", "50.60", "999999999999999999999", "", "abc", "1_000")


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "fuzz", "hostile and broken files through every "
                                            "importer: refused, crashed, store changed", run)
    parser.add_argument("--count", type=int, default=10_000,
                        help="inputs to try (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")


def run(args: argparse.Namespace) -> int:
    if args.count < 1:
        raise CommandError("cli.bench_count", count=args.count)
    if args.store and str(args.store).startswith("postgresql"):
        raise CommandError("cli.bench_fuzz_gpkg")
    rng = np.random.default_rng(args.seed)
    corpus = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".py")
    makers: list[Callable[[np.random.Generator, Path], tuple[Path, str]]] = [
        _services_csv, _feeling_map_csv, _localities_geojson,
        lambda r, folder: _mutated(r, folder, corpus)]
    outcome: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    crashes: list[str] = []
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="mapa-fuzz-") as tmp:
        folder = Path(tmp)
        store_path = folder / "store.gpkg"
        if args.store:
            shutil.copy(args.store, store_path)  # never the user's store itself
        else:
            build_demo(store_path)
        store = open_store(store_path)
        digest = _sha256(store_path)
        for index in range(args.count):
            work = folder / f"input-{index}"
            work.mkdir()
            path, kind = makers[index % len(makers)](rng, work)
            started = time.perf_counter()
            try:
                with numeric_warnings_silenced():  # as `mapa import` runs them
                    if kind == "feeling-map":
                        import_feeling_map(store, path, town_id=TOWN)
                    else:
                        run_import(store, kind, path, town_id=TOWN)
            except MapaError as exc:
                outcome["refused"] += 1
                codes[exc.code] += 1
                if _sha256(store_path) != digest:
                    outcome["store_changed"] += 1
                    digest = _sha256(store_path)
            except Exception as exc:
                outcome["crashed"] += 1
                if len(crashes) < 10:
                    crashes.append(f"{kind} {path.name}: {type(exc).__name__}: {exc}"[:300])
                digest = _sha256(store_path)
            else:
                outcome["accepted"] += 1
                digest = _sha256(store_path)
            slowest = max(slowest, time.perf_counter() - started)
            shutil.rmtree(work, ignore_errors=True)
    result = {"tried": args.count, "refused": outcome["refused"],
              "crashed": outcome["crashed"], "store_changed": outcome["store_changed"],
              "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
              "max_s": round(slowest, 3)}
    rows = [[key, value] for key, value in result.items()]
    rows.insert(2, ["accepted", outcome["accepted"]])
    notes = [f"refusals by code: {json.dumps(dict(codes.most_common()), ensure_ascii=False)}",
             *(f"crash: {line}" for line in crashes)]
    report(args, ["figure", "value"], rows, result,
           title=f"Fuzzing the importers ({args.count} inputs, seed {args.seed}):", notes=notes)
    return 0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pick(rng: np.random.Generator, values: tuple[str, ...]) -> str:
    return values[int(rng.integers(len(values)))]


def _text(rng: np.random.Generator) -> str:
    """A hostile text value: a catalogue entry, a few glued together, or a long run."""
    roll = rng.random()
    if roll < 0.6:
        return _pick(rng, HOSTILE_TEXT)
    if roll < 0.9:
        return "".join(_pick(rng, HOSTILE_TEXT) for _ in range(int(rng.integers(2, 6))))
    return "x" * int(rng.choice([279, 281, 9_999, 10_001, 50_000]))


def _number(rng: np.random.Generator, near: float) -> str:
    if rng.random() < 0.5:
        return f"{near + rng.normal(0, 0.01):.6f}"
    return _pick(rng, NUMBERS)


def _csv_cell(value: str) -> str:
    """A cell quoted when it holds a separator, a quote or a line break (as a spreadsheet
    writes it)."""
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',;"\n\r') else value


def _csv(rng: np.random.Generator, header: list[str], cells: Callable[[], list[str]]) -> str:
    lines = [",".join(header)]
    for _ in range(int(rng.integers(0, 8))):
        row = cells()
        if rng.random() < 0.2:  # raw, unquoted: a broken row
            lines.append(",".join(row))
        else:
            lines.append(",".join(_csv_cell(c) for c in row))
    return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")


def _services_csv(rng: np.random.Generator, folder: Path) -> tuple[Path, str]:
    types = ("police", "nzdm", "playground", "school")
    text = _csv(rng, ["name", "type", "lon", "lat"], lambda: [
        _text(rng), _pick(rng, types) if rng.random() < 0.7 else _text(rng),
        _number(rng, INSIDE[0]), _number(rng, INSIDE[1])])
    path = folder / "services.csv"
    path.write_bytes(text.encode("utf-8" if rng.random() < 0.8 else "utf-16"))
    return path, "services" if rng.random() < 0.7 else "offences"


def _feeling_map_csv(rng: np.random.Generator, folder: Path) -> tuple[Path, str]:
    answers = ("Místo, kde se necítím dobře", "Místo, kde se cítím dobře")
    text = _csv(rng, ["ID respondenta", "Pocit", "X", "Y", "Komentář"], lambda: [
        _text(rng), _pick(rng, answers) if rng.random() < 0.7 else _text(rng),
        _number(rng, INSIDE[0]), _number(rng, INSIDE[1]), _text(rng)])
    path = folder / "pocitova_mapa.csv"
    path.write_text(text, encoding="utf-8")
    return path, "feeling-map"


def _localities_geojson(rng: np.random.Generator, folder: Path) -> tuple[Path, str]:
    features = []
    for _ in range(int(rng.integers(0, 5))):
        # rarely a ring over the vertex limit (building it is what costs the time)
        n = int(rng.choice([0, 1, 3, 4, 7, 250_001], p=[.1, .1, .3, .3, .19, .01]))
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        ring = [[INSIDE[0] + 0.003 * np.cos(a), INSIDE[1] + 0.002 * np.sin(a)] for a in angles]
        if ring and rng.random() < 0.8:
            ring.append(ring[0])
        if ring and rng.random() < 0.3:
            ring[int(rng.integers(len(ring)))][int(rng.integers(2))] = float(
                rng.choice([np.nan, np.inf, -np.inf, 1e308, 200.0]))
        if rng.random() < 0.2:
            rng.shuffle(ring)  # a self-crossing ring
        features.append({"type": "Feature", "properties": {
            "name": _text(rng), "population_est": _text(rng) if rng.random() < 0.3 else 10,
            "source": _text(rng), "date": _text(rng)},
            "geometry": {"type": "Polygon", "coordinates": [ring]}
            if rng.random() < 0.9 else {"type": "Point", "coordinates": ring[:1]}})
    path = folder / "lokality.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path, "localities"


def _mutated(rng: np.random.Generator, folder: Path, corpus: list[Path]) -> tuple[Path, str]:
    source = corpus[int(rng.integers(len(corpus)))]
    data = bytearray(source.read_bytes())
    for _ in range(int(rng.integers(1, 4))):
        roll = rng.random()
        at = int(rng.integers(len(data) + 1))
        if roll < 0.4 and data:  # flip bits
            at = min(at, len(data) - 1)
            data[at] ^= 1 << int(rng.integers(8))
        elif roll < 0.6:  # cut
            del data[at:]
        elif roll < 0.8:  # insert bytes
            data[at:at] = rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
        else:  # splice in a piece of itself (repeated structure)
            piece = data[at:at + int(rng.integers(1, 512))]
            data[at:at] = bytes(piece) * int(rng.integers(1, 4))
    path = folder / source.name
    path.write_bytes(bytes(data))
    return path, _pick(rng, (*KINDS, "feeling-map"))
