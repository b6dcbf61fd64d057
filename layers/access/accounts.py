"""User accounts in the ``accounts`` layer: create, list, verify a login, disable.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` with its maintained
defaults); no password is ever stored, logged or put in an audit entry. Accounts are never
deleted, only disabled, so the audit log's usernames keep meaning someone.

Towns are tenants: an account acts for the towns of its ``towns`` (ids, or :data:`ALL_TOWNS`)
and for every town of its ``regions`` (``kod_kraj`` codes, resolved against the store's towns
when the principal is made, so a town added to the region later is covered). An admin of some
towns manages the accounts whose towns all lie within its own, and gives no account more. An
account created without towns gets its creator's. An account from before tenants (both
columns empty) keeps what it had: an admin every town, anyone else the towns the store holds
(the PostGIS migration 0006 writes that down once; a GeoPackage, which has no migrations,
reads it so until an admin sets the account's towns).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from layers.access import audit, sessions, throttle
from layers.access.clients import NO_ADDRESS
from layers.access.principal import PUBLIC_PRINCIPAL, AccessDenied, Principal
from layers.access.roles import ACCOUNT_ROLES, ADMIN, MANAGE_ACCOUNTS
from layers.errors import Conflict, InvalidInput, NotAllowed, NotFound
from layers.schema import ACCOUNTS, TEMPORARY_PASSWORDS, TOWNS
from layers.store import Store
from layers.strategy.search import fold
from layers.town_names import resolve_town

USERNAME: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
MIN_PASSWORD: Final = 10
#: Columns safe to show: everything but the hash.
PUBLIC_COLUMNS: Final = tuple(c for c in ACCOUNTS.columns if c != "password_hash")

#: Prefix of the throttle key of a username that names no account (see :func:`login_key`).
UNKNOWN_PREFIX: Final = "unknown#"

#: ``towns`` of an account of every town of the deployment.
ALL_TOWNS: Final = "*"

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as long as a wrong
    password and login timing does not reveal which usernames exist. Made on first use: a
    hash costs a tenth of a second, which every command importing this module would pay."""
    return _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``. Raises ``ValueError`` when it is too short."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("account.password_short", minimum=MIN_PASSWORD)
    return _hasher.hash(password)


@dataclass(frozen=True)
class Scope:
    """The towns an account acts for, as stored: ``towns`` ids (None: every town) and
    ``regions`` ``kod_kraj`` codes whose towns it covers too."""

    towns: tuple[str, ...] | None
    regions: tuple[str, ...] = ()

    def stored(self) -> dict[str, str]:
        """The ``towns`` and ``regions`` values of an ``accounts`` row."""
        towns = ALL_TOWNS if self.towns is None else json.dumps(sorted(self.towns),
                                                                ensure_ascii=False)
        return {"towns": towns, "regions": json.dumps(sorted(self.regions))}

    def as_json(self) -> dict[str, object]:
        return {"towns": None if self.towns is None else sorted(self.towns),
                "regions": sorted(self.regions)}


#: The scope of an account of every town.
EVERY_TOWN: Final = Scope(None)


def resolve_scope(store: Store, towns: Iterable[str] = (), regions: Iterable[str] = ()
                  ) -> Scope | None:
    """The scope that ``towns`` (ids or names, ``layers.town_names``) and ``regions``
    (``kod_kraj`` codes or names, "CZ041", "Karlovarský kraj", "karlovarsky") name; None
    when both are empty (the caller decides). :data:`ALL_TOWNS` among ``towns`` is every town.

    Raises ``NotFound`` for a town or region the store does not hold.
    """
    towns, regions = list(towns), list(regions)
    if not towns and not regions:
        return None
    if ALL_TOWNS in towns:
        return EVERY_TOWN
    ids = tuple(dict.fromkeys(resolve_town(store, town) for town in towns))
    return Scope(ids, tuple(dict.fromkeys(_region_code(store, r) for r in regions)))


