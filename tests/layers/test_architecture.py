"""The layout's rule: the domain (``layers/``) never imports the UI (Streamlit, ``app``)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

LAYERS = Path(__file__).resolve().parents[2] / "layers"
FORBIDDEN = ("streamlit", "streamlit_folium", "app")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


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
