"""Fixtures of the access tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.access import accounts
from layers.store import Store, open_store

#: The password of the accounts in :func:`two_accounts`.
PASSWORD = "correct horse battery"


@pytest.fixture(params=["gpkg", "postgis"])
def two_accounts(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A store with the accounts admin and pol (police), on each backend."""
    location = str(tmp_path / "s.gpkg") if request.param == "gpkg" \
        else str(request.getfixturevalue("pg_url"))
    store = open_store(location)
    store.replace_all({"accounts": accounts.accounts_frame([
        accounts.account_row("admin", PASSWORD, "admin"),
        accounts.account_row("pol", PASSWORD, "police")])})
    return store
