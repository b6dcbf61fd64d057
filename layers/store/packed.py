"""Many rows' columns in one answer row: PostgreSQL packs each column into one value, numpy and
Arrow unpack it whole.

``COPY`` sends one message per row, and psycopg handles each in Python: a town's 165,000
offences took about 100 ms that way on a 2-core machine, where the server's index scan takes
20 ms. Packed, each column travels as one value of the rows in order:

* numbers: big-endian ``float8`` (``float8send``), ``NaN`` for NULL, or ``int8`` with a
  byte a row saying which are present; times as seconds since the epoch (``float8``);
* booleans: a byte a row, 0 false, 1 true, 2 NULL;
* text: the values joined by the unit separator (U+001F), each behind a ``+`` and NULL as
  nothing, so NULL stays apart from the empty string. A value holding the separator itself
  makes the parts more than the rows: :func:`decode` refuses the answer, and the caller reads
  those rows another way. (Each value's bytes with its length would need no such check, but
  cost the server half as much again.)

The kinds are those of the PostGIS catalog (:data:`KINDS`); the Arrow arrays decoded here are
what Arrow's CSV reader gives for the same rows, so a packed read and a ``COPY`` read convert
to the same pandas columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import sql

#: Catalog kinds and the Arrow type each is read as (times: seconds since the epoch).
KINDS: Final = {"str": pa.string(), "int64": pa.int64(), "int32": pa.int32(),
                "float64": pa.float64(), "float32": pa.float32(), "bool": pa.bool_(),
                "datetime": pa.float64(), "datetimetz": pa.float64()}
#: Between two text values of a packed column.
SEPARATOR: Final = "\x1f"
_PRESENT: Final = "CASE WHEN {e} IS NULL THEN '\\x00'::bytea ELSE '\\x01'::bytea END"


def aggregates(column: sql.Composable, kind: str) -> list[sql.Composable]:
    """The aggregates packing ``column`` (of catalog ``kind``) over the rows in input order:
    one value, two for text and integers (see the module docstring). ``column`` names a
    column of the row source as :func:`source_column` gave it. Raises ``KeyError`` for a
    kind not in :data:`KINDS`."""
    if kind not in KINDS:
        raise KeyError(kind)

    def agg(expression: str) -> sql.Composable:
        return sql.SQL("string_agg(" + expression + ", ''::bytea)").format(e=column)

    if kind == "str":
        return [sql.SQL("string_agg(coalesce('+' || {e}, ''), {sep})").format(
            e=column, sep=sql.Literal(SEPARATOR))]
    if kind.startswith("int"):
        return [agg("int8send(coalesce({e}, 0))"), agg(_PRESENT)]
    if kind == "bool":
        return [agg("CASE WHEN {e} THEN '\\x01'::bytea WHEN NOT {e} THEN '\\x00'::bytea "
                    "ELSE '\\x02'::bytea END")]
    return [agg("float8send(coalesce({e}, 'NaN'))")]


def source_column(expression: sql.Composable, kind: str) -> sql.Composable:
    """``expression`` (a stored column or a computed value of ``kind``) as the row source
    selects it for :func:`aggregates`: times as epoch seconds."""
    if kind.startswith("datetime"):
        return sql.SQL("extract(epoch FROM {})::float8").format(expression)
    if kind in ("str", "bool") or kind.startswith("int"):
        return expression
    return sql.SQL("{}::float8").format(expression)


def decode(kind: str, values: Sequence[bytes | str | None], rows: int) -> pa.Array:
    """The Arrow array of ``rows`` values that :func:`aggregates` packed for ``kind``
    (``values``: its one or two answers; None, as ``string_agg`` gives for no rows, is
    empty). Raises ``ValueError`` when the answers do not hold ``rows`` values, as when a
    text value holds :data:`SEPARATOR`."""
    if kind == "str":
        return _text(values[0] if isinstance(values[0], str) else "", rows)
    raw = [bytes(value) if isinstance(value, bytes | memoryview) else b"" for value in values]
    if kind.startswith("int"):
        numbers = _numbers(raw[0], ">i8", rows)
        present = _numbers(raw[1], "u1", rows).astype(bool)
        return pa.array(numbers.astype(np.int64), type=KINDS[kind], mask=~present)
    if kind == "bool":
        codes = _numbers(raw[0], "u1", rows)
        return pa.array(codes == 1, mask=codes == 2)
    numbers = _numbers(raw[0], ">f8", rows)
    return pa.array(numbers.astype(KINDS[kind].to_pandas_dtype()), type=KINDS[kind])


def _text(joined: str, rows: int) -> pa.Array:
    """The ``rows`` text values of one packed text column (NULL an empty part)."""
    if rows == 0:
        return pa.array([], type=pa.string())
    parts = pc.split_pattern(pa.array([joined], type=pa.large_string()), SEPARATOR).flatten()
    if len(parts) != rows:
        raise ValueError(f"{rows} text values expected, {len(parts)} sent")
    present = pc.greater(pc.utf8_length(parts), 0)
    values = pc.utf8_slice_codeunits(parts, 1)
    return pc.if_else(present, values, pa.scalar(None, values.type)).cast(pa.string())


def _numbers(raw: bytes, dtype: str, rows: int) -> np.ndarray:
    """``raw`` as ``rows`` numbers of ``dtype``; ``ValueError`` when it holds another count."""
    size = np.dtype(dtype).itemsize
    if len(raw) != rows * size:
        raise ValueError(f"{rows} values of {size} bytes expected, {len(raw)} bytes sent")
    return np.frombuffer(raw, dtype=dtype)
