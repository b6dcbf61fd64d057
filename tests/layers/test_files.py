"""Files written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.files import atomic_output


def test_a_finished_file_replaces_the_old_one_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "export.gpkg"
    with atomic_output(out) as tmp:
        assert tmp.parent == out.parent and not tmp.exists()
        tmp.write_text("new")
        (tmp.parent / f"{tmp.name}-journal").write_text("side file")
    assert out.read_text() == "new"
    assert [p.name for p in out.parent.iterdir()] == ["export.gpkg"]


def test_a_failed_write_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "export.gpkg"
    out.write_text("old")
    with pytest.raises(RuntimeError, match="broken"), atomic_output(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("broken input")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.gpkg"]
