"""Building the demo store: complete, reproducible, and harmless when it fails."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from layers.build import build_demo
from layers.schema import (
    ALL_LAYERS,
    CRIME_REFERENCE,
    MUNICIPALITIES,
    PINS,
    POLICE_JURISDICTION,
    REFERENCE_LAYERS,
    SOURCES,
)
from layers.sources.errors import SourceError
from layers.sources.real import SOURCES_DIR
from layers.store import Store


def test_every_layer_is_built(demo_store: Store) -> None:
    built = {spec.name for spec in (*ALL_LAYERS, *REFERENCE_LAYERS)}
    assert set(demo_store.layer_names()) == built
    counts = demo_store.counts_by_town()
    for layer in ("towns", "localities", "pins", "services", "police_districts",
                  "context_lines", "sessions"):
        assert set(counts[layer]) == {"litvinov", "kraslice", "karlovy-vary"}, layer
    sources = demo_store.read(SOURCES)
    assert built - {"sources"} <= set(sources["layer"]) | {"sessions"}


def test_real_reference_data_of_both_regions(demo_store: Store) -> None:
    municipalities = demo_store.read(MUNICIPALITIES)
    assert len(municipalities) == 488
    assert set(municipalities["kod_kraj"]) == {"CZ041", "CZ042"}
    scores = municipalities.set_index("name")["isv"]
    assert (scores["Litvínov"], scores["Kraslice"], scores["Karlovy Vary"]) == (19, 13, 13)
    assert municipalities["isv"].between(0, 30).all()
    assert (municipalities["isv_year"] == 2023).all()
    jurisdiction = demo_store.read(POLICE_JURISDICTION, "litvinov")
    janov = jurisdiction[jurisdiction["ku_code"] == "637068"]
    assert list(janov["oop_code"]) == ["040817"]
    town = jurisdiction[jurisdiction["ku_code"] == ""]
    assert list(town["oop_code"]) == ["040812"]
    totals = demo_store.read(CRIME_REFERENCE).dropna(subset=["crimes"])
    totals = totals[totals["per_10k"].isna()].set_index(["area", "year"])["crimes"]
    assert totals[("Ústecký kraj", 2024)] == 15_858 and totals[("Ústecký kraj", 2025)] == 14_651
    assert totals[("Karlovarský kraj", 2024)] == 4_954


def test_build_is_reproducible(tmp_path: Path, demo_store: Store) -> None:
    again = build_demo(tmp_path / "again.gpkg")
    assert again == demo_store.counts()
    from layers.store import open_store
    assert open_store(tmp_path / "again.gpkg").read("pins").equals(demo_store.read(PINS))


def test_broken_source_leaves_existing_store(tmp_path: Path, demo_store_path: Path) -> None:
    store_path = tmp_path / "mapa.gpkg"
    shutil.copy(demo_store_path, store_path)
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    (sources / "police_crime" / "crime_by_oop_2013_KVK_ULK_mapakriminality.csv").write_bytes(
        b"\x00\xff garbage")
    with pytest.raises(SourceError, match="crime_by_oop"):
        build_demo(store_path, sources=sources)
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before
