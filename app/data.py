"""Cached access to the store for the pages.

Caches are keyed on the store's location and ``store.version()`` (which changes with the data),
never on a frame argument: hashing a GeoDataFrame on every rerun would cost more than it saves.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from app.i18n import labels, translate
from app.mapview.town import TownData, load_town
from layers.mapping.export import export_pins
from layers.mapping.paper import town_session_grid
from layers.mapping.print_map import print_session_map
from layers.schema import PIN_CATEGORIES
from layers.store import Store, default_location, open_store


def store() -> Store:
    """The store named by ``MAPA_STORE`` (default ``geodata/mapa.gpkg``)."""
    return open_store(default_location())


def _key() -> tuple[str, str]:
    """What every cache below is keyed on: the store's location and its data version."""
    current = store()
    return current.location, current.version()


@st.cache_data(show_spinner=False, max_entries=8)
def _towns(location: str, version: str) -> pd.DataFrame:
    return pd.DataFrame(open_store(location).read("towns").drop(columns="geometry"))


@st.cache_data(show_spinner=False, max_entries=16)
def _town(location: str, version: str, town_id: str) -> TownData:
    return load_town(open_store(location), town_id)


def towns() -> pd.DataFrame:
    """The towns table (no geometry), sorted by name."""
    return _towns(*_key()).sort_values("name")


def town_data(town_id: str) -> TownData:
    """Everything the map page needs for one town (see ``app.mapview.town``)."""
    return _town(*_key(), town_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _sessions(location: str, version: str, town_id: str) -> pd.DataFrame:
    sessions = pd.DataFrame(open_store(location).read("sessions", town_id))
    return sessions.sort_values(["date", "session_id"]).reset_index(drop=True)


def sessions(town_id: str) -> pd.DataFrame:
    """The mapping sessions of a town, oldest first."""
    return _sessions(*_key(), town_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _session_pdf(location: str, version: str, town_id: str, session_id: str, paper: str,
                 lang: str) -> bytes:
    current = open_store(location)
    town = load_town(current, town_id)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "map.pdf"
        print_session_map(pdf, grid=town_session_grid(current, town_id), town=town.boundary,
                          context=town.context, localities=town.localities,
                          session_id=session_id,
                          title=f"{translate('app.title', lang)} – {town.town['name']}",
                          category_labels=labels("pin.category", PIN_CATEGORIES, lang),
                          paper=paper)
        return pdf.read_bytes()


def session_pdf(town_id: str, session_id: str, paper: str, lang: str) -> bytes:
    """The printable gridded map of a session (PDF bytes)."""
    return _session_pdf(*_key(), town_id, session_id, paper, lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _pins_export(location: str, version: str, town_id: str, session_id: str, fmt: str,
                 public: bool) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"pins.{fmt}"
        export_pins(open_store(location), town_id, out, fmt, session_id=session_id,
                    public=public)
        return out.read_bytes()


def pins_export(town_id: str, session_id: str, fmt: str, public: bool) -> bytes:
    """A session's pins as a file in ``fmt`` (see ``layers.mapping.export``)."""
    return _pins_export(*_key(), town_id, session_id, fmt, public)


@st.cache_data(show_spinner=False, max_entries=16)
def _pins(location: str, version: str, town_id: str) -> gpd.GeoDataFrame:
    return open_store(location).read("pins", town_id)


def pins(town_id: str) -> gpd.GeoDataFrame:
    """Every pin of a town, any status (for facilitators and moderators, not public views)."""
    return _pins(*_key(), town_id)
