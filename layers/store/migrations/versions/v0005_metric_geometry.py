"""Layers measured in metres keep their geometry in EPSG:5514 too: every stored layer of
``METRIC_LAYERS`` gets the generated column ``geom_5514`` (``ST_Transform(geom, 5514)``,
stored) with a GiST index, so grid counts and nearest distances run in SQL on an index
without reprojecting a layer per request.
"""

from __future__ import annotations

from alembic import op

from layers.store.migrations import driver_connection

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    # the store's own helper, so a layer created later gets the same column and index
    from layers.store.postgis import add_metric_geometry

    add_metric_geometry(driver_connection())


def downgrade() -> None:
    from layers.schema import METRIC_LAYERS

    for spec in METRIC_LAYERS:  # the index goes with its column
        op.execute(f'ALTER TABLE IF EXISTS mapa."{spec.name}" DROP COLUMN IF EXISTS geom_5514')
