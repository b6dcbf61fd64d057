"""A private copy of the demo store per test, and the committed ingest fixtures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from layers.store import Store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def digest(store: Store) -> str:
    """SHA-256 of the store file: equal digests = byte-identical store."""
    return hashlib.sha256(Path(store.location).read_bytes()).hexdigest()
