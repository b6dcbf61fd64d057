"""Copy, back up and restore whole stores, verified by per-layer row counts and checksums.

Any backend to any backend: everything goes through the :class:`Store` interface. A layer's
checksum does not depend on row order or backend: each row (columns in name order, values in
a canonical text form, geometry as 2D little-endian WKB) is hashed on its own and the hashes
are added up modulo 2**128, so the same rows give the same checksum in a GeoPackage and in
PostGIS, and a lost, added, duplicated or changed row changes it.

A backup is a GeoPackage snapshot holding, besides the layers, a manifest table
(``mapa_backup_manifest``: layer, rows, checksum) and its signature
(``mapa_backup_signature``: HMAC-SHA256 with a key kept outside the backup,
``layers.store.signing``), tables GDAL does not list as layers. A restore refuses a backup
that is unsigned, signed with another key or changed since, and one that would drop audit
entries the store has, unless forced (the forced restore is then itself in the audit log).

Whole layers are held in memory while copying (fine for the stores this project builds:
1 M pins take well under 2 GB).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.errors import Conflict, InvalidInput
from layers.files import atomic_output
from layers.schema import AUDIT_LOG, CHAIN_COLUMNS
from layers.store import chain, signing
from layers.store.base import Store, StoreError
from layers.store.geopackage import GeoPackageStore

MANIFEST_TABLE: Final = "mapa_backup_manifest"
SIGNATURE_TABLE: Final = "mapa_backup_signature"
NULL: Final = "\x00"
SEPARATOR: Final = "\x1f"
#: How often a copy is retried when the source changed while it was being read.
READ_ATTEMPTS: Final = 3

Manifest = dict[str, dict[str, Any]]  # layer → {"rows": int, "checksum": str}


class BackupRefused(InvalidInput):
    """A backup that must not be restored: unsigned, signed with another key, or changed
    since it was signed. Nothing was restored."""


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did: the manifest the store now matches, and how many audit
    entries of the store the backup lacked (``rolled_back``: dropped by a forced restore,
    whose own entry the manifest includes)."""

    manifest: Manifest
    rolled_back: int


def layer_checksum(frame: pd.DataFrame) -> str:
    """An order-independent checksum (32 hex digits) of the rows of ``frame``."""
    names = sorted(str(c) for c in frame.columns if not _is_geometry(frame, c))
    columns = [_canonical(frame[name]) for name in names]
    if isinstance(frame, gpd.GeoDataFrame):
        wkb = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object), hex=True,
                             output_dimension=2, byte_order=1)
        columns.append([NULL if w is None else str(w) for w in wkb])
        names.append("<geometry>")
    total = 0
    for row in zip(*columns, strict=True):
        digest = hashlib.blake2b(SEPARATOR.join(row).encode(), digest_size=16).digest()
        total += int.from_bytes(digest, "big")
    header = f"{SEPARATOR.join(names)}|{len(frame)}|{total % 2**128:032x}"
    return hashlib.blake2b(header.encode(), digest_size=16).hexdigest()


def _is_geometry(frame: pd.DataFrame, column: object) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and column == frame.geometry.name


def _canonical(series: pd.Series) -> list[str]:
    """Values as text that does not depend on the dtype a backend read them as.

    Whole numbers print as integers (an int64 column and a float64 one with the same
    numbers agree), booleans as 1/0, missing values as NUL.
    """
    mask = series.isna().to_numpy()
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) and not mask.any():
        text = np.where(series.to_numpy(dtype=bool), "1", "0").tolist()
    elif pd.api.types.is_integer_dtype(dtype) and not mask.any():
        text = series.to_numpy().astype(str).tolist()
    else:
        text = [_text(v) for v in series.to_numpy(dtype=object)]
    for index in np.flatnonzero(mask):
        text[index] = NULL
    return text


