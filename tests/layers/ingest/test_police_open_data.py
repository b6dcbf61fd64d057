"""The police's open-data export (CSV and GeoJSON in the published shape, lookups beside it)
imports with its codes, names, groups, exact flag, state, date and hour; bad rows are refused
by line; a re-import of an overlapping month adds only what is new; undo removes a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from layers.hotspots.analysis import town_offences
from layers.ingest.batches import ImportRefused, run_import, undo_batch
from layers.schema import POLICE_OFFENCES, TOWNS
from layers.sources.errors import SourceError
from layers.store import Store, open_store
from tests.layers.ingest.conftest import FIXTURES, digest

TOWN = "litvinov"
EXPORT = FIXTURES / "police_open_data"


def _stored(store: Store) -> pd.DataFrame:
    return store.read(POLICE_OFFENCES, TOWN).set_index("offence_id").sort_index()


def test_a_year_csv_imports_its_good_rows_and_refuses_the_bad_by_line(store: Store) -> None:
    result = run_import(store, "police-open-data", EXPORT / "2023_567256.csv", town_id=TOWN)
    report = result.report
    assert report.rows == 10 and report.added == {"police_offences": 5}
    assert sorted(((p.where, p.reason) for p in report.rejected),
                  key=lambda problem: int(problem[0].split()[1])) == [
        ("line 7", "position outside the Czech Republic"),
        ("line 8", "outside the boundary of litvinov"),
        ("line 9", "unknown offence type code 999"),
        ("line 10", "impossible or missing date"),
        ("line 11", "export id repeated in the file"),
    ]
    rows = _stored(store)
    first = rows.loc["9230001"]
    assert (first["date"], first["hour"], first["type_code"]) == ("2023-01-14", 21, 18)
    assert first["type_name"] == "Krádeže vloupáním do obchodů"
    assert first["type_group"] == "Majetková kriminalita"
    assert first["state_name"] == "Trestný čin – neobjasněný"
    assert first["relevance_name"] == "Místo spáchání"
    assert bool(first["exact"]) is True
    second = rows.loc["9230002"]
    assert bool(second["exact"]) is False and pd.isna(second["hour"])  # no time in the export
    assert rows.loc["9230003", "type_group"] == "Násilná kriminalita"
    assert rows.loc["9230005", "hour"] == 0


def test_overlapping_files_add_only_what_is_new(store: Store) -> None:
    year = run_import(store, "police-open-data", EXPORT / "2024_567256.geojson", town_id=TOWN)
    assert year.report.added == {"police_offences": 6} and not year.report.rejected
    month = run_import(store, "police-open-data", EXPORT / "2024-03_567256.csv", town_id=TOWN)
    assert month.report.added == {"police_offences": 1}
    assert month.report.notes == ["1 rows already in the store (same export id) were skipped"]
    assert len(_stored(store)) == 7
    with pytest.raises(ImportRefused) as again:
        run_import(store, "police-open-data", EXPORT / "2024_567256.geojson", town_id=TOWN)
    assert again.value.code == "import.already_imported"
    undo_batch(store, month.batch_id)
    assert "9240100" not in _stored(store).index and len(_stored(store)) == 6


def test_an_export_without_its_lookups_is_refused_and_the_store_unchanged(
        store: Store, tmp_path: Path) -> None:
    lonely = tmp_path / "2023_567256.csv"
    shutil.copy(EXPORT / "2023_567256.csv", lonely)
    before = digest(store)
    with pytest.raises(SourceError, match=r"types\.json"):
        run_import(store, "police-open-data", lonely, town_id=TOWN)
    assert digest(store) == before


def test_both_backends_keep_the_typed_columns_and_skip_stored_rows(
        demo_store: Store, pg_url: str) -> None:
    store = open_store(pg_url)
    store.replace_all({"towns": demo_store.read(TOWNS, TOWN)})
    run_import(store, "police-open-data", EXPORT / "2024_567256.geojson", town_id=TOWN)
    month = run_import(store, "police-open-data", EXPORT / "2024-03_567256.csv", town_id=TOWN)
    assert month.report.added == {"police_offences": 1}
    rows = _stored(store)
    assert len(rows) == 7
    assert rows.loc["9240002", "hour"] == 11 and not bool(rows.loc["9240002", "exact"])
    assert rows.loc["9240003", "type_group"] == "Násilná kriminalita"
    offences = town_offences(store, TOWN)
    assert len(offences) == 7 and int((~offences["exact"]).sum()) == 3