def _region_code(store: Store, given: str) -> str:
    table = store.read_columns(TOWNS, ["kod_kraj", "kraj"])
    known = dict(zip(table["kod_kraj"].astype(str), table["kraj"].astype(str), strict=True))
    wanted = fold(given.strip())
    for code, name in known.items():
        if wanted in (fold(code), fold(name), fold(name.removesuffix(" kraj"))):
            return code
    raise NotFound("account.unknown_region", region=given, known=sorted(known.values()))


def account_row(username: str, password: str, role: str, centre: str = "",
                display_name: str = "", scope: Scope = EVERY_TOWN) -> dict[str, object]:
    """A checked ``accounts`` row (with the hash) acting for ``scope``. Raises ``ValueError``
    naming the problem."""
    if not USERNAME.fullmatch(username):
        raise InvalidInput("account.bad_username", username=username)
    if role not in ACCOUNT_ROLES:
        raise InvalidInput("account.bad_role", role=role, roles=list(ACCOUNT_ROLES))
    Principal(username, role, centre)  # a centre-bound role without a centre raises here
    return {"username": username, "display_name": display_name.strip() or username,
            "role": role, "centre": centre.strip(), "password_hash": hash_password(password),
            "active": True, "created_at": audit.now_utc(), **scope.stored()}


def accounts_frame(rows: list[Mapping[str, object]]) -> pd.DataFrame:
    """Rows from :func:`account_row` as a frame of the layer (e.g. for a store build)."""
    return pd.DataFrame(rows, columns=list(ACCOUNTS.columns)).astype({"active": bool})


def _read(store: Store) -> pd.DataFrame:
    """Every account with the layer's columns (a table from before tenants lacks the scope
    columns: they read as empty)."""
    if ACCOUNTS.name not in store.layer_names():
        return accounts_frame([])
    return pd.DataFrame(store.read(ACCOUNTS)).reindex(columns=list(ACCOUNTS.columns))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value).strip()


def _stored_scope(row: pd.Series) -> Scope | None:
    """The scope a row stores (None: a row from before tenants)."""
    towns, regions = _text(row.get("towns")), _text(row.get("regions"))
    if not towns and not regions:
        return None
    if towns == ALL_TOWNS:
        return EVERY_TOWN
    return Scope(tuple(json.loads(towns or "[]")), tuple(json.loads(regions or "[]")))


def legacy_scope(store: Store, role: str) -> Scope:
    """The scope of an account from before tenants (see the module): every town for an
    admin, the towns the store holds for anyone else."""
    if role == ADMIN:
        return EVERY_TOWN
    if TOWNS.name not in store.layer_names():
        return Scope(())
    return Scope(tuple(str(t) for t in store.read_columns(TOWNS, ["town_id"])["town_id"]))


def town_ids(store: Store, scope: Scope) -> frozenset[str] | None:
    """The ids of the towns ``scope`` covers now (None: every town)."""
    if scope.towns is None:
        return None
    ids = set(scope.towns)
    if scope.regions:
        towns = store.read_columns(TOWNS, ["town_id", "kod_kraj"])
        ids |= set(towns.loc[towns["kod_kraj"].astype(str).isin(scope.regions),
                             "town_id"].astype(str))
    return frozenset(ids)


def scope_of(store: Store, row: pd.Series) -> Scope:
    """The scope of the account ``row`` (a row from before tenants: :func:`legacy_scope`)."""
    return _stored_scope(row) or legacy_scope(store, str(row["role"]))


def _manages(store: Store, actor: Principal, row: pd.Series) -> bool:
    """True when every town of the account ``row`` is within ``actor``'s."""
    if actor.towns is None:
        return True
    covered = town_ids(store, scope_of(store, row))
    return covered is not None and covered <= actor.towns


def _require_manages(store: Store, actor: Principal, row: pd.Series) -> None:
    if not _manages(store, actor, row):
        raise AccessDenied("access.other_town_account", account=str(row["username"]),
                           user=actor.username)


def _require_within(store: Store, actor: Principal, scope: Scope) -> None:
    """Refuse to give an account towns beyond ``actor``'s."""
    if actor.towns is None:
        return
    covered = town_ids(store, scope)
    outside = sorted((frozenset({ALL_TOWNS}) if covered is None else covered) - actor.towns)
    if outside:
        raise actor.refusal("access.other_town", town=outside[0])


