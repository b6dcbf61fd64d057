"""``mapa bench map``: HTML payload and server build time of the fear-pin layer per pin count.

For each pin count it builds a ``folium.Map`` holding only the pins, renders it with
``m.get_root().render()`` and records the payload (UTF-8 bytes of that HTML) and the wall time
of building and rendering (best of ``--repeat``), for three ways of drawing the pins:

* ``ours`` — :class:`app.mapview.pins.PinLayer` (category and feeling of every pin);
* ``naive`` — one ``folium.Marker`` per pin with a popup "category – feeling" (skipped, and
  reported as null, above ``--naive-max`` pins: at 100 k it takes minutes);
* ``fast`` — ``folium.plugins.FastMarkerCluster`` with coordinates only.

Pins are the illustrative Litvínov pins of :func:`layers.sources.synthetic.make_pins`, scaled
up and sampled with a fixed seed, so every run measures the same maps.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import FastMarkerCluster

from app.i18n import labels
from app.mapview.pins import PinLayer
from layers.schema import FEELINGS, PIN_CATEGORIES
from layers.sources.real import load_towns
from layers.sources.synthetic import DEFAULT_SEED, make_pins
from scripts.commands.common import CommandError, emit, format_table, subcommand

DEFAULT_COUNTS: Final = (1_000, 5_000, 25_000, 100_000)
DEFAULT_NAIVE_MAX: Final = 25_000
TOWN_ID: Final = "litvinov"
LANG: Final = "cs"
#: Pins make_pins puts in Litvínov at scale 1, a little under the truth so one pass suffices.
_PINS_PER_SCALE: Final = 400


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "map", "map payload and build time per pin count", run)
    parser.add_argument("--pins", default=",".join(str(n) for n in DEFAULT_COUNTS),
                        help="comma-separated pin counts (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per measurement; the fastest counts (default %(default)s)")
    parser.add_argument("--naive-max", type=int, default=DEFAULT_NAIVE_MAX,
                        help="largest pin count for the naive one-Marker-per-pin map "
                             "(default %(default)s; above it the naive columns are null)")


def run(args: argparse.Namespace) -> int:
    try:
        counts = [int(part) for part in args.pins.split(",") if part.strip()]
    except ValueError as exc:
        raise CommandError("cli.pins_list", value=args.pins) from exc
    if not counts or min(counts) < 1:
        raise CommandError("cli.positive_pins")
    if args.repeat < 1:
        raise CommandError("cli.repeat")
    rows = bench_map(counts, repeat=args.repeat, naive_max=args.naive_max)
    emit(args, render_table(rows, args.naive_max), {"rows": rows})
    return 0


def synthetic_pins(n: int, seed: int = DEFAULT_SEED) -> gpd.GeoDataFrame:
    """``n`` illustrative Litvínov pins (EPSG:4326), the same for the same ``n`` and ``seed``."""
    towns = load_towns()
    scale = max(1.0, n / _PINS_PER_SCALE)
    pins = make_pins(towns, seed=seed, scale=scale)
    town = pins[pins["town_id"] == TOWN_ID]
    if len(town) < n:
        raise CommandError("cli.generator_short", given=len(town), needed=n)
    return town.sample(n=n, random_state=seed).reset_index(drop=True)


def bench_map(counts: Sequence[int], *, repeat: int = 1,
              naive_max: int = DEFAULT_NAIVE_MAX) -> list[dict[str, Any]]:
    """One row per pin count: ``pins`` and ``{ours,naive,fast}_{bytes,s}`` (naive None above
    ``naive_max``). Times are seconds of build + render, the best of ``repeat`` runs."""
    category_labels = labels("pin.category", PIN_CATEGORIES, LANG)
    feeling_labels = {int(code): text
                      for code, text in labels("pin.feeling", FEELINGS, LANG).items()}
    rows = []
    for n in counts:
        pins = synthetic_pins(n)
        centre = [float(pins.geometry.y.mean()), float(pins.geometry.x.mean())]

        def ours(pins: gpd.GeoDataFrame = pins, centre: list[float] = centre) -> str:
            m = folium.Map(location=centre, zoom_start=13)
            PinLayer(pins, name="pins", category_labels=category_labels,
                     feeling_labels=feeling_labels).add_to(m)
            return m.get_root().render()

        def naive(pins: gpd.GeoDataFrame = pins, centre: list[float] = centre) -> str:
            m = folium.Map(location=centre, zoom_start=13)
            for lat, lon, category, feeling in zip(pins.geometry.y, pins.geometry.x,
                                                   pins["category"], pins["feeling"],
                                                   strict=True):
                text = f"{category_labels[category]} – {feeling_labels[int(feeling)]}"
                folium.Marker([lat, lon], popup=text).add_to(m)
            return m.get_root().render()

        def fast(pins: gpd.GeoDataFrame = pins, centre: list[float] = centre) -> str:
            m = folium.Map(location=centre, zoom_start=13)
            coords = np.column_stack([pins.geometry.y, pins.geometry.x]).tolist()
            FastMarkerCluster(coords, name="pins").add_to(m)
            return m.get_root().render()

        row: dict[str, Any] = {"pins": n}
        for key, build in (("ours", ours), ("naive", naive), ("fast", fast)):
            if key == "naive" and n > naive_max:
                row[f"{key}_bytes"], row[f"{key}_s"] = None, None
            else:
                row[f"{key}_bytes"], row[f"{key}_s"] = _measure(build, repeat)
        rows.append(row)
    return rows


def _measure(build: Callable[[], str], repeat: int) -> tuple[int, float]:
    """Payload bytes of ``build()`` and its fastest wall time over ``repeat`` runs."""
    best = float("inf")
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        html = build()
        best = min(best, time.perf_counter() - start)
        size = len(html.encode("utf-8"))
    return size, round(best, 4)


def render_table(rows: list[dict[str, Any]], naive_max: int) -> str:
    """The rows as a readable table with ours/fast ratios."""
    def mb(value: int | None) -> str:
        return "–" if value is None else f"{value / 1e6:.3f}"

    def sec(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    table = format_table(
        ["pins", "ours MB", "ours s", "naive MB", "naive s", "fast MB", "fast s",
         "ours/fast size", "ours/fast time"],
        [[r["pins"], mb(r["ours_bytes"]), sec(r["ours_s"]), mb(r["naive_bytes"]),
          sec(r["naive_s"]), mb(r["fast_bytes"]), sec(r["fast_s"]),
          f"{r['ours_bytes'] / r['fast_bytes']:.2f}×", f"{r['ours_s'] / r['fast_s']:.2f}×"]
         for r in rows],
    )
    return (f"{table}\n\nours = PinLayer (category + feeling of every pin); naive = one "
            f"folium.Marker with a popup per pin, – above --naive-max {naive_max:,}; fast = "
            f"FastMarkerCluster (coordinates only). MB = 10^6 bytes of rendered HTML; "
            f"s = build + render, best run.")
