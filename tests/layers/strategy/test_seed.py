"""Seeded strategies: counts against a hand-counted fixture, verbatim wording, map links."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from layers.exclusion import BANDS
from layers.schema import LOCALITIES, SERVICES, STRATEGIES, TOWNS
from layers.sources.synthetic import TOWN_SEEDS
from layers.store import Store, open_store
from layers.strategy.model import Strategy
from layers.strategy.seed import SEEDED_DIR, load_file, load_seeded
from layers.strategy.tables import load_strategies

COUNTS = json.loads((Path(__file__).parent / "seed_counts.json").read_text(encoding="utf-8"))
SEED_FILES = sorted(name for name in COUNTS if not name.startswith("_"))
#: The seed documents, shipped beside the strategies transcribed from them.
SEEDS_DIR = SEEDED_DIR / "seeds"


@pytest.fixture(scope="module")
def seeded() -> dict[str, Strategy]:
    return {s.strategy_id: s for s in load_seeded()}


def _by_file(seeded: dict[str, Strategy], seed_file: str) -> Strategy:
    return seeded[COUNTS[seed_file]["strategy_id"]]


def test_one_strategy_per_seed_file(seeded: dict[str, Strategy]) -> None:
    assert sorted(seeded) == sorted(COUNTS[name]["strategy_id"] for name in SEED_FILES)


def test_sources_name_the_document_not_a_file(seeded: dict[str, Strategy]) -> None:
    """A strategy's source is the document's title as people cite it, never a seed file name."""
    sources = [s.source for s in seeded.values()]
    assert len(set(sources)) == len(sources)
    for source in sources:
        assert source.strip()
        assert not re.search(r"seed|\.md\b|\d{3}_", source), source


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_counts_match_the_hand_counted_fixture(seeded: dict[str, Strategy],
                                               seed_file: str) -> None:
    expected = COUNTS[seed_file]
    strategy = _by_file(seeded, seed_file)
    assert len(strategy.goals) == expected["goals"]
    assert len(strategy.measures) == expected["measures"]
    assert len(strategy.indicators) == expected["indicators"]
    goal_evaluations = [e for e in strategy.evaluations if e.target_kind == "goal"]
    assert len(goal_evaluations) == expected["goal_evaluations"]
    if "observations" in expected:
        assert sum(len(i.observations) for i in strategy.indicators) == expected["observations"]
    if "indicators_per_criterion" in expected:
        per_criterion = Counter(i.criterion for i in strategy.indicators)
        in_order = list(dict.fromkeys(i.criterion for i in strategy.indicators))
        assert [per_criterion[c] for c in in_order] == expected["indicators_per_criterion"]


def test_karlovy_vary_measure_c213(seeded: dict[str, Strategy]) -> None:
    expected = COUNTS["000_a7f9861454bea505.txt"]["C2.1.3"]
    strategy = _by_file(seeded, "000_a7f9861454bea505.txt")
    (measure,) = strategy.measures
    assert measure.number == "C2.1.3"
    assert measure.title == "Prevence a řešení sociálně nežádoucích jevů"
    for field in ("activities", "benefits", "obstacles", "conditions", "target_groups",
                  "related_documents"):
        assert len(getattr(measure, field)) == expected[field], field
    assert len(measure.owners) + len(measure.partners) == expected["actors"]
    # "Vazba na cíle" names related goals of other parts of the strategy, not its parents
    numbers = [strategy.goal(g).number for g in measure.related_goal_ids]
    assert numbers[0] == "A1.1" and numbers[-1] == "C3.2" and len(numbers) == 12
    assert measure.goal_ids == ()


def test_kraj_priorities_goals_measures_and_bands(seeded: dict[str, Strategy]) -> None:
    expected = COUNTS["002_d56a1510cc26dc99.txt"]
    strategy = _by_file(seeded, "002_d56a1510cc26dc99.txt")
    priorities = [g for g in strategy.goals if g.level == "priority"]
    assert len(priorities) == expected["priorities"]
    per_priority = Counter(strategy.goal(m.goal_ids[0]).number[0] for m in strategy.measures)
    assert [per_priority[p.number] for p in priorities] == expected["measures_per_priority"]
    goal_numbers = [g.number for g in strategy.goals if g.level == "goal"]
    assert goal_numbers[0] == "1.A" and goal_numbers[-1] == "4.D"
    (index,) = strategy.indicators
    assert [[b.low, b.high, b.municipalities] for b in index.bands] == expected["bands"]
    # the same bands as the exclusion-index module the map colours with
    assert [(b.low, b.high) for b in index.bands] == [(low, high) for _, low, high in BANDS]


def test_kraslice_baseline_answers_and_early_end(seeded: dict[str, Strategy]) -> None:
    expected = COUNTS["003_5aa533f7c686d61c.txt"]
    strategy = _by_file(seeded, "003_5aa533f7c686d61c.txt")
    answers = Counter(i.baseline_value for i in strategy.indicators)
    assert dict(answers) == expected["ano_castecne_ne"]
    assert {m.number for m in strategy.measures} == {
        "I.1", "I.2", "I.3", "I.4", "I.5", "II.1", "II.2", "II.3", "II.4"}
    for measure in strategy.measures:
        assert measure.status == "ended"
        assert "2.11.2023 schválilo ukončení spolupráce" in measure.status_note
    ended = [h for h in strategy.history if h.change.get("status", {}).get("new") == "ended"]
    assert {h.entity_id for h in ended} == {m.measure_id for m in strategy.measures}
    assert {h.at for h in ended} == {"2023-11-02"}
    hot_spots = strategy.measure("kraslice-pp9:measure:I.5")
    assert {link.target_id for link in hot_spots.links if link.target_kind == "place"} == {
        h.label for t in TOWN_SEEDS if t.town_id == "kraslice" for h in t.hotspots}


def test_litvinov_measures_link_janov_and_fear_places(seeded: dict[str, Strategy]) -> None:
    strategy = _by_file(seeded, "001_c46e15ee618f7631.txt")
    for measure in strategy.measures:
        kinds = {(link.target_kind, link.target_id) for link in measure.links}
        assert ("locality", "litvinov-1") in kinds, measure.measure_id
        assert any(kind == "place" for kind, _ in kinds), measure.measure_id
    placek = strategy.measure("litvinov-pp9:measure:placek")
    assert placek.status == "in_progress"
    assert [strategy.goal(g).number for g in placek.goal_ids] == ["1.1.5"]
    assert ("service", "litvinov-s14") in {(k.target_kind, k.target_id) for k in placek.links}
    children = strategy.measure("litvinov-pp9:measure:deti-mapa")
    assert ("service", "litvinov-s06") in {(k.target_kind, k.target_id)
                                           for k in children.links}


USTECKY = "004_fdc9165d753a6d4c.txt"


def test_ustecky_kraj_goals_measures_activities_results(seeded: dict[str, Strategy]) -> None:
    """Cíl 1–4, Opatření 1.1–4.5 with their points, as counted by hand in the document."""
    expected = COUNTS[USTECKY]
    strategy = _by_file(seeded, USTECKY)
    assert (strategy.issuer, strategy.region_code, strategy.town_id) == (
        "Ústecký kraj", "CZ042", None)
    assert strategy.period == "2012 2016"  # as the document gives it (its dash is lost)
    assert [g.number for g in strategy.goals] == ["1", "2", "3", "4"]
    assert all(g.level == "goal" and g.description for g in strategy.goals)
    per_goal = Counter(strategy.goal(m.goal_ids[0]).number for m in strategy.measures)
    assert [per_goal[g.number] for g in strategy.goals] == expected["measures_per_goal"]
    assert {m.number: len(m.activities) for m in strategy.measures} == \
        expected["activities_per_measure"]
    assert {m.number: len(m.results) for m in strategy.measures} == \
        expected["results_per_measure"]
    # the document gives no status: the loader's default, not an invented one
    assert {m.status for m in strategy.measures} == {"planned"}
    assert not any(m.links for m in strategy.measures)


def test_ustecky_kraj_reported_figures_are_the_documents(seeded: dict[str, Strategy]) -> None:
    """Every figure the document reports as done sits, verbatim, in its measure's results."""
    seed_text = _normalised((SEEDS_DIR / USTECKY).read_text(encoding="utf-8"))
    strategy = _by_file(seeded, USTECKY)
    figures = COUNTS[USTECKY]["figures"]
    assert sum(len(phrases) for phrases in figures.values()) == 41
    for number, phrases in figures.items():
        results = _normalised(" ".join(strategy.measure(f"ustecky-kraj-spk:measure:{number}")
                                       .results))
        for phrase in phrases:
            assert phrase in seed_text, phrase
            assert phrase in results, (number, phrase)