def _scope_for(store: Store, actor: Principal, scope: Scope | None) -> Scope:
    """``scope`` checked against ``actor``'s; the actor's own when None."""
    if scope is None:
        return EVERY_TOWN if actor.towns is None else Scope(tuple(sorted(actor.towns)))
    _require_within(store, actor, scope)
    return scope


def list_users(store: Store, actor: Principal) -> pd.DataFrame:
    """The accounts ``actor`` manages (every one for an admin of every town) without their
    hashes, by username. Raises ``AccessDenied`` for non-admins."""
    actor.require(MANAGE_ACCOUNTS)
    users = _read(store)
    users = users[[_manages(store, actor, row) for _, row in users.iterrows()]]
    return users[list(PUBLIC_COLUMNS)].sort_values("username").reset_index(drop=True)


def create_user(store: Store, actor: Principal, username: str, password: str, role: str,
                centre: str = "", display_name: str = "", scope: Scope | None = None
                ) -> None:
    """Add an account (active) acting for ``scope`` (None: the actor's towns). The change is
    audited.

    Raises ``AccessDenied`` when ``actor`` lacks ``manage_accounts`` or ``scope`` reaches
    beyond its towns, and ``ValueError`` for a bad username, role, centre or password, or a
    username already taken.
    """
    actor.require(MANAGE_ACCOUNTS)
    scope = _scope_for(store, actor, scope)
    _add(store, actor, account_row(username, password, role, centre, display_name, scope))


def set_scope(store: Store, actor: Principal, username: str, scope: Scope) -> None:
    """Give an account the towns of ``scope``; it applies at the user's next page load.
    Audited with the old and the new scope.

    Raises ``AccessDenied`` for non-admins and when the account or ``scope`` reaches beyond
    ``actor``'s towns, ``NotFound`` for an unknown username.
    """
    actor.require(MANAGE_ACCOUNTS)
    before = _one(store, username)
    _require_manages(store, actor, before)
    _require_within(store, actor, scope)
    with store.transaction():
        store.update_rows(ACCOUNTS, "username", pd.DataFrame(
            [{"username": username, **scope.stored()}]))
        audit.record(store, actor, "change_towns", ACCOUNTS.name, [username],
                     {"from": scope_of(store, before).as_json(), "to": scope.as_json()},
                     town_id=_one_town(scope))


def _one_town(scope: Scope) -> str:
    """The town an audit entry about an account of ``scope`` names: its only town, else ""."""
    return scope.towns[0] if scope.towns is not None and len(scope.towns) == 1 \
        and not scope.regions else ""


def _add(store: Store, actor: Principal, row: Mapping[str, object]) -> None:
    scope = _stored_scope(pd.Series(row)) or EVERY_TOWN
    with store.transaction():
        added = store.append_batch([(ACCOUNTS, accounts_frame([row]))],
                                   unique_keys={ACCOUNTS.name: "username"})
        if not added.get(ACCOUNTS.name):
            raise Conflict("account.taken", username=row["username"])
        audit.record(store, actor, "create_account", ACCOUNTS.name, [row["username"]],
                     {"role": row["role"], "centre": row["centre"], **scope.as_json()},
                     town_id=_one_town(scope))


def disable_user(store: Store, actor: Principal, username: str) -> bool:
    """Disable an account (it can no longer log in); True when it was active. Audited.

    Raises ``AccessDenied`` for non-admins, ``ValueError`` for an unknown username and for an
    admin disabling themself (the last way back in could be lost).
    """
    actor.require(MANAGE_ACCOUNTS)
    if username == actor.username:
        raise InvalidInput("account.disable_self")
    row = _managed(store, actor, username)
    if not bool(row["active"]):
        return False
    with store.transaction():
        store.update_rows(ACCOUNTS, "username",
                          pd.DataFrame({"username": [username], "active": [False]}))
        ended = sessions.end_all(store, username, _now())
        audit.record(store, actor, "disable_account", ACCOUNTS.name, [username],
                     {"sessions_ended": ended})
    return True


