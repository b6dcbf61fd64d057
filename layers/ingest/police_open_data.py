"""The police's open-data export of its crime map → ``police_offences``.

The Police of the Czech Republic publishes one file per municipality and year or month, as CSV
(columns ``id, x, y, mp, date, state, relevance, types``; ``x``/``y`` WGS 84 longitude and
latitude, ``mp`` whether the position is exact) or as GeoJSON points with the same properties,
and lookup tables ``types.json``, ``states.json`` and ``relevance.json`` (``{"polozky": [{"id":
…, "nazev": …}, …]}``; a type may name its group in ``skupina``, or by the id of its parent
item in ``parent_id``/``nadrazena``). The lookups are read from the export's folder, else from
``geodata/police_open_data/``.

Rows are keyed by the export's ``id``: rows the store already holds are skipped (counted in a
note, not rejected), so importing an overlapping month or year again adds only what is new.
Rows outside the Czech Republic or the town, with an unknown type, state or relevance code,
an impossible date or a bad ``mp`` flag are rejected by line; the rest are imported. Reading
is chunked (memory bounded by the chunk, plus 8 bytes per row for duplicates in the file).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.crs import STORAGE_CRS
from layers.ingest.checks import Duplicates, find_columns, numbers, text
from layers.ingest.geometry import check_inside, check_points
from layers.ingest.pipeline import Connector, ImportContext, positions
from layers.ingest.reading import Chunk, Source
from layers.schema import POLICE_OFFENCES, LayerSpec
from layers.sources.errors import SourceError
from layers.store import Store
from layers.store.base import RowMatch

FIELDS: Final = {"offence_id": ("id",), "mp": ("misto_presne",), "date": ("datum",),
                 "state": ("stav",), "relevance": ("relevance",), "types": ("type", "typ")}
REQUIRED: Final = ("offence_id", "mp", "date", "state", "relevance", "types")
LOOKUP_FILES: Final = {"types": "types.json", "states": "states.json",
                       "relevance": "relevance.json"}
#: Where shipped lookups live when the export came without them.
SHIPPED_LOOKUPS: Final = Path(__file__).resolve().parents[2] / "geodata" / "police_open_data"
#: Bounding box of the Czech Republic (WGS 84 lon/lat), with a margin of about 1 km.
CZ_BOUNDS: Final = (12.08, 48.54, 18.87, 51.07)
#: The first year the police's crime map publishes.
FIRST_YEAR: Final = 2012
TRUE_WORDS: Final = frozenset({"true", "1", "t", "ano", "yes"})
FALSE_WORDS: Final = frozenset({"false", "0", "f", "ne", "no"})


@dataclass(frozen=True)
class Lookups:
    """Code → Czech name of the types (with their group), states and relevances."""

    type_name: dict[int, str]
    type_group: dict[int, str]
    state: dict[int, str]
    relevance: dict[int, str]


def find_lookups(folder: Path) -> Lookups:
    """The lookups beside an export (``folder``), else the shipped ones.

    Raises ``SourceError`` naming the missing file when neither place has it, or a file that
    is not the ``{"polozky": [...]}`` shape."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for what, name in LOOKUP_FILES.items():
        path = next((p for p in (folder / name, SHIPPED_LOOKUPS / name) if p.is_file()), None)
        if path is None:
            raise SourceError(name, "is missing: put the export's lookup tables (types.json, "
                                    "states.json, relevance.json) beside it")
        try:
            items = json.loads(path.read_text(encoding="utf-8-sig"))["polozky"]
            tables[what] = [dict(item) for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(name, f"is not a lookup table with items under 'polozky' "
                                    f"({exc})") from exc
    names = {what: {int(item["id"]): str(item.get("nazev", item.get("name", ""))).strip()
                    for item in items if str(item.get("id", "")).strip().lstrip("-").isdigit()}
             for what, items in tables.items()}
    groups: dict[int, str] = {}
    for item in tables["types"]:
        code = int(item["id"]) if str(item.get("id", "")).strip().isdigit() else None
        if code is None:
            continue
        parent = item.get("parent_id", item.get("nadrazena"))
        group = item.get("skupina", "")
        if parent not in (None, "") and str(parent).isdigit():
            group = names["types"].get(int(parent), "")
        groups[code] = str(group or "").strip()
    return Lookups(type_name=names["types"], type_group=groups, state=names["states"],
                   relevance=names["relevance"])


def connector(store: Store) -> Connector:
    """The police open-data connector over ``store`` (rows it holds already are skipped)."""

    def connect(source: Source, ctx: ImportContext, chunk_rows: int
                ) -> Iterator[tuple[LayerSpec, pd.DataFrame]]:
        lookups = find_lookups(source.path.parent)
        if ctx.crs_override is None:
            # the export states its x/y are WGS 84 longitude/latitude
            ctx.crs_override = CRS.from_epsg(4326)
        ctx.undo.append(RowMatch(POLICE_OFFENCES.name, equals={"batch_id": ctx.batch_id}))
        present = POLICE_OFFENCES.name in store.layer_names()
        duplicates = Duplicates()
        skipped = 0
        for chunk in source.chunks(chunk_rows):
            ctx.report.rows += len(chunk.frame)
            columns = find_columns(list(chunk.frame.columns), FIELDS, REQUIRED, source.name)
            ids = text(chunk.frame, columns["offence_id"])
            stored = np.zeros(len(ids), dtype=bool)
            if present:
                held = store.read_where(POLICE_OFFENCES, "offence_id",
                                        [i for i in ids.unique().tolist() if i])
                stored = ids.isin(set(held["offence_id"].astype(str))).to_numpy()
            skipped += int(stored.sum())
            frame = _rows(chunk, source, ctx, lookups, columns, ids, ~stored, duplicates)
            if frame is not None:
                yield POLICE_OFFENCES, frame
        if skipped:
            ctx.report.notes.append(f"{skipped:,} rows already in the store (same export id) "
                                    "were skipped")
        ctx.counters["already_stored"] = skipped

    return connect


def _rows(chunk: Chunk, source: Source, ctx: ImportContext, lookups: Lookups,
          columns: dict[str, str], ids: pd.Series, candidates: np.ndarray,
          duplicates: Duplicates) -> gpd.GeoDataFrame | None:
    """The chunk's new, valid rows in the layer's schema (None when there are none)."""
    report, labels, frame = ctx.report, chunk.labels, chunk.frame
    geoms, ok = check_points(positions(chunk, source, ctx), labels, report)
    ok &= candidates
    reason = np.where(ids == "", "export id missing", "").astype(object)
    lon = shapely.get_x(geoms[ok]) if ok.any() else np.empty(0)
    lat = shapely.get_y(geoms[ok]) if ok.any() else np.empty(0)
    in_cz = np.ones(len(ids), dtype=bool)
    in_cz[ok] = ((lon >= CZ_BOUNDS[0]) & (lon <= CZ_BOUNDS[2]) & (lat >= CZ_BOUNDS[1])
                 & (lat <= CZ_BOUNDS[3]))
    reason = np.where((reason == "") & ~in_cz, "position outside the Czech Republic", reason)
    exact, bad_flag = _flags(text(frame, columns["mp"]))
    reason = np.where((reason == "") & bad_flag, "mp (exact position) must be true or false",
                      reason)
    day, hour, bad_date = _dates(text(frame, columns["date"]))
    reason = np.where((reason == "") & (bad_date != ""), bad_date, reason)
    codes = {what: numbers(text(frame, columns[what])) for what in ("types", "state",
                                                                     "relevance")}
    for what, words, known in (("types", "offence type", lookups.type_name),
                               ("state", "state", lookups.state),
                               ("relevance", "relevance", lookups.relevance)):
        values = codes[what]
        unknown = ~np.isin(np.nan_to_num(values, nan=-1), list(known)) | np.isnan(values)
        raw = text(frame, columns[what]).to_numpy()
        reason = np.where((reason == "") & unknown,
                          np.char.add(f"unknown {words} code ", raw.astype(str)), reason)
    for i in np.flatnonzero(ok & (reason != "")):
        report.add("rejected", labels[i], str(reason[i]))
    ok &= reason == ""
    ok = check_inside(geoms, ok, ctx.town_area, labels, report, ctx.town_id,
                      reject_outside=True)
    ok = duplicates.reject(pd.DataFrame({"id": ids.to_numpy()}), ok, labels, report,
                           "export id repeated in the file")
    if not ok.any():
        return None
    type_code = codes["types"][ok].astype("int64")
    state = codes["state"][ok].astype("int64")
    relevance = codes["relevance"][ok].astype("int64")
    out = gpd.GeoDataFrame({
        "offence_id": ids[ok].to_numpy(), "town_id": ctx.town_id, "date": day[ok],
        "hour": pd.array(hour[ok], dtype="Int64"), "type_code": type_code,
        "type_name": [lookups.type_name[c] for c in type_code],
        "type_group": [lookups.type_group.get(c, "") for c in type_code],
        "exact": exact[ok], "state": state,
        "state_name": [lookups.state[c] for c in state], "relevance": relevance,
        "relevance_name": [lookups.relevance[c] for c in relevance],
        "source": ctx.source_label, "batch_id": ctx.batch_id,
    }, geometry=geoms[ok], crs=STORAGE_CRS)
    return out[[*POLICE_OFFENCES.columns, "geometry"]]


def _flags(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The ``mp`` flag as booleans and a mask of values that are neither true nor false."""
    words = values.str.casefold()
    exact = words.isin(TRUE_WORDS).to_numpy()
    return exact, ~(exact | words.isin(FALSE_WORDS).to_numpy())


def _dates(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ISO dates, hours (NaN where the value has no time) and a reason per row ("" = fine).

    A date that does not exist (30 February), one before the crime map began or in the
    future is impossible."""
    stamps = pd.to_datetime(values, errors="coerce", format="ISO8601")
    reason = np.where(stamps.isna(), "impossible or missing date", "").astype(object)
    today = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    years = stamps.dt.year.to_numpy(dtype=float, na_value=np.nan)
    early = stamps.notna().to_numpy() & (years < FIRST_YEAR)
    late = stamps.notna().to_numpy() & (stamps >= today).to_numpy()
    reason[early] = f"impossible date (the crime map starts in {FIRST_YEAR})"
    reason[late] = "impossible date (in the future)"
    has_time = values.str.len().to_numpy() > 10
    hour = np.where(has_time & stamps.notna().to_numpy(),
                    stamps.dt.hour.to_numpy(dtype=float, na_value=np.nan), np.nan)
    day = stamps.dt.strftime("%Y-%m-%d").fillna("").to_numpy()
    return day, hour, reason
