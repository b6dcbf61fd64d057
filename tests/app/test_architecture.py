"""The layout's rules inside ``app/``: no import circle, and the map builders, models
and shared map toolkit work without Streamlit (so they are testable and reusable alone)."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
#: Modules that must not load Streamlit, not even through what they import.
PURE = ("app.navigation", "app.ui.i18n", "app.ui.town", "app.ui.maps")
PURE_IN_FEATURES = ("map", "model")
STREAMLIT = ("streamlit", "streamlit_folium")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(APP.rglob("*.py")) if "static" not in p.parts}


def _imports(name: str, path: Path) -> set[str]:
    """The ``app`` modules ``name`` imports anywhere in its code (in functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in MODULES and target != name}


def test_app_has_no_import_circle() -> None:
    assert len(MODULES) > 40
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        raise AssertionError(f"import circle: {' → '.join(exc.args[1])}") from None


def test_map_builders_models_and_strings_load_no_streamlit() -> None:
    names = sorted(name for name in MODULES
                   if name.startswith(PURE) or name.rpartition(".")[2] in PURE_IN_FEATURES)
    assert {"app.features.map.map", "app.features.hotspots.model", "app.ui.maps.base"} <= set(
        names)
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{STREAMLIT!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.strip()
    assert out == "[]"


def test_every_module_but_the_entry_point_imports_without_running_a_page() -> None:
    """Page scripts render only when Streamlit runs them as ``__main__``: importing one (for its
    helpers, in a test) draws nothing (a page that ran would fail here without a chosen town)."""
    names = sorted(name for name in MODULES if name != "app.main")
    code = ("import importlib\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_pages_draw_maps_only_through_the_cache_of_built_maps() -> None:
    """Only ``app.ui.map_component`` talks to streamlit-folium: a page calling ``st_folium``
    would build and serialise its map again on every rerun."""
    def folium_component(path: Path) -> bool:
        return any((isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                       "streamlit_folium"))
                   or (isinstance(node, ast.Import) and any(
                       alias.name.startswith("streamlit_folium") for alias in node.names))
                   for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))

    talking = sorted(name for name, path in MODULES.items() if folium_component(path))
    assert talking == ["app.ui.map_component"]
