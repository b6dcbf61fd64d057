"""Reader of open-data feeling-map exports (pocitové mapy), streamed and validated.

Format: ``../shared/geodata/samples/README.md`` — UTF-8 (with BOM), comma-separated, one placed
point per row: ``ID respondenta, Pocit, X, Y, Městský obvod, Komentář, Věk, Bydliště,
Bydliště MOb, Pohlaví``; X/Y are WGS 84 longitude/latitude.

Rows are read in chunks so memory stays flat however long the file is (only an 8-byte hash
per accepted row is kept, to find duplicates). Each row is accepted, repaired (swapped X/Y)
or rejected with its line number and reason. Comments are screened (``layers/screening.py``);
a held comment is kept for the moderator only. Personal attributes of the export (sex,
residence, respondent id) are not stored: data minimisation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.schema import PINS
from layers.screening import screen_comment
from layers.sources.errors import SourceError

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
                     ) -> Iterator[gpd.GeoDataFrame]:
    """Yield validated pins (PINS schema, EPSG:4326, status "pending") chunk by chunk.

    ``boundary`` is the town polygon in EPSG:4326; points outside it are rejected, points
    whose swapped coordinates fall inside are repaired. ``report`` is filled as rows are read;
    ``progress`` is called with the number of rows read so far.
    Raises ``SourceError`` when the file is missing, not a CSV, or lacks a required column.
    """
    if not path.is_file():
        raise SourceError(path, "file not found")
    shapely.prepare(boundary)
    seen_keys = np.empty(0, dtype=np.uint64)
    try:
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             chunksize=chunk_rows)
        first_line = 2
        for chunk in reader:
            missing = [c for c in REQUIRED_COLUMNS if c not in chunk.columns]
            if missing:
                raise SourceError(path, f"missing required columns {missing}; is this a "
                                        "feeling-map export?")
            pins, seen_keys = _validate_chunk(chunk, first_line, boundary, seen_keys, town_id,
                                              session_id, report)
            first_line += len(chunk)
            report.rows += len(chunk)
            if progress:
                progress(report.rows)
            if len(pins):
                yield pins
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot be read as a UTF-8 CSV ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise SourceError(path, "is empty") from exc


def _validate_chunk(chunk: pd.DataFrame, first_line: int, boundary: BaseGeometry,
                    seen_keys: np.ndarray, town_id: str, session_id: str,
                    report: ImportReport) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    lines = np.arange(first_line, first_line + len(chunk))
    x = _coordinates(chunk["X"])
    y = _coordinates(chunk["Y"])
    reason = np.full(len(chunk), "", dtype=object)

    no_coords = np.isnan(x) | np.isnan(y)
    reason[no_coords] = "missing coordinates"
    pocit = chunk["Pocit"].str.strip().to_numpy()
    known = np.isin(pocit, list(POCIT_TO_CATEGORY))
    unknown = ~known & (reason == "")
    reason[unknown] = [f"unknown category {p!r}" for p in pocit[unknown]]

    candidates = reason == ""
    inside = np.zeros(len(chunk), dtype=bool)
    inside[candidates] = shapely.contains_xy(boundary, x[candidates], y[candidates])
    swapped = np.zeros(len(chunk), dtype=bool)
    check = candidates & ~inside
    swapped[check] = shapely.contains_xy(boundary, y[check], x[check])
    x[swapped], y[swapped] = y[swapped], x[swapped].copy()
    reason[candidates & ~inside & ~swapped] = "outside the town boundary"

    respondent = (chunk["ID respondenta"] if "ID respondenta" in chunk.columns
                  else pd.Series("", index=chunk.index))
    keys = pd.util.hash_pandas_object(pd.DataFrame({
        "r": respondent.to_numpy(), "p": pocit, "x": np.round(x, 6), "y": np.round(y, 6)}),
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

    kept = chunk[ok]
    comments = (kept["Komentář"].str.strip() if "Komentář" in kept.columns
                else pd.Series("", index=kept.index))
    texts = comments.to_numpy(dtype=object)
    held = np.zeros(len(texts), dtype=bool)
    written = np.flatnonzero(texts != "")
    held[written] = [screen_comment(str(texts[i])).held for i in written]
    report.screened_comments += int(held.sum())
    report.imported += int(ok.sum())
    category, feeling = zip(*(POCIT_TO_CATEGORY[p] for p in pocit[ok]), strict=True) \
        if ok.any() else ((), ())
    ages = kept["Věk"].map(AGE_TO_GROUP) if "Věk" in kept.columns else None
    start = report.imported - int(ok.sum())
    frame = gpd.GeoDataFrame({
        "pin_id": [f"{session_id}-{start + i:07d}" for i in range(int(ok.sum()))],
        "town_id": town_id, "session_id": session_id,
        "category": list(category), "feeling": np.array(feeling, dtype="int64"),
        "seen": "", "time_of_day": "", "safety_action": "",
        "age_group": ages.fillna("").to_numpy() if ages is not None else "",
        "place_note": "", "status": "pending", "transcribed": False, "created_at": "",
        "synthetic": False, "comment": comments.to_numpy(), "comment_held": held,
        "source_value": pocit[ok], "moderation_note": "",
        "geometry": shapely.points(x[ok], y[ok]),
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
