"""``mapa serve``: start the app — ``streamlit run`` of the app that is installed beside this
command (the clone's ``app/`` or the installed package's), on the store of ``--store``.

By default one process on ``--port``. With ``--processes N --proxy`` it starts N processes on
the ports after ``--port`` and Debian's nginx on ``--port`` in front of them
(:func:`proxy_config`): each browser keeps to one process (Streamlit holds a tab's session in
the process its websocket reached), new browsers spread over the live ones. The command
watches its children: a process that ends is reported and the others serve on; when nginx or
the last app process ends, or on SIGINT/SIGTERM, it stops them all. Several processes share
one database, so they need a PostGIS store.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Final, NoReturn

from scripts.commands.common import CommandError, subcommand

#: The app's entry, found by path (``scripts/`` never imports ``app/``): the packages
#: ``app`` and ``scripts`` lie side by side in a clone and in an installed package alike.
APP_MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"
#: The app with its login-cookie routes (``app/server.py``, what ``./scripts/run`` serves):
#: behind the proxy a login must outlive the process that took it, so the browser carries it.
APP_SERVER = APP_MAIN.with_name("server.py")
NGINX: Final = "/usr/sbin/nginx"
#: The loopback address the app processes and the proxy listen on.
LOOPBACK: Final = "127.0.0.1"
#: Cookie that keeps a browser on one app process: a random key the proxy hashes.
ROUTE_COOKIE: Final = "mapa_route"
#: Its attributes: no page script reads it, it goes with the site's own requests only.
ROUTE_COOKIE_ATTRIBUTES: Final = "Path=/; HttpOnly; SameSite=Lax"
#: Response header naming the app process (``address:port``) that answered.
UPSTREAM_HEADER: Final = "X-Mapa-Upstream"
#: Settings every app process behind the proxy must share (``layers.access``): the key that
#: signs login cookies and the key client addresses are hashed under.
SHARED_KEYS: Final = ("MAPA_SESSION_KEY", "MAPA_CLIENT_KEY")
#: Seconds an app process or nginx may take to answer its health check after its start.
START_S: Final = 90.0
#: Seconds a child may take to end after SIGTERM before it is killed.
STOP_S: Final = 15.0


def register(subparsers: Any) -> None:
    parser = subcommand(subparsers, "serve", "start the app (streamlit run)", run)
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument("--headless", action="store_true", help="do not open a browser")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes (default 1); more than one needs --proxy and a "
                             "PostGIS store")
    parser.add_argument("--proxy", action="store_true",
                        help="nginx on --port in front of the processes on the next ports")


#: The settings of the clone's ``.streamlit/config.toml``, which an installed package has
#: not beside it: the map's static files served by Streamlit itself (offline), only this
#: machine connecting, no traceback in the browser, no per-run work the app does not need.
SETTINGS: Final = {"server.enableStaticServing": "true", "server.address": "localhost",
                   "browser.gatherUsageStats": "false", "client.toolbarMode": "minimal",
                   "client.showErrorDetails": "none", "theme.base": "light",
                   "runner.magicEnabled": "false", "runner.postScriptGC": "false"}


def streamlit_command(port: int, headless: bool, app: Path = APP_MAIN,
                      address: str = SETTINGS["server.address"]) -> list[str]:
    """The ``streamlit run`` command line of the installed ``app`` on ``address:port``."""
    settings = {**SETTINGS, "server.address": address, "server.port": str(port),
                "server.headless": str(headless).lower()}
    return [sys.executable, "-m", "streamlit", "run", str(app),
            *[part for name, value in settings.items() for part in (f"--{name}", value)]]


def proxy_config(port: int, app_ports: Sequence[int], run_dir: Path) -> str:
    """The nginx configuration of the proxy on ``127.0.0.1:port`` in front of the app
    processes on ``127.0.0.1:app_ports``, with its pid file, logs and temporary files in
    ``run_dir`` (nothing outside it is written, so no root is needed); nginx stays in the
    foreground.

    Sticky sessions: Streamlit keeps a tab's session in the process its websocket
    (``/_stcore/stream``) reached, and the tab's other requests (uploads, media, component
    files) must reach the same process. The proxy hashes a cookie (:data:`ROUTE_COOKIE`, a
    random key it sets on the first response) consistently over the processes, so one browser
    stays on one process. A process that refuses connections is skipped for new requests
    (``proxy_next_upstream``, ``max_fails``): its browsers, and new ones, go to the others,
    and come back when it answers again. Every response names the process that answered
    (:data:`UPSTREAM_HEADER`). Raises ``ValueError`` without app ports.
    """
    if not app_ports:
        raise ValueError("the proxy needs at least one app process")
    run = str(run_dir)
    servers = "\n".join(f"        server {LOOPBACK}:{app_port} max_fails=1 fail_timeout=10s;"
                        for app_port in app_ports)
    temp_paths = "\n".join(f"    {kind}_temp_path {run}/{kind};"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Generated by mapa serve: nginx in front of {len(app_ports)} app process(es).
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
{temp_paths}
    # a browser's route key: its cookie when it has a well-formed one, else a new random one
    map $cookie_{ROUTE_COOKIE} $mapa_route {{
        "~^[0-9a-f]{{32}}$" $cookie_{ROUTE_COOKIE};
        default $request_id;
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}
    log_format mapa '$remote_addr [$time_local] "$request" $status route=$mapa_route '
                    'upstream=$upstream_addr';
    access_log {run}/access.log mapa;

    upstream mapa {{
        hash $mapa_route consistent;
{servers}
    }}

    server {{
        listen {LOOPBACK}:{port};
        # imports: a GeoPackage or zip of a town's data (the app checks its own limits too)
        client_max_body_size 200m;

        location / {{
            proxy_pass http://mapa;
            proxy_http_version 1.1;
            # Streamlit talks to the browser over a websocket (/_stcore/stream)
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            # the host with its port, as the browser wrote it (Streamlit checks the origin)
            proxy_set_header Host $http_host;
            # replace (not append to) what the client sent: the app takes the right-most entry
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 86400s;  # an open page keeps its websocket for the working day
            proxy_send_timeout 86400s;
            proxy_buffering off;
            # a process that is gone: the request goes to the next one
            proxy_connect_timeout 5s;
            proxy_next_upstream error timeout;
            add_header Set-Cookie "{ROUTE_COOKIE}=$mapa_route; {ROUTE_COOKIE_ATTRIBUTES}" always;
            add_header {UPSTREAM_HEADER} $upstream_addr always;
        }}
    }}
}}
"""


