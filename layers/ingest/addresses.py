"""Address points: the RÚIAN "Adresní místa" CSV of a municipality as ČÚZK publishes it
(Windows-1250, ``;``-separated, positive S-JTSK ``Souřadnice Y``/``Souřadnice X``), any
municipality, several files at once.

Each row becomes an ``address_points`` row keyed by its RÚIAN code (``Kód ADM``); rows
outside the town, without coordinates, or repeated (in the file or already in the store)
are rejected with their line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.crs import STORAGE_CRS
from layers.ingest.checks import Duplicates, find_columns, text
from layers.ingest.geometry import check_inside, check_points
from layers.ingest.pipeline import Connector, ImportContext, positions
from layers.ingest.reading import Source
from layers.schema import ADDRESS_POINTS, LayerSpec
from layers.store.base import RowMatch

FIELDS: Final = {
    "kod_adm": ("Kód ADM",),
    "kod_obec": ("Kód obce",),
    "part": ("Název části obce",),
    "street": ("Název ulice",),
    "kind": ("Typ SO",),
    "house_number": ("Číslo domovní",),
    "orientation_number": ("Číslo orientační",),
    "orientation_letter": ("Znak čísla orientačního",),
    "postcode": ("PSČ",),
}
REQUIRED: Final = ("kod_adm", "house_number")
#: ``Typ SO`` of a building with a číslo evidenční (a temporary or recreational building).
EVIDENCE_KIND: Final = "č.ev."


def address_rows(frame: pd.DataFrame, columns: dict[str, str], geoms: np.ndarray,
                 town_id: str, batch_id: str) -> gpd.GeoDataFrame:
    """``address_points`` rows (EPSG:4326) of the RÚIAN rows ``frame`` whose columns are
    ``columns`` (our field → the file's column) at the points ``geoms``."""
    number = text(frame, columns.get("house_number"))
    evidence = text(frame, columns.get("kind")) == EVIDENCE_KIND
    orientation = (text(frame, columns.get("orientation_number"))
                   + text(frame, columns.get("orientation_letter")))
    return gpd.GeoDataFrame({
        "kod_adm": text(frame, columns.get("kod_adm")).to_numpy(),
        "town_id": town_id,
        "kod_obec": text(frame, columns.get("kod_obec")).to_numpy(),
        "street": text(frame, columns.get("street")).to_numpy(),
        "house_number": np.where(evidence, "ev. " + number, number),
        "postcode": text(frame, columns.get("postcode")).to_numpy(),
        "part": text(frame, columns.get("part")).to_numpy(),
        "orientation_number": orientation.to_numpy(),
        "batch_id": batch_id,
    }, geometry=list(geoms), crs=STORAGE_CRS)[[*ADDRESS_POINTS.columns, "geometry"]]


def connector(stored: set[str]) -> Connector:
    """The connector of a store whose address points have the RÚIAN codes ``stored``."""

    def connect(source: Source, ctx: ImportContext, chunk_rows: int
                ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        """Validated ``address_points`` rows of a RÚIAN address CSV."""
        ctx.undo.append(RowMatch(ADDRESS_POINTS.name, equals={"batch_id": ctx.batch_id}))
        duplicates = Duplicates()
        report = ctx.report
        for chunk in source.chunks(chunk_rows):
            report.rows += len(chunk.frame)
            columns = find_columns(list(chunk.frame.columns), FIELDS, REQUIRED, source.name)
            geoms, ok = check_points(positions(chunk, source, ctx), chunk.labels, report)
            codes = text(chunk.frame, columns["kod_adm"])
            for i in np.flatnonzero(ok & codes.isin(stored).to_numpy()):
                report.add("rejected", chunk.labels[int(i)],
                           f"address {codes.iloc[i]} is in the store already")
            ok &= ~codes.isin(stored).to_numpy()
            ok = duplicates.reject(pd.DataFrame({"kod_adm": codes.to_numpy()}), ok,
                                   chunk.labels, report, "repeats an earlier row's Kód ADM")
            ok = check_inside(geoms, ok, ctx.town_area, chunk.labels, report, ctx.town_id,
                              reject_outside=True)
            if ok.any():
                yield ADDRESS_POINTS, address_rows(chunk.frame[ok], columns, geoms[ok],
                                                   ctx.town_id, ctx.batch_id)

    return connect
