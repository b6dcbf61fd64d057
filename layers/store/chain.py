"""Hash chains of append-only layers: each row carries the hash of the row before it.

A chained layer (``LayerSpec.chained``, the audit log) has two last columns, ``prev_hash``
and ``hash``. ``hash`` is the SHA-256 (64 hex digits) of ``prev_hash`` and the row's
canonical form (its other columns, by name, as text or null; a column added to the layer
later, ``layers.schema.LATER_COLUMNS``, only where it is not empty, so rows sealed before it
existed keep their hashes); the first row's ``prev_hash`` is :data:`GENESIS`. The store
seals rows as it appends them, under its writer lock, so concurrent writers still make one
chain in stored order; nobody hands in a hash.

Editing a row breaks its own hash; deleting one breaks the link of the row after it;
inserting one breaks the link after it. Removing the last rows leaves a shorter whole chain:
the chain alone cannot tell (a backup's audit log can: ``layers.store.transfer``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import pandas as pd

from layers.schema import CHAIN_COLUMNS, LATER_COLUMNS, LayerSpec

#: ``prev_hash`` of a chain's first row.
GENESIS: Final = "0" * 64

Problem = Literal["altered", "link", "unsealed"]
#: A row as a mapping of column name to value (``DataFrame.to_dict("records")`` gives these).
Row = Mapping[Any, object]


def later_columns(spec: LayerSpec) -> tuple[str, ...]:
    """The columns of ``spec`` added after rows were first sealed: a hash covers them only
    where they are not empty (null and "" alike)."""
    return LATER_COLUMNS.get(spec.name, ())


def content_columns(spec: LayerSpec) -> tuple[str, ...]:
    """The columns every row's hash covers: every column of ``spec`` but the chain's own and
    the :func:`later_columns` (which a table from before them lacks)."""
    later = later_columns(spec)
    return tuple(c for c in spec.columns if c not in CHAIN_COLUMNS and c not in later)


def hashed_columns(spec: LayerSpec) -> tuple[str, ...]:
    """Every column a row's hash may cover: :func:`content_columns` and
    :func:`later_columns`."""
    return (*content_columns(spec), *later_columns(spec))


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def row_hash(row: Row, columns: Sequence[str], prev_hash: str,
             later: Collection[str] = ()) -> str:
    """The hash of ``row`` (its ``columns``, and its ``later`` columns that are not empty)
    following a row whose hash is ``prev_hash``."""
    content = {name: _text(row.get(name)) for name in columns}
    content.update({name: value for name in later if (value := _text(row.get(name)))})
    canonical = json.dumps({"prev_hash": prev_hash, "row": content},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def links(rows: Iterable[Row], columns: Sequence[str], head: str = GENESIS,
          later: Collection[str] = ()) -> list[tuple[str, str]]:
    """(prev_hash, hash) of each of ``rows`` in order, chained onto ``head``."""
    out = []
    for row in rows:
        digest = row_hash(row, columns, head, later)
        out.append((head, digest))
        head = digest
    return out


def seal(frame: pd.DataFrame, spec: LayerSpec, head: str) -> pd.DataFrame:
    """``frame`` with its chain columns set: its rows chained in order onto ``head`` (the
    hash of the last stored row, :data:`GENESIS` for none). Given chain values are replaced."""
    records = frame.to_dict("records")
    linked = links(records, content_columns(spec), head, later_columns(spec))
    return frame.assign(prev_hash=[p for p, _ in linked], hash=[h for _, h in linked])


def last_hash(frame: pd.DataFrame) -> str:
    """The hash a row appended after ``frame``'s rows (in stored order) chains onto."""
    if frame.empty:
        return GENESIS
    value = _text(frame["hash"].iloc[-1]) if "hash" in frame.columns else None
    return value or GENESIS


@dataclass(frozen=True)
class Break:
    """The first row where a chain does not hold: its ``position`` (1 = first stored row) and
    what is wrong: ``altered`` (its content no longer gives its hash), ``link`` (it does not
    follow the row before it: a row was removed or inserted before it) or ``unsealed`` (it
    has no hash)."""

    position: int
    problem: Problem


def first_break(frame: pd.DataFrame, spec: LayerSpec) -> Break | None:
    """Where the chain of ``frame`` (a chained layer's rows in stored order) first breaks;
    None when it is whole (an empty layer is whole)."""
    if not frame.empty and any(c not in frame.columns for c in CHAIN_COLUMNS):
        return Break(1, "unsealed")
    columns, later = content_columns(spec), later_columns(spec)
    expected = GENESIS
    for position, row in enumerate(frame.to_dict("records"), start=1):
        stored = _text(row.get("hash"))
        if not stored:
            return Break(position, "unsealed")
        if _text(row.get("prev_hash")) != expected:
            return Break(position, "link")
        if row_hash(row, columns, expected, later) != stored:
            return Break(position, "altered")
        expected = stored
    return None
