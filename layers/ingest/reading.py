"""Reading a source file chunk by chunk: CSV, XLSX, GeoJSON, GeoPackage, Shapefile (or a
zipped Shapefile), whatever its Czech text encoding.

Every reader yields :class:`Chunk` objects so memory stays flat however long the file is
(XLSX tables are small and read whole). Before a reader parses a file, its shape is checked
against :mod:`layers.limits` (``layers.ingest.precheck``); every chunk's cells and geometries
are checked too, before a connector validates them. Raises ``SourceError`` for a missing,
empty, truncated or unreadable file, naming the file and the problem, and ``LimitExceeded``
for a file over a limit.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import shutil
import tempfile
import warnings
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

from layers.ingest.precheck import (
    UNREADABLE_ZIP,
    check_text_table,
    check_xlsx,
    extract_member,
    zip_members,
)
from layers.limits import LIMITS, Limits, check
from layers.sources.errors import SourceError

TABLE_SUFFIXES: Final = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES: Final = (".xlsx",)
#: Vector formats: GeoJSON, GeoPackage, Shapefile (zipped too), KML (Google Earth, My Maps),
#: FlatGeobuf and GML.
VECTOR_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".fgb", ".gml")
#: OpenStreetMap extracts (XML or PBF), read by GDAL's OSM driver.
OSM_SUFFIXES: Final = (".osm", ".pbf")
OSM_LINES: Final = "lines"
#: The table of a GTFS feed (a zip) that an import of stops reads.
GTFS_STOPS: Final = "stops.txt"
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
    separator: str = ","
    limits: Limits = LIMITS

    def chunks(self, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[Chunk]:
        """Yield the file's rows in chunks of at most ``chunk_rows``, each checked against
        the cell and vertex limits. Raises ``SourceError`` or ``LimitExceeded``."""
        if self.path.suffix.lower() in EXCEL_SUFFIXES:
            chunks = self._excel()
        elif self.kind == "table":
            chunks = self._csv(chunk_rows)
        else:
            chunks = self._vector(chunk_rows)
        for chunk in chunks:
            check_chunk(chunk, self.limits, self.name)
            yield chunk

    def _csv(self, chunk_rows: int) -> Iterator[Chunk]:
        first = 2  # the header is line 1
        try:
            reader = pd.read_csv(self.path, dtype=str, keep_default_na=False,
                                 encoding=self.encoding, sep=self.separator,
                                 chunksize=chunk_rows)
            for frame in reader:
                frame.columns = [str(c).strip() for c in frame.columns]
                labels = [f"line {first + i}" for i in range(len(frame))]
                first += len(frame)
                yield Chunk(frame.reset_index(drop=True), None, labels)
        except pd.errors.EmptyDataError as exc:
            raise SourceError(self.name, "is empty (no header, no rows)") from exc
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise SourceError(self.name, f"cannot be read as a {self.encoding} CSV, damaged or "
                                         f"truncated? ({exc})") from exc

    def _excel(self) -> Iterator[Chunk]:
        try:
            frame = pd.read_excel(self.path, dtype=str, header=self.header_row,
                                  engine="openpyxl").fillna("")
        except (ValueError, KeyError, SyntaxError, *UNREADABLE_ZIP) as exc:
            raise SourceError(self.name, f"cannot be read as an XLSX workbook ({exc})") from exc
        frame.columns = [str(c).strip() for c in frame.columns]
        first = self.header_row + 2
        yield Chunk(frame, None, [f"row {first + i}" for i in range(len(frame))])

    def _vector(self, chunk_rows: int) -> Iterator[Chunk]:
        number = 1
        try:
            # only a Shapefile is read in its own encoding; others are (made) UTF-8
            encoding = self.encoding if self.path.suffix.lower() == ".shp" else ""
            with pyogrio.open_arrow(self.path, layer=self.layer, encoding=encoding or None,
                                    batch_size=chunk_rows, use_pyarrow=True) as (meta, reader):
                geometry_name = meta["geometry_name"] or "wkb_geometry"
                batches = iter(reader)
                while True:
                    # GDAL's and shapely's warnings about a feature (an unclosed ring, a NaN)
                    # would print beside the one-line answer; the checks report it per row
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        batch = next(batches, None)
                        if batch is None:
                            break
                        batch.validate(full=True)  # text that is not UTF-8 fails here
                        table = pa.Table.from_batches([batch])
                        wkb = table.column(geometry_name).to_numpy(zero_copy_only=False)
                        # KML and GML often carry heights (z = 0): the store keeps 2D
                        geometry = shapely.force_2d(shapely.from_wkb(wkb, on_invalid="ignore"))
                    frame = _dates_as_text(table.drop_columns([geometry_name]).to_pandas())
                    frame.columns = [str(c).strip() for c in frame.columns]
                    labels = [f"feature {number + i}" for i in range(len(frame))]
                    number += len(frame)
                    yield Chunk(frame, geometry, labels)
        except (DataSourceError, DataLayerError, OSError, pa.ArrowException) as exc:
            raise SourceError(self.name, f"cannot be read as a vector file, damaged or "
                                         f"truncated? ({exc})") from exc


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its date and date/time fields (GeoPackage, FlatGeobuf, KML, GML) as the
    ISO text a CSV would hold — ``2026-10-01``, or with the time when one is not midnight —
    since the checks read dates from text, whatever format brought them."""
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            midnight = (values.isna() | (values == values.dt.normalize())).all()
            text = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S")
            frame[column] = text.where(values.notna(), "")
        elif values.dtype == object and values.map(
                lambda v: isinstance(v, datetime.date)).any():
            frame[column] = values.map(
                lambda v: v.isoformat() if isinstance(v, datetime.date) else v)
    return frame


