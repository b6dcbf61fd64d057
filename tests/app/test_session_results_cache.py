"""A session's counted results are cached per store version, town, session and scope; the
pins are still read through the right check (and its audit) every time they are shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st

from app.ui import cache as data
from layers.access import audit, guarded
from layers.access.principal import AccessDenied, Principal
from layers.schema import PINS, SESSIONS
from layers.store import Store


@pytest.fixture
def counted(demo_store_copy: Store, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[tuple[Counter[str], Counter[str]]]:
    """(sessions counted from the store, pin reads through the right check) for a writable
    store."""
    monkeypatch.setenv("MAPA_STORE", demo_store_copy.location)
    monkeypatch.delenv("MAPA_DB_URL", raising=False)
    counts: Counter[str] = Counter()
    reads: Counter[str] = Counter()
    count_results, pins_for = data.count_results, guarded.pins_for

    def counting(store: Store, session_id: str, *args: Any, **kwargs: Any) -> Any:
        counts[session_id] += 1
        return count_results(store, session_id, *args, **kwargs)

    def reading(principal: Principal, *args: Any, **kwargs: Any) -> Any:
        reads[principal.username] += 1
        return pins_for(principal, *args, **kwargs)

    monkeypatch.setattr(data, "count_results", counting)
    monkeypatch.setattr(guarded, "pins_for", reading)
    st.cache_data.clear()
    yield counts, reads
    st.cache_data.clear()


def test_results_are_counted_once_per_version_and_scope(
        demo_store_copy: Store, counted: tuple[Counter[str], Counter[str]]) -> None:
    counts, reads = counted
    store = demo_store_copy
    sessions = store.read(SESSIONS, "litvinov")
    session_id = str(sessions["session_id"].iloc[0])
    police = Principal("pol", "police")
    first = data.session_results(police, "litvinov", session_id, False)
    again = data.session_results(police, "litvinov", session_id, False)
    assert counts == {session_id: 1} and reads == {"pol": 2}
    assert again.pins == first.pins > 0
    # the exact view of sensitive pins is in the audit log
    log = audit.read_log(store)
    assert ((log["username"] == "pol") & (log["action"] == "view_exact_pins")).any()
    # a facilitator of the session's centre has its own scope: counted for it
    centre = str(sessions["organiser"].iloc[0])
    facilitator = Principal("fac", "facilitator", centre)
    assert data.session_results(facilitator, "litvinov", session_id, False).pins == first.pins
    assert counts == {session_id: 2}
    # the police of another town share role and centre, not the town: refused, never served
    # the results cached above
    elsewhere = Principal("pol-k", "police", towns=frozenset({"kraslice"}))
    with pytest.raises(AccessDenied):
        data.session_results(elsewhere, "litvinov", session_id, False)
    assert counts == {session_id: 2}
    # a new pin of the town is a new version: counted again, with the pin
    pins = store.read(PINS, "litvinov")
    one = pins[pins["session_id"] == session_id].head(1)
    store.append(PINS, one.assign(pin_id="litvinov-new-pin", status="approved"))
    assert data.session_results(police, "litvinov", session_id, False).pins == first.pins + 1
    assert counts == {session_id: 3} and reads["pol"] == 3 and reads["fac"] == 1
