"""``mapa backup`` / ``mapa restore``: a verified GeoPackage snapshot of any store, and back.

The backup file holds every layer and a manifest of row counts and checksums; ``restore``
checks the file against its manifest before touching the store, replaces the store
atomically and verifies the result.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.store.transfer import Manifest, backup, restore
from scripts.commands.common import emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "backup", "write a verified snapshot of the store to a file",
                        run_backup)
    parser.add_argument("--out", required=True, type=Path, help="backup file (.gpkg)")
    parser = subcommand(subparsers, "restore",
                        "replace the store with a backup, verified against its manifest",
                        run_restore)
    parser.add_argument("--from", dest="source", required=True, type=Path,
                        help="backup file written by `mapa backup`")


def run_backup(args: argparse.Namespace) -> int:
    store = store_from(args)
    manifest = backup(store, args.out)
    _report(args, f"Backed up {store.location} → {args.out}", manifest,
            {"store": store.location, "backup": str(args.out)})
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store = store_from(args)
    manifest = restore(store, args.source)
    _report(args, f"Restored {store.location} from {args.source}", manifest,
            {"store": store.location, "backup": str(args.source)})
    return 0


def _report(args: argparse.Namespace, title: str, manifest: Manifest,
            extra: dict[str, Any]) -> None:
    rows = [[name, entry["rows"], entry["checksum"]] for name, entry in manifest.items()]
    emit(args, f"{title} (verified: rows and checksums match)\n"
         + format_table(["layer", "rows", "checksum"], rows),
         {**extra, "verified": True,
          "layers": {name: entry["rows"] for name, entry in manifest.items()},
          "checksums": {name: entry["checksum"] for name, entry in manifest.items()}})
