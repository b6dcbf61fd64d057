"""Strategies ↔ store tables.

:func:`strategy_frames` turns strategies into the attribute tables named in
``layers.schema.STRATEGY_LAYERS`` (no geometry column: a drawn polygon travels as WKT in
EPSG:4326 in ``measure_links.wkt``); :func:`load_strategies` reads them back into equal
:class:`~layers.strategy.model.Strategy` objects. List fields are JSON arrays in text columns,
history changes JSON objects; ``position`` columns keep the document order, so no backend has
to preserve row order. A store written before a later column or table existed reads it back
empty: ``results``, ``funding`` and ``related_goal_ids`` of measures, an evaluation's
``source``, an observation's ``assessed_change``, the ``strategy_timeline`` table; an
indicator's missing ``direction`` reads as the model's default ("higher_better"). Tables
carrying ``town_id`` (the strategy's town, empty for a region's document) can be read per town.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from layers.schema import LATER_STRATEGY_LAYERS, STRATEGY_LAYERS
from layers.store import Store, StoreError
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

#: Numeric columns that may be empty: typed as floats so an all-empty column stays numeric.
_NUMERIC = ("budget_czk", "low", "high", "municipalities")
_LIST_FIELDS = ("goal_ids", "owners", "partners", "target_groups", "activities", "benefits",
                "obstacles", "conditions", "related_documents", "results", "funding",
                "related_goal_ids")


def strategy_frames(strategies: Iterable[Strategy]) -> dict[str, pd.DataFrame]:
    """Store tables (name → DataFrame, columns as in ``layers.schema``) of ``strategies``."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in strategies:
        town = s.town_id
        rows["strategies"].append({
            "strategy_id": s.strategy_id, "town_id": town, "region_code": s.region_code,
            "title": s.title, "issuer": s.issuer, "period": s.period, "source": s.source})
        for position, g in enumerate(s.goals):
            rows["goals"].append({
                "goal_id": g.goal_id, "strategy_id": s.strategy_id, "town_id": town,
                "position": position, "parent_id": g.parent_id, "number": g.number,
                "level": g.level, "text": g.text, "description": g.description})
        for position, m in enumerate(s.measures):
            rows["measures"].append({
                "measure_id": m.measure_id, "strategy_id": s.strategy_id, "town_id": town,
                "position": position, "number": m.number, "title": m.title, "text": m.text,
                "time_frame": m.time_frame, "status": m.status, "status_note": m.status_note,
                "budget_czk": m.budget_czk, "budget_note": m.budget_note,
                **{name: json.dumps(list(getattr(m, name)), ensure_ascii=False)
                   for name in _LIST_FIELDS}})
            for link_position, link in enumerate(m.links):
                rows["measure_links"].append({
                    "link_id": f"{m.measure_id}#{link_position}", "measure_id": m.measure_id,
                    "strategy_id": s.strategy_id, "town_id": town, "position": link_position,
                    "target_kind": link.target_kind, "target_id": link.target_id,
                    "wkt": link.wkt, "note": link.note})
        for position, i in enumerate(s.indicators):
            rows["indicators"].append({
                "indicator_id": i.indicator_id, "strategy_id": s.strategy_id, "town_id": town,
                "position": position, "goal_id": i.goal_id, "criterion": i.criterion,
                "name": i.name, "kind": i.kind, "unit": i.unit,
                "baseline_value": i.baseline_value, "baseline_note": i.baseline_note,
                "baseline_date": i.baseline_date, "target_value": i.target_value,
                "target_date": i.target_date, "direction": i.direction})
            for obs_position, o in enumerate(i.observations):
                rows["observations"].append({
                    "indicator_id": i.indicator_id, "position": obs_position, "date": o.date,
                    "value": o.value, "note": o.note, "assessed_change": o.assessed_change})
            for band_position, b in enumerate(i.bands):
                rows["indicator_bands"].append({
                    "indicator_id": i.indicator_id, "position": band_position, "low": b.low,
                    "high": b.high, "label": b.label, "description": b.description,
                    "municipalities": b.municipalities})
        for position, e in enumerate(s.evaluations):
            rows["evaluations"].append({
                "evaluation_id": e.evaluation_id, "strategy_id": s.strategy_id,
                "position": position, "target_kind": e.target_kind, "target_id": e.target_id,
                "date": e.date, "author_role": e.author_role, "text": e.text,
                "source": e.source})
        for position, entry in enumerate(s.timeline):
            rows["strategy_timeline"].append({
                "strategy_id": s.strategy_id, "position": position, "kind": entry.kind,
                "when": entry.when, "start": entry.start, "end": entry.end, "text": entry.text,
                "note": entry.note})
        for position, h in enumerate(s.history):
            rows["history"].append({
                "strategy_id": s.strategy_id, "position": position, "entity": h.entity,
                "entity_id": h.entity_id, "at": h.at, "who_role": h.who_role,
                "change": json.dumps(h.change, ensure_ascii=False)})
    frames = {}
    for spec in STRATEGY_LAYERS:
        frame = pd.DataFrame(rows[spec.name], columns=list(spec.columns))
        for column in set(_NUMERIC) & set(spec.columns):
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        frames[spec.name] = frame
    return frames


# --- reading back -------------------------------------------------------------------------

