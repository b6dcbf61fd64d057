"""Fixtures for the PostGIS backend: a throwaway cluster per test process, a database per test.

Each pytest process (each xdist worker) starts its own cluster on a unix socket in a private
temporary directory (``layers.store.pg_cluster``), so workers never share ports or data. A
missing PostgreSQL or PostGIS is an error, never a skip (``scripts/test`` installs them).
A test that needs the demo store on PostGIS gets a copy of a template database that holds
it (``demo_pg_url``): copying the store row by row into each test's database took seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from layers.store import Store, open_store
from layers.store.pg_cluster import TemporaryCluster
from layers.store.postgis import close_pools
from layers.store.transfer import copy_store

#: The template database holding the demo store, made once per test process.
DEMO_TEMPLATE = "mapa_demo_template"


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


@pytest.fixture(scope="session")
def demo_pg_template(pg_cluster: TemporaryCluster, demo_store: Store) -> str:
    """Name of a template database holding the demo store (copied with ``copy_store``, as
    ``mapa migrate`` does), made once; nobody stays connected to it, so it can be copied."""
    url = pg_cluster.new_database(DEMO_TEMPLATE)
    copy_store(demo_store, open_store(url))
    close_pools(url)
    return DEMO_TEMPLATE


@pytest.fixture
def demo_pg_url(pg_cluster: TemporaryCluster, demo_pg_template: str) -> Iterator[str]:
    """URL of a fresh database holding the demo store, for this test only."""
    url = pg_cluster.new_database(template=demo_pg_template)
    yield url
    close_pools(url)