def shared_settings(environ: Mapping[str, str], secrets_file: Path) -> dict[str, str]:
    """Values of :data:`SHARED_KEYS` for the app processes of one run: for each key that
    neither ``environ`` nor ``secrets_file`` sets, a new random one (else each process would
    pick its own, and a login taken on one would not be known on another). Raises
    ``ValueError``/``OSError`` as the secrets file does."""
    from layers.access.secrets_file import setting

    return {name: secrets.token_urlsafe(32) for name in SHARED_KEYS
            if not setting(name, secrets_file, environ)[0]}


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.store:
        env["MAPA_STORE"] = args.store
    if args.processes < 1:
        raise CommandError("cli.serve_processes")
    if not args.proxy:
        if args.processes > 1:
            raise CommandError("cli.serve_needs_proxy")
        command = streamlit_command(args.port, args.headless)
        # the server takes this process's place: a signal to `mapa serve` stops the server
        # itself, and no orphan is left serving
        os.execve(command[0], command, env)
    return _serve_behind_proxy(args, env)


class _Stop(Exception):
    """Raised by the SIGINT/SIGTERM handler to leave the supervision loop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise _Stop(signum)


def _serve_behind_proxy(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Start the app processes and nginx, report them, watch them until stopped."""
    from layers.access.secrets_file import SECRETS_FILE
    from layers.store import URL_PREFIXES, default_location

    location = args.store or default_location()
    if args.processes > 1 and not str(location).startswith(URL_PREFIXES):
        raise CommandError("cli.serve_needs_postgis")
    if not Path(NGINX).is_file():
        raise CommandError("cli.no_nginx", path=NGINX)
    env.update(shared_settings(env, SECRETS_FILE))
    # MAPA_DB_URL would win over MAPA_STORE in the app, which opens a URL in either
    env.pop("MAPA_DB_URL", None)
    env["MAPA_STORE"] = location
    app_ports = [args.port + index for index in range(1, args.processes + 1)]
    previous = {signum: signal.signal(signum, _raise_stop)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    children: dict[int, tuple[str, subprocess.Popen[bytes]]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="mapa-serve-") as folder:
            run_dir = Path(folder)
            # nginx's workers (user nobody when started as root) open their temporary files
            # in it: let them through, not list it
            run_dir.chmod(0o711)
            config = run_dir / "nginx.conf"
            config.write_text(proxy_config(args.port, app_ports, run_dir), encoding="utf-8")
            for index, app_port in enumerate(app_ports, start=1):
                # the children's output goes to stderr: stdout carries this command's report
                process = subprocess.Popen(
                    streamlit_command(app_port, True, APP_SERVER, LOOPBACK), env=env,
                    stdout=sys.stderr)
                children[process.pid] = (f"process {index}", process)
            proxy = subprocess.Popen([NGINX, "-p", folder, "-c", str(config),
                                      "-e", str(run_dir / "error.log")], stdout=sys.stderr)
            children[proxy.pid] = ("nginx", proxy)
            apps = [process for name, process in children.values() if name != "nginx"]
            for app_port, process in zip(app_ports, apps, strict=True):
                _wait_healthy(process, f"http://{LOOPBACK}:{app_port}", "streamlit")
            url = f"http://{LOOPBACK}:{args.port}"
            _wait_healthy(proxy, url, "nginx", run_dir / "error.log")
            _report(args, url, app_ports, apps, proxy, config)
            _supervise(children)
    except _Stop as stop:
        print(f"mapa serve: {stop} received, stopping", file=sys.stderr)
        return 0
    finally:
        for signum in previous:  # a second Ctrl+C must not cut the stopping short
            signal.signal(signum, signal.SIG_IGN)
        _stop_all([process for _, process in children.values()])
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def free_port() -> int:
    """A TCP port of the loopback that is free now (the system's pick)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    """True when Streamlit's health endpoint at ``url`` (maybe through the proxy) answers 200."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _wait_healthy(process: subprocess.Popen[bytes], url: str, what: str,
                  log: Path | None = None) -> None:
    """Return once ``url`` answers its health check. Raises ``CommandError``
    (``cli.serve_start``) when ``process`` ends first or takes over :data:`START_S`."""
    deadline = time.monotonic() + START_S
    while not healthy(url):
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.3)  # a failed start ends the process: no need to wait more
        if process.poll() is not None or time.monotonic() > deadline:
            detail = log.read_text(encoding="utf-8")[-2000:] if log and log.exists() else ""
            raise CommandError("cli.serve_start", what=what, url=url, detail=detail)


