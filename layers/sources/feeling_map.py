"""Reader of feeling-map answers (pocitové mapy), streamed and validated.

Two formats: open-data feeling-map exports of Czech cities, and this project's own pin export
(``layers.mapping.export``: CSV with lon/lat, GeoJSON or GeoPackage), so pins move between
stores and towns.

Open-data format (``../shared/geodata/samples/README.md``): UTF-8 (with BOM), comma-separated,
one placed point per row: ``ID respondenta, Pocit, X, Y, Městský obvod, Komentář, Věk, Bydliště,
Bydliště MOb, Pohlaví``; X/Y are WGS 84 longitude/latitude.

Rows are read in chunks so memory stays flat however long the file is (only an 8-byte hash
per accepted row is kept, to find duplicates). Each row is accepted, repaired (swapped X/Y)
or rejected with its line number and reason. Comments are screened (``layers/screening.py``);
a held comment is kept for the moderator only. Personal attributes of the export (sex,
residence, respondent id) are not stored: data minimisation.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.errors import InvalidInput
from layers.ingest.precheck import check_text_table
from layers.ingest.reading import Chunk, check_chunk, require_file
from layers.limits import LIMITS, Limits, check
from layers.messages import render
from layers.schema import (
    AGE_GROUPS,
    FEELINGS,
    PIN_CATEGORIES,
    PINS,
    SAFETY_ACTIONS,
    SEEN,
    TIMES_OF_DAY,
)
from layers.screening import screen_comment
from layers.sources.errors import SourceError
from layers.vocabulary import EXPORT_COLUMN, EXPORT_LABELS

#: The export's answer → (our category, feeling 1–5). The original value is kept.
POCIT_TO_CATEGORY: Final = {
    "Místo, kde se necítím dobře": ("other", 2),
    "Místo, kde se cítím dobře": ("feel_good", 5),
    "Místo, které by se mělo rozvíjet": ("develop", 3),
    "Místo, které doporučím návštěvníkům": ("feel_good", 5),
}
#: The export's age bands → ours (approximate at the edges; the original is kept).
AGE_TO_GROUP: Final = {"0-14": "6-12", "15-24": "13-18", "25-34": "adults", "35-44": "adults",
                       "45-54": "adults", "55-64": "adults", "65+": "seniors"}
REQUIRED_COLUMNS: Final = ("Pocit", "X", "Y")
#: The least a CSV pin export of this project (``layers.mapping.export``) carries.
EXPORT_COLUMNS: Final = ("lon", "lat", "category", "feeling")
VECTOR_SUFFIXES: Final = (".geojson", ".json", ".gpkg", ".kml", ".fgb")
TABLE_SUFFIXES: Final = (".csv", ".txt")
DEFAULT_CHUNK_ROWS: Final = 100_000


@dataclass(frozen=True)
class RowIssue:
    """A rejected or repaired row: its line in the file (header is line 1) and the reason."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did, row by row; ``as_json`` is the CLI's JSON shape."""

    rows: int = 0
    imported: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    repaired: list[RowIssue] = field(default_factory=list)
    screened_comments: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported,
                "rejected": [{"line": i.line, "reason": i.reason} for i in self.rejected],
                "repaired": [{"line": i.line, "reason": i.reason} for i in self.repaired],
                "screened_comments": self.screened_comments}


def iter_feeling_map(path: Path, *, town_id: str, boundary: BaseGeometry, session_id: str,
                     report: ImportReport, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                     progress: Callable[[int], None] | None = None,
                     limits: Limits = LIMITS) -> Iterator[gpd.GeoDataFrame]:
    """Yield validated pins (PINS schema, EPSG:4326, status "pending") chunk by chunk.

    Reads an open-data feeling-map export (CSV, see the module docstring) or this project's
    own pin export (CSV with lon/lat, GeoJSON or GeoPackage; see ``layers.mapping.export``;
    aggregated cells of a public export are not pins and are rejected as such).
    ``boundary`` is the town polygon in EPSG:4326; points outside it are rejected, points
    whose swapped coordinates fall inside are repaired. ``report`` is filled as rows are read;
    ``progress`` is called with the number of rows read so far. A row whose comment is over
    ``limits.comment_chars`` is rejected (it is not screened); the file is checked against
    the other ``limits`` before it is parsed.
    Raises ``SourceError`` when the file is missing, unreadable, or in neither format,
    ``InvalidInput`` (code ``source.feeling_map_type``) for another kind of file and
    ``LimitExceeded`` for a file over a limit.
    """
    check_feeling_map_file(path)
    shapely.prepare(boundary)
    seen_keys = np.empty(0, dtype=np.uint64)
    first_line = 2
    for answers in _read_answers(path, chunk_rows, limits):
        pins, seen_keys = _validate(answers, first_line, boundary, seen_keys, town_id,
                                    session_id, report, limits)
        first_line += len(answers)
        report.rows += len(answers)
        if progress:
            progress(report.rows)
        if len(pins):
            yield pins


