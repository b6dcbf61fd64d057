"""A new edition of the social-exclusion index table (MMR), CSV or the ministry's XLSX →
``exclusion_index``, one row per municipality joined on its RÚIAN code (``kod_obec``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import numpy as np
import pandas as pd

from layers.exclusion import band_from_ministry_label, band_of
from layers.ingest.checks import Duplicates, find_columns, numbers, range_problems, text
from layers.ingest.pipeline import Connector, ImportContext
from layers.ingest.reading import Source
from layers.schema import EXCLUSION_INDEX, LayerSpec
from layers.sources.errors import SourceError
from layers.store import Store
from layers.store.base import RowMatch

FIELDS: Final = {
    "kod_obec": ("kod_obce", "kód obce", "kod", "obec_kod"),
    "name": ("nazev_obce", "název obce", "obec", "nazev"),
    "isv": ("isv_2023_body_0_30", "points", "body"),
    "category": ("isv_2023_kategorie", "kategorie"),
    "population_15": ("obyv_15plus_2023",),
}
#: Words of the header row of the ministry's workbook (title rows sit above it).
HEADER_WORDS: Final = ("Kód obce", "kod_obce", "kod_obec")


def _ministry_columns(columns: list[str]) -> dict[str, str]:
    """The MMR workbook's long column names ("Index soc. vyloučení 2023 (0-30 bodů)", …)."""
    found: dict[str, str] = {}
    for column in columns:
        low = column.casefold()
        if low.startswith("index soc") and "bod" in low:
            found.setdefault("isv", column)
        elif low.startswith("index soc") and "kategor" in low:
            found.setdefault("category", column)
        elif "starších 15" in low or "15+" in low:
            found.setdefault("population_15", column)
    return found


def connector(store: Store) -> Connector:
    """The exclusion-index connector: (municipality, year) pairs already stored are
    rejected, so an edition is imported once."""

    def connect(source: Source, ctx: ImportContext, chunk_rows: int
                ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        if source.kind != "table":
            raise SourceError(source.name, "the exclusion index is a table (CSV or XLSX)")
        stored = (store.read(EXCLUSION_INDEX) if EXCLUSION_INDEX.name in
                  store.layer_names() else pd.DataFrame(columns=["kod_obec", "year"]))
        known = set(zip(stored["kod_obec"].astype(str), stored["year"].astype(int),
                        strict=True))
        ctx.undo.append(RowMatch(EXCLUSION_INDEX.name, equals={"batch_id": ctx.batch_id}))
        duplicates = Duplicates()
        report = ctx.report
        for chunk in source.chunks(chunk_rows):
            report.rows += len(chunk.frame)
            frame = chunk.frame
            columns = {**_ministry_columns(list(frame.columns)),
                       **find_columns(list(frame.columns), FIELDS, (), source.name)}
            missing = [f for f in ("kod_obec", "isv") if f not in columns]
            if missing:
                raise SourceError(source.name, f"missing column(s) {', '.join(missing)} (the "
                                               f"file has: {', '.join(frame.columns)})")
            year = ctx.year or _year(columns["isv"])
            if year is None:
                raise SourceError(source.name, "cannot tell the edition's year; give --year")
            codes = text(frame, columns["kod_obec"]).str.replace(r"\.0$", "", regex=True)
            points = numbers(text(frame, columns["isv"]))
            reason = np.where(~codes.str.fullmatch(r"\d{6}").to_numpy(dtype=bool),
                              "municipality code (RÚIAN) must have 6 digits", "")
            reason = np.where(reason == "", range_problems(points, 0, 30, "index"), reason)
            bands = np.array([band_of(p) if 0 <= p <= 30 else "" for p in
                              np.nan_to_num(points, nan=-1)], dtype=object)
            if "category" in columns:
                labels = text(frame, columns["category"])
                stated = np.array([_band_or_blank(v) for v in labels], dtype=object)
                reason = np.where((reason == "") & (stated != "") & (stated != bands),
                                  "category does not match the points", reason)
            ok = reason == ""
            for i in np.flatnonzero(~ok):
                report.add("rejected", chunk.labels[i], str(reason[i]))
            stored_row = ok & np.array([(c, year) in known for c in codes], dtype=bool)
            for i in np.flatnonzero(stored_row):
                report.add("rejected", chunk.labels[i], f"{year} value already stored")
            ok &= ~stored_row
            ok = duplicates.reject(pd.DataFrame({"c": codes.to_numpy()}), ok, chunk.labels, report,
                                   "municipality repeated in the file")
            if not ok.any():
                continue
            population = numbers(text(frame, columns.get("population_15")))
            yield EXCLUSION_INDEX, pd.DataFrame({
                "kod_obec": codes[ok].to_numpy(), "name": text(frame, columns.get("name"))[ok]
                .to_numpy(), "year": year, "isv": points[ok], "isv_band": bands[ok],
                "population_15": population[ok], "source": ctx.source_label,
                "batch_id": ctx.batch_id})[list(EXCLUSION_INDEX.columns)]

    return connect


def _year(column: str) -> int | None:
    match = re.search(r"(19|20)\d{2}", column)
    return int(match.group(0)) if match else None


def _band_or_blank(label: str) -> str:
    try:
        return band_from_ministry_label(label) if label else ""
    except ValueError:
        return "?"
