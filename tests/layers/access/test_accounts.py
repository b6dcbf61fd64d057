"""Accounts: Argon2 hashes only, login, disable, bootstrap, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layers.access import accounts, audit, throttle
from layers.access.principal import AccessDenied, Principal
from layers.access.roles import ACCOUNT_ROLES, CENTRE_ROLES
from layers.schema import ACCOUNTS
from layers.store import Store, open_store
from scripts.mapa import main

PASSWORD = "correct horse battery"
ADMIN = Principal("boss", "admin")


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def test_only_an_argon2_hash_is_stored_and_login_works(store: Store) -> None:
    accounts.create_user(store, ADMIN, "nzdm", PASSWORD, "facilitator", centre="NZDM Rybáře")
    stored = store.read(ACCOUNTS)
    assert list(stored["username"]) == ["nzdm"]
    hashed = str(stored["password_hash"].iloc[0])
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert PASSWORD not in audit.read_log(store).to_csv()
    assert "password_hash" not in accounts.list_users(store, ADMIN).columns

    assert accounts.authenticate(store, "nzdm", PASSWORD) == Principal(
        "nzdm", "facilitator", "NZDM Rybáře")
    assert accounts.authenticate(store, "nzdm", PASSWORD + "x") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None
    log = audit.read_log(store)
    assert list(log["action"]) == ["create_account", "login", "login_failed", "login_failed"]
    # a name of no account is stored as a short hash (it may be a misplaced password)
    assert json.loads(log["object_ids"].iloc[-2]) == ["nzdm"]
    assert json.loads(log["object_ids"].iloc[-1]) == [accounts.login_key(stored["username"],
                                                                         "nobody")]
    assert "nobody" not in log.to_csv()


def test_disable_stops_login_and_refresh(store: Store) -> None:
    accounts.create_user(store, ADMIN, "pol", PASSWORD, "police")
    principal = accounts.authenticate(store, "pol", PASSWORD)
    assert principal is not None and accounts.refresh(store, principal) == principal
    assert accounts.disable_user(store, ADMIN, "pol") is True
    assert accounts.disable_user(store, ADMIN, "pol") is False
    assert accounts.authenticate(store, "pol", PASSWORD) is None
    assert accounts.refresh(store, principal) is None
    with pytest.raises(ValueError, match="own account"):
        accounts.disable_user(store, Principal("pol2", "admin"), "pol2")


def test_set_password(store: Store) -> None:
    accounts.create_user(store, ADMIN, "mod", PASSWORD, "moderator")
    accounts.set_password(store, ADMIN, "mod", "another long secret")
    assert accounts.authenticate(store, "mod", PASSWORD) is None
    assert accounts.authenticate(store, "mod", "another long secret") is not None


@pytest.mark.parametrize(("username", "password", "role", "centre", "problem"), [
    ("Bad Name", PASSWORD, "police", "", "username"),
    ("ok", "short", "police", "", "at least"),
    ("ok", PASSWORD, "public", "", "role"),
    ("ok", PASSWORD, "facilitator", "", "centre"),
])
def test_bad_accounts_are_refused(store: Store, username: str, password: str, role: str,
                                  centre: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        accounts.create_user(store, ADMIN, username, password, role, centre=centre)
    assert "accounts" not in store.layer_names()


def test_taken_username_and_non_admin_actor(store: Store) -> None:
    accounts.create_user(store, ADMIN, "urb", PASSWORD, "urbanist")
    with pytest.raises(ValueError, match="taken"):
        accounts.create_user(store, ADMIN, "urb", PASSWORD, "police")
    with pytest.raises(AccessDenied, match="manage_accounts"):
        accounts.create_user(store, Principal("urb", "urbanist"), "x2", PASSWORD, "police")
    with pytest.raises(AccessDenied):
        accounts.list_users(store, Principal("urb", "urbanist"))


def test_bootstrap_admin_only_once(store: Store) -> None:
    assert accounts.bootstrap_admin(store, "first", PASSWORD) is True
    assert accounts.bootstrap_admin(store, "second", PASSWORD) is False
    assert list(store.read(ACCOUNTS)["username"]) == ["first"]
    assert accounts.authenticate(store, "first", PASSWORD) == Principal("first", "admin")


def test_demo_accounts_cover_every_role() -> None:
    demo = accounts.demo_accounts(PASSWORD)
    assert set(demo["role"]) == set(ACCOUNT_ROLES)
    assert all(bool(centre) == (role in CENTRE_ROLES)
               for role, centre in zip(demo["role"], demo["centre"], strict=True))
    assert demo["password_hash"].str.startswith("$argon2id$").all()


def test_cli_user_and_audit(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("T_PASS", PASSWORD)
    where = ["--store", store.location]
    assert main(["user", "add", "kc", "--role", "facilitator", "--centre", "KC Kraslice",
                 "--password-env", "T_PASS", *where]) == 0
    assert main(["user", "add", "kc2", "--role", "police", "--password-env", "NOPE",
                 *where]) == 1
    assert main(["user", "list", "--json", *where]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [a["username"] for a in listed["accounts"]] == ["kc"]
    assert main(["user", "disable", "kc", *where]) == 0
    assert accounts.authenticate(store, "kc", PASSWORD) is None
    assert main(["export", "pins", "--town", "kraslice", "--format", "csv", "--out",
                 str(tmp_path / "pins.csv"), *where]) == 0
    out = tmp_path / "audit.csv"
    assert main(["audit", "--out", str(out), *where]) == 0
    text = out.read_text(encoding="utf-8")
    assert "create_account" in text and "disable_account" in text and PASSWORD not in text
    assert "export_internal_pins" in text  # exact pins that leave by the CLI are logged too
    assert "$argon2" not in text


def test_build_demo_creates_demo_accounts_only_with_a_password(tmp_path: Path) -> None:
    from layers.build import build_demo

    counts = build_demo(tmp_path / "demo.gpkg", demo_password=PASSWORD)
    store = open_store(tmp_path / "demo.gpkg")
    assert counts["accounts"] == len(ACCOUNT_ROLES) + 1
    assert accounts.authenticate(store, "nzdm-rybare", PASSWORD) == Principal(
        "nzdm-rybare", "facilitator", "NZDM Rybáře", frozenset({"karlovy-vary"}))
    assert PASSWORD not in store.read(ACCOUNTS).to_csv()


def test_build_demo_command_refuses_a_short_demo_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAPA_DEMO_PASSWORD", "short")
    assert main(["build-demo", "--store", str(tmp_path / "d.gpkg")]) == 1
    assert "MAPA_DEMO_PASSWORD" in capsys.readouterr().err
    assert not (tmp_path / "d.gpkg").exists()


def test_cli_user_unlock(store: Store, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    """``mapa user unlock`` lifts the wait of a client that failed too often, audited; an
    unknown account is refused with the one JSON error line."""
    accounts.create_user(store, Principal("boss", "admin"), "pol", PASSWORD, "police")
    for _ in range(throttle.PAIR_FREE):
        assert accounts.authenticate(store, "pol", "wrong password!", "here") is None
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(store, "pol", PASSWORD, "here")
    where = ["--store", store.location, "--json"]
    capsys.readouterr()
    assert main(["user", "unlock", "pol", *where]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == {"username": "pol", "forgotten": throttle.PAIR_FREE}
    assert accounts.authenticate(store, "pol", PASSWORD, "here") == Principal("pol", "police")
    log = audit.read_log(store)
    unlock = log[log["action"] == "unlock_account"].iloc[-1]
    assert unlock["username"].startswith("cli:") and json.loads(unlock["object_ids"]) == ["pol"]

    assert main(["user", "unlock", "nobody", *where]) != 0
    error = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]
    assert error["code"] == "account.unknown"


def test_cli_user_reset_and_role(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    """``mapa user reset`` prints a temporary password once (the next login must change it);
    ``mapa user role`` changes the role; both audited; a bad role change is one JSON error."""
    accounts.create_user(store, ADMIN, "pol", PASSWORD, "police")
    where = ["--store", store.location, "--json"]
    capsys.readouterr()
    assert main(["user", "reset", "pol", *where]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    temporary = out["temporary_password"]
    assert out["username"] == "pol" and len(temporary) >= accounts.MIN_PASSWORD
    assert accounts.authenticate(store, "pol", PASSWORD) is None
    assert accounts.authenticate(store, "pol", temporary) == Principal("pol", "police")
    assert accounts.must_change_password(store, "pol")

    assert main(["user", "role", "pol", "facilitator", "--centre", "NZDM Rybáře", *where]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == {"username": "pol", "role": "facilitator", "centre": "NZDM Rybáře"}
    assert accounts.principal_of(store, "pol") == Principal("pol", "facilitator", "NZDM Rybáře")
    log = audit.read_log(store)
    assert {"reset_password", "change_role"} <= set(log["action"])
    assert temporary not in log.to_csv()

    assert main(["user", "role", "pol", "facilitator", *where]) != 0  # no centre
    error = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"]
    assert error["code"] == "account.needs_centre"
