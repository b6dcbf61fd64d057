"""Towns as tenants, on both backends: an account acts in its towns (or its region's) only,
the rights check takes the town, the audit log names it, and an admin of a town manages the
accounts of its town only."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from layers.access import accounts, audit, guarded
from layers.access.principal import PUBLIC_PRINCIPAL, AccessDenied, Principal
from layers.mapping import moderation
from layers.mapping.sessions import SessionInput
from layers.schema import ACCOUNTS, PINS, SESSIONS, TOWNS
from layers.store import Store, migrations, open_store
from tests.layers.access.conftest import PASSWORD

KRASLICE_CENTRE = "terénní pracovníci"
OPERATOR = Principal("cli:test", "admin")


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, demo_store: Store, tmp_path: Path) -> Store:
    """The demo's towns, sessions and pins on each backend, with accounts of one town (the
    facilitator and admin of Kraslice), of a region (a moderator of Karlovarský kraj) and of
    Litvínov."""
    location = str(tmp_path / "s.gpkg") if request.param == "gpkg" \
        else str(request.getfixturevalue("pg_url"))
    target = open_store(location)
    target.replace_all({spec.name: demo_store.read(spec) for spec in (TOWNS, SESSIONS, PINS)})
    kraslice = accounts.resolve_scope(target, ["Kraslice"])
    for username, role, centre, scope in [
            ("k-fac", "facilitator", KRASLICE_CENTRE, kraslice),
            ("k-admin", "admin", "", kraslice),
            ("kv-mod", "moderator", "", accounts.resolve_scope(target, [],
                                                               ["Karlovarský kraj"])),
            ("l-fac", "facilitator", "spolek MY Litvínov",
             accounts.resolve_scope(target, ["litvinov"]))]:
        accounts.create_user(target, OPERATOR, username, PASSWORD, role, centre, scope=scope)
    return target


def _login(store: Store, username: str) -> Principal:
    principal = accounts.authenticate(store, username, PASSWORD, pause=lambda _s: None)
    assert principal is not None
    return principal


def test_accounts_carry_their_towns_and_a_region_its_towns(store: Store) -> None:
    assert _login(store, "k-fac").towns == frozenset({"kraslice"})
    assert _login(store, "kv-mod").towns == frozenset({"kraslice", "karlovy-vary"})
    assert PUBLIC_PRINCIPAL.towns is None and OPERATOR.towns is None
    with pytest.raises(AccessDenied) as refused:
        _login(store, "k-fac").require("run_sessions", town="litvinov")
    assert refused.value.code == "access.other_town"
    assert refused.value.message("cs").startswith("účet k-fac (role facilitator) nepatří")
    _login(store, "k-fac").require("run_sessions", town="kraslice")


def test_a_kraslice_facilitator_sees_kraslice_sessions_and_pins_only(store: Store) -> None:
    facilitator = _login(store, "k-fac")
    sessions = guarded.sessions_for(facilitator, store)
    assert list(sessions["session_id"]) == ["kraslice-deti-nzdm"]
    with pytest.raises(AccessDenied):
        guarded.sessions_for(facilitator, store, "litvinov")
    own = guarded.pins_for(facilitator, store, "kraslice")
    assert own.exact and set(own.pins["session_id"]) == {"kraslice-deti-nzdm"}
    # Litvínov is a public page to it: the public view, like anyone's
    other = guarded.pins_for(facilitator, store, "litvinov")
    assert not other.exact and set(other.pins["status"]) == {"approved"}
    with pytest.raises(AccessDenied):
        guarded.add_pins(facilitator, store, "litvinov-deti-libuse", [])
    with pytest.raises(AccessDenied):
        guarded.create_session(facilitator, store, SessionInput(
            town_id="litvinov", date="2026-12-01", place="x", organiser=KRASLICE_CENTRE,
            age_group="adults", participants=3, method="paper", consent="yes"))
    with pytest.raises(AccessDenied):
        guarded.export_pins(facilitator, store, "litvinov", Path("unused.csv"), "csv",
                            session_id="litvinov-deti-libuse")
    # the Litvínov facilitator of the same role sees its own town, not Kraslice
    assert set(guarded.sessions_for(_login(store, "l-fac"), store)["town_id"]) == {"litvinov"}


def test_a_regional_moderator_moderates_its_region_only_and_the_log_names_the_town(
        store: Store) -> None:
    moderator = _login(store, "kv-mod")
    assert set(guarded.sessions_for(moderator, store)["town_id"]) == {"kraslice",
                                                                      "karlovy-vary"}
    litvinov = moderation.select_session(store, "litvinov-deti-libuse")
    with pytest.raises(AccessDenied):
        guarded.approve_selection(moderator, store, litvinov)
    pending = store.read(PINS, "litvinov")
    with pytest.raises(AccessDenied):
        guarded.approve(moderator, store, list(pending["pin_id"].head(2)))
    assert guarded.approve_selection(
        moderator, store, moderation.select_session(store, "kraslice-deti-nzdm")) == 9
    log = audit.read_log(store)
    decision = log[log["action"] == "approve_pins"]
    assert list(decision["town_id"]) == ["kraslice"]
    assert audit.verify_log(store, OPERATOR).verified


def test_an_admin_of_a_town_manages_its_accounts_only(store: Store) -> None:
    admin = _login(store, "k-admin")
    assert list(accounts.list_users(store, admin)["username"]) == ["k-admin", "k-fac"]
    for change in (lambda: accounts.set_role(store, admin, "l-fac", "moderator"),
                   lambda: accounts.disable_user(store, admin, "kv-mod"),
                   lambda: accounts.reset_password(store, admin, "l-fac"),
                   lambda: accounts.create_user(
                       store, admin, "new-l", PASSWORD, "police",
                       scope=accounts.resolve_scope(store, ["litvinov"])),
                   lambda: accounts.set_scope(store, admin, "k-fac", accounts.EVERY_TOWN)):
        with pytest.raises(AccessDenied):
            change()
    # without towns a new account gets its creator's
    accounts.create_user(store, admin, "k-pol", PASSWORD, "police")
    assert _login(store, "k-pol").towns == frozenset({"kraslice"})
    log = audit.audit_log(store, admin)
    assert set(log["town_id"]) == {"kraslice"}
    created = log[(log["action"] == "create_account")
                  & (log["object_ids"] == json.dumps(["k-pol"]))]
    assert json.loads(created["detail"].iloc[0])["towns"] == ["kraslice"]
    assert len(audit.audit_log(store, OPERATOR)) > len(log)


def test_an_account_from_before_tenants_keeps_what_it_had(store: Store) -> None:
    """Rows without towns (a store from before): an admin every town, others the store's."""
    rows = pd.DataFrame(store.read(ACCOUNTS)).reindex(columns=list(ACCOUNTS.columns))
    legacy = rows.assign(towns="", regions="")
    store.replace_all({spec.name: store.read(spec) for spec in (TOWNS, SESSIONS, PINS)}
                      | {ACCOUNTS.name: legacy})
    assert accounts.principal_of(store, "k-admin") == Principal("k-admin", "admin", "", None)
    assert accounts.principal_of(store, "k-fac") == Principal(
        "k-fac", "facilitator", KRASLICE_CENTRE, frozenset({"litvinov", "kraslice",
                                                            "karlovy-vary"}))


