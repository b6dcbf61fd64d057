"""Schema checks shared by the connectors: columns by name (Czech and English aliases),
numbers within ranges, dates, and duplicates across a whole streamed file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from layers.catalogue.entries import codes_in
from layers.catalogue.text import fold
from layers.ingest.report import ValidationReport
from layers.sources.errors import SourceError
from layers.sources.feeling_map import _in_sorted
from layers.vocabulary import Vocabulary

#: Column names that mean coordinates: (first, second, CRS the names imply or None).
COORDINATE_COLUMNS: Final = (
    ("lon", "lat", "EPSG:4326"), ("longitude", "latitude", "EPSG:4326"),
    ("lng", "lat", "EPSG:4326"), ("stop_lon", "stop_lat", "EPSG:4326"),
    ("zemepisna_delka", "zemepisna_sirka", "EPSG:4326"),
    ("x", "y", None), ("souradnice_x", "souradnice_y", None),
)
#: Column names of geometries written as WKT text (a polygon in a spreadsheet).
WKT_COLUMNS: Final = ("wkt", "geometrie_wkt", "geometry_wkt", "geometrie")


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


def wkt_column(columns: list[str]) -> str | None:
    """The table's column of WKT geometries, if it has one."""
    by_norm = {_norm(c): c for c in columns}
    return next((by_norm[name] for name in WKT_COLUMNS if name in by_norm), None)


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


def term_code(vocabulary: Vocabulary[str], value: str) -> str:
    """The code of the term ``value`` names as people write it, "" when none does.

    First a whole match of the code, either label or a synonym, ignoring case, diacritics and
    spacing ("NZDM", "komunitní centrum", "Community centre"); then the first term whose label
    or synonym occurs in it ("Nízkoprahové zařízení Kotelna" → ``nzdm``).
    """
    folded = fold(value)
    if not folded:
        return ""
    for term in vocabulary.terms:
        if folded in {fold(word) for word in (term.code, term.cs, term.en, *term.synonyms)}:
            return term.code
    found = codes_in(value, vocabulary.terms)
    return found[0] if found else ""


def accepted_terms(vocabulary: Vocabulary[str]) -> str:
    """The values an import accepts for ``vocabulary``, as a message lists them: each term's
    Czech label and code ("Komunitní centrum (community_centre), …")."""
    return ", ".join(f"{term.cs} ({term.code})" for term in vocabulary.terms)


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
    the date is ignored; also "YYYY/MM/DD", as GDAL writes a date into KML or GML text) and
    Czech "d. m. yyyy" are read; an empty value is allowed."""
    raw = values.astype(str).str.strip()
    parsed = pd.to_datetime(raw.str.slice(0, 10).str.replace("/", "-"), errors="coerce",
                            format="%Y-%m-%d")
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
