"""``mapa serve``: start the app — ``streamlit run`` of the app that is installed beside this
command (the clone's ``app/`` or the installed package's), on the store of ``--store``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

from scripts.commands.common import subcommand

#: The app's entry, found by path (``scripts/`` never imports ``app/``): the packages
#: ``app`` and ``scripts`` lie side by side in a clone and in an installed package alike.
APP_MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "serve", "start the app (streamlit run)", run)
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument("--headless", action="store_true", help="do not open a browser")


#: The settings of the clone's ``.streamlit/config.toml``, which an installed package has
#: not beside it: the map's static files served by Streamlit itself (offline), only this
#: machine connecting, no traceback in the browser.
SETTINGS: Final = {"server.enableStaticServing": "true", "server.address": "localhost",
                   "browser.gatherUsageStats": "false", "client.toolbarMode": "minimal",
                   "client.showErrorDetails": "none", "theme.base": "light"}


def streamlit_command(port: int, headless: bool) -> list[str]:
    """The ``streamlit run`` command line of the installed app."""
    settings = {**SETTINGS, "server.port": str(port), "server.headless": str(headless).lower()}
    return [sys.executable, "-m", "streamlit", "run", str(APP_MAIN),
            *[part for name, value in settings.items() for part in (f"--{name}", value)]]


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.store:
        env["MAPA_STORE"] = args.store
    return subprocess.call(streamlit_command(args.port, args.headless), env=env)
