"""Reading a source file chunk by chunk: CSV, XLSX, GeoJSON, GeoPackage, Shapefile (or a
zipped Shapefile), whatever its Czech text encoding.

Every reader yields :class:`Chunk` objects so memory stays flat however long the file is
(XLSX tables are small and read whole). Raises ``SourceError`` for a missing, empty,
truncated or unreadable file, naming the file and the problem.
"""

from __future__ import annotations

import codecs
import contextlib
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from layers.sources.errors import SourceError

TABLE_SUFFIXES: Final = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES: Final = (".xlsx",)
VECTOR_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp", ".zip")
DEFAULT_CHUNK_ROWS: Final = 100_000
#: Bytes looked at to tell the encoding of a CSV or a Shapefile's .dbf.
ENCODING_SAMPLE: Final = 1 << 20


@dataclass
class Chunk:
    """Consecutive rows of a source: attributes (column names stripped), geometries (shapely,
    None for tables) and where each row is in the file ("line 7", "feature 3")."""

    frame: pd.DataFrame
    geometry: np.ndarray | None
    labels: list[str]


@dataclass
class Source:
    """An opened source file. ``crs`` is what the file declares (None for tables and for
    files without one); ``encoding`` the text encoding used ("" where the format fixes it)."""

    path: Path
    name: str
    kind: str  # "table" or "vector"
    crs: CRS | None
    encoding: str
    layer: str | None = None
    header_row: int = 0

    def chunks(self, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[Chunk]:
        """Yield the file's rows in chunks of at most ``chunk_rows``. Raises ``SourceError``."""
        if self.path.suffix.lower() in EXCEL_SUFFIXES:
            yield from self._excel()
        elif self.kind == "table":
            yield from self._csv(chunk_rows)
        else:
            yield from self._vector(chunk_rows)

    def _csv(self, chunk_rows: int) -> Iterator[Chunk]:
        first = 2  # the header is line 1
        try:
            reader = pd.read_csv(self.path, dtype=str, keep_default_na=False,
                                 encoding=self.encoding, sep=_separator(self.path, self.encoding),
                                 chunksize=chunk_rows)
            for frame in reader:
                frame.columns = [str(c).strip() for c in frame.columns]
                labels = [f"line {first + i}" for i in range(len(frame))]
                first += len(frame)
                yield Chunk(frame.reset_index(drop=True), None, labels)
        except pd.errors.EmptyDataError as exc:
            raise SourceError(self.path, "is empty (no header, no rows)") from exc
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SourceError(self.path, f"cannot be read as a {self.encoding} CSV, damaged or "
                                         f"truncated? ({exc})") from exc

    def _excel(self) -> Iterator[Chunk]:
        try:
            frame = pd.read_excel(self.path, dtype=str, header=self.header_row,
                                  engine="openpyxl").fillna("")
        except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
            raise SourceError(self.path, f"cannot be read as an XLSX workbook ({exc})") from exc
        frame.columns = [str(c).strip() for c in frame.columns]
        first = self.header_row + 2
        yield Chunk(frame, None, [f"row {first + i}" for i in range(len(frame))])

    def _vector(self, chunk_rows: int) -> Iterator[Chunk]:
        number = 1
        try:
            with pyogrio.open_arrow(self.path, layer=self.layer, encoding=self.encoding or None,
                                    batch_size=chunk_rows, use_pyarrow=True) as (meta, reader):
                geometry_name = meta["geometry_name"] or "wkb_geometry"
                for batch in reader:
                    table = pa.Table.from_batches([batch])
                    wkb = table.column(geometry_name).to_numpy(zero_copy_only=False)
                    frame = table.drop_columns([geometry_name]).to_pandas()
                    frame.columns = [str(c).strip() for c in frame.columns]
                    labels = [f"feature {number + i}" for i in range(len(frame))]
                    number += len(frame)
                    yield Chunk(frame, shapely.from_wkb(wkb, on_invalid="ignore"), labels)
        except (DataSourceError, DataLayerError, OSError, pa.ArrowException) as exc:
            raise SourceError(self.path, f"cannot be read as a vector file, damaged or "
                                         f"truncated? ({exc})") from exc


@contextlib.contextmanager
def open_source(path: Path | str, header_words: tuple[str, ...] = ()) -> Iterator[Source]:
    """Open ``path`` (a zipped Shapefile is unpacked into a temporary folder for the time of
    the ``with`` block). ``header_words``: column names that identify the header row of an
    XLSX sheet with title rows above it. Raises ``SourceError``.
    """
    file = Path(path)
    if not file.is_file():
        raise SourceError(file, "file not found")
    if file.stat().st_size == 0:
        raise SourceError(file, "is empty (0 bytes)")
    suffix = file.suffix.lower()
    if suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="mapa-ingest-") as folder:
            yield _vector_source(_unzip_shapefile(file, Path(folder)), file.name)
        return
    if suffix in EXCEL_SUFFIXES:
        yield Source(file, file.name, "table", None, "", header_row=_excel_header(
            file, header_words))
    elif suffix in VECTOR_SUFFIXES:
        yield _vector_source(file, file.name)
    elif suffix in TABLE_SUFFIXES:
        with open(file, "rb") as handle:
            sample = handle.read(ENCODING_SAMPLE)
        if not sample.strip(b"\xef\xbb\xbf \r\n\t"):
            raise SourceError(file, "is empty (no header, no rows)")
        yield Source(file, file.name, "table", None, detect_encoding(sample))
    else:
        raise SourceError(file, f"unknown file type {suffix!r}: use CSV, XLSX, GeoJSON, "
                                "GeoPackage, Shapefile or a zipped Shapefile")