def test_ustecky_kraj_spot_checks(seeded: dict[str, Strategy]) -> None:
    strategy = _by_file(seeded, USTECKY)
    seed_text = _normalised((SEEDS_DIR / USTECKY).read_text(encoding="utf-8"))
    assert strategy.goal("ustecky-kraj-spk:goal:2").text == (
        "Spolupráce všech partnerů jako základní pilíř pro kvalitní prevenci")
    assert strategy.goal("ustecky-kraj-spk:goal:1").description.endswith(
        "(www.prevencekriminality.cz).")
    first = strategy.measure("ustecky-kraj-spk:measure:1.1")
    assert first.activities[-1] == "šíření bulletinu MV ČR do všech obcí v kraji"
    assert first.results[4].startswith("V roce 2012 byl např. realizován projekt")
    last = strategy.measure("ustecky-kraj-spk:measure:4.5")
    assert last.title == "Cílené zaměření aktivit situační prevence"
    # a point split by a page break (and the table's "Hodnocení:" label) is joined, verbatim
    assert "Teplicích, Mostě\na Chomutově na 17 lůžkových oddělení" in last.results[-1]
    for text in ("V ČR systém využívá asi 30 obcí. V Ústeckém kraji je SVI zřízen pouze v rámci "
                 "ORP Most.",
                 "Analýza veřejného mínění občanů napříč celým Ústeckým krajem v oblasti "
                 "prevence kriminality nebyla v tomto období zpracována."):
        assert text in seed_text
        assert any(text in _normalised(r) for m in strategy.measures for r in m.results)


