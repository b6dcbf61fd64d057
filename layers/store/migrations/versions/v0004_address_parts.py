"""Address points name their part of town and orientation number, and know their import:
an existing ``address_points`` table gets the text columns of ``LATER_COLUMNS`` (empty for
its rows) and their catalog entries.
"""

from __future__ import annotations

from alembic import op

from layers.store.migrations import driver_connection

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    # the store's own upgrade, so a table copied in from an older store later gets them alike
    from layers.store.postgis import add_later_columns

    add_later_columns(driver_connection())


def downgrade() -> None:
    op.execute("ALTER TABLE IF EXISTS mapa.address_points DROP COLUMN IF EXISTS part, "
               "DROP COLUMN IF EXISTS orientation_number, DROP COLUMN IF EXISTS batch_id")
    op.execute("DELETE FROM mapa_meta.columns WHERE layer = 'address_points' "
               "AND name IN ('part', 'orientation_number', 'batch_id')")
