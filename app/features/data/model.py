"""What the Data page shows of the store's sources, an import's check and the batches, and the
file a drawn locality is checked as (no Streamlit here)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from app.ui.i18n import label, translate
from layers.ingest.report import ValidationReport

SOURCE_COLUMNS = ("layer", "title", "licence", "attribution", "vintage", "synthetic")
BATCH_COLUMNS = ("batch_id", "kind", "source_name", "added", "rejected", "licence",
                 "created_at", "status")
#: The problem lists of a check, in the order they are shown.
PROBLEM_KINDS = ("rejected", "repaired", "flagged")


def sources_table(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources by layer and vintage, layer names and column titles in ``lang``; the
    ``synthetic`` column says "illustrative data" for generated sources, "" for real ones."""
    columns = list(SOURCE_COLUMNS)
    table = pd.DataFrame(sources)[columns].sort_values(["layer", "vintage"])
    table["layer"] = [label("layer", code, lang) for code in table["layer"]]
    table["synthetic"] = [translate("common.synthetic", lang) if generated else ""
                          for generated in table["synthetic"].fillna(False).astype(bool)]
    return table.rename(columns={c: translate(f"data.sources.{c}", lang) for c in columns})


def problems_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """Every problem of a check (where, what happened, why), columns titled in ``lang``; no
    rows when the file has none."""
    problems = pd.DataFrame(
        [{"where": p.where, "kind": translate(f"data.problems.{kind}", lang),
          "reason": p.text(lang)}
         for kind in PROBLEM_KINDS for p in getattr(report, kind)],
        columns=["where", "kind", "reason"])
    return problems.rename(columns={c: translate(f"data.problems.{c}", lang)
                                    for c in problems.columns})


def batches_table(batches: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import batches with kinds, statuses and column titles in ``lang``."""
    shown = batches[list(BATCH_COLUMNS)].assign(
        kind=[translate(f"data.kind.{k}", lang) for k in batches["kind"]],
        status=[translate(f"data.status.{s}", lang) for s in batches["status"]])
    return shown.rename(columns={c: translate(f"data.batch.{c}", lang) for c in BATCH_COLUMNS})


def drawn_locality_geojson(geometry: dict[str, Any], name: str, population: int, source: str,
                           date: str) -> bytes:
    """A drawn locality as the bytes of a GeoJSON file, so that it goes through the same
    checks as an uploaded file."""
    return json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": geometry, "properties": {
            "name": name, "population_est": population, "source": source, "date": date}}]},
        ensure_ascii=False).encode("utf-8")


def undo_contents(batch: pd.Series, lang: str) -> list[tuple[str, int]]:
    """What undoing ``batch`` (a row of ``list_batches``) removes: (layer name in ``lang``,
    rows) per layer it added, in the order it added them; a companion layer (a service's
    tags) is listed too, since its rows go as well."""
    added: dict[str, int] = json.loads(str(batch["layers"]))
    return [(label("layer", layer, lang), int(count)) for layer, count in added.items()
            if count]
