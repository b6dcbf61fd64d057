"""The roles of Mapa bezpečí and the rights each one has.

A right names something a user may do; functions in ``layers`` check rights, never role
names, so a role's powers are read from :data:`RIGHTS` alone. The role codes and their labels
are those of ``layers.vocabulary.ROLE``; :data:`RIGHTS` gives every one of them its rights.
"""

from __future__ import annotations

from typing import Final

from layers.vocabulary import ROLE

#: Everyone, logged in or not: aggregated, approved, non-sensitive data only.
VIEW_PUBLIC: Final = "view_public"
#: Create mapping sessions, capture and transcribe pins, see the own centre's sessions' pins.
RUN_SESSIONS: Final = "run_sessions"
#: Approve, reject and re-categorise pins (sees pending pins and comments).
MODERATE: Final = "moderate"
#: Exact points of sensitive pins and internal exports, of every centre's sessions.
VIEW_EXACT_SENSITIVE: Final = "view_exact_sensitive"
PLAN_PATROLS: Final = "plan_patrols"
EDIT_STRATEGY: Final = "edit_strategy"
#: Add a measure in status "planned" (e.g. a patrol plan turned into a measure); editing goals,
#: statuses and indicators stays with ``edit_strategy``.
PROPOSE_MEASURES: Final = "propose_measures"
EDIT_URBAN: Final = "edit_urban"
#: Imports, validation and batches of the Data page.
MANAGE_DATA: Final = "manage_data"
#: Accounts and the audit log.
MANAGE_ACCOUNTS: Final = "manage_accounts"

ALL_RIGHTS: Final = (VIEW_PUBLIC, RUN_SESSIONS, MODERATE, VIEW_EXACT_SENSITIVE, PLAN_PATROLS,
                     EDIT_STRATEGY, PROPOSE_MEASURES, EDIT_URBAN, MANAGE_DATA, MANAGE_ACCOUNTS)

PUBLIC: Final = ROLE.code("public")
FACILITATOR: Final = ROLE.code("facilitator")
MODERATOR: Final = ROLE.code("moderator")
POLICE: Final = ROLE.code("police")
URBANIST: Final = ROLE.code("urbanist")
STRATEGY_COORDINATOR: Final = ROLE.code("strategy_coordinator")
ADMIN: Final = ROLE.code("admin")

#: Role → rights. ``public`` is the visitor who has not logged in; no account has it.
RIGHTS: Final[dict[str, frozenset[str]]] = {
    PUBLIC: frozenset({VIEW_PUBLIC}),
    FACILITATOR: frozenset({VIEW_PUBLIC, RUN_SESSIONS}),
    MODERATOR: frozenset({VIEW_PUBLIC, MODERATE, VIEW_EXACT_SENSITIVE}),
    POLICE: frozenset({VIEW_PUBLIC, VIEW_EXACT_SENSITIVE, PLAN_PATROLS, PROPOSE_MEASURES}),
    URBANIST: frozenset({VIEW_PUBLIC, EDIT_URBAN}),
    STRATEGY_COORDINATOR: frozenset({VIEW_PUBLIC, EDIT_STRATEGY, PROPOSE_MEASURES}),
    ADMIN: frozenset(ALL_RIGHTS),
}
ROLES: Final = ROLE.codes
#: Roles an account may have (everyone but the anonymous visitor).
ACCOUNT_ROLES: Final = tuple(role for role in ROLES if role != PUBLIC)
#: Roles bound to one centre: they see only sessions their centre organised.
CENTRE_ROLES: Final = frozenset({FACILITATOR})


def rights_of(role: str) -> frozenset[str]:
    """The rights of ``role``. Raises ``ValueError`` for an unknown role."""
    try:
        return RIGHTS[role]
    except KeyError:
        raise ValueError(f"unknown role {role!r}; expected one of {list(ROLES)}") from None
