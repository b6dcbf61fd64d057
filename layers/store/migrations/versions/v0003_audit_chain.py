"""The audit log becomes a hash chain: an existing log gets ``prev_hash`` and ``hash`` and
its entries are linked in stored order (``layers.store.chain``).
"""

from __future__ import annotations

from alembic import op

from layers.store.migrations import driver_connection

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    # the store's own upgrade, so a log copied in from an older store later is linked alike
    from layers.store.postgis import chain_stored_layers

    chain_stored_layers(driver_connection())


def downgrade() -> None:
    op.execute("ALTER TABLE IF EXISTS mapa.audit_log DROP COLUMN IF EXISTS prev_hash, "
               "DROP COLUMN IF EXISTS hash")
    op.execute("DELETE FROM mapa_meta.columns WHERE layer = 'audit_log' "
               "AND name IN ('prev_hash', 'hash')")
