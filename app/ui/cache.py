"""Cached access to the store for the pages.

Caches are keyed on the store's location and a token of the layers and town a view reads
(``app.ui.cache_keys``), never on a frame argument: hashing a GeoDataFrame on every rerun would
cost more than it saves. A pin in one town leaves the other towns' cached maps alone.

With ``MAPA_QUERY_LOG`` set to a file, every data function below appends one JSON line per
call (process id, kind, milliseconds) to it, for ``mapa bench load``; unset, nothing is timed.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from app.ui.cache_keys import View, cache_key
from app.ui.i18n import labels, translate
from app.ui.town import TownData, load_town
from layers.access import guarded
from layers.access.principal import AccessDenied, Principal
from layers.crs import METRIC_CRS
from layers.geocode import Gazetteer, Place
from layers.ingest.uploads import remove_stale_uploads
from layers.mapping.paper import town_session_grid
from layers.mapping.print_map import print_session_map
from layers.mapping.results import SessionResults
from layers.mapping.results import session_results as count_results
from layers.schema import PIN_CATEGORIES, REGIONS, TOWNS
from layers.store import Store, default_location, open_store

#: Environment variable naming the file the data functions' timings are appended to.
QUERY_LOG = "MAPA_QUERY_LOG"
_P = ParamSpec("_P")
_R = TypeVar("_R")


def timed(kind: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Record each call's duration under ``kind`` in ``MAPA_QUERY_LOG`` (when it is set).

    Under a cached function it times cache misses only, i.e. the reads from the store.
    One ``O_APPEND`` write per line keeps lines of concurrent processes whole.
    """
    def wrap(func: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(func)
        def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            log = os.environ.get(QUERY_LOG)
            if not log:
                return func(*args, **kwargs)
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                line = json.dumps({"pid": os.getpid(), "kind": kind, "at": time.time(),
                                   "ms": (time.perf_counter() - start) * 1000}) + "\n"
                fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, line.encode())
                finally:
                    os.close(fd)
        return run
    return wrap


def store() -> Store:
    """The store named by ``MAPA_STORE`` (default ``geodata/mapa.gpkg``)."""
    return open_store(default_location())


@st.cache_resource(show_spinner=False)
def cleaned_at_start(location: str, _store: Store) -> int:
    """Once per server process and store: delete a killed import's private store copy and
    upload folders a killed server left (``remove_leftovers``, ``remove_stale_uploads``);
    return how many were removed."""
    return _store.remove_leftovers() + remove_stale_uploads()


@timed("version")
def _key(view: View, town_id: str | None = None) -> tuple[str, str]:
    """What the cache of ``view`` (of ``town_id``) below is keyed on (``app.ui.cache_keys``)."""
    return cache_key(store(), view, town_id)


@st.cache_data(show_spinner=False, max_entries=8)
@timed("read_towns")
def _towns(location: str, version: str) -> pd.DataFrame:
    return pd.DataFrame(open_store(location).read(TOWNS).drop(columns="geometry"))


# a resource, not data: every rerun of every page reads the town, and st.cache_data would
# unpickle a copy of all its frames each time (50–200 ms on a busy machine); TownData is
# frozen and no page changes its frames in place
@st.cache_resource(show_spinner=False, max_entries=16)
@timed("load_town")
def _town(location: str, version: str, town_id: str) -> TownData:
    return load_town(open_store(location), town_id)


@st.cache_resource(show_spinner=False, max_entries=8)
@timed("gazetteer")
def _gazetteer(location: str, version: str, town_id: str) -> Gazetteer:
    return Gazetteer.from_store(open_store(location), town_id)


def place_names(town_id: str, points: gpd.GeoSeries) -> list[str]:
    """The names of ``points`` (any CRS) in the town: nearest address, stop or part of town
    with its distance, "" where nothing is near (``layers.geocode``)."""
    if not len(points):
        return []
    metric = points.to_crs(METRIC_CRS)
    named = _gazetteer(*_key("names", town_id), town_id).names(
        np.column_stack([metric.x, metric.y]))
    return [place.label() if place is not None else "" for place in named]


def search_places(town_id: str, query: str) -> list[Place]:
    """Addresses, streets, stops and parts of the town matching ``query``, best first."""
    return _gazetteer(*_key("names", town_id), town_id).search(query)


@timed("towns")
def towns() -> pd.DataFrame:
    """The towns table (no geometry), sorted by name."""
    return _towns(*_key("towns")).sort_values("name")


