"""A private copy of the demo store per test, and the committed ingest fixtures."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from layers.store import Store, open_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


@pytest.fixture
def store(tmp_path: Path, demo_store_path: Path) -> Store:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    return open_store(path)


def digest(store: Store) -> str:
    """SHA-256 of the store file: equal digests = byte-identical store."""
    return hashlib.sha256(Path(store.location).read_bytes()).hexdigest()
