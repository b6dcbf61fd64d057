"""Fixtures for the PostGIS backend: a throwaway cluster per test process, a database per test.

Each pytest process (each xdist worker) starts its own cluster on a unix socket in a private
temporary directory (``layers.store.pg_cluster``), so workers never share ports or data. A
missing PostgreSQL or PostGIS is an error, never a skip (``scripts/test`` installs them).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[TemporaryCluster]:
    """A running throwaway PostgreSQL cluster with PostGIS (stopped after the session)."""
    with TemporaryCluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: TemporaryCluster) -> Iterator[str]:
    """URL of a fresh, empty database with PostGIS, for this test only."""
    url = pg_cluster.new_database()
    yield url
    close_pools(url)