@st.cache_data(show_spinner=False, max_entries=4)
def _regions(location: str, version: str) -> dict[str, str]:
    store = open_store(location)
    if REGIONS.name not in store.layer_names():
        return {}
    table = store.read(REGIONS)
    return dict(sorted(zip(table["kod_kraj"].astype(str), table["name"].astype(str),
                           strict=True), key=lambda pair: pair[1]))


def regions() -> dict[str, str]:
    """The regions' names by ``kod_kraj``, ordered by name; empty when the store holds none."""
    return _regions(*_key("regions"))


@timed("town_data")
def town_data(town_id: str) -> TownData:
    """Everything the map page needs for one town (see ``app.ui.town``): one object shared
    by every session, so never change its frames in place."""
    return _town(*_key("town", town_id), town_id)


@timed("sessions")
def sessions(principal: Principal, town_id: str) -> pd.DataFrame:
    """The mapping sessions of a town within ``principal``'s scope, oldest first (a
    facilitator's own centre's only; ``layers.access.guarded.sessions_for``)."""
    return guarded.sessions_for(principal, store(), town_id)


@timed("public_sessions")
def public_sessions(town_id: str) -> pd.DataFrame:
    """A town's sessions by place and date, for public pages
    (``layers.access.guarded.public_sessions``; the id stays on the server)."""
    return guarded.public_sessions(store(), town_id)


@st.cache_data(show_spinner=False, max_entries=16)
@timed("session_results")
def _session_results(location: str, version: str, town_id: str, session_id: str,
                     per_round: bool, role: str, centre: str, in_towns: bool,
                     _pins: gpd.GeoDataFrame, _sessions: pd.DataFrame) -> SessionResults:
    # role, centre and whether the town is one of the principal's stand for the scope of the
    # pins and sessions passed (not hashed)
    return count_results(open_store(location), session_id, _pins, _sessions,
                         per_round=per_round)


def session_results(principal: Principal, town_id: str, session_id: str,
                    per_round: bool) -> SessionResults:
    """The counted results of ``session_id`` (or of its round, ``per_round``) from the pins
    and sessions ``principal`` may see (``layers.mapping.results.session_results``).

    The pins are read through ``layers.access.guarded.pins_for`` on every call, so the right
    is checked and an exact view of sensitive pins audited each time the results are shown;
    the counting (answers, questions, the cells' permutation test) is cached per store
    version of what it reads, town, session, scope (role, centre and whether the town is
    among the principal's towns) and ``per_round``.
    Raises what ``pins_for`` and ``session_results`` raise.
    """
    current = store()
    pins = guarded.pins_for(principal, current, town_id).pins
    return _session_results(*_key("session_results", town_id), town_id, session_id, per_round,
                            principal.role, principal.centre, principal.covers(town_id), pins,
                            sessions(principal, town_id))


@st.cache_data(show_spinner=False, max_entries=32)
def _session_pdf(location: str, version: str, town_id: str, session_id: str, paper: str,
                 lang: str, link_url: str | None) -> bytes:
    current = open_store(location)
    town = load_town(current, town_id)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "map.pdf"
        print_session_map(pdf, grid=town_session_grid(current, town_id), town=town.boundary,
                          context=town.context, localities=town.localities,
                          session_id=session_id,
                          title=f"{translate('app.title', lang)} – {town.name}",
                          category_labels=labels("pin.category", PIN_CATEGORIES, lang),
                          paper=paper, link_url=link_url)
        return pdf.read_bytes()


@timed("session_pdf")
def session_pdf(town_id: str, session_id: str, paper: str, lang: str,
                link_url: str | None = None) -> bytes:
    """The printable gridded map of a session (PDF bytes), with the QR code of ``link_url``
    (a public link of the session) when given."""
    return _session_pdf(*_key("town", town_id), town_id, session_id, paper, lang, link_url)


@timed("pins_export")
def pins_export(principal: Principal, town_id: str, session_id: str, fmt: str,
                public: bool) -> bytes:
    """A session's pins as a file in ``fmt`` for ``principal`` (``layers.access.guarded``:
    an internal export is checked and audited, so call this when the file is asked for)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"pins.{fmt}"
        guarded.export_pins(principal, store(), town_id, out, fmt, session_id=session_id,
                            public=public)
        return out.read_bytes()


@timed("pins")
def pins(principal: Principal, town_id: str) -> gpd.GeoDataFrame:
    """The pins of a town ``principal`` may see exactly (``layers.access.guarded.pins_for``):
    a facilitator's own centre's sessions, every pin for moderators and police. Not cached:
    the read is checked and audited in ``layers.access``."""
    view = guarded.pins_for(principal, store(), town_id)
    if not view.exact:
        raise AccessDenied("access.public_view_only", role=principal.role)
    return view.pins
