"""Towns as a municipality adds them: with ``mapa import town`` only, or with a feeling map.

:func:`make_empty_towns` copies the demo store and runs the real CLI on the copy: Ostrov
(RÚIAN 555428, shipped boundary) with nothing else, and Sokolov (560286) with a feeling map
imported by ``mapa import feeling-map`` and approved by a moderator. Neither has localities,
services or police districts.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

import pandas as pd

from layers.access.guarded import approve
from layers.access.principal import Principal
from layers.access.roles import MODERATOR
from layers.schema import PINS
from layers.store import open_store
from scripts.mapa import main

FIXTURE: Final = Path(__file__).resolve().parents[1] / "fixtures" / "pocitova_mapa_sample.csv"
#: town id → (RÚIAN code, name, with an approved feeling map)
TOWNS: Final = {"ostrov": ("555428", "Ostrov", False), "sokolov": ("560286", "Sokolov", True)}


def _feeling_map_for(store_path: Path, town_id: str, out: Path) -> Path:
    """The sample feeling-map export moved into ``town_id`` (its rows keep their offsets
    from the sample's median point; the sample's broken rows stay broken)."""
    centre = open_store(store_path).read("towns", town_id).geometry.iloc[0].representative_point()
    rows = pd.read_csv(FIXTURE, encoding="utf-8-sig")
    rows["X"] = rows["X"] - rows["X"].median() + centre.x
    rows["Y"] = rows["Y"] - rows["Y"].median() + centre.y
    rows.to_csv(out, index=False, encoding="utf-8")
    return out


def make_empty_towns(demo_store_path: Path, folder: Path) -> Path:
    """A copy of the demo store in ``folder`` with the towns of :data:`TOWNS` added by the
    CLI; its path."""
    path = folder / "towns.gpkg"
    shutil.copy(demo_store_path, path)
    for town_id, (code, _, feeling_map) in TOWNS.items():
        assert main(["import", "town", code, "--town", town_id, "--store", str(path)]) == 0
        if feeling_map:
            csv = _feeling_map_for(path, town_id, folder / f"{town_id}.csv")
            assert main(["import", "feeling-map", str(csv), "--town", town_id,
                         "--store", str(path)]) == 0
            store = open_store(path)
            pending = store.read(PINS, town_id)["pin_id"].tolist()
            assert approve(Principal("t-moderator", MODERATOR), store, pending) == len(pending)
    return path
