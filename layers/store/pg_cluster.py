"""A throwaway local PostgreSQL + PostGIS cluster, for tests and ``mapa bench store``.

The cluster lives in a fresh temporary directory and listens only on a unix socket inside
it (no TCP), so any number of clusters (one per test worker) run side by side without
choosing free ports. It is tuned for speed, not durability, when ``durable=False`` (tests):
a lost throwaway cluster costs nothing.

``initdb`` refuses to run as root: as root, the server programs run as the ``postgres``
system user (via ``runuser``) in a directory that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import psycopg
from psycopg import sql

from layers.errors import StoreFailure

#: The Debian layout; newest version first.
BIN_GLOB: Final = "/usr/lib/postgresql/*/bin"
PORT: Final = 5432  # only names the socket file inside the private directory
TEMPLATE: Final = "mapa_template"


class ClusterError(StoreFailure):
    """PostgreSQL or PostGIS is missing, or the cluster did not start."""


def find_bin_dir() -> Path:
    """The directory of ``initdb``/``pg_ctl`` (newest installed version).

    Raises ``ClusterError`` naming the Debian packages to install when PostgreSQL or PostGIS
    is missing.
    """
    dirs = sorted(glob.glob(BIN_GLOB), key=lambda d: int(Path(d).parent.name)
                  if Path(d).parent.name.isdigit() else 0, reverse=True)
    for candidate in dirs:
        version = Path(candidate).parent.name
        if (Path(candidate) / "initdb").exists():
            if not glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"):
                raise ClusterError("cluster.no_postgis", version=version,
                                   package=f"postgresql-{version}-postgis-3")
            return Path(candidate)
    raise ClusterError("cluster.no_postgres")


class TemporaryCluster:
    """A running throwaway cluster; use as a context manager (stopped and deleted on exit).

    ``url(dbname)`` gives a ``postgresql://`` URL for a database of it; ``new_database()``
    creates an empty database with PostGIS (from a template, so it takes milliseconds
    rather than the second ``CREATE EXTENSION postgis`` needs).
    """

    def __init__(self, durable: bool = False) -> None:
        self.bin_dir = find_bin_dir()
        self.durable = durable
        self.dir = Path(tempfile.mkdtemp(prefix="mapa-pg-"))
        self.data = self.dir / "data"
        self._as_postgres = os.geteuid() == 0
        self._started = False

    def __enter__(self) -> TemporaryCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = list(command)
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ClusterError("cluster.command_failed", command=Path(command[0]).name,
                               output=(result.stderr or result.stdout).strip()[-2000:])
        return result

    def start(self) -> None:
        """initdb, start the server and prepare the PostGIS template database."""
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        settings = [f"-c unix_socket_directories={self.dir}", "-c listen_addresses=''",
                    f"-p {PORT}", "-c max_connections=200", "-c shared_buffers=128MB"]
        if not self.durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off",
                         "-c full_page_writes=off"]
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60",
                  "-l", str(self.dir / "server.log"), "-o", " ".join(settings), "start")
        self._started = True
        with self.connect("postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        with self.connect(TEMPLATE) as conn:
            conn.execute("CREATE EXTENSION postgis")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        if self._started:
            with contextlib.suppress(ClusterError):
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                          "-w", "stop")
            self._started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def restart(self) -> None:
        """Restart the server (fast shutdown: open transactions are rolled back, clients are
        disconnected), with the settings it was started with; returns once it accepts
        connections again."""
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                  "-t", "60", "-l", str(self.dir / "server.log"), "restart")

    def url(self, dbname: str) -> str:
        """A libpq URL of database ``dbname`` over the cluster's unix socket."""
        return f"postgresql://postgres@/{dbname}?host={self.dir}&port={PORT}"

    def connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), autocommit=True)

    def new_database(self, name: str | None = None, template: str = TEMPLATE) -> str:
        """Create a database as a copy of ``template`` (default: empty, with PostGIS); return
        its URL. A template must have no open connection while it is copied."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with self.connect("postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(template)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting whoever is still connected to it."""
        with self.connect("postgres") as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@contextlib.contextmanager
def temporary_cluster(durable: bool = False) -> Iterator[TemporaryCluster]:
    """A started :class:`TemporaryCluster`, stopped and deleted afterwards."""
    with TemporaryCluster(durable=durable) as cluster:
        yield cluster
