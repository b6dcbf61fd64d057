"""``mapa bench map``: HTML payload and server build time of the fear-pin layer per pin count.

For each pin count it builds a ``folium.Map`` holding only the pins, renders it with
``m.get_root().render()`` and records the payload (UTF-8 bytes of that HTML) and the wall time
of building and rendering (best of ``--repeat``), for three ways of drawing the pins:

* ``ours`` — the pin layer's payload (:func:`layers.mapping.pin_payload.pin_payload`: category
  and feeling of every pin) in the map's script, as ``app.ui.maps.pins.PinLayer`` ships it
  (its script and stylesheet links aside);
* ``naive`` — one ``folium.Marker`` per pin with a popup "category – feeling" (skipped, and
  reported as null, above ``--naive-max`` pins: at 100 k it takes minutes);
* ``fast`` — ``folium.plugins.FastMarkerCluster`` with coordinates only.

Pins are illustrative Litvínov pins (:func:`layers.sources.synthetic.sample_town_pins`), the
same for the same count, so every run measures the same maps.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
from branca.element import Figure
from folium.plugins import FastMarkerCluster

from layers.mapping.pin_payload import pin_payload
from layers.schema import FEELINGS
from layers.sources.synthetic import sample_town_pins
from layers.vocabulary import FEELING, PIN_CATEGORY
from scripts.bench.harness import best_of, report
from scripts.commands.common import CommandError, subcommand

DEFAULT_COUNTS: Final = (1_000, 5_000, 25_000, 100_000)
DEFAULT_NAIVE_MAX: Final = 25_000
TOWN_ID: Final = "litvinov"
LANG: Final = "cs"


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
    _report(args, rows, args.naive_max)
    return 0


def bench_map(counts: Sequence[int], *, repeat: int = 1,
              naive_max: int = DEFAULT_NAIVE_MAX) -> list[dict[str, Any]]:
    """One row per pin count: ``pins`` and ``{ours,naive,fast}_{bytes,s}`` (naive None above
    ``naive_max``). Times are seconds of build + render, the best of ``repeat`` runs."""
    category_labels = PIN_CATEGORY.labels(LANG)
    feeling_labels = {code: FEELING.label(code, LANG) for code in FEELINGS}
    rows = []
    for n in counts:
        try:
            pins = sample_town_pins(n, TOWN_ID)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        centre = [float(pins.geometry.y.mean()), float(pins.geometry.x.mean())]

        def ours(pins: gpd.GeoDataFrame = pins, centre: list[float] = centre) -> str:
            m = folium.Map(location=centre, zoom_start=13)
            payload = pin_payload(pins, category_labels, feeling_labels)
            figure = m.get_root()
            assert isinstance(figure, Figure)
            figure.script.add_child(
                folium.Element(f"L.mapaPinLayer({json.dumps(payload)}, {{}});"))
            return figure.render()

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
    html, best = best_of(build, repeat)
    return len(html.encode("utf-8")), round(best, 4)


def _report(args: argparse.Namespace, rows: list[dict[str, Any]], naive_max: int) -> None:
    """The rows as a readable table with ours/fast ratios; ``{"rows": rows}`` with --json."""
    def mb(value: int | None) -> str:
        return "–" if value is None else f"{value / 1e6:.3f}"

    def sec(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    report(args, ["pins", "ours MB", "ours s", "naive MB", "naive s", "fast MB", "fast s",
                  "ours/fast size", "ours/fast time"],
           [[r["pins"], mb(r["ours_bytes"]), sec(r["ours_s"]), mb(r["naive_bytes"]),
             sec(r["naive_s"]), mb(r["fast_bytes"]), sec(r["fast_s"]),
             f"{r['ours_bytes'] / r['fast_bytes']:.2f}×", f"{r['ours_s'] / r['fast_s']:.2f}×"]
            for r in rows], {"rows": rows},
           notes=["", f"ours = the pin layer's payload (category + feeling of every pin); "
                      f"naive = one folium.Marker with a popup per pin, – above --naive-max "
                      f"{naive_max:,}; fast = FastMarkerCluster (coordinates only). MB = 10^6 "
                      f"bytes of rendered HTML; s = build + render, best run."])