#: Columns of a normalised chunk: coordinates, answer fields and why a row is unusable.
_ANSWER_COLUMNS: Final = ("x", "y", "category", "feeling", "seen", "time_of_day",
                          "safety_action", "age_group", "comment", "source_value", "key",
                          "problem")


def check_feeling_map_file(path: Path) -> None:
    """Refuse what cannot be a feeling map before reading it: a missing file or a folder
    (``SourceError``), another kind of file (``InvalidInput``: pandas would otherwise unpack a
    ZIP's first member and read it as the CSV)."""
    require_file(path)
    suffix = path.suffix.lower()
    if suffix not in (*VECTOR_SUFFIXES, *TABLE_SUFFIXES):
        raise InvalidInput("source.feeling_map_type", what=path.name, suffix=suffix or "?")


def _read_answers(path: Path, chunk_rows: int, limits: Limits) -> Iterator[pd.DataFrame]:
    """Chunks of ``path`` normalised to ``_ANSWER_COLUMNS``, whichever format it is in,
    each checked against the cell limit."""
    if path.suffix.lower() in VECTOR_SUFFIXES:
        yield from _read_vector_export(path, chunk_rows, limits)
        return
    separator = _separator(path)
    check_text_table(path, limits, path.name, separator=separator.encode())
    first = 2
    try:
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             chunksize=chunk_rows, compression=None, sep=separator)
        for chunk in reader:
            check_chunk(Chunk(chunk, None, [f"line {first + i}" for i in range(len(chunk))]),
                        limits, path.name)
            first += len(chunk)
            chunk = _codes_from_czech_table(chunk)
            if all(c in chunk.columns for c in REQUIRED_COLUMNS):
                yield _from_feeling_map(chunk)
            elif all(c in chunk.columns for c in EXPORT_COLUMNS):
                yield _from_export(chunk, _coordinates(chunk["lon"]), _coordinates(chunk["lat"]))
            else:
                raise SourceError(path, f"missing required columns: a feeling-map export needs "
                                        f"{list(REQUIRED_COLUMNS)}, a pin export "
                                        f"{list(EXPORT_COLUMNS)}")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot be read as a UTF-8 CSV ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise SourceError(path, "is empty") from exc


