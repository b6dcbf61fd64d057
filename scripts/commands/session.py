"""``mapa session link|list``: a public link (with QR code) for a session, and the sessions.

``mapa session link --session ID [--until ISO-TIME] [--base-url URL] [--json]`` opens a link
residents answer the session through from their own phones; with ``--json`` the last line is
``{"url", "until"}``. ``--qr FILE.svg|FILE.png`` also writes its QR code.
``mapa session list [--town ID|NAME] [--json]`` prints ``{"sessions": [{"id", "name", "town",
"date", …}]}``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.mapping import links
from layers.mapping.capture import load_session
from layers.mapping.qr import write_qr
from layers.mapping.sessions import list_sessions, resolve_town
from scripts.commands import common
from scripts.commands.common import add_common_options, emit, format_table, store_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("session", help="public links and the list of sessions",
                                   description="public links and the list of sessions")
    actions = parser.add_subparsers(dest="action", required=True)
    link = actions.add_parser("link", help="open a public link (and QR code) for a session")
    add_common_options(link, common.OWN_CHECK)
    link.set_defaults(handler=run_link)
    link.add_argument("--session", required=True, help="session id")
    link.add_argument("--until", default=None,
                      help=f"end of the link, ISO 8601 (default {links.DEFAULT_DAYS} days on)")
    link.add_argument("--base-url", default=links.DEFAULT_BASE_URL,
                      help="address the app is served at (default %(default)s)")
    link.add_argument("--qr", type=Path, default=None, help="write the QR code (.svg or .png)")
    listing = actions.add_parser("list", help="list the mapping sessions")
    add_common_options(listing, common.OWN_CHECK)
    listing.set_defaults(handler=run_list)
    listing.add_argument("--town", default=None, help="only this town's (id or name)")


def run_link(args: argparse.Namespace) -> int:
    store = store_from(args)
    common.require_town(args, str(load_session(store, args.session)["town_id"]))
    until = links.parse_time(args.until) if args.until else None
    link = links.create_link(store, args.session, until=until)
    url = links.link_url(args.base_url, link.link_id)
    until_text = link.until.isoformat(timespec="seconds")
    if args.qr is not None:
        write_qr(url, args.qr)
    emit(args, f"{url}\nopen until {until_text}"
               + (f"; QR code in {args.qr}" if args.qr else ""),
         {"url": url, "until": until_text})
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = store_from(args)
    town_id = resolve_town(store, args.town) if args.town else None
    if town_id is not None:
        common.require_town(args, town_id)
    actor = common.cli_actor(args)  # without --town: the sessions of the account's towns
    sessions = [s for s in list_sessions(store, town_id)
                if actor.covers(str(s["town"])) and actor.owns_session(str(s["organiser"]))]
    emit(args, format_table(["id", "name", "town", "date", "pins"],
                            [[s["id"], s["name"], s["town_name"], s["date"], s["pins"]]
                             for s in sessions]),
         {"sessions": sessions})
    return 0
