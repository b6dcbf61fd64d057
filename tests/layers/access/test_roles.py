"""Rights per role, and the principal's checks."""

from __future__ import annotations

import pytest

from layers.access import roles
from layers.access.principal import PUBLIC_PRINCIPAL, AccessDenied, Principal

EXPECTED = {
    "public": {"view_public"},
    "facilitator": {"view_public", "run_sessions"},
    "moderator": {"view_public", "moderate", "view_exact_sensitive"},
    "police": {"view_public", "view_exact_sensitive", "plan_patrols", "propose_measures"},
    "urbanist": {"view_public", "edit_urban"},
    "strategy_coordinator": {"view_public", "edit_strategy", "propose_measures"},
    "admin": set(roles.ALL_RIGHTS),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_has_exactly_its_rights(role: str) -> None:
    assert roles.rights_of(role) == EXPECTED[role]
    principal = Principal("u", role, "NZDM Rybáře" if role == "facilitator" else "")
    for right in roles.ALL_RIGHTS:
        if right in EXPECTED[role]:
            principal.require(right)
        else:
            with pytest.raises(AccessDenied, match=right):
                principal.require(right)


def test_who_sees_exact_sensitive_pins() -> None:
    sees = {role for role in roles.ROLES if roles.VIEW_EXACT_SENSITIVE in roles.rights_of(role)}
    assert sees == {"moderator", "police", "admin"}
    assert tuple(r for r in roles.ROLES if r != "public") == roles.ACCOUNT_ROLES


def test_unknown_role_and_facilitator_without_centre_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        Principal("u", "mayor")
    with pytest.raises(ValueError, match="needs a centre"):
        Principal("u", "facilitator", " ")


def test_session_scope() -> None:
    facilitator = Principal("u", "facilitator", "NZDM Rybáře")
    assert facilitator.owns_session("NZDM Rybáře ")
    assert not facilitator.owns_session("APK Litvínov")
    assert not facilitator.sees_all_centres()
    assert Principal("p", "police").owns_session("APK Litvínov")
    assert PUBLIC_PRINCIPAL.is_public and not PUBLIC_PRINCIPAL.can("run_sessions")
