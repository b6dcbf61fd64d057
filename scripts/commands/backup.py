"""``mapa backup`` / ``mapa restore``: a verified, signed GeoPackage snapshot of any store, and
back.

The backup file holds every layer and a manifest of row counts and checksums, signed with the
backup key (``MAPA_BACKUP_KEY``: environment, else the secrets file; ``mapa backup`` creates
one in the secrets file when neither has it). ``restore`` checks the signature and the file
against its manifest before touching the store, refuses to drop audit entries the store has
unless ``--force`` is given (and then logs the forced restore), replaces the store
atomically and verifies the result.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.access import audit
from layers.access.backup_key import BACKUP_KEY, backup_key
from layers.access.secrets_file import SECRETS_FILE
from layers.schema import AUDIT_LOG
from layers.store import signing
from layers.store.transfer import Manifest, backup, restore
from scripts.commands.common import cli_actor, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "backup",
                        "write a verified snapshot of the store to a file, signed with the "
                        f"backup key ({BACKUP_KEY})", run_backup)
    parser.add_argument("--out", required=True, type=Path, help="backup file (.gpkg)")
    _secrets_option(parser, f"created there when {BACKUP_KEY} is set nowhere")
    parser = subcommand(subparsers, "restore",
                        "replace the store with a signed backup, verified against its manifest",
                        run_restore)
    parser.add_argument("--from", dest="source", required=True, type=Path,
                        help="backup file written by `mapa backup`")
    parser.add_argument("--force", action="store_true",
                        help="restore even when the store's audit log has entries the backup "
                             "lacks (they are dropped; the forced restore is logged)")
    _secrets_option(parser, "never created by a restore")


def _secrets_option(parser: argparse.ArgumentParser, about: str) -> None:
    parser.add_argument("--secrets", type=Path, default=SECRETS_FILE,
                        help=f"secrets file holding {BACKUP_KEY} unless the environment sets it "
                             f"(default {SECRETS_FILE}; {about})")


def run_backup(args: argparse.Namespace) -> int:
    store = store_from(args)
    key = backup_key(args.secrets, create=True)
    manifest = backup(store, args.out, key.key)
    created = (f"» created the backup key {BACKUP_KEY} in {key.secrets_file} (readable by you "
               "only); keep a copy apart from the backups: no backup restores without it\n"
               if key.created else "")
    _report(args, f"{created}Backed up {store.location} → {args.out}", manifest,
            {"store": store.location, "backup": str(args.out), "key_source": key.source,
             "key_created": key.created, "key_id": signing.key_id(key.key)})
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store = store_from(args)
    key = backup_key(args.secrets)
    actor = cli_actor(args)
    done = restore(store, args.source, key.key, force_entry=(lambda n: audit.entry(
        actor, "restore_forced", AUDIT_LOG.name,
        detail={"backup": args.source.name, "entries_dropped": n})) if args.force else None)
    dropped = (f"» forced: {done.rolled_back:,} audit entries the backup lacks were dropped; "
               "the forced restore is in the audit log\n" if done.rolled_back else "")
    _report(args, f"{dropped}Restored {store.location} from {args.source}", done.manifest,
            {"store": store.location, "backup": str(args.source), "key_source": key.source,
             "audit_entries_dropped": done.rolled_back})
    return 0


def _report(args: argparse.Namespace, title: str, manifest: Manifest,
            extra: dict[str, Any]) -> None:
    rows = [[name, entry["rows"], entry["checksum"]] for name, entry in manifest.items()]
    emit(args, f"{title} (verified: signature, rows and checksums match)\n"
         + format_table(["layer", "rows", "checksum"], rows),
         {**extra, "verified": True, "signed": True,
          "layers": {name: entry["rows"] for name, entry in manifest.items()},
          "checksums": {name: entry["checksum"] for name, entry in manifest.items()}})
