"""Full-text search over the strategies: goals, measures (their activities, results and
funding), indicators, evaluations and timelines.

A query matches a text when every word of it occurs in the text, compared without case and
without diacritics ("ustecky kraj" finds "Ústecký kraj"). Hits keep document order, strategy
by strategy; each names its strategy, what it is (goal, measure, indicator, evaluation,
timeline), its number where it has one, and the matching text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from layers.strategy.model import Strategy

#: What a hit can be.
HIT_KINDS = ("strategy", "goal", "measure", "indicator", "evaluation", "timeline")


@dataclass(frozen=True)
class Hit:
    """One matching item: its strategy, kind (``HIT_KINDS``), number ("" when it has none),
    the item's title or first words, and the text that matched."""

    strategy_id: str
    strategy_title: str
    kind: str
    number: str
    title: str
    text: str


def fold(text: str) -> str:
    """``text`` in lower case without diacritics ("Ústí" → "usti")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(strategies: Sequence[Strategy], query: str, limit: int = 200) -> list[Hit]:
    """Items of ``strategies`` whose texts hold every word of ``query`` (see the module
    docstring); at most ``limit``; an empty query finds nothing."""
    words = fold(query).split()
    if not words:
        return []
    hits = []
    for strategy in strategies:
        for kind, number, title, texts in _items(strategy):
            for text in texts:
                folded = fold(text)
                if text and all(word in folded for word in words):
                    hits.append(Hit(strategy.strategy_id, strategy.title, kind, number, title,
                                    text))
                    break
            if len(hits) >= limit:
                return hits
    return hits


def _items(strategy: Strategy) -> Iterator[tuple[str, str, str, list[str]]]:
    yield ("strategy", "", strategy.title,
           [f"{strategy.title} {strategy.issuer} {strategy.period}"])
    for goal in strategy.goals:
        yield "goal", goal.number, goal.text, [goal.text, goal.description]
    for measure in strategy.measures:
        yield "measure", measure.number, measure.title, [
            measure.title, measure.text, *measure.activities, *measure.results,
            *measure.funding, *measure.benefits, *measure.obstacles, *measure.conditions]
    for indicator in strategy.indicators:
        yield "indicator", "", indicator.name, [
            indicator.name, indicator.criterion, indicator.baseline_value or "",
            *(o.value for o in indicator.observations)]
    numbers = {g.goal_id: g.number for g in strategy.goals}
    numbers.update({m.measure_id: m.number for m in strategy.measures})
    for evaluation in strategy.evaluations:
        yield ("evaluation", numbers.get(evaluation.target_id, ""),
               evaluation.text[:80], [evaluation.text])
    for entry in strategy.timeline:
        yield "timeline", entry.when, entry.text.splitlines()[0], [entry.text, entry.note]
