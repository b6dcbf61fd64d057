"""Strategy model: validation messages and the history of changes."""

from __future__ import annotations

import dataclasses

import pytest

from layers.strategy.model import (
    Evaluation,
    Goal,
    HistoryEntry,
    Indicator,
    Link,
    Measure,
    Observation,
    Strategy,
    add_evaluation,
    add_observation,
    apply_change,
    check_date,
    check_numbering,
)

SQUARE = "POLYGON ((13.63 50.60, 13.64 50.60, 13.64 50.61, 13.63 50.61, 13.63 50.60))"


def _strategy(**overrides: object) -> Strategy:
    goals = (Goal("s:g:1", "s", "1", "Dlouhodobý cíl", "long_term"),
             Goal("s:g:1.1", "s", "1.1", "Specifický cíl", "specific", "s:g:1"),
             Goal("s:g:1.1.1", "s", "1.1.1", "Dílčí cíl", "specific", "s:g:1.1"))
    measure = Measure("s:m:1", "s", "Plácek", goal_ids=("s:g:1.1.1",),
                      links=(Link("s:m:1", "locality", "litvinov-1"),
                             Link("s:m:1", "polygon", "nakreslená plocha", SQUARE)))
    indicator = Indicator("s:i:1", "s", "Počet APK", "numeric", unit="osob",
                          baseline_value="10", baseline_date="2023-07",
                          observations=(Observation("s:i:1", "2024-06", "12"),))
    fields: dict[str, object] = {
        "strategy_id": "s", "title": "Plán", "issuer": "Město", "period": "2023–2024",
        "source": "test", "town_id": "litvinov", "goals": goals, "measures": (measure,),
        "indicators": (indicator,)}
    fields.update(overrides)
    return Strategy(**fields)  # type: ignore[arg-type]


def test_a_valid_strategy_builds() -> None:
    strategy = _strategy()
    assert strategy.goal("s:g:1.1.1").parent_id == "s:g:1.1"
    assert strategy.measure("s:m:1").links[1].wkt == SQUARE
    with pytest.raises(KeyError):
        strategy.goal("s:g:9")


@pytest.mark.parametrize(("parent", "child", "ok"), [
    ("1.1", "1.1.1", True), ("1", "1.A", True), ("", "1.1", True), ("", "", True),
    ("1.1", "1.2.1", False), ("1.1", "1.1", False), ("1", "1.1.1", False),
    ("1.1", "1.1.", False), ("1", "", False),
])
def test_numbering_must_continue_the_parent(parent: str, child: str, ok: bool) -> None:
    if ok:
        check_numbering(parent, child, "goal x")
    else:
        with pytest.raises(ValueError, match="goal x"):
            check_numbering(parent, child, "goal x")


def test_goal_numbered_unlike_its_parent_is_refused() -> None:
    goals = (Goal("s:g:1.1", "s", "1.1", "A", "specific"),
             Goal("s:g:1.2.1", "s", "1.2.1", "B", "specific", "s:g:1.1"))
    with pytest.raises(ValueError, match=r"'1\.2\.1' does not continue .*'1\.1'"):
        _strategy(goals=goals, measures=(), indicators=())


def test_status_vocabulary() -> None:
    with pytest.raises(ValueError, match="measure m: status: 'finished' is not one of planned"):
        Measure("m", "s", "Titulek", status="finished")
    for status in ("planned", "in_progress", "done", "suspended", "ended"):
        assert Measure("m", "s", "Titulek", status=status).status == status


def test_ano_castecne_ne_vocabulary() -> None:
    ok = Indicator("i", "s", "Ukazatel", "ano_castecne_ne", baseline_value="ČÁSTEČNĚ",
                   observations=(Observation("i", "2024", "ANO"),))
    assert ok.baseline_value == "ČÁSTEČNĚ"
    with pytest.raises(ValueError, match="'Částečně' is not one of ANO, ČÁSTEČNĚ, NE"):
        Indicator("i", "s", "Ukazatel", "ano_castecne_ne", baseline_value="Částečně")
    with pytest.raises(ValueError, match="observation of 2024-06: 'hodně' is not a number"):
        Indicator("i", "s", "Ukazatel", "numeric",
                  observations=(Observation("i", "2024-06", "hodně"),))


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "24-06", "červen 2024", ""])
def test_dates_are_iso_of_any_precision(bad: str) -> None:
    for good in ("2024", "2024-06", "2024-02-29"):
        assert check_date(good, "d") == good
    with pytest.raises(ValueError, match="date"):
        check_date(bad, "date")


