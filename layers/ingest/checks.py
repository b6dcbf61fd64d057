"""Schema checks shared by the connectors: columns by name (Czech and English aliases),
numbers within ranges, dates, and duplicates across a whole streamed file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from layers.ingest.report import ValidationReport
from layers.sources.errors import SourceError
from layers.sources.feeling_map import _in_sorted

#: Column names that mean coordinates: (first, second, CRS the names imply or None).
COORDINATE_COLUMNS: Final = (
    ("lon", "lat", "EPSG:4326"), ("longitude", "latitude", "EPSG:4326"),
    ("lng", "lat", "EPSG:4326"), ("stop_lon", "stop_lat", "EPSG:4326"), ("x", "y", None),
    ("souradnice_x", "souradnice_y", None),
)


def _norm(name: str) -> str:
    table = str.maketrans("áčďéěíňóřšťúůýž", "acdeeinorstuuyz")
    return name.strip().casefold().translate(table).replace(" ", "_").replace("-", "_")


def find_columns(columns: list[str], wanted: Mapping[str, tuple[str, ...]],
                 required: tuple[str, ...], name: str) -> dict[str, str]:
    """Map our field names to the file's columns: ``wanted`` = field → accepted names
    (compared without case, accents and spaces). Raises ``SourceError`` naming the missing
    required fields and the columns the file has."""
    by_norm = {_norm(c): c for c in columns}
    found: dict[str, str] = {}
    for field, aliases in wanted.items():
        for alias in (field, *aliases):
            if _norm(alias) in by_norm:
                found[field] = by_norm[_norm(alias)]
                break
    missing = [f for f in required if f not in found]
    if missing:
        raise SourceError(name, f"missing required column(s) {', '.join(missing)} "
                                f"(the file has: {', '.join(columns) or 'none'})")
    return found


def coordinate_columns(columns: list[str]) -> tuple[str, str, str | None] | None:
    """The file's coordinate columns and the CRS their names imply, if it has any."""
    by_norm = {_norm(c): c for c in columns}
    for first, second, crs in COORDINATE_COLUMNS:
        if first in by_norm and second in by_norm:
            return by_norm[first], by_norm[second], crs
    return None


def text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """A column as stripped text ("" where missing or absent)."""
    if column is None:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), "")
    return values.astype(str).str.strip()


def numbers(values: pd.Series) -> np.ndarray:
    """Floats from text (decimal comma and spaces as thousands separators accepted)."""
    cleaned = values.astype(str).str.replace("\u00a0", "", regex=False).str.replace(
        " ", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, copy=True)


def range_problems(values: np.ndarray, low: float, high: float, what: str,
                   optional: bool = False, whole: bool = False) -> np.ndarray:
    """Per row: "" when ``values`` is a number in [low, high] (NaN allowed if ``optional``),
    else the reason."""
    reason = np.full(len(values), "", dtype=object)
    missing = np.isnan(values)
    if not optional:
        reason[missing] = f"{what} missing or not a number"
    bad = ~missing & ((values < low) | (values > high))
    if whole:
        bad |= ~missing & (np.floor(values) != values)
    reason[bad] = f"{what} must be {'a whole number ' if whole else ''}within {low:g}–{high:g}"
    return reason


def iso_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates as ISO "YYYY-MM-DD" text and a per-row reason ("" = fine). ISO (a time after
    the date is ignored) and Czech "d. m. yyyy" are read; an empty value is allowed."""
    raw = values.astype(str).str.strip()
    parsed = pd.to_datetime(raw.str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    czech = parsed.isna() & (raw != "")
    parsed[czech] = pd.to_datetime(raw[czech].str.replace(r"\s+", "", regex=True),
                                   errors="coerce", format="%d.%m.%Y")
    reason = np.where(parsed.isna() & (raw != ""), "not a date", "")
    return parsed.dt.strftime("%Y-%m-%d").fillna(""), reason


class Duplicates:
    """Finds repeated keys across the chunks of one file, keeping 8 bytes per row seen."""

    def __init__(self) -> None:
        self.seen = np.empty(0, dtype=np.uint64)

    def mark(self, keys: pd.DataFrame, candidates: np.ndarray) -> np.ndarray:
        """True for candidate rows whose ``keys`` row appeared before (in this file)."""
        hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
        repeated = np.zeros(len(hashes), dtype=bool)
        rows = np.flatnonzero(candidates)
        mine = hashes[rows]
        repeated[rows] = pd.Series(mine).duplicated().to_numpy() | _in_sorted(mine, self.seen)
        self.seen = np.sort(np.concatenate([self.seen, mine[~repeated[rows]]]))
        return repeated

    def reject(self, keys: pd.DataFrame, ok: np.ndarray, labels: Sequence[str],
               report: ValidationReport, reason: str) -> np.ndarray:
        """``ok`` without the rows :meth:`mark` finds repeated, each reported as rejected
        for ``reason`` under its label (file line or feature)."""
        repeated = self.mark(keys, ok)
        for i in np.flatnonzero(repeated):
            report.add("rejected", labels[int(i)], reason)
        return ok & ~repeated