def _report(args: argparse.Namespace, url: str, app_ports: Sequence[int],
            apps: Sequence[subprocess.Popen[bytes]], proxy: subprocess.Popen[bytes],
            config: Path) -> None:
    """Say what serves where: readable lines, with ``--json`` one JSON object after them."""
    processes = [{"process": index, "pid": process.pid, "url": f"http://{LOOPBACK}:{port}"}
                 for index, (port, process) in enumerate(zip(app_ports, apps, strict=True),
                                                          start=1)]
    lines = [f"process {p['process']} (pid {p['pid']}) on {p['url']}" for p in processes]
    lines.append(f"nginx (pid {proxy.pid}, config {config}) on {url}")
    lines.append(f"serving {url}; stop with Ctrl+C")
    print("\n".join(f"mapa serve: {line}" for line in lines), flush=not args.json)
    if args.json:
        print(json.dumps({"url": url, "processes": processes,
                          "proxy": {"pid": proxy.pid, "config": str(config),
                                    "run_dir": str(config.parent)}}), flush=True)


def _supervise(children: dict[int, tuple[str, subprocess.Popen[bytes]]]) -> NoReturn:
    """Wait for children to end: an app process that ends is reported and the others serve
    on. Raises ``CommandError`` (``cli.serve_ended``) once nginx or the last app process has
    ended; :class:`_Stop` from the signal handler."""
    running = dict(children)
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid not in running:
            continue
        name, process = running.pop(pid)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        print(f"mapa serve: {name} (pid {pid}) ended with code {process.returncode}",
              file=sys.stderr, flush=True)
        if name == "nginx" or all(other == "nginx" for other, _ in running.values()):
            raise CommandError("cli.serve_ended", what=name, code=process.returncode)


def _stop_all(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Send every child still running SIGTERM, wait up to :data:`STOP_S` for each, kill the
    ones that did not end."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