def require_file(path: Path, name: str | None = None) -> None:
    """Raise ``SourceError`` naming ``name`` (default: the file name) unless ``path`` is an
    existing regular file."""
    if path.is_dir():
        raise SourceError(name or path.name, "is a folder, not a file")
    if not path.is_file():
        raise SourceError(name or path.name, "file not found")


@contextlib.contextmanager
def open_source(path: Path | str, header_words: tuple[str, ...] = (),
                limits: Limits = LIMITS) -> Iterator[Source]:
    """Open ``path`` after checking its shape against ``limits``. A zipped Shapefile is
    unpacked, and a GeoJSON file in a Czech 8-bit encoding transcoded to UTF-8, into a
    temporary folder removed when the ``with`` block ends. ``header_words``: column names that
    identify the header row of an XLSX sheet with title rows above it. Raises ``SourceError``
    or ``LimitExceeded``.
    """
    file = Path(path)
    require_file(file)
    if file.stat().st_size == 0:
        raise SourceError(file.name, "is empty (0 bytes)")
    suffix = file.suffix.lower()
    if suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="mapa-ingest-") as folder:
            _unzip(file, Path(folder), limits)
            stops = Path(folder) / GTFS_STOPS
            if stops.is_file():  # a GTFS feed: its table of stops
                yield _table_source(stops, file.name, limits)
            else:
                yield _vector_source(_one_shapefile(Path(folder), file), file.name, limits)
        return
    if suffix in EXCEL_SUFFIXES:
        check_xlsx(file, limits, file.name)
        yield Source(file, file.name, "table", None, "", header_row=_excel_header(
            file, header_words), limits=limits)
    elif suffix in (".geojson", ".json"):
        with open(file, "rb") as handle:
            encoding = detect_encoding(handle.read(ENCODING_SAMPLE))
        if encoding.startswith("utf-8"):
            yield _vector_source(file, file.name, limits)
            return
        with tempfile.TemporaryDirectory(prefix="mapa-ingest-") as folder:
            utf8 = Path(folder) / f"{file.stem}.geojson"
            try:
                with open(file, encoding=encoding) as text, \
                        open(utf8, "w", encoding="utf-8") as out:
                    shutil.copyfileobj(text, out)  # streamed: GeoJSON is UTF-8 by definition
            except UnicodeDecodeError as exc:
                raise SourceError(file.name, f"is neither UTF-8 nor {encoding} text "
                                             f"({exc})") from exc
            source = _vector_source(utf8, file.name, limits)
            source.encoding = encoding
            yield source
    elif suffix in VECTOR_SUFFIXES:
        yield _vector_source(file, file.name, limits)
    elif suffix in OSM_SUFFIXES:  # GDAL's OSM driver: the ways are its "lines" layer
        yield _vector_source(file, file.name, limits, layer=OSM_LINES)
    elif suffix in TABLE_SUFFIXES:
        yield _table_source(file, file.name, limits)
    else:
        raise SourceError(file, f"unknown file type {suffix!r}: use CSV, XLSX, GeoJSON, "
                                "GeoPackage, Shapefile or a zipped Shapefile, KML, FlatGeobuf, "
                                "GML or an OpenStreetMap extract (.osm, .osm.pbf)")


