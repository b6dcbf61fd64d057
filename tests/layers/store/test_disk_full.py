"""A full disk during an import: a clear coded error, and the store exactly as it was.

Real mechanisms, in a child process running ``mapa import feeling-map`` like an operator:
a size-limited file system (a small tmpfs, which needs root to mount: the CI machine runs as
root, so there a missing mount fails the test) under a GeoPackage, or under the PostGIS
tablespace of the pins table; and the process's file size limit (``RLIMIT_FSIZE``; writes
beyond it fail with EFBIG), which needs no privilege.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import resource
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from psycopg import sql

from layers.sources.synthetic import write_feeling_map_export
from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store, store_manifest

ROOT = Path(__file__).resolve().parents[3]
#: Room left beside the demo store: the 20,000 imported pins (written into the store itself,
#: with their rollback journal) do not fit.
SPARE_BYTES = 300_000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.csv"
    write_feeling_map_export(path, 20_000)
    return path


@contextlib.contextmanager
def _mounted(folder: Path, options: str) -> Iterator[Path]:
    """``folder`` with a freshly mounted tmpfs (``options``), unmounted afterwards."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        reason = f"cannot mount a tmpfs: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield folder
    finally:
        # lazy: the file system is detached at once and freed when its last file closes (a
        # PostgreSQL server closes a dropped tablespace's files at its own pace; a plain
        # umount then fails as busy)
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


@pytest.fixture
def small_disk(demo_store_path: Path, tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs that holds the demo store and little more."""
    size = demo_store_path.stat().st_size + SPARE_BYTES
    with _mounted(tmp_path / "small", f"size={size}") as folder:
        yield folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(store: Path | str, export: Path, limit: Callable[[], None] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.mapa", "import", "feeling-map", str(export),
         "--town", "litvinov", "--store", str(store), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=False, preexec_fn=limit)


def _assert_refused(done: subprocess.CompletedProcess[str]) -> None:
    """The import stopped with the coded disk-full error, in one line, without a traceback."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    error = json.loads(done.stdout.strip().splitlines()[-1])["error"]
    assert error["code"] == "store.disk_full", error
    assert "full" in error["message"]
    assert done.stderr.strip().splitlines()[-1].startswith("mapa import: the disk of store")


def _assert_refused_and_unchanged(done: subprocess.CompletedProcess[str], store: Path,
                                  before: str) -> None:
    _assert_refused(done)
    assert _digest(store) == before
    # nothing of the import is left beside the store either
    assert sorted(p.name for p in store.parent.iterdir()) == [
        store.name, f"{store.name}.lock", f"{store.name}.rlock"]


def test_import_onto_a_full_file_system_is_refused_and_changes_nothing(
        demo_store_path: Path, export: Path, small_disk: Path) -> None:
    store = small_disk / "s.gpkg"
    shutil.copy(demo_store_path, store)
    before = _digest(store)
    _assert_refused_and_unchanged(_import(store, export), store, before)


def test_import_past_the_file_size_limit_is_refused_and_changes_nothing(
        demo_store_path: Path, export: Path, tmp_path: Path) -> None:
    store = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, store)
    before = _digest(store)
    limit = store.stat().st_size + SPARE_BYTES  # the store may grow a little, not by the import

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    _assert_refused_and_unchanged(_import(store, export, limited), store, before)


def test_import_into_postgis_on_a_full_disk_is_refused_and_changes_nothing(
        demo_store: Store, export: Path, pg_cluster: TemporaryCluster) -> None:
    """The pins table lives in a tablespace on a 1 MB tmpfs; the server runs out of space
    extending it (SQLSTATE 53100) half-way through the import's COPY."""
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    options = f"size=1m,mode=0700,uid={owner.pw_uid},gid={owner.pw_gid}"
    name = f"t_{uuid.uuid4().hex[:12]}"
    # inside the cluster's own directory: the server's user can reach it
    with _mounted(pg_cluster.dir / name, options) as folder:
        url = pg_cluster.new_database(name)
        try:
            with pg_cluster.connect(name) as conn:
                conn.execute(sql.SQL("CREATE TABLESPACE {} LOCATION {}").format(
                    sql.Identifier(name), sql.Literal(str(folder))))
            store = open_store(url)
            copy_store(demo_store, store)
            with pg_cluster.connect(name) as conn:
                conn.execute(sql.SQL("ALTER TABLE mapa.pins SET TABLESPACE {}").format(
                    sql.Identifier(name)))
            before = store_manifest(store)
            _assert_refused(_import(url, export))
            assert store_manifest(store) == before
            assert store.check() == []
        finally:
            close_pools(url)
            pg_cluster.drop_database(name)
            with pg_cluster.connect("postgres") as conn:
                conn.execute(sql.SQL("DROP TABLESPACE IF EXISTS {}").format(
                    sql.Identifier(name)))
