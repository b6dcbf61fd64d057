"""Strategies through the store: round trip, per-town reads, links and history survive."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from layers.build import assemble_demo
from layers.schema import (
    LAYERS_BY_NAME,
    MEASURE_LINKS,
    MEASURES,
    PINS,
    SOURCES,
    STRATEGIES,
    STRATEGY_LAYERS,
)
from layers.store import StoreError, open_store
from layers.store.postgis import close_pools
from layers.strategy.model import Link, Observation, Strategy, add_observation, apply_change
from layers.strategy.seed import load_seeded, seeded_sources
from layers.strategy.tables import frames_to_strategies, load_strategies, strategy_frames

DRAWN = ("MULTIPOLYGON (((13.6301 50.6071, 13.6352 50.6071, 13.6352 50.6099, "
         "13.6301 50.6099, 13.6301 50.6071)))")


@pytest.fixture(scope="module")
def seeded() -> list[Strategy]:
    return load_seeded()


def _edited(strategies: list[Strategy]) -> list[Strategy]:
    """The seeds plus what a town would add later: a drawn polygon, a change, an observation."""
    litvinov = next(s for s in strategies if s.strategy_id == "litvinov-pp9")
    placek = litvinov.measure("litvinov-pp9:measure:placek")
    drawn = Link(placek.measure_id, "polygon", "plocha po zbouraném bloku", DRAWN, "nákres")
    litvinov = dataclasses.replace(litvinov, measures=tuple(
        dataclasses.replace(m, links=(*m.links, drawn)) if m is placek else m
        for m in litvinov.measures))
    litvinov = apply_change(litvinov, "measure", placek.measure_id,
                            {"status": "done", "budget_czk": 1_250_000.0},
                            "odbor investic", "2025-05-31T14:00:00")
    indicator = litvinov.indicators[0].indicator_id
    litvinov = add_observation(litvinov, Observation(indicator, "2025-06", "Skupina se schází."),
                               "manažer prevence kriminality", "2025-06-30")
    return [litvinov if s.strategy_id == "litvinov-pp9" else s for s in strategies]


def test_tables_have_the_schema_columns(seeded: list[Strategy]) -> None:
    frames = strategy_frames(seeded)
    assert list(frames) == [spec.name for spec in STRATEGY_LAYERS]
    for spec in STRATEGY_LAYERS:
        assert tuple(frames[spec.name].columns) == spec.columns
        assert LAYERS_BY_NAME[spec.name] is spec
    assert len(frames["strategies"]) == len(seeded) == 5
    assert len(frames["goals"]) == sum(len(s.goals) for s in seeded)


def test_seeded_content_round_trips_through_the_store(seeded: list[Strategy],
                                                      tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(strategy_frames(seeded))
    assert load_strategies(store) == seeded


def test_links_history_and_polygons_survive_export_and_import(seeded: list[Strategy],
                                                              tmp_path: Path) -> None:
    edited = _edited(seeded)
    first = open_store(tmp_path / "first.gpkg")
    first.replace_all(strategy_frames(edited))
    imported = load_strategies(first)
    assert imported == edited
    litvinov = next(s for s in imported if s.strategy_id == "litvinov-pp9")
    placek = litvinov.measure("litvinov-pp9:measure:placek")
    assert placek.status == "done" and placek.budget_czk == 1_250_000.0
    assert placek.links[-1].wkt == DRAWN
    assert [link.target_id for link in placek.links[:3]] == [
        "litvinov", "litvinov-1", "litvinov-s14"]
    assert litvinov.history[0].change == {"status": {"old": "in_progress", "new": "done"},
                                          "budget_czk": {"old": None, "new": 1_250_000.0}}
    # a second export of what was imported writes identical tables
    second = open_store(tmp_path / "second.gpkg")
    second.replace_all(strategy_frames(imported))
    for spec in STRATEGY_LAYERS:
        pd.testing.assert_frame_equal(first.read(spec.name), second.read(spec.name))


@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_results_round_trip_and_older_stores_without_them(
        seeded: list[Strategy], tmp_path: Path, request: pytest.FixtureRequest,
        backend: str) -> None:
    """Measures' reported results survive both backends; a ``measures`` table written before
    the ``results`` column existed still reads, with empty results."""
    def location(name: str) -> str:
        if backend == "gpkg":
            return str(tmp_path / f"{name}.gpkg")
        url = str(request.getfixturevalue("pg_cluster").new_database())
        request.addfinalizer(lambda: close_pools(url))
        return url

    store = open_store(location("new"))
    store.replace_all(strategy_frames(seeded))
    back = {s.strategy_id: s for s in load_strategies(store)}
    assert back["ustecky-kraj-spk"].measure("ustecky-kraj-spk:measure:4.5").results == \
        next(s for s in seeded if s.strategy_id == "ustecky-kraj-spk").measure(
            "ustecky-kraj-spk:measure:4.5").results != ()
    older = strategy_frames(seeded)
    older["measures"] = older["measures"].drop(columns=["results"])
    old_store = open_store(location("old"))
    old_store.replace_all(older)
    assert "results" not in old_store.read(MEASURES).columns
    loaded = load_strategies(old_store)
    assert loaded == [dataclasses.replace(s, measures=tuple(
        dataclasses.replace(m, results=()) for m in s.measures)) for s in seeded]


def test_read_one_towns_measures_and_links(seeded: list[Strategy], tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all(strategy_frames(seeded))
    measures = store.read(MEASURES, town_id="kraslice")
    assert len(measures) == 9 and set(measures["status"]) == {"ended"}
    links = store.read(MEASURE_LINKS, town_id="litvinov")
    places = links[links["target_kind"] == "place"]
    assert "Janov – obchod a zastávka" in set(places["target_id"])
    assert set(links["measure_id"]) == {
        m.measure_id for s in seeded if s.town_id == "litvinov" for m in s.measures}
    regional = store.read(STRATEGIES)
    assert regional.loc[regional["strategy_id"] == "karlovarsky-kraj-ssz", "town_id"].isna().all()


def test_rows_are_ordered_by_position_not_by_storage(seeded: list[Strategy]) -> None:
    frames = {name: frame.iloc[::-1] for name, frame in strategy_frames(seeded).items()}
    back = {s.strategy_id: s for s in frames_to_strategies(frames)}
    assert [back[s.strategy_id] for s in reversed(seeded)] == list(reversed(seeded))


def test_stores_without_strategies(tmp_path: Path, seeded: list[Strategy]) -> None:
    store = open_store(tmp_path / "s.gpkg")
    store.replace_all({"sources": pd.DataFrame({"layer": ["x"], "title": ["t"]})})
    assert load_strategies(store) == []
    partial = {k: v for k, v in strategy_frames(seeded).items() if k != "history"}
    store.replace_all(partial)
    with pytest.raises(StoreError, match="lacks strategy tables: history"):
        load_strategies(store)


def test_strategy_tables_sit_beside_the_demo_layers(seeded: list[Strategy],
                                                    tmp_path: Path) -> None:
    """What ``assemble_demo`` gets once it adds the strategies: everything reads back."""
    frames = assemble_demo()
    frames.update(strategy_frames(seeded))
    frames["sources"] = pd.concat([frames["sources"], pd.DataFrame(
        [{**row, "synthetic": False} for row in seeded_sources(seeded)])], ignore_index=True)
    store = open_store(tmp_path / "demo.gpkg")
    store.replace_all(frames)
    assert load_strategies(store) == seeded
    assert len(store.read(PINS, town_id="litvinov")) == len(
        frames["pins"][frames["pins"]["town_id"] == "litvinov"])
    sources = store.read(SOURCES)
    documented = set(sources["layer"])
    assert {spec.name for spec in STRATEGY_LAYERS} <= documented
    assert all("Závěrečná zpráva poradenského programu Litvínov" in text
               for text in sources.loc[sources["layer"] == "measures", "attribution"])
