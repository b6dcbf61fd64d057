"""Writing measures, statuses and observations into a copy of the demo store."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from layers.build import build_demo
from layers.store import Store, open_store
from layers.strategy.area import load_area
from layers.strategy.editing import (
    add_indicator_observation,
    add_measure,
    point_link,
    update_measure_status,
)
from layers.strategy.model import Link
from layers.strategy.tables import load_strategies, strategy_frames

STRATEGY = "litvinov-pp9"
GOAL = "litvinov-pp9:goal:1.1.1"
AT = "2026-11-23T09:00:00+00:00"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("editing") / "s.gpkg"
    build_demo(path)
    return path


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Store:
    copy = tmp_path / "s.gpkg"
    shutil.copy(built, copy)
    return open_store(copy)


def _sha(store: Store) -> str:
    return hashlib.sha256(Path(store.location).read_bytes()).hexdigest()


def _janov_point(store: Store) -> tuple[float, float]:
    janov = store.read("localities", "litvinov")
    point = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0].representative_point()
    return point.x, point.y


def _history(store: Store) -> list[dict[Any, Any]]:
    frame = store.read("history")
    return frame[frame["strategy_id"] == STRATEGY].sort_values("position").to_dict("records")


def test_add_measure_round_trip_with_history(store: Store) -> None:
    lon, lat = _janov_point(store)
    before = len(_history(store))
    measure_id = add_measure(store, STRATEGY, GOAL, "  Osvětlit lávku u Janova ",
                             ["odbor dopravy", " "], "planned", "2027",
                             [point_link(lon, lat), Link("", "locality", "litvinov-1")],
                             "koordinátor", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    measure = strategy.measure(measure_id)
    assert measure.title == "Osvětlit lávku u Janova"
    assert measure.goal_ids == (GOAL,) and measure.owners == ("odbor dopravy",)
    assert (measure.status, measure.time_frame) == ("planned", "2027")
    assert [(k.measure_id, k.target_kind) for k in measure.links] == [
        (measure_id, "point"), (measure_id, "locality")]
    assert measure.links[0].wkt == f"POINT ({lon} {lat})"
    history = _history(store)
    assert len(history) == before + 1
    last = history[-1]
    assert (last["entity"], last["entity_id"], last["who_role"], last["at"]) == (
        "measure", measure_id, "koordinátor", AT)
    assert json.loads(str(last["change"]))["measure_added"]["text"] == "Osvětlit lávku u Janova"
    # the clicked point puts the measure on Janov's page and on its map
    view = load_area(store, "litvinov", "litvinov-1")
    listed = [m.measure_id for item in view.strategies for root in item.roots
              for _, node in root.walk() for m in node.measures]
    assert measure_id in listed
    assert f"{lat:.5f}, {lon:.5f}" in set(view.places["label"])


def test_point_link_addresses_cells_within_150_m(store: Store) -> None:
    view = load_area(store, "litvinov")
    unaddressed = view.unaddressed
    assert len(unaddressed) > 0
    centre = unaddressed.geometry.to_crs("EPSG:5514").centroid.to_crs("EPSG:4326").iloc[0]
    add_measure(store, STRATEGY, GOAL, "Hlídky u buňky", [], "in_progress", "",
                [point_link(centre.x, centre.y)], "strážník", at=AT)
    after = load_area(store, "litvinov")
    assert len(after.unaddressed) < len(unaddressed)
    assert "Hlídky u buňky" in set(after.cells["measures"])


@pytest.mark.parametrize(("goal", "text", "status", "link", "message"), [
    ("litvinov-pp9:goal:9.9", "x", "planned", None, "no goal 'litvinov-pp9:goal:9.9'"),
    (GOAL, "   ", "planned", None, "text must not be empty"),
    (GOAL, "x", "someday", None, "'someday' is not one of planned"),
    (GOAL, "x", "planned", point_link(12.88, 50.22), "lies outside its towns"),
    (GOAL, "x", "planned", Link("", "locality", "kraslice-1"), "not in its towns"),
    (GOAL, "x", "planned", Link("", "town", "kraslice"), "outside its area"),
])
def test_bad_measure_is_refused_and_store_unchanged(
        store: Store, goal: str, text: str, status: str, link: Link | None,
        message: str) -> None:
    before = _sha(store)
    with pytest.raises(ValueError, match=message):
        add_measure(store, STRATEGY, goal, text, [], status, "", [link] if link else [],
                    "koordinátor", at=AT)
    assert _sha(store) == before


def test_unknown_strategy_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="no strategy 'nope'"):
        add_measure(store, "nope", GOAL, "x", [], "planned", "", [], "role", at=AT)


def test_status_change_writes_history_and_refuses_bad_status(store: Store) -> None:
    measure_id = "litvinov-pp9:measure:placek"
    assert update_measure_status(store, measure_id, "done", "místostarosta", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    assert strategy.measure(measure_id).status == "done"
    last = _history(store)[-1]
    assert (last["entity_id"], last["who_role"]) == (measure_id, "místostarosta")
    assert json.loads(str(last["change"])) == {"status": {"old": "in_progress", "new": "done"}}
    before = _sha(store)
    assert not update_measure_status(store, measure_id, "done", "místostarosta", at=AT)
    with pytest.raises(ValueError, match="'finished' is not one of"):
        update_measure_status(store, measure_id, "finished", "místostarosta", at=AT)
    with pytest.raises(ValueError, match="no measure 'nope'"):
        update_measure_status(store, "nope", "done", "místostarosta", at=AT)
    assert _sha(store) == before


def test_status_is_restored_when_history_cannot_be_written(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    measure_id = "litvinov-pp9:measure:placek"

    def refuse(*args: object, **kwargs: object) -> dict[str, int]:
        raise OSError("disk full")

    monkeypatch.setattr(store, "append_batch", refuse)
    with pytest.raises(OSError, match="disk full"):
        update_measure_status(store, measure_id, "done", "místostarosta", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    assert strategy.measure(measure_id).status == "in_progress"


def test_observation_is_added_with_history(store: Store) -> None:
    indicator_id = "kraslice-pp9:indicator:01"
    add_indicator_observation(store, indicator_id, "ANO", "2026-10", "koordinátor", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == "kraslice-pp9")
    assert strategy.indicator(indicator_id).observations[-1].value == "ANO"
    history = store.read("history")
    last = history[history["strategy_id"] == "kraslice-pp9"].sort_values("position").iloc[-1]
    assert (last["entity_id"], last["who_role"]) == (indicator_id, "koordinátor")
    before = _sha(store)
    with pytest.raises(ValueError, match="'MOŽNÁ' is not one of ANO"):
        add_indicator_observation(store, indicator_id, "MOŽNÁ", "2026-11", "koordinátor")
    with pytest.raises(ValueError, match="not a date"):
        add_indicator_observation(store, indicator_id, "ANO", "listopad", "koordinátor")
    with pytest.raises(ValueError, match="no indicator 'nope'"):
        add_indicator_observation(store, "nope", "ANO", "2026", "koordinátor")
    assert _sha(store) == before


def test_links_survive_export_and_import(store: Store, tmp_path: Path) -> None:
    lon, lat = _janov_point(store)
    add_measure(store, STRATEGY, GOAL, "Lavička", [], "planned", "", [point_link(lon, lat)],
                "koordinátor", at=AT)
    strategies = load_strategies(store)
    other = open_store(tmp_path / "other.gpkg")
    other.replace_all(strategy_frames(strategies))
    assert load_strategies(other) == strategies
