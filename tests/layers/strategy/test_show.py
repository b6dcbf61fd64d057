"""What the documents say, whole: counts per document, indicator directions and changes, dates
only as documents give them, related goals, regional measures reaching every town, the
programme timeline, funding, search, and ``mapa strategy show --json``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from layers.errors import NotFound
from layers.store import Store
from layers.strategy.area import indicator_table, load_area
from layers.strategy.model import Strategy
from layers.strategy.search import fold, search
from layers.strategy.seed import load_seeded
from layers.strategy.show import resolve_area, strategy_show

COUNTS = json.loads((Path(__file__).parent / "seed_counts.json").read_text(encoding="utf-8"))
SEED_FILES = sorted(name for name in COUNTS if not name.startswith("_"))
USTECKY = "ustecky-kraj-spk"
KARLOVARSKY = "karlovarsky-kraj-ssz"


@pytest.fixture(scope="module")
def seeded() -> dict[str, Strategy]:
    return {s.strategy_id: s for s in load_seeded()}


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_timeline_funding_directions_counted_per_document(seeded: dict[str, Strategy],
                                                          seed_file: str) -> None:
    expected = COUNTS[seed_file]
    strategy = seeded[expected["strategy_id"]]
    assert len(strategy.timeline) == expected["timeline"]
    assert sum(len(m.funding) for m in strategy.measures) == expected["funding"]
    if "directions" in expected:
        assert dict(Counter(i.direction for i in strategy.indicators)) == expected["directions"]
    if "evaluations" in expected:
        assert len(strategy.evaluations) == expected["evaluations"]
    if "changes" in expected:
        changes = Counter(o.assessed_change for i in strategy.indicators
                          for o in i.observations if o.assessed_change)
        assert dict(changes) == expected["changes"]


def test_two_litvinov_indicators_worsened(seeded: dict[str, Strategy]) -> None:
    strategy = seeded["litvinov-pp9"]
    worse = [i for i in strategy.indicators
             if i.observations and i.observations[-1].assessed_change == "worse"]
    assert [i.name[:40] for i in worse] == [
        "Obec finančně, materiálně nebo metodicky",
        "Obec zapojuje osoby ze SVL do participat"]
    view_rows = {row["name"]: row for row in indicator_table([strategy]).to_dict("records")}
    for indicator in worse:
        assert view_rows[indicator.name]["change"] == "worse"
        assert view_rows[indicator.name]["arrow"] == "↘"


def test_undated_in_the_document_means_no_date(seeded: dict[str, Strategy]) -> None:
    """The two final reports date neither baselines, final states nor evaluations."""
    for sid in ("litvinov-pp9", "kraslice-pp9"):
        strategy = seeded[sid]
        assert {i.baseline_date for i in strategy.indicators} == {None}
        assert {o.date for i in strategy.indicators for o in i.observations} <= {""}
        assert {e.date for e in strategy.evaluations} == {""}
        assert all(e.source.startswith("Část 3") for e in strategy.evaluations)
    # what a document does date stays: Kraslice's end, by the town council on 2 November 2023
    (end,) = [t for t in seeded["kraslice-pp9"].timeline if t.kind == "early_end"]
    assert (end.when, end.start) == ("2.11.2023", "2023-11-02")
    assert "váznout komunikace s vedením města" in end.note


def test_exclusion_index_is_lower_better_and_criteria_higher(seeded: dict[str, Strategy]
                                                             ) -> None:
    (index,) = seeded[KARLOVARSKY].indicators
    assert index.direction == "lower_better"
    assert {i.direction for sid in ("litvinov-pp9", "kraslice-pp9")
            for i in seeded[sid].indicators} == {"higher_better"}


def test_related_goals_are_links_not_parents(demo_store: Store) -> None:
    """C2.1.3 appears once, with its twelve related goals, not once under each of them."""
    view = load_area(demo_store, "karlovy-vary")
    (item,) = [s for s in view.strategies if s.strategy.strategy_id == "karlovy-vary-strategie"]
    under_goals = [m.number for root in item.roots for _, node in root.walk()
                   for m in node.measures]
    assert under_goals == []
    (measure,) = item.loose_measures
    assert measure.number == "C2.1.3" and len(measure.related_goal_ids) == 12


@pytest.mark.parametrize(("town", "region_strategy", "measures"), [
    ("litvinov", USTECKY, 13), ("kraslice", KARLOVARSKY, 31), ("karlovy-vary", KARLOVARSKY, 31)])
def test_a_regions_measures_reach_each_of_its_towns(demo_store: Store, town: str,
                                                    region_strategy: str,
                                                    measures: int) -> None:
    view = load_area(demo_store, town)
    (item,) = [s for s in view.strategies if s.strategy.strategy_id == region_strategy]
    shown = {m.measure_id for root in item.roots for _, node in root.walk()
             for m in node.measures}
    assert len(shown) == measures
    assert view.strategies[0].strategy.town_id == town  # the town's own document first


def test_the_region_reaches_its_localities_too(demo_store: Store) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    assert USTECKY in {s.strategy.strategy_id for s in view.strategies}


def test_areas_resolve_by_town_region_and_locality(demo_store: Store) -> None:
    assert resolve_area(demo_store, "litvinov").kind == "town"
    region = resolve_area(demo_store, "cz042")
    assert (region.kind, region.area_id, region.name) == ("region", "CZ042", "Ústecký kraj")
    janov = resolve_area(demo_store, "Janov")
    assert (janov.kind, janov.town_id, janov.locality_id) == ("locality", "litvinov",
                                                             "litvinov-1")
    assert resolve_area(demo_store, "litvinov-1") == janov
    with pytest.raises(NotFound, match="Atlantida"):
        resolve_area(demo_store, "Atlantida")


def test_search_finds_without_case_and_diacritics(seeded: dict[str, Strategy]) -> None:
    assert fold("Ústecký KRAJ") == "ustecky kraj"
    hits = search(list(seeded.values()), "hracky pro detske obeti")
    assert [(h.strategy_id, h.kind, h.number) for h in hits] == [(USTECKY, "measure", "4.4")]
    assert search(list(seeded.values()), "   ") == []
    evaluations = search(list(seeded.values()), "sekundární viktimizaci")
    assert [(h.kind, h.number) for h in evaluations] == [("evaluation", "2")]


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    from scripts.mapa import main

    status = main(["strategy", "show", *args, "--json"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    return status, json.loads(last)


def test_cli_json_shape_for_litvinov(demo_store_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    status, result = _show(capsys, "--store", str(demo_store_path), "--area", "litvinov")
    assert status == 0
    area = result["area"]
    assert isinstance(area, dict)
    assert {"id", "name", "exclusion_index", "police_department"} <= set(area)
    assert set(area["exclusion_index"]) == {"score", "year", "source"}
    assert "Index sociálního vyloučení 2023" in area["exclusion_index"]["source"]
    assert area["police_department"] == {"code": "040812", "name": "OOP Litvínov",
                                         "crimes_per_10k": 391.3, "year": 2013}
    assert (area["id"], area["name"]) == ("litvinov", "Litvínov")
    assert area["exclusion_index"]["score"] == 19 and area["exclusion_index"]["year"] == 2023
    assert {"code", "name", "crimes_per_10k", "year"} <= set(area["police_department"])
    strategies = result["strategies"]
    assert isinstance(strategies, list)
    assert [s["id"] for s in strategies] == ["litvinov-pp9", USTECKY]
    for strategy in strategies:
        assert {"id", "title", "issuer", "period", "source", "goals"} <= set(strategy)
    ustecky = strategies[1]
    assert ustecky["source"] == "Hodnocení Strategie prevence kriminality Ústeckého kraje 2012–2016"
    goal = ustecky["goals"][0]
    assert {"number", "text", "evaluation", "goals", "measures"} <= set(goal)
    assert goal["evaluation"]["date"] is None
    assert goal["evaluation"]["source"].endswith("Hodnocení cíle 1, str. 5–6")
    measures = {m["number"]: m for g in ustecky["goals"] for m in g["measures"]}
    assert len(measures) == 13
    for measure in measures.values():
        assert {"number", "text", "status", "evaluation", "funding", "indicators"} <= set(measure)
    assert "Programu Prevence kriminality MV" in measures["1.3"]["funding"]
    indicators = strategies[0]["indicators"]
    assert len(indicators) == 26
    for indicator in indicators:
        assert {"name", "direction", "baseline", "latest", "change"} <= set(indicator)
        assert indicator["baseline"]["date"] is None  # the report dates no baseline
    assert Counter(i["change"] for i in indicators)["worse"] == 2
    # the nested goal tree: the long-term goal holds 1.1 … 1.4, 1.1 holds 1.1.1 … 1.1.5
    (long_term,) = strategies[0]["goals"]
    assert [g["number"] for g in long_term["goals"]] == ["1.1", "1.2", "1.3", "1.4"]
    assert len(long_term["goals"][0]["goals"]) == 5


def test_cli_region_locality_and_unknown(demo_store_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    status, region = _show(capsys, "--store", str(demo_store_path), "--area", "CZ041")
    assert status == 0
    assert region["area"]["police_department"] is None  # type: ignore[index]
    assert [s["id"] for s in region["strategies"]] == [  # type: ignore[union-attr]
        KARLOVARSKY, "karlovy-vary-strategie", "kraslice-pp9"]
    kraslice = region["strategies"][2]  # type: ignore[index]
    assert [t["kind"] for t in kraslice["timeline"]][-1] == "early_end"
    status, janov = _show(capsys, "--store", str(demo_store_path), "--area", "Janov")
    assert status == 0 and janov["area"]["id"] == "litvinov-1"  # type: ignore[index]
    # the locality's own score is not published; its department is that of its cadastral area
    assert janov["area"]["exclusion_index"]["score"] is None  # type: ignore[index]
    assert janov["area"]["police_department"] == {  # type: ignore[index]
        "code": "040817", "name": "OOP Litvínov-Hamr", "crimes_per_10k": 483.9, "year": 2013}
    status, failed = _show(capsys, "--store", str(demo_store_path), "--area", "Atlantida")
    assert status == 1
    assert failed["error"]["code"] == "strategy.unknown_area"  # type: ignore[index]


def test_show_without_area_lists_every_strategy(demo_store: Store) -> None:
    result = strategy_show(demo_store)
    assert result["area"] is None
    assert len(result["strategies"]) == 5
