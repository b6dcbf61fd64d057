"""``mapa migrate``: bring a store's schema up to date, or copy a whole store elsewhere.

``mapa migrate --store URL`` runs the PostGIS schema migrations (a GeoPackage needs none).
``mapa migrate --from SRC --to DST`` copies every layer from SRC to DST (any backend to any
backend; DST is replaced atomically) and verifies the copy by per-layer row counts and
checksums computed the same way on both sides.
"""

from __future__ import annotations

import argparse
from typing import Any

from layers.store import PostGISStore, open_store, public_location
from layers.store.transfer import copy_store
from scripts.commands.common import CommandError, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "migrate",
                        "update a store's schema, or copy a whole store (--from/--to), verified",
                        run)
    parser.add_argument("--from", dest="source", default=None,
                        help="store to copy from (GeoPackage path or postgresql:// URL)")
    parser.add_argument("--to", dest="target", default=None,
                        help="store to copy to (default: --store); replaced by the copy")
    parser.add_argument("--force", action="store_true",
                        help="replace a target store that already holds layers")


def run(args: argparse.Namespace) -> int:
    if args.source is None:
        return _upgrade(args)
    source = open_store(args.source)
    target = open_store(args.target) if args.target else store_from(args)
    if public_location(args.source) == target.location:
        raise CommandError("cli.same_store")
    if target.exists() and target.layer_names() and not args.force:
        raise CommandError("cli.target_not_empty", location=target.location)
    manifest = copy_store(source, target)
    rows = [[name, entry["rows"], entry["checksum"]] for name, entry in manifest.items()]
    emit(args, f"Copied {source.location} → {target.location} (verified: rows and checksums "
         "match)\n" + format_table(["layer", "rows", "checksum"], rows),
         {"from": source.location, "to": target.location, "verified": True,
          "layers": {name: entry["rows"] for name, entry in manifest.items()},
          "checksums": {name: entry["checksum"] for name, entry in manifest.items()}})
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    store = open_store(args.target) if args.target else store_from(args)
    if not isinstance(store, PostGISStore):
        emit(args, f"{store.location}: a GeoPackage has no schema migrations",
             {"store": store.location, "migrated": False})
        return 0
    store.migrate()
    emit(args, f"{store.location}: schema is up to date",
         {"store": store.location, "migrated": True})
    return 0
