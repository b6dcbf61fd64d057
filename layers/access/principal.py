"""Who is asking: a logged-in user (or the anonymous public) with a role, a centre and the
towns it acts for.

Towns are tenants of one deployment: an account belongs to one or more towns (or a region,
resolved to its towns by ``layers.access.accounts``), and every right it has holds in those
towns only (:meth:`Principal.require` with ``town``). ``towns`` None means every town: the
anonymous public (public views show every town; its rights keep it to public data), the
operator of the ``mapa`` command line (who can write the store file anyway) and an account
given the whole deployment. An empty set is a valid scope too: an account of no town yet,
which may act nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layers.access.roles import CENTRE_ROLES, PUBLIC, VIEW_EXACT_SENSITIVE, rights_of
from layers.errors import NotAllowed


class AccessDenied(NotAllowed):
    """The principal lacks the right (or the scope) for what it asked; the message says which."""


@dataclass(frozen=True)
class Principal:
    """A user acting in a role. ``centre`` is the organisation of a facilitator ("" otherwise);
    ``towns`` the ids of the towns it acts for (None: every town, see the module).

    ``username`` is "" for the anonymous public. Raises ``ValueError`` for an unknown role and
    for a centre-bound role without a centre.
    """

    username: str
    role: str
    centre: str = ""
    towns: frozenset[str] | None = None

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

    def require(self, right: str, town: str | None = None) -> None:
        """Return when the role has ``right`` (in ``town``, when given); else raise
        :class:`AccessDenied` (``access.lacks_right``, or ``access.other_town`` for a town
        outside the scope)."""
        if not self.can(right):
            raise self.refusal("access.lacks_right", right=right)
        if town is not None:
            self.require_town(town)

    def covers(self, town_id: str) -> bool:
        """True when ``town_id`` is within this principal's towns."""
        return self.towns is None or town_id in self.towns

    def require_town(self, town_id: str) -> None:
        """Return when ``town_id`` is within the scope; else raise :class:`AccessDenied`."""
        if not self.covers(town_id):
            raise self.refusal("access.other_town", town=town_id)

    def in_scope(self, town_ids: Iterable[str]) -> list[str]:
        """``town_ids`` that are within the scope, in the given order."""
        return [town for town in town_ids if self.covers(str(town))]

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
