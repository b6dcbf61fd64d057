"""Shared fixtures: a demo store built once per test session.

The tests never read the developer's own secrets: ``./scripts/run`` writes the first admin's
password to ``.streamlit/secrets.toml``, and Streamlit copies its root keys into
``os.environ`` when an AppTest reads them, which would give every later test store an admin.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit import config as streamlit_config
from streamlit.components.v2 import manifest_scanner

from layers.access import accounts
from layers.access.backup_key import BACKUP_KEY
from layers.access.first_run import ADMIN_PASSWORD, ADMIN_USER
from layers.build import build_demo
from layers.store import Store, open_store
from tests.app.e2e_support import NO_SECRETS
from tests.pg_cluster import (  # noqa: F401 - fixtures for every test
    demo_pg_template,
    demo_pg_url,
    pg_cluster,
    pg_url,
)

streamlit_config.set_option("secrets.files", [str(NO_SECRETS)])


@pytest.fixture(autouse=True)
def _no_admin_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that want a configured first admin (or a backup key) set it themselves."""
    for name in (ADMIN_USER, ADMIN_PASSWORD, BACKUP_KEY):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Passwords hashed in the test process use Argon2id at its lowest cost. The deployment's
    cost (64 MiB, three passes) takes a tenth of a second a hash or a check, and the suite
    makes hundreds of accounts and logins. Still Argon2id, checked the same way; a served app
    rehashes such a password at its own cost on the first login, as any outdated hash."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                          parallelism=1))
        yield


@pytest.fixture(scope="session", autouse=True)
def _component_scan_once() -> Iterator[None]:
    """Each new AppTest scans the metadata of every installed distribution for Streamlit
    components (about 0.4 s: 500 packages' metadata parsed); the installed packages do not
    change while the tests run, so the first scan's answer serves every later AppTest. A
    served app (``streamlit run``) scans once at its start, as before."""
    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda: list(found))
        yield


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
