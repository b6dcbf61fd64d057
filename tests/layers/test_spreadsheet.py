"""Exported CSV cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from layers.access.audit import audit_csv, record
from layers.access.principal import Principal
from layers.access.roles import ADMIN
from layers.mapping.export import export_pins
from layers.schema import PINS
from layers.spreadsheet import neutralise_formulas
from layers.store import Store

FORMULAS = ("=HYPERLINK(\"http://x\",\"klik\")", "+420 777 123 456", "-2+3", "@SUM(A1)",
            "\t=1+1")


def test_text_cells_that_start_a_formula_get_an_apostrophe() -> None:
    frame = pd.DataFrame({"note": [*FORMULAS, "tma u garáží", None], "n": range(7),
                          "x": [-1.5] * 7})
    out = neutralise_formulas(frame)
    assert list(out["note"][:5]) == [f"'{text}" for text in FORMULAS]
    assert out["note"][5] == "tma u garáží" and pd.isna(out["note"][6])
    assert out["n"].tolist() == list(range(7)) and out["x"].tolist() == [-1.5] * 7
    assert frame["note"][0] == FORMULAS[0]  # the input is not changed


def _cells(data: str, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data), delimiter=delimiter) for cell in row]


def test_the_internal_pins_csv_neutralises_notes(demo_store_copy: Store, tmp_path: Path
                                                 ) -> None:
    pins = demo_store_copy.read(PINS, "litvinov")
    ids = pins["pin_id"].iloc[:len(FORMULAS)]
    demo_store_copy.update_rows(PINS, "pin_id", pd.DataFrame({
        "pin_id": ids, "comment": list(FORMULAS), "moderation_note": list(FORMULAS)}))
    out = tmp_path / "piny.csv"
    export_pins(demo_store_copy, "litvinov", out, "csv")
    cells = _cells(out.read_text(encoding="utf-8-sig"), delimiter=";")  # Czech Excel's CSV
    assert [cell for cell in cells if cell.startswith(("=", "+", "@", "\t"))] == []
    assert cells.count(f"'{FORMULAS[0]}") == 2


def test_the_audit_csv_neutralises_names(demo_store_copy: Store) -> None:
    admin = Principal("=cmd|' /C calc'!A0", ADMIN)
    record(demo_store_copy, admin, "export_audit", "pins", ["p1"])
    data, _entries = audit_csv(demo_store_copy, admin)
    cells = _cells(data.decode("utf-8"))
    assert "'=cmd|' /C calc'!A0" in cells
    assert [cell for cell in cells if cell.startswith(("=", "+", "@"))] == []
