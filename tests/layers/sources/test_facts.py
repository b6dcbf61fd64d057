"""The illustrative generator never contradicts a document: every fact of
``geodata/document_facts.toml`` is quoted from its source, and the generated services,
sessions, pins and localities respect it."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest

from layers.sources.facts import GEODATA_DIR, facts_of, load_facts
from layers.sources.real import load_towns
from layers.sources.synthetic import (
    TOWN_SEEDS,
    make_catalogue,
    make_localities,
    make_pins,
    make_services,
    make_sessions,
)

FACTS = load_facts()
TOWN_IDS = [seed.town_id for seed in TOWN_SEEDS]


@pytest.fixture(scope="module")
def towns() -> gpd.GeoDataFrame:
    return load_towns()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_fact_is_quoted_verbatim_from_its_source() -> None:
    assert {f.kind for f in FACTS} == {"absent_service", "programme_end", "operator"}
    for fact in FACTS:
        text = (GEODATA_DIR / fact.source).read_text(encoding="utf-8")
        assert _flat(fact.quote) in _flat(text), (fact.source, fact.quote)


def test_no_service_a_document_says_the_town_lacks(towns: gpd.GeoDataFrame) -> None:
    services = make_services(towns)
    assert facts_of(FACTS, "absent_service", "kraslice") == {"apk", "municipal_police"}
    for town_id in TOWN_IDS:
        absent = facts_of(FACTS, "absent_service", town_id)
        mine = services[services["town_id"] == town_id]
        assert not set(mine["service_type"]) & absent, town_id


def test_operators_only_as_documents_name_them(towns: gpd.GeoDataFrame) -> None:
    services = make_services(towns)
    catalogue = make_catalogue(services)
    for town_id in TOWN_IDS:
        named = facts_of(FACTS, "operator", town_id)
        operators = set(services.loc[services["town_id"] == town_id, "operator"]) - {""}
        assert operators <= named, (town_id, operators - named)
        providers = set(catalogue.loc[catalogue["town_id"] == town_id, "provider"]) - {""}
        assert providers <= named, (town_id, providers - named)
    # the documents give no opening hours of any of these services
    assert (services["opening_hours"] == "").all()
    assert (catalogue["opening_hours"] == "").all()
    assert (services["operator"] == "").any()


def test_no_session_or_pin_after_a_programme_ended(towns: gpd.GeoDataFrame) -> None:
    sessions, pins = make_sessions(), make_pins(towns)
    ends = {f.town_id: f.value for f in FACTS if f.kind == "programme_end"}
    assert ends == {"kraslice": "2023-11-02"}
    for town_id, end in ends.items():
        dates = sessions.loc[sessions["town_id"] == town_id, "date"]
        assert len(dates) and (pd.to_datetime(dates) <= pd.Timestamp(end)).all()
        created = pins.loc[pins["town_id"] == town_id, "created_at"]
        assert len(created) and (pd.to_datetime(created) <= pd.Timestamp(end)).all()


def test_no_invented_locality_exclusion_score(towns: gpd.GeoDataFrame) -> None:
    localities = make_localities(towns)
    assert localities["isv"].isna().all()
    assert (localities["isv_band"] == "").all()