@pytest.mark.parametrize(("kind", "wkt", "message"), [
    ("polygon", None, "needs its WKT"),
    ("polygon", "POINT (13.6 50.6)", "Polygon or MultiPolygon"),
    ("polygon", "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))", "invalid polygon"),
    ("polygon", "POLYGON ((-800000 -1000000, -790000 -1000000, -790000 -990000, "
                "-800000 -1000000))", "not lon/lat"),
    ("polygon", "POLYGON ((1 2", "unreadable WKT"),
    ("locality", SQUARE, "only a polygon or point link carries WKT"),
    ("point", None, "needs its WKT"),
    ("point", SQUARE, "must be a non-empty Point"),
    ("point", "POINT (-800000 -1000000)", "not lon/lat"),
    ("street", None, "'street' is not one of town, locality"),
])
def test_link_validation(kind: str, wkt: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Link("m", kind, "x", wkt)


def test_cross_references_are_checked() -> None:
    orphan = Measure("s:m:2", "s", "Bez cíle", goal_ids=("s:g:9",))
    with pytest.raises(ValueError, match="goal 's:g:9' is not a goal of s"):
        _strategy(measures=(orphan,))
    twice = _strategy().goals[0]
    with pytest.raises(ValueError, match="goal id 's:g:1' is used twice"):
        _strategy(goals=(twice, twice), measures=(), indicators=())
    review = Evaluation("e", "s", "measure", "s:m:9", "2024-06", "expert", "Hodnocení")
    with pytest.raises(ValueError, match="evaluation e: no measure 's:m:9'"):
        _strategy(evaluations=(review,))
    foreign = Goal("t:g:1", "t", "1", "Cizí", "long_term")
    with pytest.raises(ValueError, match="of strategy t"):
        _strategy(goals=(foreign,), measures=(), indicators=())
    loop = (Goal("s:g:a", "s", "", "A", "goal", "s:g:b"),
            Goal("s:g:b", "s", "", "B", "goal", "s:g:a"))
    with pytest.raises(ValueError, match="cycle"):
        _strategy(goals=loop, measures=(), indicators=())


def test_a_change_is_kept_in_history() -> None:
    before = _strategy()
    after = apply_change(before, "measure", "s:m:1",
                         {"status": "in_progress", "owners": ["Město Litvínov"],
                          "title": "Plácek"}, "odbor investic", "2024-03-01T10:00:00")
    measure = after.measure("s:m:1")
    assert measure.status == "in_progress" and measure.owners == ("Město Litvínov",)
    (entry,) = after.history
    assert entry == HistoryEntry("measure", "s:m:1", "2024-03-01T10:00:00", "odbor investic",
                                 {"status": {"old": "planned", "new": "in_progress"},
                                  "owners": {"old": [], "new": ["Město Litvínov"]}})
    assert before.measure("s:m:1").status == "planned"  # the old version is untouched
    later = apply_change(after, "measure", "s:m:1", {"status": "done"}, "rada", "2024-09-01")
    assert [h.change["status"]["new"] for h in later.history] == ["in_progress", "done"]
    assert apply_change(later, "measure", "s:m:1", {"status": "done"}, "rada",
                        "2024-09-02") is later


def test_refused_changes() -> None:
    strategy = _strategy()
    with pytest.raises(ValueError, match="'finished' is not one of"):
        apply_change(strategy, "measure", "s:m:1", {"status": "finished"}, "rada", "2024-01-01")
    with pytest.raises(ValueError, match="field 'measure_id' cannot be changed"):
        apply_change(strategy, "measure", "s:m:1", {"measure_id": "x"}, "rada", "2024-01-01")
    with pytest.raises(ValueError, match="field 'colour' cannot be changed"):
        apply_change(strategy, "goal", "s:g:1", {"colour": "red"}, "rada", "2024-01-01")
    with pytest.raises(ValueError, match="no goal 's:g:9'"):
        apply_change(strategy, "goal", "s:g:9", {"text": "x"}, "rada", "2024-01-01")
    with pytest.raises(ValueError, match="not an ISO date"):
        apply_change(strategy, "goal", "s:g:1", {"text": "Nový"}, "rada", "včera")
    with pytest.raises(ValueError, match="does not continue"):
        apply_change(strategy, "goal", "s:g:1.1.1", {"number": "2.1.1"}, "rada", "2024-01-01")


def test_observations_and_evaluations_are_kept_in_history() -> None:
    strategy = add_observation(_strategy(), Observation("s:i:1", "2024-12", "14"),
                               "manažer prevence kriminality", "2025-01-05")
    assert [o.value for o in strategy.indicator("s:i:1").observations] == ["12", "14"]
    assert strategy.history[-1].change["observation_added"]["value"] == "14"
    with pytest.raises(ValueError, match="'mnoho' is not a number"):
        add_observation(strategy, Observation("s:i:1", "2025-01", "mnoho"), "x", "2025-02-01")
    review = Evaluation("s:e:1", "s", "goal", "s:g:1.1", "2025-01", "komise prevence",
                        "Cíl plněn částečně.")
    strategy = add_evaluation(strategy, review, "2025-01-20")
    assert strategy.evaluations == (review,)
    assert strategy.history[-1].entity_id == "s:g:1.1"
    with pytest.raises(ValueError, match="evaluation id 's:e:1' is used twice"):
        add_evaluation(strategy, dataclasses.replace(review, text="Znovu"), "2025-01-21")


def test_an_undated_unsigned_evaluation_keeps_date_and_author_empty() -> None:
    """A document that dates and signs nothing: no assumed date, no invented author."""
    review = Evaluation("s:e:1", "s", "goal", "s:g:1", "", "", "Hodnocení cíle")
    assert _strategy(evaluations=(review,)).evaluations == (review,)
    with pytest.raises(ValueError, match="evaluation s:e:1: date: 'jaro 2017' is not a date"):
        dataclasses.replace(review, date="jaro 2017")
    with pytest.raises(ValueError, match="evaluation s:e:1: text must not be empty"):
        dataclasses.replace(review, text=" ")


def test_a_measure_keeps_what_the_document_reports_as_done() -> None:
    plain = Measure("s:m:1", "s", "Plácek")
    assert plain.results == ()
    done = dataclasses.replace(plain, results=("bylo proškoleno 134 osob",))
    changed = apply_change(_strategy(measures=(done,), indicators=()), "measure", "s:m:1",
                           {"results": ["bylo proškoleno 134 osob", "80 osob"]}, "kraj",
                           "2025-01-20")
    assert changed.measure("s:m:1").results == ("bylo proškoleno 134 osob", "80 osob")
    assert changed.history[-1].change == {"results": {
        "old": ["bylo proškoleno 134 osob"], "new": ["bylo proškoleno 134 osob", "80 osob"]}}