def set_password(store: Store, actor: Principal, username: str, password: str) -> None:
    """Replace an account's password (an admin's reset) and lift its login throttle (its
    failed logins are forgotten). Audited, without the password, in the same transaction.

    Raises ``AccessDenied`` for non-admins and ``ValueError`` for an unknown username or a
    short password.
    """
    actor.require(MANAGE_ACCOUNTS)
    _managed(store, actor, username)
    hashed = hash_password(password)
    with store.transaction():
        forgotten = _store_password(store, username, hashed)
        audit.record(store, actor, "set_password", ACCOUNTS.name, [username],
                     {"unlocked": forgotten})


def _store_password(store: Store, username: str, hashed: str) -> int:
    """Set the hash (in the caller's transaction); the account's failed logins and open
    sessions go with the old password. Returns how many failed logins were forgotten."""
    store.update_rows(ACCOUNTS, "username", pd.DataFrame(
        {"username": [username], "password_hash": [hashed]}))
    sessions.end_all(store, username, _now())
    return throttle.forget(store, username)


def reset_password(store: Store, actor: Principal, username: str) -> str:
    """Give an account a new random temporary password and return it (to be shown once and
    never stored in clear). Its owner must change it at the next login
    (:func:`must_change_password`); its failed logins and open sessions are ended. Audited,
    without the password.

    Raises ``AccessDenied`` for non-admins and ``NotFound`` for an unknown username.
    """
    actor.require(MANAGE_ACCOUNTS)
    _managed(store, actor, username)
    temporary = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    hashed = hash_password(temporary)
    row = pd.DataFrame([{"username": username, "issued_at": audit.now_utc(),
                         "issued_by": actor.username}], columns=list(TEMPORARY_PASSWORDS.columns))
    with store.transaction():
        _store_password(store, username, hashed)
        if TEMPORARY_PASSWORDS.name in store.layer_names():
            store.delete_rows(TEMPORARY_PASSWORDS, "username", [username])
        store.append(TEMPORARY_PASSWORDS, row)
        audit.record(store, actor, "reset_password", ACCOUNTS.name, [username])
    return temporary


def must_change_password(store: Store, username: str) -> bool:
    """True while ``username`` logs in with a temporary password from :func:`reset_password`."""
    if TEMPORARY_PASSWORDS.name not in store.layer_names():
        return False
    return not store.read_where(TEMPORARY_PASSWORDS, "username", [username]).empty


def change_own_password(store: Store, principal: Principal, current: str, new: str) -> None:
    """``principal`` replaces their own password, proving the current one (a temporary one
    counts). Their other open sessions end, the temporary mark goes. Audited, without either
    password.

    Raises ``InvalidInput`` ("account.wrong_password") for a wrong current password,
    ("account.same_password") for an unchanged one, as :func:`hash_password` for a short one,
    and ``NotFound`` for an account that is gone or disabled.
    """
    users = _read(store)
    match = users[(users["username"] == principal.username) & users["active"].astype(bool)]
    if match.empty:
        raise NotFound("account.unknown", username=principal.username)
    try:
        _hasher.verify(str(match.iloc[0]["password_hash"]), current)
    except (VerifyMismatchError, VerificationError, InvalidHashError) as exc:
        raise InvalidInput("account.wrong_password") from exc
    if new == current:
        raise InvalidInput("account.same_password")
    hashed = hash_password(new)
    with store.transaction():
        _store_password(store, principal.username, hashed)
        if TEMPORARY_PASSWORDS.name in store.layer_names():
            store.delete_rows(TEMPORARY_PASSWORDS, "username", [principal.username])
        audit.record(store, principal, "change_password", ACCOUNTS.name, [principal.username])


