"""Guarded reads and writes: each role gets its scope, exact sensitive pins are audited."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from layers.access import audit, guarded
from layers.access.principal import PUBLIC_PRINCIPAL, AccessDenied, Principal
from layers.mapping.capture import PinAnswer
from layers.mapping.sessions import SessionInput
from layers.schema import PINS, SENSITIVE_CATEGORIES, SESSIONS
from layers.store import Store

TOWN = "karlovy-vary"
NZDM = Principal("nzdm", "facilitator", "NZDM Rybáře")
POLICE = Principal("pol", "police")
MODERATOR = Principal("mod", "moderator")
URBANIST = Principal("urb", "urbanist")


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def _sessions(store: Store) -> pd.DataFrame:
    return pd.DataFrame(store.read(SESSIONS, TOWN))


def test_public_gets_the_public_view_only(store: Store) -> None:
    for principal in (PUBLIC_PRINCIPAL, URBANIST):
        view = guarded.pins_for(principal, store, TOWN)
        assert not view.exact and view.cells is not None and len(view.cells)
        assert not view.pins["category"].isin(SENSITIVE_CATEGORIES).any()
        assert set(view.pins["status"]) == {"approved"} and "comment" not in view.pins
        assert (view.cells["count"] >= guarded.PUBLIC_K).all()
        with pytest.raises(AccessDenied):
            guarded.sessions_for(principal, store, TOWN)
    assert audit.read_log(store).empty


def test_police_sees_every_pin_and_the_view_is_audited(store: Store) -> None:
    view = guarded.pins_for(POLICE, store, TOWN)
    everything = store.read(PINS, TOWN)
    assert view.exact and len(view.pins) == len(everything)
    assert view.pins["category"].isin(SENSITIVE_CATEGORIES).any()
    log = audit.read_log(store)
    assert list(log["action"]) == ["view_exact_pins"] and log["username"].iloc[0] == "pol"
    detail = json.loads(log["detail"].iloc[0])
    assert detail["sensitive_pins"] == int(everything["category"].isin(
        SENSITIVE_CATEGORIES).sum())


def test_facilitator_sees_only_its_centres_sessions(store: Store) -> None:
    sessions = _sessions(store)
    own = set(sessions.loc[sessions["organiser"] == "NZDM Rybáře", "session_id"])
    other = sorted(set(sessions["session_id"]) - own)
    assert own and other
    assert set(guarded.sessions_for(NZDM, store, TOWN)["session_id"]) == own
    view = guarded.pins_for(NZDM, store, TOWN)
    assert view.exact and len(view.pins) and set(view.pins["session_id"]) <= own
    with pytest.raises(AccessDenied, match="another centre"):
        guarded.pins_for(NZDM, store, TOWN, other[0])
    with pytest.raises(AccessDenied):
        guarded.export_pins(NZDM, store, TOWN, store_dir(store) / "x.csv", "csv",
                            session_id=other[0])
    with pytest.raises(AccessDenied, match="one session"):
        guarded.export_pins(NZDM, store, TOWN, store_dir(store) / "x.csv", "csv")
    answer = PinAnswer(lon=12.87, lat=50.23, category="dark_place", feeling=2)
    with pytest.raises(AccessDenied):
        guarded.add_pins(NZDM, store, other[0], [("p-1", answer)])
    assert guarded.sessions_for(MODERATOR, store, TOWN)["session_id"].tolist() == sorted(
        sessions["session_id"], key=lambda s: (sessions.set_index("session_id").loc[s, "date"],
                                               s))


def store_dir(store: Store) -> Path:
    return Path(store.location).parent


def test_facilitator_creates_sessions_only_for_its_centre(store: Store) -> None:
    data = SessionInput(town_id=TOWN, date="2026-11-23", place="Klub", organiser="APK Litvínov",
                        age_group="13-18", participants=5, method="tablet", consent="ano")
    with pytest.raises(AccessDenied):
        guarded.create_session(NZDM, store, data)
    with pytest.raises(AccessDenied, match="run_sessions"):
        guarded.create_session(POLICE, store, data)
    mine = SessionInput(**{**data.__dict__, "organiser": "NZDM Rybáře"})
    session_id = guarded.create_session(NZDM, store, mine)
    assert session_id in set(guarded.sessions_for(NZDM, store, TOWN)["session_id"])
    export = store_dir(store) / "own.csv"
    counts = guarded.export_pins(NZDM, store, TOWN, export, "csv", session_id=session_id)
    assert counts["pins"] == 0 and export.exists()
    log = audit.read_log(store)
    assert list(log["action"]) == ["create_session", "export_internal_pins"]
    assert json.loads(log["object_ids"].iloc[0]) == [session_id]


def test_moderation_needs_the_right_and_is_audited(store: Store) -> None:
    pins = store.read(PINS, TOWN)
    pending = list(pins.loc[pins["status"] == "pending", "pin_id"][:2])
    with pytest.raises(AccessDenied, match="moderate"):
        guarded.approve(POLICE, store, pending)
    with pytest.raises(AccessDenied):
        guarded.reject(NZDM, store, pending, "spam")
    assert guarded.approve(MODERATOR, store, pending) == 2
    entry = audit.read_log(store).iloc[-1]
    assert entry["action"] == "approve_pins" and entry["username"] == "mod"
    assert sorted(json.loads(entry["object_ids"])) == sorted(pending)


def test_removing_the_note_on_approval_needs_the_right_and_is_audited(store: Store) -> None:
    pins = store.read(PINS, TOWN)
    pending = list(pins.loc[pins["status"] == "pending", "pin_id"][:1])
    with pytest.raises(AccessDenied, match="moderate"):
        guarded.approve_without_note(URBANIST, store, pending)
    assert guarded.approve_without_note(MODERATOR, store, pending) == 1
    entry = audit.read_log(store).iloc[-1]
    assert entry["action"] == "approve_pins" and json.loads(entry["object_ids"]) == pending
    assert json.loads(entry["detail"]) == {"note_removed": True, "changed": 1}


def test_public_export_is_open_and_not_audited(store: Store) -> None:
    out = store_dir(store) / "public.geojson"
    counts = guarded.export_pins(PUBLIC_PRINCIPAL, store, TOWN, out, "geojson", public=True)
    assert counts["cells"] > 0 and audit.read_log(store).empty
    with pytest.raises(AccessDenied):
        guarded.export_pins(PUBLIC_PRINCIPAL, store, TOWN, out, "geojson")
