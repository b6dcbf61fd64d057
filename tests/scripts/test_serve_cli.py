"""``mapa serve --processes N --proxy``: the generated nginx configuration (checked by Debian's
nginx itself), the keys the processes share, and the refusals before anything starts.

The command end to end (processes, proxy, a killed process) is tests/app/test_e2e_proxy.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from scripts.commands.serve import (
    NGINX,
    ROUTE_COOKIE,
    SETTINGS,
    SHARED_KEYS,
    UPSTREAM_HEADER,
    proxy_config,
    shared_settings,
)
from scripts.mapa import main

ROOT = Path(__file__).resolve().parents[2]


def _nginx() -> str:
    if not Path(NGINX).is_file():
        pytest.fail(f"{NGINX} is missing: apt-get install nginx (./scripts/test installs it)")
    return NGINX


def test_an_installed_app_runs_with_the_clones_streamlit_settings() -> None:
    """Every setting of the clone's ``.streamlit/config.toml`` (but headless, which the command
    sets itself) is passed on the command line, with the same value."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    clone = {f"{section}.{key}": str(value).lower() if isinstance(value, bool) else str(value)
             for section, values in config.items() for key, value in values.items()}
    del clone["server.headless"]
    assert clone == SETTINGS


def test_the_generated_config_is_valid_nginx_and_writes_only_in_its_folder(
        tmp_path: Path) -> None:
    config = proxy_config(8500, [8501, 8502, 8503], tmp_path)
    path = tmp_path / "nginx.conf"
    path.write_text(config)
    checked = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(path),
                              "-e", str(tmp_path / "error.log")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    # every file it names (pid, logs, temporary files) lies in the run folder
    named = re.findall(r"\s(/[^\s;]+)", config)
    assert named and all(Path(p).is_relative_to(tmp_path) for p in named), named


def test_the_proxy_keeps_a_browser_on_one_process_and_skips_a_dead_one(
        tmp_path: Path) -> None:
    config = proxy_config(8500, [8501, 8502], tmp_path)
    assert "listen 127.0.0.1:8500;" in config and "daemon off;" in config
    upstream = re.search(r"upstream mapa \{(.*?)\}", config, re.S)
    assert upstream is not None
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", upstream.group(1)) == ["8501", "8502"]
    # sticky: a consistent hash of the route key, the browser's cookie or a new random one
    assert "hash $mapa_route consistent;" in upstream.group(1)
    assert f"$cookie_{ROUTE_COOKIE}" in config and "default $request_id;" in config
    assert f'add_header Set-Cookie "{ROUTE_COOKIE}=$mapa_route; Path=/; HttpOnly' in config
    assert f"add_header {UPSTREAM_HEADER} $upstream_addr always;" in config
    # Streamlit's websocket passes, stays open, and a refused connection tries the next
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "proxy_set_header Connection $connection_upgrade;" in config
    assert "proxy_read_timeout 86400s;" in config
    assert "proxy_next_upstream error timeout;" in config


def test_a_proxy_without_processes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        proxy_config(8500, [], tmp_path)


def test_keys_the_processes_must_share_are_made_once_unless_configured(
        tmp_path: Path) -> None:
    secrets_file = tmp_path / "secrets.toml"
    made = shared_settings({}, secrets_file)
    assert set(made) == set(SHARED_KEYS) and all(len(v) >= 32 for v in made.values())
    assert shared_settings({}, secrets_file) != made  # random: one run's processes share one
    session_key, client_key = SHARED_KEYS
    secrets_file.write_text(f'{session_key} = "{"s" * 40}"\n')
    assert set(shared_settings({client_key: "c" * 40}, secrets_file)) == set()
    assert set(shared_settings({}, secrets_file)) == {client_key}


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["serve", *argv, "--json"]) == 1
    return dict(json.loads(capsys.readouterr().out.strip().splitlines()[-1])["error"])


def test_several_processes_on_a_geopackage_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    error = _refused(["--processes", "2", "--proxy", "--store", str(tmp_path / "m.gpkg")],
                     capsys)
    assert error["code"] == "cli.serve_needs_postgis"
    assert "PostGIS" in error["message"] and "GeoPackage" in error["message"]
    # the default store counts too
    monkeypatch.delenv("MAPA_DB_URL", raising=False)
    monkeypatch.setenv("MAPA_STORE", str(tmp_path / "m.gpkg"))
    assert _refused(["--processes", "3", "--proxy"], capsys)["code"] == \
        "cli.serve_needs_postgis"


def test_several_processes_need_the_proxy_and_at_least_one_process(
        capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://mapa@localhost/mapa"
    assert _refused(["--processes", "2", "--store", url], capsys)["code"] == \
        "cli.serve_needs_proxy"
    assert _refused(["--processes", "0", "--proxy", "--store", url], capsys)["code"] == \
        "cli.serve_processes"


def _directives(text: str) -> list[str]:
    """The directive lines of an nginx configuration, comments and blank lines left out."""
    lines = (" ".join(line.split("#")[0].split()) for line in text.splitlines())
    return [line for line in lines if line]


def test_the_readmes_sample_for_a_real_deployment_is_valid_and_proxies_alike(
        tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```nginx\n(.*?)```", readme, re.S)
    assert sample is not None
    # as the system's nginx includes it: inside its http block
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
                    + "".join(f"{kind}_temp_path {tmp_path}/{kind};\n" for kind in
                              ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
                    + f"include {tmp_path}/mapa.conf;\n}}\n")
    (tmp_path / "mapa.conf").write_text(sample.group(1).replace("listen 80;", "listen 8080;"))
    checked = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(main),
                              "-e", str(tmp_path / "error.log")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    # the same routing and proxying as the proxy of mapa serve --proxy
    generated = _directives(proxy_config(8500, [8501, 8502, 8503], tmp_path))
    location = _directives(sample.group(1).split("location / {", 1)[1])
    assert [d for d in location if d != "}" and d not in generated] == []
    assert all(d in generated for d in _directives(sample.group(1).split("server {")[0]))
