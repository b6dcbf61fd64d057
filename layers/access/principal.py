"""Who is asking: a logged-in user (or the anonymous public) with a role and a centre."""

from __future__ import annotations

from dataclasses import dataclass

from layers.access.roles import CENTRE_ROLES, PUBLIC, VIEW_EXACT_SENSITIVE, rights_of
from layers.errors import NotAllowed


class AccessDenied(NotAllowed):
    """The principal lacks the right (or the scope) for what it asked; the message says which."""


@dataclass(frozen=True)
class Principal:
    """A user acting in a role. ``centre`` is the organisation of a facilitator ("" otherwise).

    ``username`` is "" for the anonymous public. Raises ``ValueError`` for an unknown role and
    for a centre-bound role without a centre.
    """

    username: str
    role: str
    centre: str = ""

    def __post_init__(self) -> None:
        rights_of(self.role)
        if self.role in CENTRE_ROLES and not self.centre.strip():
            raise ValueError(f"a {self.role} account needs a centre")

    @property
    def rights(self) -> frozenset[str]:
        return rights_of(self.role)

    @property
    def is_public(self) -> bool:
        return self.role == PUBLIC

    def can(self, right: str) -> bool:
        """True when the role has ``right``."""
        return right in self.rights

    def require(self, right: str) -> None:
        """Return when the role has ``right``; else raise :class:`AccessDenied`."""
        if not self.can(right):
            raise self.refusal("access.lacks_right", right=right)

    def refusal(self, code: str, **params: object) -> AccessDenied:
        """An :class:`AccessDenied` naming this principal: ``code`` with ``user`` and ``role``
        for an account, ``code`` + ``.public`` for the anonymous public."""
        if self.username:
            return AccessDenied(code, user=self.username, role=self.role, **params)
        return AccessDenied(f"{code}.public", role=self.role, **params)

    def sees_all_centres(self) -> bool:
        """True when this principal sees every centre's sessions (not bound to its own)."""
        return self.role not in CENTRE_ROLES or self.can(VIEW_EXACT_SENSITIVE)

    def owns_session(self, organiser: str) -> bool:
        """True when a session organised by ``organiser`` is within this principal's scope."""
        return self.sees_all_centres() or organiser.strip() == self.centre.strip()


#: The visitor who has not logged in.
PUBLIC_PRINCIPAL = Principal(username="", role=PUBLIC)
