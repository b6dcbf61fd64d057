"""A file's shape checked against :mod:`layers.limits` before anything parses it.

Cheap passes over what a file declares or over its raw bytes, so the expensive readers
(GDAL, pandas, openpyxl) only ever see files they can handle:

- a ZIP: member count and declared decompressed size; unpacking is streamed and stops at
  the declared size (a member that lies about it is refused, not trusted);
- an XLSX (a ZIP of XML parts): every part's prolog has no DTD or entity declaration (an
  OOXML part never has one; they are how "billion laughs" expansion works), and each sheet's
  declared dimension and farthest cell reference stay within the row, column and cell limits;
- a text table: its line count, its header's column count and its longest line, in one
  streamed pass over the bytes.

Every function raises :class:`layers.limits.LimitExceeded` over a limit and
:class:`layers.sources.errors.SourceError` for a file that is not what its name says.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final
from xml.parsers import expat

import numpy as np

from layers.errors import InvalidInput
from layers.limits import LimitExceeded, Limits, check
from layers.sources.errors import SourceError

#: What reading a damaged ZIP raises: a bad header or CRC, a cut file, corrupt deflate data,
#: a compression method Python does not have.
UNREADABLE_ZIP: Final = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError)
#: Bytes read at a time by the streamed passes.
BLOCK: Final = 1 << 20
#: Most UTF-8 bytes one character takes: a line's byte budget from the character limits.
BYTES_PER_CHAR: Final = 4
_CELL_REF: Final = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def zip_members(archive: zipfile.ZipFile, limits: Limits, what: str) -> list[zipfile.ZipInfo]:
    """The members of ``archive``, checked: their number and their declared total size."""
    members = archive.infolist()
    check("archive_members", len(members), limits.archive_members, what)
    check("archive_bytes", sum(m.file_size for m in members), limits.archive_bytes, what)
    return members


def extract_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path,
                   what: str) -> None:
    """Copy ``member`` to ``target`` streamed, refusing it when it unpacks to more bytes than
    it declares (the declared sizes are what :func:`zip_members` checked)."""
    with archive.open(member) as source, open(target, "wb") as out:
        copied = _copy_capped(source, out, member.file_size)
    if copied > member.file_size:
        raise SourceError(what, f"member {member.filename!r} unpacks to more than the "
                                f"{member.file_size} bytes it declares; damaged or forged")


def _copy_capped(source: IO[bytes], out: IO[bytes], cap: int) -> int:
    """Copy at most ``cap`` + 1 bytes; return how many were copied (over ``cap``: it lied)."""
    copied = 0
    while copied <= cap:
        block = source.read(min(BLOCK, cap + 1 - copied))
        if not block:
            break
        out.write(block)
        copied += len(block)
    return copied


@dataclass(frozen=True)
class SheetExtent:
    """How far a worksheet reaches: the highest row and column any cell or its declared
    dimension names (1-based)."""

    rows: int
    columns: int


def check_xlsx(path: Path, limits: Limits, what: str) -> list[SheetExtent]:
    """Check an XLSX workbook before openpyxl opens it; return each sheet's extent.

    Refuses (``LimitExceeded``) too many or too large members and a sheet over the row, column
    or cell limits; refuses (``SourceError``) a file that is not a ZIP, a part that is not XML
    or one with a DTD or entity declaration (code ``source.xml_declarations``).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = zip_members(archive, limits, what)
            extents = []
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                sheet = member.filename.startswith("xl/worksheets/")
                with archive.open(member) as stream:
                    extent = _scan_part(stream, member, sheet, what)
                if extent is not None:
                    extents.append(extent)
                    check("rows", extent.rows, limits.rows, what)
                    check("columns", extent.columns, limits.columns, what)
                    check("sheet_cells", extent.rows * extent.columns, limits.sheet_cells, what)
            return extents
    except UNREADABLE_ZIP as exc:
        raise SourceError(what, f"is not a readable XLSX workbook ({exc})") from exc


class _PrologDone(Exception):
    """Raised by the parser's handler at a part's first element when only its prolog matters."""