def test_ustecky_kraj_evaluations_one_per_goal_undated(seeded: dict[str, Strategy]) -> None:
    """Each goal's "Hodnocení"; the document names no date and no author, so neither is set."""
    strategy = _by_file(seeded, USTECKY)
    assert [(e.target_kind, strategy.goal(e.target_id).number)
            for e in strategy.evaluations] == [("goal", n) for n in ("1", "2", "3", "4")]
    assert {(e.date, e.author_role) for e in strategy.evaluations} == {("", "")}
    starts = [e.text.split()[:3] for e in strategy.evaluations]
    assert starts == [["Pravidelné", "informování", "o"], ["Zájem", "o", "řešení"],
                      ["Pravidelný", "sběr", "dat"], ["Dle", "zkušeností", "největší"]]
    assert strategy.evaluations[-1].text.endswith("sportu, volnočasových aktivit aj.).")
    # evaluations are prose: no point of a measure's results slipped into them
    results = {r for m in strategy.measures for r in m.results}
    assert not any(r in e.text for r in results for e in strategy.evaluations)


def test_ustecky_kraj_is_in_the_demo_store(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """``mapa build-demo`` stores the strategy as a regional one of CZ042, results included."""
    from scripts.mapa import main

    store_path = tmp_path / "demo.gpkg"
    assert main(["build-demo", "--store", str(store_path)]) == 0
    capsys.readouterr()
    store = open_store(store_path)
    rows = store.read(STRATEGIES)
    row = rows[rows["strategy_id"] == "ustecky-kraj-spk"].iloc[0]
    assert row["region_code"] == "CZ042" and pd.isna(row["town_id"])
    (stored,) = [s for s in load_strategies(store) if s.strategy_id == "ustecky-kraj-spk"]
    assert stored == load_file(SEEDED_DIR / "004_ustecky_kraj.toml")
    assert sum(len(m.results) for m in stored.measures) == 67
    towns = store.read(TOWNS)
    assert "CZ042" in set(towns.loc[towns["town_id"] == "litvinov", "kod_kraj"].astype(str))


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _verbatim_texts(strategy: Strategy) -> list[str]:
    """Every text the files claim to quote (not ids, actors or target-group labels).

    A text may be cut with "…" and may join, with a single line break, the pieces of a table
    cell the extracted seed splits across lines; every piece must occur in the seed."""
    texts = [strategy.period]
    for g in strategy.goals:
        texts += [g.text, g.description]
    for m in strategy.measures:
        texts += [m.title, m.text, m.status_note, m.budget_note, m.time_frame, *m.activities,
                  *m.benefits, *m.obstacles, *m.conditions, *m.related_documents, *m.results]
        texts += [link.note for link in m.links]
        texts += list(m.funding)
    for i in strategy.indicators:
        texts += [i.name, i.criterion, i.baseline_note, i.baseline_value or ""]
        texts += [o.value for o in i.observations]
        texts += [b.label for b in i.bands] + [b.description for b in i.bands]
    texts += [e.text for e in strategy.evaluations]
    texts += [part for entry in strategy.timeline for part in (entry.when, entry.text, entry.note)]
    return [t for t in texts if t]


@pytest.mark.parametrize("seed_file", SEED_FILES)
def test_texts_are_verbatim_from_their_seed(seeded: dict[str, Strategy], seed_file: str) -> None:
    seed_path = SEEDS_DIR / seed_file
    assert seed_path.is_file(), f"seed document {seed_path} not found (set MAPA_SEEDS_DIR)"
    seed_text = _normalised(seed_path.read_text(encoding="utf-8"))
    strategy = _by_file(seeded, seed_file)
    missing = []
    for text in _verbatim_texts(strategy):
        for fragment in re.split(r"…|(?<!\n)\n(?!\n)", text):
            fragment = _normalised(fragment)
            if fragment and fragment not in seed_text:
                missing.append(fragment[:80])
    assert not missing, missing


def test_links_point_at_demo_data(seeded: dict[str, Strategy], demo_store: Store) -> None:
    known = {
        "town": set(demo_store.read(TOWNS)["town_id"]),
        "locality": set(demo_store.read(LOCALITIES)["locality_id"]),
        "service": set(demo_store.read(SERVICES)["service_id"]),
        "place": {h.label for t in TOWN_SEEDS for h in t.hotspots},
    }
    links = [link for s in seeded.values() for m in s.measures for link in m.links]
    assert len(links) > 40
    dangling = [(link.target_kind, link.target_id) for link in links
                if link.target_id not in known[link.target_kind]]
    assert not dangling


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    text = (SEEDED_DIR / "003_kraslice.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('status = "ended"', 'status = "finished"', 1),
                      encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml.*'finished' is not one of planned"):
        load_file(broken)
    with pytest.raises(FileNotFoundError):
        load_seeded(tmp_path / "empty")
