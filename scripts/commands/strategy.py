"""``mapa strategy show``: the strategies that apply to an area, from the store."""

from __future__ import annotations

import argparse
from typing import Any

from layers.strategy.show import strategy_show
from scripts.commands.common import emit, store_from, subcommand

#: Czech words of the indicator changes in the readable output (the documents are Czech).
_CHANGES = {"better": "zlepšení", "worse": "zhoršení", "same": "beze změny",
            "not_comparable": "nelze srovnat"}
_UNDATED = "v dokumentu neuvedeno"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("strategy", help="strategies, goals, measures and indicators",
                                   description="strategies, goals, measures and indicators")
    actions = parser.add_subparsers(dest="action", required=True)
    show = subcommand(actions, "show", "the strategies that apply to an area (town id, "
                      "region code, locality id or name), with goals, measures, indicators, "
                      "evaluations, timeline, funding and sources", run_show)
    show.add_argument("--area", default=None,
                      help="town id (litvinov), region code (CZ042) or locality id or name "
                           "(Janov); default: every strategy")


def run_show(args: argparse.Namespace) -> int:
    result = strategy_show(store_from(args), args.area)
    emit(args, "\n".join(_readable(result)), result)
    return 0


def _readable(result: dict[str, Any]) -> list[str]:
    lines = []
    area = result["area"]
    if area is not None:
        lines.append(f"{area['name']} ({area['kind']} {area['id']})")
        index = area["exclusion_index"]
        if index:
            score = ("nezveřejněn (jen za obce)" if index["score"] is None
                     else f"{index['score']:g}")
            lines.append(f"  index sociálního vyloučení {index['year']}: {score}")
        police = area["police_department"]
        if police:
            figure = (f", {police['crimes_per_10k']} TČ na 10 000 obyvatel ({police['year']})"
                      if police["crimes_per_10k"] is not None else "")
            lines.append(f"  obvodní oddělení PČR: {police['name']}{figure}")
    for strategy in result["strategies"]:
        lines += ["", f"{strategy['title']} — {strategy['issuer']}"
                  + (f", {strategy['period']}" if strategy["period"] else "")
                  + f" ({strategy['source']})"]
        for entry in strategy["timeline"]:
            lines.append(f"  [{entry['when'] or _UNDATED}] {entry['text'].splitlines()[0]}")
        for goal in strategy["goals"]:
            lines += _goal_lines(goal, 1)
        for measure in strategy["measures"]:
            lines += _measure_lines(measure, 1)
        for indicator in strategy["indicators"]:
            lines.append(f"  ukazatel: {indicator['name'][:70]} — {indicator['arrow']} "
                         f"{_CHANGES[indicator['change']]}")
    return lines


def _goal_lines(goal: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    lines = [f"{pad}{goal['number']} {goal['text'][:90]}".rstrip()]
    if goal["evaluation"]:
        lines.append(f"{pad}  hodnocení ({goal['evaluation']['date'] or _UNDATED}): "
                     f"{goal['evaluation']['text'][:80]}…")
    for measure in goal["measures"]:
        lines += _measure_lines(measure, depth + 1)
    for child in goal["goals"]:
        lines += _goal_lines(child, depth + 1)
    return lines


def _measure_lines(measure: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    lines = [f"{pad}▸ {measure['number']} {measure['text'][:90]} [{measure['status']}]"]
    if measure["funding"]:
        lines.append(f"{pad}  financování: {'; '.join(measure['funding'])}")
    if measure["related_goals"]:
        lines.append(f"{pad}  vazba na cíle: {', '.join(measure['related_goals'])}")
    return lines
