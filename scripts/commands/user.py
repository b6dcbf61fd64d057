"""``mapa user add|list|disable|passwd|unlock|reset|role``: accounts of the app
(``layers.access.accounts``).

Whoever runs ``mapa`` can write the store file anyway, so the command acts as an admin
("cli:<login name>" in the audit log). A password is never an argument (it would land in the
shell history and the process list): it is read from the environment variable named by
``--password-env``, or asked for without echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from layers.access.accounts import (
    create_user,
    disable_user,
    list_users,
    reset_password,
    set_password,
    set_role,
    unlock_user,
)
from layers.access.principal import Principal
from layers.access.roles import ACCOUNT_ROLES, ADMIN
from scripts.commands.common import CommandError, emit, format_table, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "user", help="app accounts (mapa user add|list|disable|passwd|unlock|reset|role)")
    inner = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = subcommand(inner, "add", "create an account", run_add)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    add.add_argument("--centre", default="",
                     help="organisation of a facilitator (as in sessions' 'organiser')")
    add.add_argument("--name", default="", help="display name")
    _password_option(add)
    subcommand(inner, "list", "list accounts (never their hashes)", run_list)
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


def cli_actor() -> Principal:
    """Who a ``mapa`` command acts as: an admin named after the login running it."""
    return Principal(f"cli:{getpass.getuser()}", ADMIN)


def run_add(args: argparse.Namespace) -> int:
    store = store_from(args)
    create_user(store, cli_actor(), args.username, _password(args), args.role,
                centre=args.centre, display_name=args.name)
    emit(args, f"Created {args.username} ({args.role})",
         {"username": args.username, "role": args.role, "centre": args.centre})
    return 0


def run_list(args: argparse.Namespace) -> int:
    users = list_users(store_from(args), cli_actor())
    columns = ["username", "display_name", "role", "centre", "active", "created_at"]
    rows = [[str(v) for v in row] for row in users[columns].itertuples(index=False)]
    emit(args, format_table(columns, rows) if rows else "No accounts.",
         {"accounts": users[columns].to_dict(orient="records")})
    return 0


def run_disable(args: argparse.Namespace) -> int:
    changed = disable_user(store_from(args), cli_actor(), args.username)
    emit(args, f"Disabled {args.username}" if changed else f"{args.username} was disabled "
               "already", {"username": args.username, "changed": changed})
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    set_password(store_from(args), cli_actor(), args.username, _password(args))
    emit(args, f"Password of {args.username} set", {"username": args.username})
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    forgotten = unlock_user(store_from(args), cli_actor(), args.username)
    emit(args, f"Unlocked {args.username} ({forgotten} failed logins forgotten)",
         {"username": args.username, "forgotten": forgotten})
    return 0


def run_reset(args: argparse.Namespace) -> int:
    temporary = reset_password(store_from(args), cli_actor(), args.username)
    emit(args, f"Temporary password of {args.username} (shown once; it must be changed at the "
               f"next login): {temporary}",
         {"username": args.username, "temporary_password": temporary})
    return 0


def run_role(args: argparse.Namespace) -> int:
    set_role(store_from(args), cli_actor(), args.username, args.role, args.centre)
    emit(args, f"{args.username} now has the role {args.role}",
         {"username": args.username, "role": args.role, "centre": args.centre.strip()})
    return 0
