"""An upload is imported from a private folder that is gone afterwards, whatever the outcome;
folders a killed server left are removed once they are a day old."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from layers.errors import InvalidInput
from layers.ingest.uploads import UPLOAD_PREFIX, import_upload, remove_stale_uploads
from layers.store import Store
from tests.layers.ingest.conftest import FIXTURES, digest


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary directory, private to the test (so its listing is ours)."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_upload_folder_is_removed_after_a_committed_import(store: Store,
                                                               temp_root: Path) -> None:
    data = (FIXTURES / "services_osm.geojson").read_bytes()
    result = import_upload(store, "services", "sluzby.geojson", data, town_id="litvinov")
    assert result.added > 0 and result.report.source_name == "sluzby.geojson"
    assert list(temp_root.iterdir()) == []


def test_the_upload_folder_is_removed_after_a_refused_import(store: Store,
                                                             temp_root: Path) -> None:
    before = digest(store)
    data = (FIXTURES / "broken" / "entities.xlsx").read_bytes()
    with pytest.raises(InvalidInput):
        import_upload(store, "exclusion-index", "index.xlsx", data, town_id="litvinov")
    assert list(temp_root.iterdir()) == []
    assert digest(store) == before


def test_a_dry_run_keeps_no_file_either(store: Store, temp_root: Path) -> None:
    data = (FIXTURES / "offences.csv").read_bytes()
    result = import_upload(store, "offences", "skutky.csv", data, town_id="litvinov",
                           dry_run=True, display_name="skutky z mapy kriminality")
    assert result.dry_run and result.report.source_name == "skutky z mapy kriminality"
    assert list(temp_root.iterdir()) == []


def test_stale_upload_folders_are_removed_fresh_ones_kept(temp_root: Path) -> None:
    old, fresh = temp_root / f"{UPLOAD_PREFIX}old", temp_root / f"{UPLOAD_PREFIX}new"
    other = temp_root / "someone-else"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "file.csv").write_text("a\n")
    day_ago = time.time() - 2 * 24 * 3600
    for folder in (old, other):
        os.utime(folder, (day_ago, day_ago))
    assert remove_stale_uploads() == 1
    assert sorted(p.name for p in temp_root.iterdir()) == [fresh.name, other.name]
