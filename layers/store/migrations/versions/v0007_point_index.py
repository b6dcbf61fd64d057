"""One town's points are read from an index: every stored layer whose spec names
``analysed`` columns gets a B-tree on (town, fid) that includes them and ``geom_5514``, so
``Store.read_points`` scans only that town's index entries (an index-only scan), however its
rows are spread over the table.
"""

from __future__ import annotations

from alembic import op

from layers.store.migrations import driver_connection

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    # the store's own helper (idempotent), so a layer created later gets the same index
    from layers.store.postgis import add_metric_geometry

    add_metric_geometry(driver_connection())


def downgrade() -> None:
    from layers.schema import METRIC_LAYERS

    for spec in METRIC_LAYERS:
        if spec.analysed:
            op.execute(f'DROP INDEX IF EXISTS mapa."{spec.name}_points"')
