"""Pages draw their maps from the process's cache of built maps (``app.ui.map_component``):
a rerun with nothing changed builds no map, a change of what the map shows builds it anew;
and folium's elements share compiled templates (``app.ui.maps.templates``) without changing
a map."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import branca.element
import jinja2
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.features.area import map as area_map
from app.features.public_space import map as urban_map
from app.navigation import page_script
from app.ui.maps import templates
from app.ui.town import load_town
from layers.store import open_store
from layers.strategy.area import load_area
from tests.app.access_support import open_page


@pytest.fixture
def store_path(demo_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
               ) -> Iterator[Path]:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Counter[str]:
    """Count the calls of the map builder ``module.name`` (the page imports it on each run)."""
    built: Counter[str] = Counter()
    builder = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        built[name] += 1
        return builder(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return built


def _page(store_path: Path, role: str, path: str) -> AppTest:
    return open_page(store_path, role, page_script(path))


def test_the_area_map_is_built_once_per_view(store_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built = _counting(monkeypatch, area_map, "build_area_map")
    at = _page(store_path, "strategy_coordinator", "area")
    at.run()
    at.run()
    assert not at.exception and built["build_area_map"] == 1
    at.selectbox(key="area_locality_litvinov").set_value("litvinov-1").run()
    at.run()
    assert not at.exception and built["build_area_map"] == 2
    # English is another view
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and built["build_area_map"] == 3


def test_the_public_space_map_is_built_anew_for_another_distance(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _counting(monkeypatch, urban_map, "build_urban_map")
    at = _page(store_path, "urbanist", "urban")
    at.run()
    at.run()
    assert not at.exception and built["build_urban_map"] == 1
    at.select_slider(key="urban_distance").set_value(800).run()
    assert not at.exception and built["build_urban_map"] == 2


def _ids() -> Callable[[], str]:
    numbers = itertools.count()
    return lambda: f"id{next(numbers)}"


def _rendered(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> str:
    """The Area map of Litvínov rendered whole, its element ids numbered from 0."""
    store = open_store(store_path)
    with monkeypatch.context() as patch:
        patch.setattr(branca.element.Element, "_generate_id", staticmethod(_ids()))
        town = load_town(store, "litvinov")
        m = area_map.build_area_map(load_area(store, "litvinov"), town.context, "cs")
        return str(m.get_root().render())


def test_shared_templates_change_no_map(store_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert vars(branca.element)["Template"] is templates.compiled  # installed by app.ui.maps
    templates.compiled.cache_clear()
    shared = _rendered(monkeypatch, store_path)
    first = templates.compiled.cache_info()
    again = _rendered(monkeypatch, store_path)
    second = templates.compiled.cache_info()
    # the second map compiles no template text the first one had
    assert first.misses > 0 and second.misses == first.misses
    assert second.hits > first.hits and again == shared
    monkeypatch.setattr(branca.element, "Template", jinja2.Template)
    assert _rendered(monkeypatch, store_path) == shared  # as branca itself renders it
