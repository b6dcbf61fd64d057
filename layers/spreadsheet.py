"""Text cells that a spreadsheet would run as a formula, neutralised before a CSV or XLSX export.

Excel and LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a tab or
carriage return before one) as a formula, so a pin's note such as ``=HYPERLINK(…)`` would run
on the moderator's machine. Following OWASP's advice on CSV injection, such a text cell gets a
leading apostrophe: the spreadsheet shows the text and runs nothing. Numbers stay numbers.
The package defusedcsv does the same for the ``csv`` module only; the exports here write with
pandas, so the one rule is applied to the frame instead.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """``value`` with an apostrophe before it when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised (:func:`neutralise_cell`)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out
