"""The package as a user installs it: a wheel with the shipped data and the map's static
files, installed into a fresh virtual environment outside the clone, runs ``mapa build-demo``
and serves the app; every package the code imports is declared."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import json
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.app.e2e_support import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w",
                    str(out)], check=True, capture_output=True)
    return next(out.glob("mapa_bezpeci-*.whl"))


@pytest.fixture(scope="module")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the wheel installed (``--no-deps``); the dependencies come from this
    venv through a path entry. A path entry is not a site directory, so this venv's editable
    install of the clone (a .pth finder) is not active there: only the wheel's code runs."""
    venv = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"], check=True,
                             capture_output=True, text=True).stdout.strip()
    Path(purelib, "mapa-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "-q", str(wheel)], check=True, capture_output=True)
    return venv


def test_the_wheel_carries_the_data_and_static_files_and_no_store(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("geodata/sources/boundaries/") for n in names)
    assert any(n.startswith("app/static/vendor/leaflet/") for n in names)
    assert "app/ui/strings.toml" in names
    assert not [n for n in names if n.endswith(".gpkg") or n.startswith("tests/")]


def test_installed_mapa_builds_the_demo_outside_the_clone(fresh_venv: Path,
                                                         tmp_path: Path) -> None:
    where = subprocess.run([str(fresh_venv / "bin" / "python"), "-c",
                            "import layers, app; print(layers.__file__); print(app.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert str(ROOT) not in where and str(fresh_venv) in where
    store = tmp_path / "demo.gpkg"
    built = subprocess.run([str(fresh_venv / "bin" / "mapa"), "build-demo", "--store",
                            str(store), "--json"], cwd=tmp_path, capture_output=True,
                           text=True)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout.splitlines()[-1])["layers"]["towns"] == 3
    version = subprocess.run([str(fresh_venv / "bin" / "mapa"), "--version"], cwd=tmp_path,
                             check=True, capture_output=True, text=True).stdout
    assert version.strip() == f"mapa {metadata.version('mapa-bezpeci')}"


def test_installed_mapa_serve_serves_the_app_and_its_static_files(
        fresh_venv: Path, tmp_path: Path, demo_store_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([str(fresh_venv / "bin" / "mapa"), "serve", "--headless",
                               "--port", str(port), "--store", str(demo_store_path)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://localhost:{port}"
    try:
        wait_healthy(server, base)
        with urllib.request.urlopen(f"{base}/app/static/vendor/leaflet/leaflet.min.js",
                                    timeout=5) as asset:
            served = asset.read()
        assert served == (ROOT / "app/static/vendor/leaflet/leaflet.min.js").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)
    with pytest.raises(OSError):  # the server itself stopped: no orphan left serving
        urllib.request.urlopen(f"{base}/_stcore/health", timeout=5)


def _imported_distributions() -> set[str]:
    modules = set()
    for package in ("layers", "app", "scripts"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    owners = metadata.packages_distributions()
    return {owners[m][0].lower() for m in modules
            if m not in sys.stdlib_module_names and m in owners
            and m not in ("layers", "app", "scripts", "geodata")}


def test_every_imported_package_is_declared() -> None:
    requires = metadata.requires("mapa-bezpeci") or []
    declared = {r.split(";")[0].split("[")[0].split(">")[0].split("=")[0].strip().lower()
                for r in requires}
    assert _imported_distributions() <= declared | {"mapa-bezpeci"}, \
        _imported_distributions() - declared
    assert "h3" not in declared  # declared but never imported: removed
