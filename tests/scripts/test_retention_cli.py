"""``mapa retention``: held notes past the period lose their text; the result as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from layers.schema import PINS
from layers.store import open_store
from scripts.mapa import main


def test_retention_deletes_old_held_notes(demo_store_path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, path)
    store = open_store(path)
    target = store.read(PINS, "kraslice")["pin_id"].iloc[0]
    store.update_rows(PINS, "pin_id", pd.DataFrame({
        "pin_id": [target], "comment": ["pište na jana@seznam.cz"], "comment_held": [True],
        "created_at": ["2021-03-01T09:00:00+00:00"]}))
    assert main(["retention", "--store", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["days"] == 90 and result["deleted"] >= 1
    pins = open_store(path).read("pins", "kraslice").set_index("pin_id")
    assert pins.loc[target, "comment"] == ""
    assert main(["retention", "--store", str(path), "--days", "-5", "--json"]) != 0
    output = capsys.readouterr()
    assert "negative" in output.err
    error = json.loads(output.out.strip().splitlines()[-1])["error"]
    assert error["code"] == "moderation.negative_retention"
