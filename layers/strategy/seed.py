"""Seeded strategies: the documents of seeds 000–004 transcribed into ``geodata/strategies``.

Each ``*.toml`` file holds one document (TOML because the standard library reads it; no YAML
parser is a dependency). Its ``[strategy]`` table names the seed file every entry of the file
was transcribed from; texts keep the document's Czech wording, shortened only with "…"; a
single line break inside a text joins the pieces of a table cell that the extracted seed splits
across lines (paragraph breaks are blank lines).

File format (keys are ids local to the file; the loader prefixes them with the strategy id):

- ``[[goals]]``: ``number``, ``text``, ``level``, optional ``key`` (default: the number),
  ``parent`` (a goal key; default: the goal numbered like this one minus its last part, when
  the file has one) and ``description``.
- ``[[measures]]``: ``title`` and the optional fields of :class:`Measure`; ``goals`` lists goal
  keys; ``links`` is a list of ``{kind, target, wkt?, note?}``; ``key`` defaults to ``number``;
  ``activities`` lists what the document plans, ``results`` what it reports as done (both
  lists of the document's points); ``funding`` the sources the document names for it;
  ``related_goals`` goal keys the measure only relates to ("Vazba na cíle"); ``status``
  defaults to "planned" when the document gives none.
- ``[[indicators]]``: ``name``, ``kind``, ``direction`` (required: "higher_better" or
  "lower_better", from the document's wording) and optional ``unit``, ``criterion``, ``goal``
  (a key), ``baseline``/``target`` (``{value, note?, date?}``), ``observations`` (``[{date?,
  value, note?, change?}]``; ``date`` left out where the document dates nothing, ``change`` the
  move from the baseline a prose indicator's wording states) and ``bands`` (``[{low, high,
  label, description?, municipalities?}]``).
- ``[[evaluations]]``: ``target`` ("strategy" or "goal:KEY", "measure:KEY", "indicator:KEY"),
  ``date``, ``author_role``, ``text``, ``source`` (section or page); ``date`` and
  ``author_role`` may be empty or left out when the document gives neither (never an assumed
  date).
- ``[[timeline]]``: ``kind`` (period, planned_step, phase, output, early_end), ``when`` (the
  document's wording), ``text``, optional ``start``/``end`` (ISO, only what the wording says)
  and ``note``.
- ``[[history]]``: ``entity`` (as ``target`` above), ``at``, ``who_role``, ``change``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Final

from layers.schema import STRATEGY_LAYERS
from layers.strategy.model import (
    Band,
    Evaluation,
    Goal,
    HistoryEntry,
    Indicator,
    Link,
    Measure,
    Observation,
    Strategy,
    TimelineEntry,
)

SEEDED_DIR: Final = Path(__file__).resolve().parents[2] / "geodata" / "strategies"

_LIST_FIELDS: Final = ("owners", "partners", "target_groups", "activities", "benefits",
                       "obstacles", "conditions", "related_documents", "results", "funding")
_TEXT_FIELDS: Final = ("text", "number", "time_frame", "status", "status_note", "budget_note")


def load_seeded(path: Path = SEEDED_DIR) -> list[Strategy]:
    """Every strategy in ``path`` (``*.toml``, sorted by file name).

    Raises ``ValueError`` naming the file for a malformed file, an unknown key reference or
    content the model rejects, and ``FileNotFoundError`` when ``path`` holds no file.
    """
    files = sorted(Path(path).glob("*.toml"))
    if not files:
        raise FileNotFoundError(f"no strategy files (*.toml) in {path}")
    return [load_file(file) for file in files]


def load_file(file: Path) -> Strategy:
    """The strategy of one TOML file; ``ValueError`` names the file and the problem."""
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
        return _strategy(data)
    except (tomllib.TOMLDecodeError, ValueError, KeyError, TypeError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(f"{file}: {detail}") from exc


def _strategy(data: dict[str, Any]) -> Strategy:
    head = data["strategy"]
    sid = head["id"]

    def ref(kind: str, key: str) -> str:
        return f"{sid}:{kind}:{key}"

    goal_rows = data.get("goals", [])
    keys = {str(row.get("key", row["number"])): row for row in goal_rows}
    by_number = {row["number"]: str(row.get("key", row["number"]))
                 for row in goal_rows if row["number"]}
    goals = []
    for key, row in keys.items():
        parent = row.get("parent")
        if parent is None and "." in row["number"]:
            parent = by_number.get(row["number"].rpartition(".")[0])
        if parent is not None and parent not in keys:
            raise ValueError(f"goal {key}: parent {parent!r} is not a goal key of the file")
        goals.append(Goal(ref("goal", key), sid, row["number"], row["text"], row["level"],
                          ref("goal", parent) if parent is not None else None,
                          row.get("description", "")))

    def goal_ref(key: str) -> str:
        if key not in keys:
            raise ValueError(f"{key!r} is not a goal key of the file")
        return ref("goal", key)

    measures = []
    for row in data.get("measures", []):
        mid = ref("measure", str(row.get("key") or row["number"]))
        links = tuple(Link(mid, link["kind"], link["target"], link.get("wkt"),
                           link.get("note", "")) for link in row.get("links", []))
        fields: dict[str, Any] = {name: row[name] for name in _TEXT_FIELDS if name in row}
        fields.update({name: tuple(row[name]) for name in _LIST_FIELDS if name in row})
        measures.append(Measure(
            mid, sid, row["title"], goal_ids=tuple(goal_ref(g) for g in row.get("goals", [])),
            related_goal_ids=tuple(goal_ref(g) for g in row.get("related_goals", [])),
            budget_czk=row.get("budget_czk"), links=links, **fields))

    indicators = []
    for position, row in enumerate(data.get("indicators", []), start=1):
        iid = ref("indicator", str(row.get("key", f"{position:02d}")))
        baseline = row.get("baseline", {})
        target = row.get("target", {})
        indicators.append(Indicator(
            iid, sid, row["name"], row["kind"], row.get("unit", ""), row.get("criterion", ""),
            goal_ref(row["goal"]) if "goal" in row else None,
            baseline.get("value"), baseline.get("note", ""), baseline.get("date"),
            target.get("value"), target.get("date"),
            tuple(Observation(iid, o.get("date", ""), str(o["value"]), o.get("note", ""),
                              o.get("change", ""))
                  for o in row.get("observations", [])),
            tuple(Band(b["low"], b["high"], b["label"], b.get("description", ""),
                       b.get("municipalities")) for b in row.get("bands", [])),
            row["direction"]))

    def entity(spec: str) -> tuple[str, str]:
        if spec == "strategy":
            return "strategy", sid
        kind, _, key = spec.partition(":")
        return kind, goal_ref(key) if kind == "goal" else ref(kind, key)

    evaluations = [Evaluation(ref("evaluation", f"{position:02d}"), sid, *entity(row["target"]),
                              row.get("date", ""), row.get("author_role", ""), row["text"],
                              row.get("source", ""))
                   for position, row in enumerate(data.get("evaluations", []), start=1)]
    timeline = [TimelineEntry(sid, row["kind"], row.get("when", ""), row["text"],
                              row.get("start", ""), row.get("end", ""), row.get("note", ""))
                for row in data.get("timeline", [])]
    history = [HistoryEntry(*entity(row["entity"]), row["at"], row["who_role"], row["change"])
               for row in data.get("history", [])]
    return Strategy(sid, head["title"], head["issuer"], head.get("period", ""), head["source"],
                    head.get("town_id"), head.get("region_code"), tuple(goals),
                    tuple(measures), tuple(indicators), tuple(evaluations), tuple(history),
                    tuple(timeline))


def seeded_sources(strategies: list[Strategy]) -> list[dict[str, str]]:
    """Rows for the store's ``sources`` table (layer, title, licence, attribution, vintage),
    one per strategy table, naming every document the strategies were transcribed from."""
    attribution = "; ".join(f"{s.issuer}: {s.title} ({s.source})" for s in strategies)
    return [{"layer": spec.name,
             "title": "Strategické dokumenty: cíle, opatření a ukazatele (přepis); vazby míří "
                      "i na ilustrativní data",
             "licence": "citace zdrojových dokumentů", "attribution": attribution,
             "vintage": "zprávy 2023–2024; strategie Karlových Varů a Karlovarského kraje a "
                        "vyhodnocení strategie Ústeckého kraje 2012 2016 bez data"}
            for spec in STRATEGY_LAYERS]