def test_the_postgis_migration_gives_old_accounts_their_towns(pg_url: str,
                                                              demo_store: Store) -> None:
    store = open_store(pg_url)
    old = accounts.accounts_frame([accounts.account_row("boss", PASSWORD, "admin"),
                                   accounts.account_row("pol", PASSWORD, "police")])
    store.replace_all({TOWNS.name: demo_store.read(TOWNS),
                       ACCOUNTS.name: old.drop(columns=["towns", "regions"])})
    with psycopg.connect(pg_url) as conn:  # as a store left at the revision before tenants
        conn.execute("ALTER TABLE mapa.accounts DROP COLUMN IF EXISTS towns, "
                     "DROP COLUMN IF EXISTS regions")
        conn.execute(f"DELETE FROM {migrations.META_SCHEMA}.columns WHERE layer = 'accounts' "
                     "AND name IN ('towns', 'regions')")
        conn.execute(f"UPDATE {migrations.META_SCHEMA}.{migrations.VERSION_TABLE} "
                     "SET version_num = '0005'")
    migrations.upgrade(pg_url)
    reopened = open_store(pg_url)
    assert reopened.check() == []
    stored = pd.DataFrame(reopened.read(ACCOUNTS)).set_index("username")
    assert stored.loc["boss", "towns"] == accounts.ALL_TOWNS
    assert json.loads(stored.loc["pol", "towns"]) == ["karlovy-vary", "kraslice", "litvinov"]
