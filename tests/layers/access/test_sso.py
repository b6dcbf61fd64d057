"""Single sign-on: a directory's claims to the app's role, and the audit of a sign-in."""

from __future__ import annotations

import json

import pytest

from layers.access import accounts, sso
from layers.access.audit import stored_log
from layers.access.principal import Principal
from layers.access.roles import PUBLIC
from layers.store import Store


@pytest.mark.parametrize(("value", "role"), [
    ("moderator", "moderator"),
    (" Police ", "police"),
    (["staff", "urbanist", "admin"], "urbanist"),  # a directory's groups: the first role known
    (["staff"], None),
    ("public", None),  # the public is no role a directory can grant
    (None, None),
    (42, None),
])
def test_the_role_claim_names_a_role_of_the_app(value: object, role: str | None) -> None:
    assert sso.role_of({"mapa_role": value}) == role


def test_a_directory_person_is_named_apart_from_local_accounts() -> None:
    principal = sso.principal_of({"sub": "admin", "skupiny": "admin"}, role_claim="skupiny")
    assert principal == Principal("sso:admin", "admin")
    assert sso.is_sso(principal) and not sso.is_sso(Principal("admin", "admin"))
    named = sso.principal_of({"sub": "x1", "email": "eva@mesto.example",
                              "mapa_role": "police"})
    assert named.username == "sso:eva@mesto.example" and named.role == "police"


def test_the_towns_claim_gives_a_person_its_towns() -> None:
    claims: dict[str, object] = {"sub": "jana", "mapa_role": "facilitator",
                                 "mapa_centre": "NZDM Kraslice"}
    assert sso.principal_of(claims).towns is None  # no claim: every town, as before
    jana = sso.principal_of({**claims, "mapa_towns": ["kraslice", " sokolov "]})
    assert jana.towns == frozenset({"kraslice", "sokolov"})
    assert jana.covers("kraslice") and not jana.covers("litvinov")
    named = sso.principal_of({**claims, "obce": "kraslice"}, towns_claim="obce")
    assert named.towns == frozenset({"kraslice"})


def test_without_a_role_or_a_facilitators_centre_a_person_is_the_public() -> None:
    assert sso.principal_of({"sub": "petr"}) == Principal("sso:petr", PUBLIC)
    assert sso.principal_of({"sub": "jana", "mapa_role": "facilitator"}).is_public
    jana = sso.principal_of({"sub": "jana", "mapa_role": "facilitator",
                             "mapa_centre": "NZDM Kraslice"})
    assert (jana.role, jana.centre) == ("facilitator", "NZDM Kraslice")


def test_a_sign_in_is_audited_like_a_password_login(two_accounts: Store) -> None:
    anna = sso.principal_of({"sub": "anna", "mapa_role": "moderator"})
    petr = sso.principal_of({"sub": "petr"})
    sso.record_login(two_accounts, anna)
    sso.record_login(two_accounts, petr)
    log = stored_log(two_accounts)
    rows = log[log["username"].str.startswith("sso:")]
    assert list(zip(rows["username"], rows["role"], rows["action"], strict=True)) == [
        ("sso:anna", "moderator", "login"), ("sso:petr", "public", "login_no_role")]
    assert {json.loads(d)["via"] for d in rows["detail"]} == {"oidc"}
    # no account was made for them
    assert accounts.principal_of(two_accounts, "sso:anna") is None