def _table_source(file: Path, name: str, limits: Limits) -> Source:
    """A text table (CSV, GTFS .txt), its encoding told and its shape checked."""
    with open(file, "rb") as handle:
        sample = handle.read(ENCODING_SAMPLE)
    if not sample.strip(b"\xef\xbb\xbf \r\n\t"):
        raise SourceError(name, "is empty (no header, no rows)")
    shape = check_text_table(file, limits, name)
    return Source(file, name, "table", None, detect_encoding(sample),
                  separator=shape.separator.decode(), limits=limits)


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


def check_chunk(chunk: Chunk, limits: Limits, name: str) -> None:
    """Refuse a chunk with a text cell longer than ``limits.cell_chars`` or a geometry with
    more than ``limits.vertices`` vertices (``LimitExceeded`` naming the row)."""
    for column in chunk.frame.columns:
        values = chunk.frame[column]
        if values.dtype.kind not in "OSU" and not isinstance(values.dtype, pd.StringDtype):
            continue
        lengths = values.astype(str).str.len().to_numpy(dtype=float, na_value=0)
        if len(lengths) and lengths.max() > limits.cell_chars:
            at = int(np.argmax(lengths))
            check("cell_chars", int(lengths[at]), limits.cell_chars,
                  f"{name}, {chunk.labels[at]}, {column}")
    if chunk.geometry is not None and len(chunk.geometry):
        vertices = shapely.get_num_coordinates(chunk.geometry)
        at = int(np.argmax(vertices))
        check("vertices", int(vertices[at]), limits.vertices, f"{name}, {chunk.labels[at]}")


def _excel_header(path: Path, words: tuple[str, ...]) -> int:
    """Index of the first row holding one of ``words`` (title rows above the header)."""
    if not words:
        return 0
    try:
        top = pd.read_excel(path, header=None, nrows=30, dtype=str, engine="openpyxl")
    except (ValueError, KeyError, SyntaxError, *UNREADABLE_ZIP) as exc:
        raise SourceError(path.name, f"cannot be read as an XLSX workbook ({exc})") from exc
    wanted = {w.casefold() for w in words}
    for index, row in top.iterrows():
        if any(str(v).strip().casefold() in wanted for v in row.tolist()):
            return int(str(index))
    return 0


def _vector_source(file: Path, name: str, limits: Limits, layer: str | None = None
                   ) -> Source:
    """The file's ``layer`` (default: its first layer with geometries), its declared feature
    and field counts checked against ``limits`` (a count the driver does not know, -1, is
    checked chunk by chunk)."""
    try:
        layers = pyogrio.list_layers(file)
    except (DataSourceError, OSError) as exc:
        raise SourceError(name, f"cannot be read as a vector file, damaged or truncated? "
                                f"({exc})") from exc
    spatial = [str(found) for found, geometry in layers if geometry]
    if not spatial or (layer is not None and layer not in spatial):
        raise SourceError(name, "holds no layer with geometries" if layer is None
                          else f"holds no layer {layer!r}")
    layer = layer or spatial[0]
    encoding = ""
    if file.suffix.lower() == ".shp" and not file.with_suffix(".cpg").is_file():
        encoding = _dbf_encoding(file.with_suffix(".dbf"))
    try:
        info = pyogrio.read_info(file, layer=layer, encoding=encoding or None)
    except (DataSourceError, DataLayerError, UnicodeDecodeError) as exc:
        raise SourceError(name, f"cannot be read as a vector file ({exc})") from exc
    check("rows", int(info.get("features", -1)), limits.rows, name)
    check("columns", len(info.get("fields", ())), limits.columns, name)
    crs = CRS.from_user_input(info["crs"]) if info.get("crs") else None
    return Source(file, name, "vector", crs, encoding, layer=layer, limits=limits)


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


def _unzip(archive: Path, folder: Path, limits: Limits) -> None:
    """Unpack ``archive`` into ``folder`` (names flattened, so no member can write outside
    it), streamed within the archive limits."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zip_members(zipped, limits, archive.name):
                name = Path(member.filename).name
                if member.is_dir() or not name or name.startswith("."):
                    continue
                extract_member(zipped, member, folder / name, archive.name)
    except UNREADABLE_ZIP as exc:
        raise SourceError(archive.name, f"is not a readable ZIP archive ({exc})") from exc


def _one_shapefile(folder: Path, archive: Path) -> Path:
    """The .shp path of the one Shapefile unpacked from ``archive`` into ``folder``."""
    shapes = sorted(folder.glob("*.shp"))
    if len(shapes) != 1:
        raise SourceError(archive, f"must hold exactly one Shapefile (.shp with .shx, .dbf, "
                                   f".prj), found {len(shapes)}")
    return shapes[0]
