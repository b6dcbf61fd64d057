"""Shared fixtures: a demo store built once per test session."""

from __future__ import annotations

import shutil
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


@pytest.fixture
def demo_store_copy(demo_store_path: Path, tmp_path: Path) -> Store:
    """A private, writable copy of the demo store for one test."""
    path = tmp_path / "demo-copy.gpkg"
    shutil.copy(demo_store_path, path)
    return open_store(path)
