"""Log tests in: one account per role in a store copy, an AppTest principal, a password.

The password is made for each test run (nothing secret lives in the repository); stores given
here must be copies, since accounts and audit entries are written into them.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Final

from streamlit.testing.v1 import AppTest

from app.ui.access import PRINCIPAL_KEY
from layers.access.accounts import create_user
from layers.access.principal import Principal
from layers.access.roles import ADMIN
from layers.schema import ACCOUNTS
from layers.store import open_store

#: The app's entry point, as AppTest runs it.
MAIN: Final = str(Path(__file__).resolve().parents[2] / "app" / "main.py")

#: The password of every test account, new for each run.
PASSWORD: Final = secrets.token_urlsafe(16)
#: role → (username, centre). The facilitators' centres organised demo sessions (see
#: ``layers.sources.synthetic``): NZDM Rybáře in Karlovy Vary, MY Litvínov in Litvínov.
USERS: Final = {
    "admin": ("t-admin", ""),
    "moderator": ("t-moderator", ""),
    "police": ("t-police", ""),
    "urbanist": ("t-urbanist", ""),
    "strategy_coordinator": ("t-coordinator", ""),
    "facilitator": ("t-nzdm", "NZDM Rybáře"),
    "facilitator_litvinov": ("t-mylitvinov", "spolek MY Litvínov"),
}


def role_of(key: str) -> str:
    return key.split("_litvinov")[0]


def add_accounts(store_path: Path | str, *keys: str) -> None:
    """Create the accounts ``keys`` of :data:`USERS` (all when none given) in the store at
    ``store_path`` (a GeoPackage path or a ``postgresql://`` URL), unless they exist already."""
    store = open_store(store_path)
    actor = Principal("test-setup", ADMIN)
    present = set(store.read(ACCOUNTS)["username"]) if "accounts" in store.layer_names() \
        else set()
    for key in keys or tuple(USERS):
        username, centre = USERS[key]
        if username not in present:
            create_user(store, actor, username, PASSWORD, role_of(key), centre=centre)


def principal(key: str) -> Principal:
    username, centre = USERS[key]
    return Principal(username, role_of(key), centre)


def login_as(at: AppTest, store_path: Path, key: str) -> AppTest:
    """Create the account ``key`` in ``store_path`` and log ``at`` in as it (before a run)."""
    add_accounts(store_path, key)
    at.session_state[PRINCIPAL_KEY] = principal(key)
    return at


def open_page(store_path: Path, key: str, script: str, town_id: str = "litvinov") -> AppTest:
    """The app (``app/main.py``) logged in as the account ``key``, in Czech, in ``town_id``,
    switched to the page ``script`` (not run yet on it)."""
    at = login_as(AppTest.from_file(MAIN, default_timeout=60), store_path, key)
    at.session_state["town_id"] = town_id
    at.session_state["lang"] = "cs"
    at.run()
    at.switch_page(script)
    return at