def _scan_part(stream: IO[bytes], member: zipfile.ZipInfo, sheet: bool,
               what: str) -> SheetExtent | None:
    """Parse one XML part with expat: refuse a DTD; for a sheet, find its extent.

    Other parts are read only up to their first element (a DTD must come before it). The
    stream is read at most to the member's declared size (plus one block, to notice a lie).
    """
    parser = expat.ParserCreate()
    found = {"rows": 0, "columns": 0}
    row_cells = {"row": 0, "column": 0}

    def doctype(*_: object) -> None:
        raise InvalidInput("source.xml_declarations", what=what, part=member.filename)

    def start(name: str, attrs: dict[str, str]) -> None:
        if not sheet:
            raise _PrologDone
        local = name.rsplit(":", 1)[-1]
        if local == "dimension" and "ref" in attrs:
            for ref in attrs["ref"].split(":"):
                _reach(found, ref)
        elif local == "row":
            row_cells["row"] = int(attrs.get("r") or row_cells["row"] + 1)
            row_cells["column"] = 0
            found["rows"] = max(found["rows"], row_cells["row"])
        elif local == "c":
            row_cells["column"] += 1
            if not _reach(found, attrs.get("r", "")):
                found["columns"] = max(found["columns"], row_cells["column"])

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    read = 0
    try:
        while True:
            block = stream.read(BLOCK)
            read += len(block)
            if read > member.file_size + BLOCK:
                raise SourceError(what, f"part {member.filename!r} unpacks to more than it "
                                        "declares; damaged or forged")
            parser.Parse(block, not block)
            if not block:
                break
    except _PrologDone:
        return None
    except expat.ExpatError as exc:
        raise SourceError(what, f"part {member.filename!r} is not well-formed XML "
                                f"({exc})") from exc
    return SheetExtent(found["rows"], found["columns"]) if sheet else None


def _reach(found: dict[str, int], ref: str) -> bool:
    """Widen ``found`` to cell reference ``ref`` ("XFD1048576"); False when it is not one."""
    match = _CELL_REF.fullmatch(ref.strip())
    if not match:
        return False
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - ord("A") + 1
    found["rows"] = max(found["rows"], int(match.group(2)))
    found["columns"] = max(found["columns"], column)
    return True


@dataclass(frozen=True)
class TextShape:
    """What one pass over a text table's bytes found: its field separator, its data rows
    (lines after the header; a quoted field with a line break counts twice, so this is an
    upper bound) and its longest line in bytes and where it is."""

    separator: bytes
    rows: int
    longest: int
    longest_line: int


def check_text_table(path: Path, limits: Limits, what: str,
                     separator: bytes | None = None) -> TextShape:
    """Check a CSV-like table before pandas parses it: rows, header columns (split at
    ``separator``, or the most frequent of ``,``, ``;`` and tab), and no line longer than its
    columns of at most ``limits.cell_chars`` characters can be (``limit.line_bytes``)."""
    header_cap = limits.columns * (BYTES_PER_CHAR * limits.cell_chars + 3)
    lines = longest = longest_line = 0
    header = bytearray()
    start = 0  # offset of the current line's start
    offset = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10) + offset
            if lines == 0:
                header += block[: (int(ends[0]) - offset) if len(ends) else len(block)]
                if len(header) > header_cap:
                    _refuse_header(bytes(header), header_cap, limits, what)
            if len(ends):
                lengths = np.diff(np.concatenate(([start - 1], ends))) - 1
                at = int(np.argmax(lengths))
                if lengths[at] > longest:
                    longest, longest_line = int(lengths[at]), lines + at + 1
                lines += len(ends)
                start = int(ends[-1]) + 1
            offset += len(block)
            last = block[-1:]
    if last != b"\n":  # a last line without a line end
        lines += 1
        if offset - start > longest:
            longest, longest_line = offset - start, lines
    text = bytes(header).rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")
    # Czech spreadsheets often write ";" (the comma is decimal); the three separators are
    # ASCII in every encoding read here, so they are counted in bytes
    sep = separator or max((b",", b";", b"\t"), key=text.count)
    columns = text.count(sep) + 1
    check("columns", columns, limits.columns, what)
    check("rows", max(lines - 1, 0), limits.rows, what)
    line_cap = columns * (BYTES_PER_CHAR * limits.cell_chars + 3) + 2
    if longest > line_cap:
        raise LimitExceeded("limit.line_bytes", what=what, line=longest_line, value=longest,
                            limit=line_cap, cell=limits.cell_chars)
    return TextShape(sep, max(lines - 1, 0), longest, longest_line)


def _refuse_header(header: bytes, cap: int, limits: Limits, what: str) -> None:
    """Refuse a header line longer than ``cap``, what at most ``limits.columns`` columns of at
    most ``limits.cell_chars`` characters take (read so far: ``header``)."""
    columns = max(header.count(sep) for sep in (b",", b";", b"\t")) + 1
    check("columns", columns, limits.columns, what)
    raise LimitExceeded("limit.line_bytes", what=what, line=1, value=len(header), limit=cap,
                        cell=limits.cell_chars)
