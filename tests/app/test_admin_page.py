"""The Admin page's forms say in the user's language why an action was not done, also when
the store itself fails (a full disk, the database gone): never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.navigation import page_script
from layers.access import accounts
from layers.errors import StoreFailure
from tests.app.access_support import USERS, add_accounts, open_page


def test_a_store_failure_on_disabling_an_account_is_said_in_czech(
        demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    add_accounts(path, "police")  # an account to disable
    at = open_page(path, "admin", page_script("admin")).run()
    assert not at.exception

    def full_disk(*_: Any, **__: Any) -> None:  # the write the store could not make
        raise StoreFailure("store.disk_full", location=str(path), detail="No space left")

    monkeypatch.setattr(accounts, "disable_user", full_disk)
    at.selectbox(key="admin_disable_user").set_value(USERS["police"][0])
    at.button(key="admin_disable").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "na disku úložiště" in errors[0] and "došlo místo" in errors[0]
