"""The features' models: what each page shows, computed from domain results without
Streamlit (the pages only lay these out)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from app.features.area.model import (
    choices,
    history_table,
    indicator_table,
    search_table,
    shorten,
    timeline_chart_frame,
    timeline_table,
    unaddressed_table,
)
from app.features.catalogue.model import card_lines, results_table
from app.features.data.model import drawn_locality_geojson, problems_table, sources_table
from app.features.hotspots.model import (
    explanation_table,
    hot_places_table,
    hottest_cells,
    localities_table,
    metrics,
)
from app.features.map.model import figures, public_pin_count
from app.features.map.model import sources_table as map_sources
from app.features.moderation.model import filter_pending, pending_table
from app.features.patrol.model import gpkg_file, gpx_file, saved_table, stops_table
from app.features.patrol.model import metrics as patrol_metrics
from app.features.public_space.model import access_table, audits_table
from app.ui.i18n import label, number, translate
from app.ui.town import load_town
from layers.catalogue.detail import service_card
from layers.catalogue.search import Query, search_catalogue
from layers.geocode import named_points
from layers.hotspots.analysis import HotspotRequest, run_hotspots
from layers.ingest.report import ValidationReport
from layers.patrol.plans import ILLUSTRATIVE_NOTE, build_plan
from layers.patrol.ranking import RankingRequest
from layers.schema import AUDIT_ASPECTS, SOURCES
from layers.store import Store
from layers.strategy.area import load_area
from layers.strategy.search import search
from layers.urban.accessibility import SERVICE_GROUPS

TOWN = "litvinov"


def test_map_figures_count_exact_pins_and_cell_answers(demo_store: Store) -> None:
    town = load_town(demo_store, TOWN)
    assert public_pin_count(town) == len(town.pins_exact) + int(town.pin_cells["count"].sum())
    assert figures(town)["map.metric.pins"] == public_pin_count(town)
    assert figures(town)["map.metric.localities"] == len(town.localities)


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_map_sources_are_titled_and_marked_in_the_language(demo_store: Store,
                                                           lang: str) -> None:
    town = load_town(demo_store, TOWN)
    table = map_sources(town, lang)
    assert table.columns[0] == translate("map.sources.layer", lang)
    assert set(table.iloc[:, -1]) <= {translate("common.synthetic", lang), ""}
    assert label("layer", "pins", lang) in set(table.iloc[:, 0])


def test_moderation_table_marks_held_comments() -> None:
    pending = pd.DataFrame({"pin_id": ["a", "b"], "category": ["dogs", "traffic"],
                            "feeling": [2, 5], "comment": ["call 777 123 456", None],
                            "comment_held": [True, False], "session_id": ["s", "s"],
                            "created_at": ["2026-01-01", "2026-01-02"]})
    table = pending_table(pending, "en", {"s": "NZDM Rybáře (2026-01-01)"},
                          ["Hamerská 130 (12 m)", ""])
    assert not table["select"].any()
    assert list(table["number"]) == [1, 2]
    assert list(table["place"]) == ["Hamerská 130 (12 m)", "–"]
    assert list(table["category"]) == ["Dogs", "Traffic"]
    assert list(table["comment"]) == [f"⚠ {translate('moderation.held', 'en')}: call 777 123 456",
                                      ""]
    assert set(table["session"]) == {"NZDM Rybáře (2026-01-01)"}


def test_moderation_filters_by_session_category_and_local_day() -> None:
    pending = pd.DataFrame({
        "pin_id": ["a", "b", "c", "d", "e"],
        "category": ["dogs", "traffic", "dogs", "dogs", "dogs"],
        "session_id": ["s", "s", "t", "s", "s"],
        # 23:30 UTC on 3 Dec is 00:30 on 4 Dec in Prague; "e" has no readable time
        "created_at": ["2026-12-04T10:00:00+00:00", "2026-12-04T11:00:00+00:00",
                       "2026-12-04T12:00:00+00:00", "2026-12-03T23:30:00+00:00", ""]})
    day = dt.date(2026, 12, 4)
    kept = filter_pending(pending, "s", ["dogs"], (day, day))
    assert list(kept["pin_id"]) == ["a", "d", "e"]
    assert list(filter_pending(pending, None, ["traffic", "dogs"], None)["pin_id"]) == list(
        pending["pin_id"])
    assert list(filter_pending(pending, "s", ["dogs"], (dt.date(2026, 12, 3),) * 2)["pin_id"]
                ) == ["e"]


def test_area_choices_and_tables(demo_store: Store) -> None:
    view = load_area(demo_store, TOWN, None)
    picks = choices(view)
    assert picks.goal_labels and set(picks.goal_strategy) == set(picks.goal_labels)
    assert all(len(text) <= 90 for text in picks.goal_labels.values())
    history = history_table(view, "en")
    if not history.empty:
        when = history[translate("area.col.when", "en")].tolist()
        assert when == sorted(when, reverse=True)
    if not view.indicators.empty:
        assert len(indicator_table(view.indicators, "cs")) == len(view.indicators)
    if not view.unaddressed.empty:
        places = ["Hamerská 130 (30 m)", *[""] * (len(view.unaddressed) - 1)]
        table = unaddressed_table(view.unaddressed, places, "cs")
        assert table.iloc[:, 1].tolist() == view.unaddressed["count"].tolist()
        # a place by its name, "–" where nothing is near: never a coordinate
        assert table.iloc[:, 0].tolist() == ["Hamerská 130 (30 m)",
                                             *["–"] * (len(view.unaddressed) - 1)]
    assert shorten("x" * 100) == "x" * 89 + "…" and shorten("short") == "short"


def test_area_documents_in_both_languages(demo_store: Store) -> None:
    """Direction words, undated dates, arrows and words of change; the timeline as a table
    and as bars (a partial date covers its month); search hits."""
    view = load_area(demo_store, TOWN, None)
    for lang, undated, worse, better in (("cs", "v dokumentu neuvedeno", "↘ zhoršení",
                                          "vyšší je lepší"),
                                         ("en", "not dated in the document", "↘ worsened",
                                          "higher is better")):
        table = indicator_table(view.indicators, lang)
        changes = table[translate("area.col.change", lang)].tolist()
        assert changes.count(worse) == 2
        assert set(table[translate("area.col.baseline_date", lang)]) == {undated}
        assert better in set(table[translate("area.col.direction", lang)])
    strategies = [item.strategy for item in view.strategies]
    rows = timeline_table(strategies, "cs")
    assert len(rows) == 11 + 1  # Litvínov's entries, the region's period
    bars = timeline_chart_frame(strategies, "en")
    first = bars[bars["entry"].str.startswith("04-05/2023")].iloc[0]
    assert (first["start"], first["end"]) == (pd.Timestamp("2023-04-01"),
                                              pd.Timestamp("2023-05-31"))
    # two "průběžně" steps and one undated phase are no bars; the region's period is one
    assert len(bars) == 11 - 3 + 1
    hits = search_table(search(strategies, "výslechových místností"), "cs")
    assert len(hits) > 0 and set(hits[translate("area.col.kind", "cs")]) >= {"opatření"}


def test_hotspot_metrics_localities_and_explanation(demo_store: Store) -> None:
    report = run_hotspots(demo_store, HotspotRequest(town_id=TOWN, public=True))
    shown = metrics(report, 0.95, "en")
    assert shown[0] == (translate("hotspots.metric.cells", "en"), f"{len(report.cells):,}")
    if len(report.localities):
        assert len(localities_table(report.localities, "cs")) == len(report.localities)
    explanation = explanation_table("cs")
    assert explanation.shape == (3, 3)
    assert list(explanation.columns) == [translate(f"hotspots.explain.{role}", "cs")
                                         for role in ("police", "urban", "community")]


def test_patrol_tables_and_files(demo_store: Store, tmp_path: Path) -> None:
    plan = build_plan(demo_store, RankingRequest(TOWN), 4, 150.0, "straight")
    assert len(stops_table(plan, "en")) == len(plan.stops)
    assert patrol_metrics(plan, "cs")[0][0] == translate("patrol.metric.length", "cs")
    gpx = gpx_file(plan, "Litvínov")
    assert gpx.startswith(b"<?xml")
    # the demo's pins are generated: the page's GPX and GeoPackage say so
    assert plan.illustrative and gpx.count(ILLUSTRATIVE_NOTE.encode("utf-8")) == 1 + len(
        plan.stops)
    gpkg = tmp_path / "plan.gpkg"
    gpkg.write_bytes(gpkg_file(plan, "Litvínov"))
    meta = pyogrio.read_info(gpkg, layer="patrol_stops")["layer_metadata"]
    assert meta == {"illustrative": ILLUSTRATIVE_NOTE}
    saved = pd.DataFrame({"title": ["A"], "created_at": ["2026-01-01"], "length_m": [1500.0],
                          "measure_id": [None]})
    assert saved_table(saved, "en").iloc[0].tolist() == ["A", "2026-01-01", 1.5, ""]


def test_data_tables_and_drawn_file(demo_store: Store) -> None:
    report = ValidationReport("f.geojson", rows=2)
    assert problems_table(report, "cs").empty
    report.add("rejected", "row 2", "no geometry")
    problems = problems_table(report, "en")
    assert problems.iloc[0].tolist() == ["row 2", translate("data.problems.rejected", "en"),
                                         "no geometry"]
    # a reason with a catalogue code reads in the page's language
    report.add("rejected", "line 3", "address 'Mostecká 5' is not among the town's address "
               "points", "import.address_not_found", {"address": "Mostecká 5"})
    assert problems_table(report, "cs").iloc[1, -1].startswith("adresa „Mostecká 5“ není")
    assert problems_table(report, "en").iloc[1, -1].startswith("address 'Mostecká 5' is not")
    sources = sources_table(demo_store.read(SOURCES), "en")
    assert sources.columns[0] == translate("data.sources.layer", "en")
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    data = drawn_locality_geojson(square, "Nová", 12, "terén", "2026-01-01")
    feature = json.loads(data.decode("utf-8"))["features"][0]
    assert feature["geometry"] == square
    assert feature["properties"] == {"name": "Nová", "population_est": 12, "source": "terén",
                                     "date": "2026-01-01"}


def test_public_space_tables() -> None:
    groups = list(SERVICE_GROUPS)
    table = gpd.GeoDataFrame({"origin_kind": ["locality"], "name": ["Janov"],
                              "place_cs": ["Janov"], "place_en": ["Janov"],
                              **{f"dist_{g}": [float("inf") if g == groups[0] else 120.4]
                                 for g in groups},
                              "white": [f"{groups[0]}, "]}, geometry=[Point(0, 0)])
    shown = access_table(table, "en")
    assert shown.iloc[0].tolist() == [label("urban.kind", "locality", "en"), "Janov", None,
                                      *[120] * (len(groups) - 1),
                                      label("urban.group", groups[0], "en")]
    audits = pd.DataFrame({"place_label": ["Park"], "date": ["2026-01-01"], "mean": [2.25],
                           "weakest": [f"{AUDIT_ASPECTS[0]},{AUDIT_ASPECTS[1]}"],
                           "measure_ids": [""], **{a: [2] for a in AUDIT_ASPECTS}})
    row = audits_table(audits, "cs").iloc[0]
    assert row.iloc[0] == "Park" and row.iloc[-3] == 2.2
    assert row.iloc[-2] == ", ".join(label("urban.aspect", a, "cs") for a in AUDIT_ASPECTS[:2])


def test_hot_places_table_names_each_hot_cell_with_its_nearest_stop(demo_store: Store) -> None:
    report = run_hotspots(demo_store, HotspotRequest(town_id="litvinov", public=True),
                          layer="fear")
    rows = hottest_cells(report, "fear", 0.95, limit=5)
    assert 0 < len(rows) <= 5
    z = report.cells["fear_z"].to_numpy()[rows]
    assert list(z) == sorted(z, reverse=True)
    centres = report.cells.geometry.iloc[rows].centroid
    named = named_points(demo_store, "litvinov", np.column_stack([centres.x, centres.y]))
    table = hot_places_table(report, "fear", rows, named, "cs")
    assert list(table.columns) == ["Místo (nejbližší adresa, zastávka či část obce)", "Třída",
                                   "Hustota (na km²)", "Nejbližší zastávka MHD"]
    for shown, name, metres in zip(table["Nejbližší zastávka MHD"], named["nearest_stop"],
                                   named["stop_m"], strict=True):
        assert name and shown == f"{name} ({number(metres, 'cs', 0)} m)"
    assert not any(str(c) in table.to_string() for c in report.cells["cell_id"].iloc[rows])


def test_data_and_catalogue_tables_mark_generated_rows_only(demo_store: Store) -> None:
    """The Data page's sources and the Catalogue's results and cards say "illustrative data"
    on generated rows, and nothing on real ones."""
    mark = translate("common.synthetic", "cs")
    sources = demo_store.read(SOURCES)
    shown = sources_table(sources, "cs")
    column = shown[translate("data.sources.synthetic", "cs")]
    generated = sources["synthetic"].fillna(False).astype(bool)
    assert generated.any() and (~generated).any()  # the demo store has both kinds
    assert sorted(column) == sorted(mark if g else "" for g in generated)
    found = search_catalogue(demo_store, Query(town_id="kraslice"))
    assert len(found) and found["synthetic"].astype(bool).all()  # the demo's services
    results = results_table(found, "cs")[translate("catalogue.col.synthetic", "cs")]
    assert set(results) == {mark}
    real = found.assign(synthetic=False)
    assert set(results_table(real, "cs")[translate("catalogue.col.synthetic", "cs")]) == {""}
    card = service_card(demo_store, str(found["service_id"].iloc[0]))
    title = translate("catalogue.col.synthetic", "cs")
    assert (title, translate("catalogue.card.synthetic", "cs")) in card_lines(card, "cs")
    card.entry["synthetic"] = False
    assert title not in dict(card_lines(card, "cs"))
