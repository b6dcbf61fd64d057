"""Cached views are keyed per layer and town (``app.cache_keys``): a pin in one town leaves
every other town's cached map alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import streamlit as st

from app.ui import cache as data
from app.ui import cache_keys
from app.ui.town import TownData, load_town
from layers.schema import ALL_LAYERS, OPTIONAL_LAYERS, PINS, TOWNS
from layers.store import Store


@pytest.fixture
def rebuilds(demo_store_copy: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Town ids whose map data were built from the store (cache misses), for a writable store."""
    monkeypatch.setenv("MAPA_STORE", demo_store_copy.location)
    monkeypatch.delenv("MAPA_DB_URL", raising=False)
    built: Counter[str] = Counter()

    def counted(store: Store, town_id: str) -> TownData:
        built[town_id] += 1
        return load_town(store, town_id)

    monkeypatch.setattr(data, "load_town", counted)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield built
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_pin_in_one_town_rebuilds_only_that_towns_map(demo_store_copy: Store,
                                                        rebuilds: Counter[str]) -> None:
    for town in ("litvinov", "kraslice", "litvinov", "kraslice"):
        data.town_data(town)
    assert rebuilds == {"litvinov": 1, "kraslice": 1}
    pins = demo_store_copy.read(PINS, "kraslice")
    demo_store_copy.append(PINS, pins.head(1).assign(pin_id="kraslice-new-pin"))
    for town in ("litvinov", "kraslice", "litvinov", "kraslice"):
        data.town_data(town)
    assert rebuilds == {"litvinov": 1, "kraslice": 2}
    assert len(data.town_data("kraslice").pins_approved) > 0


def test_every_view_depends_on_known_layers_of_its_town() -> None:
    known = {spec.name for spec in (*ALL_LAYERS, *OPTIONAL_LAYERS)}
    for view, (per_town, _) in cache_keys.READS.items():
        parts = cache_keys.depends_on(view, "kraslice")
        assert {spec.name for spec, _ in parts} <= known
        # a layer read per town has a town column to read it by
        assert all(spec.town_column is not None for spec in per_town), view
        assert {(spec.name, town) for spec, town in parts} >= {
            (spec.name, "kraslice") for spec in per_town}


def test_failed_logins_leave_every_cached_view_alone(demo_store_copy: Store,
                                                    rebuilds: Counter[str]) -> None:
    """A failed login writes its throttle row and audit entry, layers no view reads: no cache
    key changes, no town's map is rebuilt."""
    from layers.access import accounts
    from layers.access.principal import Principal

    store = demo_store_copy
    accounts.create_user(store, Principal("boss", "admin"), "pol", "correct horse battery",
                         "police")
    towns = list(store.read(TOWNS)["town_id"])
    views = [(view, town) for view in cache_keys.READS for town in (None, *towns)]
    data.town_data("kraslice")
    before = [cache_keys.cache_key(store, view, town) for view, town in views]
    for client in ("a", "b", "c"):
        assert accounts.authenticate(store, "pol", "wrong password!", client) is None
    assert [cache_keys.cache_key(store, view, town) for view, town in views] == before
    data.town_data("kraslice")
    assert rebuilds == {"kraslice": 1}
