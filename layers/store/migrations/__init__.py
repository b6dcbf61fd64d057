"""Schema migrations of the PostGIS store, run with Alembic.

The store's own tables live in the ``mapa_meta`` schema (Alembic's version table included);
the layer tables live in the ``mapa`` schema. Layers are created when data first arrive, as in
a GeoPackage (their columns come from the frames), so the migrations create the catalog that
describes them, not the layer tables themselves.

:func:`upgrade` brings a database to :data:`HEAD` under an advisory lock, so processes
opening the same fresh database at once migrate it once. It is called on the first write to
a new store, when a store at an older revision is opened, and by ``mapa migrate``.

A new migration is a module in ``versions/`` (copy the newest, set ``revision`` and
``down_revision``) and a new :data:`HEAD`; ``tests/layers/store`` checks that they agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import psycopg

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent
#: Schemas of the layer tables and of the store's own bookkeeping.
LAYER_SCHEMA: Final = "mapa"
META_SCHEMA: Final = "mapa_meta"
VERSION_TABLE: Final = "alembic_version"
#: The newest revision (kept here so opening a store need not load Alembic).
HEAD: Final = "0007"
#: Advisory lock key held while migrating (any constant; the store's write lock differs).
MIGRATION_LOCK: Final = 7_253_001


def driver_connection() -> psycopg.Connection[Any]:
    """The psycopg connection of the running migration, in its transaction: a migration
    hands it to the store's own upgrade helper, so a table copied in later is upgraded alike."""
    from alembic import op

    connection = op.get_bind().connection.driver_connection
    assert connection is not None
    return connection


def current_revision(conn: psycopg.Connection[Any]) -> str | None:
    """The database's revision, or None when the store's schema was never created."""
    row = conn.execute("SELECT to_regclass(%s)",
                       (f"{META_SCHEMA}.{VERSION_TABLE}",)).fetchone()
    if row is None or row[0] is None:
        return None
    version = conn.execute(f"SELECT version_num FROM {META_SCHEMA}.{VERSION_TABLE}").fetchone()
    return None if version is None else str(version[0])


def script_head() -> str:
    """The head revision according to the scripts in ``versions/`` (loads Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:
        raise RuntimeError("no migration scripts found")
    return head


def upgrade(url: str, destination: str = "head") -> None:
    """Migrate the database at ``url`` to ``destination``, in one transaction.

    Raises ``psycopg.Error`` (wrapped by SQLAlchemy) when the database refuses, e.g. PostGIS
    is not installed on the server or the user may not create the extension.
    """
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    script = ScriptDirectory(str(MIGRATIONS_DIR))

    def steps(revision: Any, _context: Any) -> Any:
        return script._upgrade_revs(destination, revision)

    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(url),
                           poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK})
            # Alembic's version table lives in this schema, so it must exist first
            connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {META_SCHEMA}"))
            with EnvironmentContext(Config(), script, fn=steps,
                                    destination_rev=destination) as env:
                env.configure(connection=connection, version_table=VERSION_TABLE,
                              version_table_schema=META_SCHEMA, transactional_ddl=True)
                with env.begin_transaction():
                    env.run_migrations()
    finally:
        engine.dispose()