def set_role(store: Store, actor: Principal, username: str, role: str, centre: str = "") -> None:
    """Give an account another role (and centre, for a facilitator); it applies at the user's
    next page load. Audited with the old and new role.

    Raises ``AccessDenied`` for non-admins, ``NotFound`` for an unknown username,
    ``InvalidInput`` for an unknown role, a facilitator without a centre, or an admin changing
    their own role (the last admin could lock everyone out).
    """
    actor.require(MANAGE_ACCOUNTS)
    if username == actor.username:
        raise InvalidInput("account.role_self")
    if role not in ACCOUNT_ROLES:
        raise InvalidInput("account.bad_role", role=role, roles=list(ACCOUNT_ROLES))
    before = _managed(store, actor, username)
    try:
        Principal(username, role, centre.strip())
    except ValueError as exc:
        raise InvalidInput("account.needs_centre", role=role) from exc
    with store.transaction():
        store.update_rows(ACCOUNTS, "username", pd.DataFrame(
            {"username": [username], "role": [role], "centre": [centre.strip()]}))
        audit.record(store, actor, "change_role", ACCOUNTS.name, [username],
                     {"from": str(before["role"]), "to": role, "centre": centre.strip()})


def unlock_user(store: Store, actor: Principal, username: str) -> int:
    """Lift the login throttle of an account: forget its failed logins from every client.
    Returns how many were forgotten (0 is fine: the unlock is audited all the same).

    Raises ``AccessDenied`` for non-admins and ``NotFound`` for an unknown username.
    """
    actor.require(MANAGE_ACCOUNTS)
    _managed(store, actor, username)
    with store.transaction():
        forgotten = throttle.forget(store, username)
        audit.record(store, actor, "unlock_account", ACCOUNTS.name, [username],
                     {"failures": forgotten})
    return forgotten


def failed_logins(store: Store, actor: Principal) -> pd.DataFrame:
    """Accounts with failed logins remembered by the throttle (``throttle.summary``), for
    an admin. Raises ``AccessDenied`` for anyone else."""
    actor.require(MANAGE_ACCOUNTS)
    return throttle.summary(store, _now())


def _one(store: Store, username: str) -> pd.Series:
    users = _read(store)
    match = users[users["username"] == username]
    if match.empty:
        raise NotFound("account.unknown", username=username)
    return match.iloc[0]


def _managed(store: Store, actor: Principal, username: str) -> pd.Series:
    """The row of ``username`` when ``actor`` manages it (``NotFound``, ``AccessDenied``)."""
    row = _one(store, username)
    _require_manages(store, actor, row)
    return row


def _principal(store: Store, row: pd.Series) -> Principal:
    return Principal(str(row["username"]), str(row["role"]), str(row["centre"] or ""),
                     town_ids(store, scope_of(store, row)))


class LoginThrottled(NotAllowed):
    """Too many failed logins of this account from this client lately; ``until`` (UTC) is
    when it may try again."""

    def __init__(self, until: dt.datetime, now: dt.datetime) -> None:
        super().__init__("account.login_throttled",
                         seconds=max(1, math.ceil((until - now).total_seconds())))
        self.until = until


def login_key(usernames: pd.Series, typed: str) -> str:
    """The key a login attempt with the username ``typed`` is counted (and audited) under.

    An account's name is kept as it is. Anything else may be a password typed into the
    username field, so it is kept only as :data:`UNKNOWN_PREFIX` plus the first 4 hex digits
    (16 bits) of its SHA-256: enough to count repeated attempts with one typed name, too
    little to recover or confirm a password, since every value is shared by one string in
    65,536 (a list of a million passwords leaves ~15 candidates). Two unknown names sharing
    a value share a counter, which only slows down names that log no one in.
    """
    if typed and (usernames == typed).any():
        return typed
    return UNKNOWN_PREFIX + hashlib.sha256(typed.encode("utf-8")).hexdigest()[:4]


def _now() -> dt.datetime:
    """Now (UTC), as the audit log tells time (so both follow one clock)."""
    return dt.datetime.fromisoformat(audit.now_utc())


