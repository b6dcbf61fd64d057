"""``mapa info``: layers, feature counts per town, CRS and sources of a store."""

from __future__ import annotations

import argparse
from typing import Any

from layers.crs import STORAGE_CRS
from layers.schema import SOURCES, TOWNS
from scripts.commands.common import emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    subcommand(subparsers, "info", "layers, feature counts per town, CRS and sources", run)


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    counts = store.counts()
    by_town = store.counts_by_town()
    towns = store.read(TOWNS)
    sources = store.read(SOURCES)
    town_list = [{"town_id": str(r["town_id"]), "name": str(r["name"]),
                  "kod_obec": str(r["kod_obec"])} for _, r in towns.iterrows()]
    town_ids = [t["town_id"] for t in town_list]
    rows = [[name, count, *(by_town.get(name, {}).get(t, "–") for t in town_ids)]
            for name, count in counts.items()]
    source_lines = [f"- {r['layer']}: {r['title']} — {r['attribution']} ({r['licence']})"
                    + (" [ilustrativní data]" if r["synthetic"] else "")
                    for _, r in sources.iterrows()]
    readable = "\n".join([
        f"Store: {store.location}   CRS: {STORAGE_CRS} (metric work in EPSG:5514)",
        format_table(["layer", "rows", *town_ids], rows),
        "Sources:", *source_lines,
    ])
    emit(args, readable, {"store": store.location, "crs": STORAGE_CRS, "layers": counts,
                          "towns": town_list, "by_town": by_town})
    return 0
