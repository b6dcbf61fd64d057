"""The store's catalog: layers, their columns and types, and the data version.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE SCHEMA IF NOT EXISTS mapa")
    op.create_table(
        "state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("store_id", sa.Text, nullable=False,
                  server_default=sa.text("gen_random_uuid()::text")),
        # bumped by every write transaction: the store's version() token
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
        sa.CheckConstraint("id = 1", name="state_single_row"),
        schema="mapa_meta",
    )
    op.execute("INSERT INTO mapa_meta.state (id) VALUES (1)")
    op.create_table(
        "layers",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        # NULL for attribute tables; else the PostGIS type of the "geom" column
        sa.Column("geometry_type", sa.Text, nullable=True),
        schema="mapa_meta",
    )
    op.create_table(
        "columns",
        sa.Column("layer", sa.Text, sa.ForeignKey("mapa_meta.layers.name", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        # the pandas kind the column is read back as (str, int64, float64, bool, …)
        sa.Column("kind", sa.Text, nullable=False),
        schema="mapa_meta",
    )


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS mapa CASCADE")
    op.drop_table("columns", schema="mapa_meta")
    op.drop_table("layers", schema="mapa_meta")
    op.drop_table("state", schema="mapa_meta")
