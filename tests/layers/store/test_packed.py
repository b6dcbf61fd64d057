"""Decoding packed columns (``layers.store.packed``) without a server: what PostgreSQL's
``float8send``/``int8send`` and ``string_agg`` send, built here with numpy."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from psycopg import sql

from layers.store import packed


def test_each_kind_decodes_to_its_arrow_type_with_its_nulls() -> None:
    floats = np.array([1.5, np.nan, -2.0], dtype=">f8").tobytes()
    assert packed.decode("float64", [floats], 3).to_pylist()[::2] == [1.5, -2.0]
    ints = np.array([7, 0, -3], dtype=">i8").tobytes()
    got = packed.decode("int32", [ints, bytes([1, 0, 1])], 3)
    assert got.type == pa.int32() and got.to_pylist() == [7, None, -3]
    assert packed.decode("bool", [bytes([1, 0, 2])], 3).to_pylist() == [True, False, None]
    text = packed.decode("str", ["+a\x1f\x1f+\x1f+Žluť"], 4)
    assert text.type == pa.string() and text.to_pylist() == ["a", None, "", "Žluť"]
    assert packed.decode("str", [None], 0).to_pylist() == []


def test_an_answer_without_every_row_is_refused() -> None:
    with pytest.raises(ValueError, match="3 values"):
        packed.decode("float64", [np.zeros(2, dtype=">f8").tobytes()], 3)
    with pytest.raises(ValueError, match="2 text values expected, 3 sent"):
        packed.decode("str", ["+a\x1fb\x1f+c"], 2)  # a value that held the separator
    with pytest.raises(KeyError):
        packed.aggregates(sql.Identifier("c"), "geometry")
