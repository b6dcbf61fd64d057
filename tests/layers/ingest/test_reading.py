"""Reading: Czech text encodings, separators, zipped Shapefiles, empty and damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.ingest.reading import detect_encoding, open_source
from layers.sources.errors import SourceError
from tests.layers.ingest.conftest import FIXTURES

TEXT = "Šťastná Žižkova ulice, čtvrť Růžodol"


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xef\xbb\xbf" + TEXT.encode(), "utf-8-sig"),
    (TEXT.encode(), "utf-8"),
    (TEXT.encode("cp1250"), "cp1250"),
    (TEXT.encode("iso-8859-2"), "iso-8859-2"),
    (TEXT.encode()[:-1], "utf-8"),  # the sample cut "l" … fine; cut inside "ů" below
    ("Růž".encode()[:-1], "utf-8"),
])
def test_encodings(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected
    if expected != "utf-8" or data.endswith(TEXT.encode()[-3:]):
        assert data.decode(expected) == TEXT


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1250", "iso-8859-2"])
def test_csv_text_is_read_right_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(f"name;x\n{TEXT};1,5\n".encode(encoding))
    with open_source(path) as source:
        chunk = next(source.chunks())
    assert source.encoding == encoding
    assert chunk.frame["name"].tolist() == [TEXT] and chunk.labels == ["line 2"]


def test_shapefile_dbf_in_windows_1250_without_cpg() -> None:
    for path in (FIXTURES / "localities_5514_cp1250.zip",
                 FIXTURES / "shapefile_5514" / "lokality.shp"):
        with open_source(path) as source:
            chunk = next(source.chunks())
        assert source.encoding == "cp1250" and source.crs is not None
        assert source.crs.to_epsg() == 5514
        assert chunk.frame["nazev"].tolist() == ["Žižkova – ubytovna", "Luční"]


@pytest.mark.parametrize(("name", "message"), [
    ("empty.csv", "is empty"),
    ("truncated.geojson", "damaged or truncated"),
    ("missing.geojson", "file not found"),
])
def test_unreadable_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(SourceError, match=message), open_source(FIXTURES / name) as source:
        list(source.chunks())


def test_a_zip_without_one_shapefile_is_refused(tmp_path: Path) -> None:
    import zipfile
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.shp", b"x")
        zipped.writestr("b.shp", b"x")
    with pytest.raises(SourceError, match="exactly one Shapefile"), open_source(archive):
        pass
