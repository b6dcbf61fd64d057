"""Shared fixtures: a demo store built once per test session.

The tests never read the developer's own secrets: ``./scripts/run`` writes the first admin's
password to ``.streamlit/secrets.toml``, and Streamlit copies its root keys into
``os.environ`` when an AppTest reads them, which would give every later test store an admin.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit import config as streamlit_config

from layers.access.backup_key import BACKUP_KEY
from layers.access.first_run import ADMIN_PASSWORD, ADMIN_USER
from layers.build import build_demo
from layers.store import Store, open_store
from tests.app.e2e_support import NO_SECRETS
from tests.pg_cluster import pg_cluster, pg_url  # noqa: F401 - fixtures for every test

streamlit_config.set_option("secrets.files", [str(NO_SECRETS)])


@pytest.fixture(autouse=True)
def _no_admin_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that want a configured first admin (or a backup key) set it themselves."""
    for name in (ADMIN_USER, ADMIN_PASSWORD, BACKUP_KEY):
        monkeypatch.delenv(name, raising=False)


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
