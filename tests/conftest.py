"""Shared fixtures: a demo store built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.build import build_demo
from layers.store import Store, open_store
from tests.pg_cluster import pg_cluster, pg_url  # noqa: F401 - fixtures for every test


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a freshly built demo GeoPackage (read-only for tests: copy it to modify)."""
    path = tmp_path_factory.mktemp("store") / "demo.gpkg"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_store_path: Path) -> Store:
    return open_store(demo_store_path)
