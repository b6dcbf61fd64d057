"""Single sign-on by OpenID Connect: who a person from the town's directory is in the app.

The identity provider vouches for the person (its ID token's claims); one claim, named by
``MAPA_OIDC_ROLE_CLAIM`` (default ``mapa_role``), says the app's role: a role code
(``moderator``) or a list of them (a directory's groups), of which the first role the app
knows wins. A facilitator also needs a centre (``MAPA_OIDC_CENTRE_CLAIM``, default
``mapa_centre``). The towns a person acts for come from ``MAPA_OIDC_TOWNS_CLAIM`` (default
``mapa_towns``: a town id or a list of them); without that claim a role holds in every town,
as before towns were tenants. Anyone else signed in by the provider is the public: no staff
right comes from a signature alone. Such principals are never accounts of the store: their usernames
start with :data:`USERNAME_PREFIX`, so no directory name can pass for a local account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from layers.access import audit
from layers.access.principal import Principal
from layers.access.roles import ACCOUNT_ROLES, CENTRE_ROLES, PUBLIC
from layers.schema import ACCOUNTS
from layers.store import Store

#: Settings (environment or Streamlit secrets) naming the claims of the role and the centre.
ROLE_CLAIM: Final = "MAPA_OIDC_ROLE_CLAIM"
CENTRE_CLAIM: Final = "MAPA_OIDC_CENTRE_CLAIM"
TOWNS_CLAIM: Final = "MAPA_OIDC_TOWNS_CLAIM"
DEFAULT_ROLE_CLAIM: Final = "mapa_role"
DEFAULT_CENTRE_CLAIM: Final = "mapa_centre"
DEFAULT_TOWNS_CLAIM: Final = "mapa_towns"
#: Start of every signed-in person's username: never a local account's.
USERNAME_PREFIX: Final = "sso:"


def role_of(claims: Mapping[str, object], claim: str = DEFAULT_ROLE_CLAIM) -> str | None:
    """The first role code of the app in ``claims[claim]`` (a string or a list of them, any
    case, spaces around ignored), or None when it names none."""
    value = claims.get(claim)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for item in values:
        code = str(item).strip().casefold()
        if code in ACCOUNT_ROLES:
            return code
    return None


def towns_of(claims: Mapping[str, object], claim: str = DEFAULT_TOWNS_CLAIM
             ) -> frozenset[str] | None:
    """The town ids of ``claims[claim]`` (a string or a list of them, spaces around ignored);
    None (every town) when the claim is absent."""
    value = claims.get(claim)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(str(item).strip() for item in values if str(item).strip())


def principal_of(claims: Mapping[str, object], role_claim: str = DEFAULT_ROLE_CLAIM,
                 centre_claim: str = DEFAULT_CENTRE_CLAIM,
                 towns_claim: str = DEFAULT_TOWNS_CLAIM) -> Principal:
    """The principal of a person the provider signed in: named :data:`USERNAME_PREFIX` and
    their e-mail, else preferred username, else subject; in the role of ``role_claim``
    (:func:`role_of`) in the towns of ``towns_claim`` (:func:`towns_of`), or the public
    (with that name) when it names no role, or the facilitator role without a centre in
    ``centre_claim``."""
    name = next((str(claims[key]).strip() for key in ("email", "preferred_username", "sub")
                 if str(claims.get(key) or "").strip()), "")
    username = f"{USERNAME_PREFIX}{name}"
    role = role_of(claims, role_claim)
    centre = str(claims.get(centre_claim) or "").strip()
    if role is None or (role in CENTRE_ROLES and not centre):
        return Principal(username, PUBLIC)
    return Principal(username, role, centre if role in CENTRE_ROLES else "",
                     towns_of(claims, towns_claim))


def is_sso(principal: Principal) -> bool:
    """True for a principal from :func:`principal_of` (not an account of the store)."""
    return principal.username.startswith(USERNAME_PREFIX)


def record_login(store: Store, principal: Principal) -> None:
    """Audit a sign-in as a password login is audited ("login" on the accounts layer), with
    ``via: oidc``; a person without a role is audited as "login_no_role"."""
    action = "login_no_role" if principal.is_public else "login"
    with store.transaction():
        audit.record(store, principal, action, ACCOUNTS.name, [principal.username],
                     {"via": "oidc"})