def authenticate(store: Store, username: str, password: str, client: str = NO_ADDRESS,
                 pause: Callable[[float], None] = time.sleep) -> Principal | None:
    """The principal of an active account whose password matches, else None.

    ``client`` is the keyed hash of the client's address (``clients.client_key``;
    :data:`NO_ADDRESS` when the caller knows none). Throttled as :mod:`layers.access.throttle`
    says: raises :class:`LoginThrottled` without checking the password while this client has
    to wait for this account (nothing is written then), and calls ``pause`` with the
    account-wide pause before checking it. A failure is stored for the throttle and audited
    ("login_failed", with :func:`login_key` of the username tried and the client's hash) in
    one transaction; a success is audited ("login") and clears this client's failures. A
    hash made with older Argon2 parameters is replaced on a successful login.
    """
    users = _read(store)
    key = login_key(users["username"], username)
    now = _now()
    standing = throttle.standing(store, key, client, now)
    if standing.until is not None:
        raise LoginThrottled(standing.until, now)
    if standing.pause_s:
        pause(standing.pause_s)
    match = users[(users["username"] == username) & users["active"].astype(bool)]
    stored = str(match.iloc[0]["password_hash"]) if not match.empty else _dummy_hash()
    try:
        _hasher.verify(stored, password)
        ok = not match.empty
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        failures = standing.failures + 1
        detail: dict[str, object] = {"client": client, "failures": failures}
        if throttle.pair_delay(failures):
            detail["wait_s"] = throttle.pair_delay(failures)
        with store.transaction():
            throttle.record_failure(store, key, client, now)
            audit.record(store, PUBLIC_PRINCIPAL, "login_failed", ACCOUNTS.name, [key], detail)
        return None
    principal = _principal(store, match.iloc[0])
    with store.transaction():
        if _hasher.check_needs_rehash(stored):
            store.update_rows(ACCOUNTS, "username", pd.DataFrame(
                {"username": [username], "password_hash": [_hasher.hash(password)]}))
        if standing.failures:
            throttle.forget(store, key, client)
        audit.record(store, principal, "login", ACCOUNTS.name, [username])
    return principal


def principal_of(store: Store, username: str) -> Principal | None:
    """The principal of the active account ``username`` (None when disabled or unknown)."""
    users = _read(store)
    match = users[(users["username"] == username) & users["active"].astype(bool)]
    return None if match.empty else _principal(store, match.iloc[0])


def refresh(store: Store, principal: Principal) -> Principal | None:
    """``principal`` as its account stands now: None once disabled or gone, else with the
    current role, centre and towns (an admin's change applies at the user's next page
    load)."""
    return principal_of(store, principal.username)


def has_active_admin(store: Store) -> bool:
    """True when some active account has the admin role."""
    users = _read(store)
    return bool(((users["role"] == ADMIN) & users["active"].astype(bool)).any())


def bootstrap_admin(store: Store, username: str, password: str) -> bool:
    """Create the first admin when the store has no active admin yet; True when created.

    Meant for a fresh deployment: the name and password come from the environment or the
    app's secrets, never from the repository. Raises ``ValueError`` as :func:`account_row`.
    """
    if has_active_admin(store):
        return False
    row = account_row(username, password, ADMIN, display_name=username)
    _add(store, Principal(f"bootstrap:{username}", ADMIN), row)
    return True


def demo_accounts(password: str) -> pd.DataFrame:
    """One account per role for the demo store, all with ``password`` (from the environment).

    Facilitators belong to centres that organised demo sessions, so each sees its own, and to
    the town of those sessions; the others act for every town.
    """
    people = [("admin", ADMIN, "", EVERY_TOWN), ("moderator", "moderator", "", EVERY_TOWN),
              ("policie", "police", "", EVERY_TOWN), ("urbanista", "urbanist", "", EVERY_TOWN),
              ("koordinator", "strategy_coordinator", "", EVERY_TOWN),
              ("nzdm-rybare", "facilitator", "NZDM Rybáře", Scope(("karlovy-vary",))),
              ("my-litvinov", "facilitator", "spolek MY Litvínov", Scope(("litvinov",)))]
    return accounts_frame([account_row(name, password, role, centre, scope=scope)
                           for name, role, centre, scope in people])