def _separator(path: Path) -> str:
    """``;`` for a CSV written for Czech Excel (``layers.mapping.export``), else ``,``."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _codes_from_czech_table(chunk: pd.DataFrame) -> pd.DataFrame:
    """Our own CSV for Czech Excel (Czech headers and labels, no ids) as a pin export with
    codes; any other table as it is. Its rows have no pin id: a row's position and answer
    stand in for one (``pin_id``), so the duplicate check still tells rows apart."""
    headers = {EXPORT_COLUMN.label(code, "cs"): code for code in EXPORT_COLUMN.codes}
    if not {"lon", "lat", "category"} <= {headers.get(c, "") for c in chunk.columns}:
        return chunk
    table = chunk.rename(columns=headers)
    for column, vocabulary in EXPORT_LABELS.items():
        if column in table:
            codes = {term.cs: str(term.code) for term in vocabulary.terms}
            table[column] = table[column].map(lambda v, c=codes: c.get(v, v))
    table["pin_id"] = (table["lon"] + " " + table["lat"] + " " + table["category"] + " "
                       + _column(table, "created_at"))
    return table


def _read_vector_export(path: Path, chunk_rows: int, limits: Limits
                        ) -> Iterator[pd.DataFrame]:
    """Our own GeoJSON/GeoPackage export, read in chunks (the ``pins`` layer of a GPKG)."""
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        if not layers:
            raise SourceError(path.name, "holds no layer")
        layer = "pins" if "pins" in layers else layers[0]
        info = pyogrio.read_info(path, layer=layer)
        total = int(info["features"])
        check("rows", total, limits.rows, path.name)
        check("columns", len(info["fields"]), limits.columns, path.name)
        for start in range(0, total, chunk_rows):
            with warnings.catch_warnings():  # a bad feature is reported as a row
                warnings.simplefilter("ignore", RuntimeWarning)
                frame = pyogrio.read_dataframe(path, layer=layer, skip_features=start,
                                               max_features=chunk_rows)
            check_chunk(Chunk(pd.DataFrame(frame.drop(columns="geometry", errors="ignore")),
                              frame.geometry.to_numpy() if "geometry" in frame else None,
                              [f"feature {start + 1 + i}" for i in range(len(frame))]),
                        limits, path.name)
            missing = [c for c in ("category", "feeling") if c not in frame.columns]
            if missing:
                raise SourceError(path, f"missing required columns {missing}")
            if frame.crs is None:
                raise SourceError(path, "has no coordinate reference system")
            frame = frame.to_crs(STORAGE_CRS)
            points = frame.geometry.geom_type == "Point"
            x = np.where(points, frame.geometry.x.where(points), np.nan)
            y = np.where(points, frame.geometry.y.where(points), np.nan)
            yield _from_export(pd.DataFrame(frame.drop(columns="geometry")).astype(str)
                               .replace({"None": "", "nan": ""}), x, y)
    except (DataSourceError, DataLayerError, UnicodeDecodeError) as exc:
        raise SourceError(path.name, f"cannot be read as a UTF-8 vector file ({exc})") from exc


def _from_feeling_map(chunk: pd.DataFrame) -> pd.DataFrame:
    pocit = chunk["Pocit"].str.strip()
    mapped = pocit.map(POCIT_TO_CATEGORY)
    known = mapped.notna()
    return pd.DataFrame({
        "x": _coordinates(chunk["X"]), "y": _coordinates(chunk["Y"]),
        "category": [m[0] if isinstance(m, tuple) else "" for m in mapped],
        "feeling": [m[1] if isinstance(m, tuple) else 0 for m in mapped],
        "seen": "", "time_of_day": "", "safety_action": "",
        "age_group": (chunk["Věk"].map(AGE_TO_GROUP).fillna("") if "Věk" in chunk.columns
                      else ""),
        "comment": _column(chunk, "Komentář"), "source_value": pocit,
        "key": _column(chunk, "ID respondenta") + "|" + pocit,
        "problem": np.where(known, "", "unknown category '" + pocit + "'"),
    }, index=chunk.index)


def _from_export(table: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    category = _column(table, "category").str.strip()
    feeling = pd.to_numeric(_column(table, "feeling"), errors="coerce")
    problem = np.where(~category.isin(PIN_CATEGORIES), "unknown category '" + category + "'",
                       np.where(~feeling.isin(FEELINGS), "feeling must be 1–5", ""))
    problem = np.where(_column(table, "kind") == "cell",
                       "an aggregated cell of a public export, not a pin", problem)
    return pd.DataFrame({
        "x": x, "y": y, "category": category, "feeling": feeling.fillna(0).astype("int64"),
        "seen": _vocabulary(table, "seen", SEEN), "time_of_day": _vocabulary(
            table, "time_of_day", TIMES_OF_DAY),
        "safety_action": _vocabulary(table, "safety_action", SAFETY_ACTIONS),
        "age_group": _vocabulary(table, "age_group", AGE_GROUPS),
        "comment": _column(table, "comment"), "source_value": _column(table, "pin_id"),
        "key": _column(table, "pin_id") + "|" + category, "problem": problem,
    }, index=table.index)


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    if name not in table.columns:
        return pd.Series("", index=table.index, dtype=object)
    return table[name].fillna("").astype(str)


def _vocabulary(table: pd.DataFrame, name: str, allowed: tuple[str, ...]) -> pd.Series:
    """A vocabulary column; a value outside the vocabulary becomes empty (not an error)."""
    values = _column(table, name).str.strip()
    return values.where(values.isin(allowed), "")


def _validate(answers: pd.DataFrame, first_line: int, boundary: BaseGeometry,
              seen_keys: np.ndarray, town_id: str, session_id: str,
              report: ImportReport, limits: Limits) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    lines = np.arange(first_line, first_line + len(answers))
    x = answers["x"].to_numpy(dtype=float, copy=True)
    y = answers["y"].to_numpy(dtype=float, copy=True)
    reason = np.full(len(answers), "", dtype=object)
    reason[~(np.isfinite(x) & np.isfinite(y))] = "missing coordinates"
    lengths = answers["comment"].str.strip().str.len().to_numpy()
    for at in np.flatnonzero(lengths > limits.comment_chars):
        reason[at] = render("limit.comment_chars", {
            "what": f"line {lines[at]}", "value": int(lengths[at]),
            "limit": limits.comment_chars}, "en")
    problem = answers["problem"].to_numpy(dtype=object)
    flagged = (problem != "") & (reason == "")
    reason[flagged] = problem[flagged]

    candidates = reason == ""
    inside = np.zeros(len(answers), dtype=bool)
    inside[candidates] = shapely.contains_xy(boundary, x[candidates], y[candidates])
    swapped = np.zeros(len(answers), dtype=bool)
    check = candidates & ~inside
    swapped[check] = shapely.contains_xy(boundary, y[check], x[check])
    x[swapped], y[swapped] = y[swapped], x[swapped].copy()
    reason[candidates & ~inside & ~swapped] = "outside the town boundary"

    keys = pd.util.hash_pandas_object(pd.DataFrame({
        "k": answers["key"].to_numpy(), "x": np.round(x, 6), "y": np.round(y, 6)}),
        index=False).to_numpy()
    ok = reason == ""
    duplicate = ok & (pd.Series(keys).duplicated().to_numpy() | _in_sorted(keys, seen_keys))
    reason[duplicate] = "duplicate of an earlier row"
    ok = reason == ""

    report.rejected.extend(RowIssue(int(line), str(why))
                           for line, why in zip(lines[~ok], reason[~ok], strict=True))
    report.repaired.extend(RowIssue(int(line), "swapped X/Y (longitude/latitude) corrected")
                           for line in lines[ok & swapped])
    seen_keys = np.sort(np.concatenate([seen_keys, keys[ok]]))

    kept = answers[ok]
    texts = kept["comment"].str.strip().to_numpy(dtype=object)
    held = np.zeros(len(texts), dtype=bool)
    written = np.flatnonzero(texts != "")
    held[written] = [screen_comment(str(texts[i]), limits.comment_chars).held
                     for i in written]
    report.screened_comments += int(held.sum())
    start = report.imported
    report.imported += len(kept)
    frame = gpd.GeoDataFrame({
        "pin_id": [f"{session_id}-{start + i:07d}" for i in range(len(kept))],
        "town_id": town_id, "session_id": session_id,
        "category": kept["category"].to_numpy(),
        "feeling": kept["feeling"].to_numpy(dtype="int64"),
        "seen": kept["seen"].to_numpy(), "time_of_day": kept["time_of_day"].to_numpy(),
        "safety_action": kept["safety_action"].to_numpy(),
        "age_group": kept["age_group"].to_numpy(), "place_note": "", "status": "pending",
        "transcribed": False, "created_at": "", "synthetic": False, "comment": texts,
        "comment_held": held, "source_value": kept["source_value"].to_numpy(),
        "moderation_note": "", "geometry": shapely.points(x[ok], y[ok]),
    }, geometry="geometry", crs=STORAGE_CRS)
    return frame[[*PINS.columns, "geometry"]], seen_keys


def _in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Membership of ``values`` in the sorted array ``sorted_keys`` (binary search).

    numpy's ``isin``/``union1d`` re-hash the whole growing key set on every chunk, which made
    a 1 M-row import quadratic; a merge-sorted array and ``searchsorted`` keep it n log n.
    """
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def _coordinates(values: pd.Series) -> np.ndarray:
    """Floats from text (decimal comma accepted); NaN where not a number. A writable copy."""
    numbers = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
    return numbers.to_numpy(dtype=float, copy=True)
