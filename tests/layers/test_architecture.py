"""The layout's rules: the domain (``layers/``) never imports the UI (Streamlit, ``app``), the
command line (``scripts/``) never imports ``app``, and no test imports a benchmark."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ROOT / "layers"
FORBIDDEN = ("streamlit", "streamlit_folium", "app")


def _imported_names(path: Path) -> set[str]:
    """Dotted names of the modules ``path`` imports absolutely (``from a.b import c`` gives
    ``a.b`` and ``a.b.c``: ``c`` may be a module), anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _imported_modules(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported_names(path)}


def test_no_layers_module_imports_the_ui() -> None:
    modules = sorted(LAYERS.rglob("*.py"))
    assert len(modules) > 20
    offenders = {str(p.relative_to(LAYERS)): sorted(_imported_modules(p) & set(FORBIDDEN))
                 for p in modules if _imported_modules(p) & set(FORBIDDEN)}
    assert offenders == {}


def test_importing_every_layers_module_loads_no_streamlit() -> None:
    """Also indirectly: importing the whole domain must not pull Streamlit in."""
    names = [".".join(p.relative_to(LAYERS.parent).with_suffix("").parts)
             for p in sorted(LAYERS.rglob("*.py"))]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name.removesuffix('.__init__'))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=LAYERS.parent).stdout.strip()
    assert out == "[]"


def test_no_scripts_or_layers_module_imports_app() -> None:
    modules = sorted([*(ROOT / "scripts").rglob("*.py"), *LAYERS.rglob("*.py")])
    assert len([p for p in modules if p.is_relative_to(ROOT / "scripts" / "bench")]) > 7
    offenders = [str(p.relative_to(ROOT)) for p in modules if "app" in _imported_modules(p)]
    assert offenders == []


def test_no_test_imports_a_benchmark() -> None:
    """Tests run benchmarks through ``mapa bench … --json`` or use the domain functions."""
    offenders = {str(p.relative_to(ROOT)): sorted(
                     n for n in _imported_names(p)
                     if n == "scripts.bench" or n.startswith("scripts.bench."))
                 for p in sorted((ROOT / "tests").rglob("*.py"))}
    assert {path: names for path, names in offenders.items() if names} == {}
