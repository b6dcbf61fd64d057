"""``mapa user add|list|disable|passwd|unlock|reset|role|towns``: accounts of the app
(``layers.access.accounts``).

Whoever runs ``mapa`` can write the store file anyway, so the command acts as an admin of
every town ("cli:<login name>" in the audit log), or with ``--as`` as an admin account of some
towns, which manages the accounts of its towns only. ``--town`` (repeatable, id or name) and
``--region`` (repeatable, code or name: CZ041, "Karlovarský kraj") give an account its towns;
``--town '*'`` every town. Without them a new account gets the towns of whoever creates it. A
password is never an argument (it would land in the shell history and the process list): it
is read from the environment variable named by ``--password-env``, or asked for without echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from layers.access.accounts import (
    Scope,
    create_user,
    disable_user,
    list_users,
    reset_password,
    resolve_scope,
    set_password,
    set_role,
    set_scope,
    unlock_user,
)
from layers.access.roles import ACCOUNT_ROLES
from layers.errors import InvalidInput
from layers.store import Store
from scripts.commands import common
from scripts.commands.common import CommandError, emit, format_table, store_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "user", help="app accounts (mapa user add|list|disable|passwd|unlock|reset|role|towns)")
    inner = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = subcommand(inner, "add", "create an account", run_add)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    add.add_argument("--centre", default="",
                     help="organisation of a facilitator (as in sessions' 'organiser')")
    add.add_argument("--name", default="", help="display name")
    _scope_options(add, "default: the towns of whoever creates it")
    _password_option(add)
    subcommand(inner, "list", "list the accounts you manage (never their hashes)", run_list)
    disable = subcommand(inner, "disable", "disable an account (it can no longer log in)",
                         run_disable)
    disable.add_argument("username")
    passwd = subcommand(inner, "passwd", "set an account's password", run_passwd)
    passwd.add_argument("username")
    _password_option(passwd)
    unlock = subcommand(inner, "unlock", "lift an account's login throttle (forget its "
                        "failed logins)", run_unlock)
    unlock.add_argument("username")
    reset = subcommand(inner, "reset", "give an account a temporary password (printed once; "
                       "it must be changed at the next login)", run_reset)
    reset.add_argument("username")
    role = subcommand(inner, "role", "change an account's role (applies at the user's next "
                      "page load)", run_role)
    role.add_argument("username")
    role.add_argument("role", choices=ACCOUNT_ROLES)
    role.add_argument("--centre", default="",
                      help="organisation of a facilitator (as in sessions' 'organiser')")
    _scope_options(role, "default: unchanged")
    towns = subcommand(inner, "towns", "set the towns an account acts for (applies at the "
                       "user's next page load)", run_towns)
    towns.add_argument("username")
    _scope_options(towns, "at least one of them")


def subcommand(subparsers: Any, name: str, help_text: str,
               handler: Any) -> argparse.ArgumentParser:
    """A ``mapa user`` action: accounts are checked against the ``--as`` account's towns by
    ``layers.access.accounts``."""
    return common.subcommand(subparsers, name, help_text, handler, tenancy=common.OWN_CHECK)


def _scope_options(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--town", action="append", default=[], dest="towns",
                        help=f"a town the account acts for, id or name; repeatable; '*' every "
                             f"town ({default})")
    parser.add_argument("--region", action="append", default=[], dest="regions",
                        help="a region whose towns the account acts for, code or name "
                             "(CZ041, 'Karlovarský kraj'); repeatable")


def _scope(args: argparse.Namespace, store: Store) -> Scope | None:
    """The scope ``--town``/``--region`` name (None: neither was given)."""
    return resolve_scope(store, args.towns, args.regions)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-env", metavar="VAR", default=None,
                        help="read the password from this environment variable "
                             "(default: ask without echo)")


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise CommandError("cli.env_unset", name=args.password_env)
        return value
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise CommandError("cli.passwords_differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    store = store_from(args)
    scope = _scope(args, store)
    create_user(store, common.cli_actor(args), args.username, _password(args), args.role,
                centre=args.centre, display_name=args.name, scope=scope)
    emit(args, f"Created {args.username} ({args.role})",
         {"username": args.username, "role": args.role, "centre": args.centre,
          **(scope.as_json() if scope is not None else {})})
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = store_from(args)
    users = list_users(store, common.cli_actor(args))
    columns = ["username", "display_name", "role", "centre", "towns", "regions", "active",
               "created_at"]
    rows = [[str(v) for v in row] for row in users[columns].itertuples(index=False)]
    emit(args, format_table(columns, rows) if rows else "No accounts.",
         {"accounts": users[columns].to_dict(orient="records")})
    return 0


def run_disable(args: argparse.Namespace) -> int:
    store = store_from(args)
    changed = disable_user(store, common.cli_actor(args), args.username)
    emit(args, f"Disabled {args.username}" if changed else f"{args.username} was disabled "
               "already", {"username": args.username, "changed": changed})
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    store = store_from(args)
    set_password(store, common.cli_actor(args), args.username, _password(args))
    emit(args, f"Password of {args.username} set", {"username": args.username})
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    store = store_from(args)
    forgotten = unlock_user(store, common.cli_actor(args), args.username)
    emit(args, f"Unlocked {args.username} ({forgotten} failed logins forgotten)",
         {"username": args.username, "forgotten": forgotten})
    return 0


def run_reset(args: argparse.Namespace) -> int:
    store = store_from(args)
    temporary = reset_password(store, common.cli_actor(args), args.username)
    emit(args, f"Temporary password of {args.username} (shown once; it must be changed at the "
               f"next login): {temporary}",
         {"username": args.username, "temporary_password": temporary})
    return 0


def run_role(args: argparse.Namespace) -> int:
    store = store_from(args)
    actor = common.cli_actor(args)
    scope = _scope(args, store)
    with store.transaction():  # the role and the towns change together or not at all
        set_role(store, actor, args.username, args.role, args.centre)
        if scope is not None:
            set_scope(store, actor, args.username, scope)
    emit(args, f"{args.username} now has the role {args.role}",
         {"username": args.username, "role": args.role, "centre": args.centre.strip(),
          **(scope.as_json() if scope is not None else {})})
    return 0


def run_towns(args: argparse.Namespace) -> int:
    store = store_from(args)
    scope = _scope(args, store)
    if scope is None:
        raise InvalidInput("account.no_towns")
    set_scope(store, common.cli_actor(args), args.username, scope)
    emit(args, f"{args.username} now acts for "
               + ("every town" if scope.towns is None else
                  ", ".join([*scope.towns, *scope.regions]) or "no town"),
         {"username": args.username, **scope.as_json()})
    return 0