def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _opt(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _number(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _count(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _records(frame: pd.DataFrame, key: str) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by ``key``, each group in ``position`` order."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in frame.sort_values([key, "position"], kind="stable").to_dict("records"):
        grouped[str(row[key])].append({str(name): value for name, value in row.items()})
    return grouped


def frames_to_strategies(frames: Mapping[str, pd.DataFrame]) -> list[Strategy]:
    """Strategies rebuilt from tables made by :func:`strategy_frames` (possibly after a store
    round trip). Raises ``ValueError`` when the rows break the model (see ``model``)."""
    goals = _records(frames["goals"], "strategy_id")
    measures = _records(frames["measures"], "strategy_id")
    links = _records(frames["measure_links"], "measure_id")
    indicators = _records(frames["indicators"], "strategy_id")
    observations = _records(frames["observations"], "indicator_id")
    bands = _records(frames["indicator_bands"], "indicator_id")
    evaluations = _records(frames["evaluations"], "strategy_id")
    history = _records(frames["history"], "strategy_id")
    timeline = _records(frames["strategy_timeline"], "strategy_id") \
        if "strategy_timeline" in frames else {}
    out = []
    for row in frames["strategies"].to_dict("records"):
        sid = str(row["strategy_id"])
        out.append(Strategy(
            sid, _text(row["title"]), _text(row["issuer"]), _text(row["period"]),
            _text(row["source"]), _opt(row["town_id"]), _opt(row["region_code"]),
            goals=tuple(Goal(str(g["goal_id"]), sid, _text(g["number"]), _text(g["text"]),
                             _text(g["level"]), _opt(g["parent_id"]), _text(g["description"]))
                        for g in goals[sid]),
            measures=tuple(_measure(m, links[str(m["measure_id"])]) for m in measures[sid]),
            indicators=tuple(_indicator(i, observations[str(i["indicator_id"])],
                                        bands[str(i["indicator_id"])])
                             for i in indicators[sid]),
            evaluations=tuple(Evaluation(str(e["evaluation_id"]), sid, _text(e["target_kind"]),
                                         _text(e["target_id"]), _text(e["date"]),
                                         _text(e["author_role"]), _text(e["text"]),
                                         _text(e.get("source")))
                              for e in evaluations[sid]),
            history=tuple(HistoryEntry(_text(h["entity"]), _text(h["entity_id"]),
                                       _text(h["at"]), _text(h["who_role"]),
                                       json.loads(_text(h["change"]) or "{}"))
                          for h in history[sid]),
            timeline=tuple(TimelineEntry(sid, _text(t["kind"]), _text(t["when"]),
                                         _text(t["text"]), _text(t["start"]), _text(t["end"]),
                                         _text(t["note"]))
                           for t in timeline.get(sid, []))))
    return out


def _measure(row: dict[str, Any], links: list[dict[str, Any]]) -> Measure:
    mid = str(row["measure_id"])
    return Measure(
        mid, str(row["strategy_id"]), _text(row["title"]), text=_text(row["text"]),
        number=_text(row["number"]), time_frame=_text(row["time_frame"]),
        status=_text(row["status"]), status_note=_text(row["status_note"]),
        budget_czk=_number(row["budget_czk"]), budget_note=_text(row["budget_note"]),
        links=tuple(Link(mid, _text(k["target_kind"]), _text(k["target_id"]), _opt(k["wkt"]),
                         _text(k["note"])) for k in links),
        # .get: a store written before a list column existed (``results``) lacks it
        **{name: tuple(json.loads(_text(row.get(name)) or "[]")) for name in _LIST_FIELDS})


def _indicator(row: dict[str, Any], observations: list[dict[str, Any]],
               bands: list[dict[str, Any]]) -> Indicator:
    iid = str(row["indicator_id"])
    return Indicator(
        iid, str(row["strategy_id"]), _text(row["name"]), _text(row["kind"]),
        _text(row["unit"]), _text(row["criterion"]), _opt(row["goal_id"]),
        _opt(row["baseline_value"]), _text(row["baseline_note"]), _opt(row["baseline_date"]),
        _opt(row["target_value"]), _opt(row["target_date"]),
        tuple(Observation(iid, _text(o["date"]), _text(o["value"]), _text(o["note"]),
                          _text(o.get("assessed_change")))
              for o in observations),
        tuple(Band(float(b["low"]), float(b["high"]), _text(b["label"]),
                   _text(b["description"]), _count(b["municipalities"])) for b in bands),
        _text(row.get("direction")) or "higher_better")


def load_strategies(store: Store) -> list[Strategy]:
    """Every strategy kept in ``store``; ``[]`` for a store built without strategies.

    Raises ``StoreError`` when the store has a ``strategies`` table but lacks another of the
    strategy tables, and ``ValueError`` when stored rows break the model.
    """
    names = set(store.layer_names())
    if "strategies" not in names:
        return []
    missing = [spec.name for spec in STRATEGY_LAYERS
               if spec.name not in names and spec not in LATER_STRATEGY_LAYERS]
    if missing:
        raise StoreError("store.no_strategy_tables", location=store.location,
                         layers=", ".join(missing))
    return frames_to_strategies({spec.name: store.read(spec) for spec in STRATEGY_LAYERS
                                 if spec.name in names})