def _text(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_all(store: Store) -> tuple[dict[str, pd.DataFrame], str]:
    """Every layer of ``store`` and the version they were read at.

    Layers are read one by one; when the store changed meanwhile (its version moved) the
    read starts over, so the frames are one consistent state. Raises ``StoreError`` when the
    store keeps changing.
    """
    for _ in range(READ_ATTEMPTS):
        before = store.version()
        frames = {name: store.read(name) for name in store.layer_names()}
        if store.version() == before:
            return frames, before
    raise StoreError("store.changing", location=store.location)


def manifest_of(frames: Mapping[str, pd.DataFrame]) -> Manifest:
    """Rows and checksum per layer."""
    return {name: {"rows": len(frame), "checksum": layer_checksum(frame)}
            for name, frame in frames.items()}


def store_manifest(store: Store) -> Manifest:
    """Rows and checksum of every layer of ``store``."""
    return manifest_of(read_all(store)[0])


def differences(expected: Manifest, actual: Manifest) -> list[str]:
    """How ``actual`` differs from ``expected``, one line per layer (none: [])."""
    problems = [f"layer {name!r} is missing" for name in expected if name not in actual]
    problems += [f"layer {name!r} is unexpected" for name in actual if name not in expected]
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            continue
        if got["rows"] != want["rows"]:
            problems.append(f"layer {name!r} has {got['rows']} rows, expected {want['rows']}")
        elif got["checksum"] != want["checksum"]:
            problems.append(f"layer {name!r} differs (checksum {got['checksum']}, "
                            f"expected {want['checksum']})")
    return problems


def copy_store(source: Store, target: Store) -> Manifest:
    """Replace ``target`` with the contents of ``source`` and verify the copy.

    The target is replaced atomically (its backend's ``replace_all``). Returns the verified
    manifest; raises ``StoreError`` when the copy does not match the source.
    """
    frames, _ = read_all(source)
    expected = manifest_of(frames)
    _replace_verified(target, frames, expected, "store.copy_mismatch")
    return expected


def backup(store: Store, out: Path, key: bytes) -> Manifest:
    """Write a verified GeoPackage snapshot of ``store`` with its manifest, signed with
    ``key``, to ``out``.

    The file appears only when complete and verified (written next to ``out``, renamed over
    it). Returns the manifest.
    """
    frames, _ = read_all(store)
    expected = manifest_of(frames)
    with atomic_output(out) as tmp:
        snapshot = GeoPackageStore(tmp)
        snapshot.replace_all(frames)
        _write_manifest(tmp, expected, store.location, key)
        problems = differences(expected, read_manifest(tmp))
        problems += differences(expected, store_manifest(snapshot))
        if problems:
            raise StoreError("store.backup_mismatch", path=out, problems="; ".join(problems))
    return expected


def _write_manifest(path: Path, manifest: Manifest, source: str, key: bytes) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    signed = signing.signed_text(manifest, source, now)
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(f"CREATE TABLE {MANIFEST_TABLE} (layer TEXT PRIMARY KEY, "
                       "rows INTEGER NOT NULL, checksum TEXT NOT NULL, source TEXT, "
                       "created_at TEXT)")
            db.executemany(f"INSERT INTO {MANIFEST_TABLE} VALUES (?, ?, ?, ?, ?)",
                           [(name, entry["rows"], entry["checksum"], source, now)
                            for name, entry in manifest.items()])
            db.execute(f"CREATE TABLE {SIGNATURE_TABLE} (algorithm TEXT NOT NULL, "
                       "key_id TEXT NOT NULL, signed TEXT NOT NULL, signature TEXT NOT NULL)")
            db.execute(f"INSERT INTO {SIGNATURE_TABLE} VALUES (?, ?, ?, ?)",
                       (signing.ALGORITHM, signing.key_id(key), signed,
                        signing.signature(signed, key)))
    finally:
        db.close()


def read_manifest(path: Path) -> Manifest:
    """The manifest inside backup ``path``; raises ``StoreError`` for a file without one."""
    if not Path(path).is_file():
        raise StoreError("store.backup_missing", path=path)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(f"SELECT layer, rows, checksum FROM {MANIFEST_TABLE}").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError("store.not_a_backup", path=path, detail=exc) from exc
    return {str(layer): {"rows": int(n), "checksum": str(checksum)}
            for layer, n, checksum in rows}


def signed_manifest(path: Path, key: bytes) -> Manifest:
    """The manifest inside backup ``path`` once its signature is checked with ``key``.

    Raises ``BackupRefused`` for a backup without a signature, signed with another key, or
    whose manifest does not match its signature; ``StoreError`` as :func:`read_manifest`.
    """
    manifest = read_manifest(path)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(f"SELECT algorithm, key_id, signed, signature "
                              f"FROM {SIGNATURE_TABLE}").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:  # no signature table: made before backups were signed
        rows = []
    if not rows:
        raise BackupRefused("backup.unsigned", path=path)
    if len(rows) > 1 or rows[0][0] != signing.ALGORITHM:
        raise BackupRefused("backup.bad_signature", path=path)
    _, signed_with, signed, claimed = (str(v) for v in rows[0])
    if signed_with != signing.key_id(key):
        raise BackupRefused("backup.other_key", path=path, signed_with=signed_with,
                            key_id=signing.key_id(key))
    if not signing.matches(signed, key, claimed) \
            or json.loads(signed).get("layers") != manifest:
        raise BackupRefused("backup.bad_signature", path=path)
    return manifest


def restore(store: Store, backup_path: Path, key: bytes,
            force_entry: Callable[[int], pd.DataFrame] | None = None) -> Restored:
    """Replace ``store`` with the backup at ``backup_path``, verified against its manifest.

    Before the store is touched: the manifest's signature is checked with ``key``
    (``BackupRefused``), every layer against the manifest (``StoreError``), and the store's
    audit log against the backup's: when the store has entries the backup lacks, the
    restore raises ``Conflict`` ("backup.rolls_back_audit") unless ``force_entry`` is given;
    then it goes ahead and the entry ``force_entry(n)`` makes (n = entries dropped) is
    chained onto the backup's log in the same replacement. The replacement itself is atomic,
    so a restore that fails half-way leaves the store as it was.
    """
    expected = signed_manifest(backup_path, key)
    frames, _ = read_all(GeoPackageStore(Path(backup_path)))
    problems = differences(expected, manifest_of(frames))
    if problems:
        raise StoreError("store.backup_damaged", path=backup_path, problems="; ".join(problems))
    dropped = _dropped_entries(store, frames.get(AUDIT_LOG.name))
    if dropped:
        if force_entry is None:
            raise Conflict("backup.rolls_back_audit", entries=dropped, location=store.location)
        frames[AUDIT_LOG.name] = _with_entry(frames.get(AUDIT_LOG.name), force_entry(dropped))
        expected = manifest_of(frames)
    _replace_verified(store, frames, expected, "store.restore_mismatch")
    return Restored(expected, dropped)


def _replace_verified(store: Store, frames: dict[str, pd.DataFrame], expected: Manifest,
                      code: str) -> None:
    """Replace ``store``'s contents with ``frames`` (atomically) and check them against
    ``expected``; raises ``StoreError`` ``code`` naming the differences."""
    store.replace_all(frames)
    problems = differences(expected, store_manifest(store))
    if problems:
        raise StoreError(code, location=store.location, problems="; ".join(problems))


def _entries(log: pd.DataFrame | None) -> Counter[tuple[str | None, ...]]:
    """The audit entries of ``log`` by their content (times, who, what), counted."""
    if log is None:
        return Counter()
    content = log.reindex(columns=list(chain.hashed_columns(AUDIT_LOG)))
    return Counter(tuple(None if pd.isna(v) else str(v) for v in row)
                   for row in content.itertuples(index=False))


def _dropped_entries(store: Store, kept: pd.DataFrame | None) -> int:
    """How many audit entries of ``store`` the log ``kept`` lacks (0 for a new store)."""
    if not store.exists() or AUDIT_LOG.name not in store.layer_names():
        return 0
    return sum((_entries(store.read(AUDIT_LOG)) - _entries(kept)).values())


def _with_entry(log: pd.DataFrame | None, entry: pd.DataFrame) -> pd.DataFrame:
    """``log`` with ``entry`` chained onto its last entry (a log from before the chain is
    linked first, as the store would on its next entry)."""
    columns = list(AUDIT_LOG.columns)
    if log is None or log.empty:
        return chain.seal(entry[columns], AUDIT_LOG, chain.GENESIS)
    if any(c not in log.columns for c in CHAIN_COLUMNS):
        log = chain.seal(log.reindex(columns=columns), AUDIT_LOG, chain.GENESIS)
    sealed = chain.seal(entry[columns], AUDIT_LOG, chain.last_hash(log))
    return pd.concat([log[columns], sealed], ignore_index=True)
