"""Batches: a dry run writes nothing, a commit is one batch, undo removes exactly it, the
same file twice is refused, and a file that breaks half-way changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from layers.ingest import offences
from layers.ingest.batches import ImportRefused, list_batches, run_import, undo_batch
from layers.ingest.pipeline import ImportContext
from layers.ingest.reading import Source
from layers.schema import SOURCES
from layers.store import Store
from tests.layers.ingest.conftest import FIXTURES, digest

TOWN = "litvinov"
LAYERS = ("localities", "services", "crime_stats", "sources", "offences")


def _rows(store: Store) -> dict[str, pd.DataFrame]:
    present = store.layer_names()
    return {layer: pd.DataFrame(store.read(layer)).drop(columns="geometry", errors="ignore")
            for layer in LAYERS if layer in present}


def test_dry_run_writes_nothing_and_previews(store: Store) -> None:
    before = digest(store)
    result = run_import(store, "localities", FIXTURES / "localities_4326.geojson",
                        town_id=TOWN, dry_run=True)
    assert digest(store) == before
    assert result.dry_run and result.added == 2
    assert list(result.preview["localities"]["name"]) == ["Janov – sídliště", "Šířava"]
    assert result.preview["localities"].crs.to_epsg() == 4326


def test_undo_removes_exactly_the_batch(store: Store) -> None:
    before = _rows(store)
    first = run_import(store, "services", FIXTURES / "services_osm.geojson", town_id=TOWN,
                       licence="ODbL")
    second = run_import(store, "police-stats", FIXTURES / "police_stats.csv", town_id=TOWN)
    third = run_import(store, "offences", FIXTURES / "offences.csv", town_id=TOWN)
    batches = list_batches(store, TOWN)
    assert list(batches["batch_id"]) == [third.batch_id, second.batch_id, first.batch_id]
    assert set(batches["status"]) == {"committed"}
    sources = store.read(SOURCES)
    entry = sources[sources["title"].str.contains(first.batch_id, regex=False)]
    assert list(entry["licence"]) == ["ODbL"] and list(entry["layer"]) == ["services"]

    assert undo_batch(store, second.batch_id) == {"crime_stats": 3, "sources": 1}
    assert undo_batch(store, first.batch_id) == {"services": 3, "service_tags": 3,
                                                 "sources": 1}
    assert undo_batch(store, third.batch_id) == {"offences": 3, "sources": 1}
    after = _rows(store)
    for layer, frame in before.items():
        pd.testing.assert_frame_equal(after[layer], frame, check_dtype=False)
    assert set(list_batches(store)["status"]) == {"undone"}
    with pytest.raises(ImportRefused, match="already undone"):
        undo_batch(store, first.batch_id)
    with pytest.raises(ImportRefused, match="no import batch"):
        undo_batch(store, "nope")


def test_the_same_file_twice_is_refused_until_undone(store: Store) -> None:
    path = FIXTURES / "localities_4326.geojson"
    first = run_import(store, "localities", path, town_id=TOWN)
    before = digest(store)
    with pytest.raises(ImportRefused, match=f"already imported .* batch {first.batch_id}"):
        run_import(store, "localities", path, town_id=TOWN)
    assert digest(store) == before
    undo_batch(store, first.batch_id)
    again = run_import(store, "localities", path, town_id=TOWN)
    assert again.batch_id != first.batch_id and again.added == 2


def test_a_file_breaking_half_way_changes_nothing(store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real = offences.connect

    def breaks(source: Source, ctx: ImportContext, chunk_rows: int
               ) -> Iterator[tuple[str, pd.DataFrame]]:
        for item in real(source, ctx, 1):
            yield item
            raise OSError("the disk went away")

    monkeypatch.setattr(offences, "connect", breaks)
    before = digest(store)
    with pytest.raises(OSError, match="went away"):
        run_import(store, "offences", FIXTURES / "offences.csv", town_id=TOWN)
    assert digest(store) == before


def test_strict_and_all_rejected_imports_change_nothing(store: Store) -> None:
    before = digest(store)
    with pytest.raises(ImportRefused, match="nothing imported \\(--strict\\)"):
        run_import(store, "offences", FIXTURES / "offences.csv", town_id=TOWN, strict=True)
    with pytest.raises(ImportRefused, match=r"none of the 4 rows of offences\.csv"):
        run_import(store, "offences", FIXTURES / "offences.csv", town_id="kraslice")
    with pytest.raises(ImportRefused, match="unknown town"):
        run_import(store, "offences", FIXTURES / "offences.csv", town_id="nowhere")
    assert digest(store) == before


def test_progress_reports_rows_done_and_rejected_so_far(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "sluzby.csv"
    path.write_text("název;typ;zeměpisná šířka;zeměpisná délka\n"
                    "Klub;NZDM;50,6085;13,6310\n"
                    "Kavárna;kavárna;50,6086;13,6311\n"
                    "Centrum;komunitní centrum;50,6087;13,6312\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    run_import(store, "services", path, town_id=TOWN, chunk_rows=1,
               progress=lambda report: seen.append((report.rows, report.counts["rejected"])))
    # after each chunk that added rows (the rejected one adds none), never going back
    assert seen[0] == (1, 0) and seen[-1] == (3, 1)
    assert seen == sorted(seen)
