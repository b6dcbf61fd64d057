"""Write counters per (layer, town), so caches of one town survive writes to another.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("layer", sa.Text, primary_key=True),
        # "" for rows of no town (layers not kept per town)
        sa.Column("town_id", sa.Text, primary_key=True),
        # bumped by every write transaction that adds, changes or deletes such rows
        sa.Column("version", sa.BigInteger, nullable=False),
        schema="mapa_meta",
    )


def downgrade() -> None:
    op.drop_table("versions", schema="mapa_meta")
