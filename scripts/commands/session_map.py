"""``mapa session-map --session ID --out FILE.pdf``: the printable gridded session map."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from layers.mapping.capture import load_session
from layers.mapping.paper import town_session_grid
from layers.mapping.print_map import PAPER, print_session_map
from layers.schema import CONTEXT_LINES, LOCALITIES, TOWNS
from layers.vocabulary import PIN_CATEGORY
from scripts.commands import common
from scripts.commands.common import emit, store_from, subcommand


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "session-map",
                        "print a session map (PDF with a lettered grid and numbered legend)", run,
                        tenancy=common.OWN_CHECK)
    parser.add_argument("--session", required=True, help="session id")
    parser.add_argument("--paper", choices=list(PAPER), default="A4")
    parser.add_argument("--cells", type=int, default=12, help="grid columns and rows (2–26)")
    parser.add_argument("--out", type=Path, required=True, help="output PDF")
    parser.add_argument("--link", default=None,
                        help="a public link of the session (mapa session link): its QR code "
                             "is printed on the sheet")


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    session = load_session(store, args.session)
    town_id = str(session["town_id"])
    common.require_town(args, town_id)
    town = store.read(TOWNS, town_id)
    grid = town_session_grid(store, town_id, args.cells)
    print_session_map(args.out, grid=grid, town=town,
                      context=store.read(CONTEXT_LINES, town_id),
                      localities=store.read(LOCALITIES, town_id),
                      session_id=args.session,
                      title=f"Mapa bezpečí – {town['name'].iloc[0]}",
                      category_labels=PIN_CATEGORY.labels("cs"),
                      paper=args.paper, link_url=args.link)
    emit(args, f"Wrote {args.out} ({args.paper}, grid {grid.columns}×{grid.rows} of "
               f"{grid.cell_m:.0f} m)",
         {"out": str(args.out), "paper": args.paper, "cell_m": grid.cell_m,
          "columns": grid.columns, "rows": grid.rows})
    return 0
