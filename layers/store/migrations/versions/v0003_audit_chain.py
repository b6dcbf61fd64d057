"""The audit log becomes a hash chain: an existing log gets ``prev_hash`` and ``hash`` and
its entries are linked in stored order (``layers.store.chain``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the store's own upgrade, so a log copied in from an older store later is linked alike
    from layers.store.postgis import chain_stored_layers

    connection = op.get_bind().connection.driver_connection  # psycopg's, in this transaction
    assert connection is not None
    chain_stored_layers(connection)


def downgrade() -> None:
    op.execute("ALTER TABLE IF EXISTS mapa.audit_log DROP COLUMN IF EXISTS prev_hash, "
               "DROP COLUMN IF EXISTS hash")
    op.execute("DELETE FROM mapa_meta.columns WHERE layer = 'audit_log' "
               "AND name IN ('prev_hash', 'hash')")