def detect_encoding(sample: bytes) -> str:
    """The text encoding of ``sample``: "utf-8-sig", "utf-8", "cp1250" or "iso-8859-2".

    Hand-written on purpose: general detectors (charset-normalizer, chardet) confuse the two
    Czech 8-bit code pages on short samples, yet they differ in one simple way: bytes
    0x80–0x9F are letters (š, ť, ž, Š, Ť, Ž) in Windows-1250 and unused control codes in
    ISO-8859-2. Invalid UTF-8 with such bytes is Windows-1250, without them ISO-8859-2.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # the sample cut a character in two
    if any(0x80 <= byte <= 0x9F for byte in sample):
        return "cp1250"
    return "iso-8859-2"


def _separator(path: Path, encoding: str) -> str:
    """The CSV field separator: Czech spreadsheets often write ";" (the comma is decimal)."""
    with open(path, encoding=encoding, errors="replace") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _excel_header(path: Path, words: tuple[str, ...]) -> int:
    """Index of the first row holding one of ``words`` (title rows above the header)."""
    if not words:
        return 0
    try:
        top = pd.read_excel(path, header=None, nrows=30, dtype=str, engine="openpyxl")
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise SourceError(path, f"cannot be read as an XLSX workbook ({exc})") from exc
    wanted = {w.casefold() for w in words}
    for index, row in top.iterrows():
        if any(str(v).strip().casefold() in wanted for v in row.tolist()):
            return int(str(index))
    return 0


def _vector_source(file: Path, name: str) -> Source:
    try:
        layers = pyogrio.list_layers(file)
    except (DataSourceError, OSError) as exc:
        raise SourceError(name, f"cannot be read as a vector file, damaged or truncated? "
                                f"({exc})") from exc
    spatial = [str(layer) for layer, geometry in layers if geometry]
    if not spatial:
        raise SourceError(name, "holds no layer with geometries")
    layer = spatial[0]
    encoding = ""
    if file.suffix.lower() == ".shp" and not file.with_suffix(".cpg").is_file():
        encoding = _dbf_encoding(file.with_suffix(".dbf"))
    try:
        info = pyogrio.read_info(file, layer=layer, encoding=encoding or None)
    except (DataSourceError, DataLayerError) as exc:
        raise SourceError(name, f"cannot be read as a vector file ({exc})") from exc
    crs = CRS.from_user_input(info["crs"]) if info.get("crs") else None
    return Source(file, name, "vector", crs, encoding, layer=layer)


def _dbf_encoding(dbf: Path) -> str:
    """Encoding of a Shapefile's attributes without a .cpg file ("" for plain ASCII)."""
    if not dbf.is_file():
        return ""
    with open(dbf, "rb") as handle:
        head = handle.read(32)
        header_length = int.from_bytes(head[8:10], "little") if len(head) >= 10 else 32
        handle.seek(header_length)
        sample = handle.read(ENCODING_SAMPLE)
    if all(byte < 0x80 for byte in sample):
        return ""
    return detect_encoding(sample)


def _unzip_shapefile(archive: Path, folder: Path) -> Path:
    """Unpack the one Shapefile of ``archive`` into ``folder`` (names flattened, so no member
    can write outside it); return the .shp path."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                name = Path(member.filename).name
                if member.is_dir() or not name or name.startswith("."):
                    continue
                (folder / name).write_bytes(zipped.read(member))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(archive, f"is not a readable ZIP archive ({exc})") from exc
    shapes = sorted(folder.glob("*.shp"))
    if len(shapes) != 1:
        raise SourceError(archive, f"must hold exactly one Shapefile (.shp with .shx, .dbf, "
                                   f".prj), found {len(shapes)}")
    return shapes[0]
