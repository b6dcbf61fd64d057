"""Towns are tenants: accounts get the towns they act for (``towns``, ``regions``) and audit
entries the town they concern (``town_id``), as the text columns of ``LATER_COLUMNS``.

An account from before (both columns empty) is given what it could reach until now
(``layers.access.accounts.legacy_scope``): an admin every town ("*"), anyone else the towns
the store holds at this migration. Audit entries keep their hashes: an empty ``town_id`` is
not part of a row's hash (``layers.store.chain``).
"""

from __future__ import annotations

import json

from alembic import op

from layers.store.migrations import driver_connection

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    # the store's own upgrade, so a table copied in from an older store later gets them alike
    from layers.store.postgis import add_later_columns

    connection = driver_connection()
    add_later_columns(connection)
    exists = connection.execute("SELECT to_regclass('mapa.accounts') IS NOT NULL, "
                                "to_regclass('mapa.towns') IS NOT NULL").fetchone()
    assert exists is not None
    has_accounts, has_towns = exists
    if not has_accounts:
        return
    towns = [str(row[0]) for row in connection.execute(
        "SELECT town_id FROM mapa.towns ORDER BY town_id")] if has_towns else []
    connection.execute(
        "UPDATE mapa.accounts SET towns = CASE WHEN role = 'admin' THEN '*' ELSE %s END, "
        "regions = '[]' WHERE coalesce(towns, '') = '' AND coalesce(regions, '') = ''",
        (json.dumps(towns, ensure_ascii=False),))


def downgrade() -> None:
    op.execute("ALTER TABLE IF EXISTS mapa.accounts DROP COLUMN IF EXISTS towns, "
               "DROP COLUMN IF EXISTS regions")
    op.execute("ALTER TABLE IF EXISTS mapa.audit_log DROP COLUMN IF EXISTS town_id")
    op.execute("DELETE FROM mapa_meta.columns WHERE (layer = 'accounts' "
               "AND name IN ('towns', 'regions')) OR (layer = 'audit_log' AND name = 'town_id')")
