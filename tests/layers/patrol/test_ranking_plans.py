"""Ranking with visible weights, plans saved and linked as a measure, GPX read back, and a
patrol sheet without personal data — on the demo store (Litvínov, Janov)."""

from __future__ import annotations

import json
import re
import subprocess
from html import escape
from pathlib import Path

import gpxpy
import numpy as np
import pytest

from layers.access.audit import read_log
from layers.access.principal import AccessDenied, Principal
from layers.crs import to_metric
from layers.patrol.gpx import plan_gpx, read_gpx
from layers.patrol.plans import (
    MEASURE_TEXT,
    build_plan,
    load_plans,
    load_stops,
    save_as_measure,
    save_plan,
)
from layers.patrol.ranking import (
    DEFAULT_STOP_RADIUS_M,
    FACTORS,
    RankingError,
    RankingRequest,
    Weights,
    explain,
    rank_places,
)
from layers.patrol.sheet import reported_text, sheet_html, sheet_pdf
from layers.schema import (
    ADDRESS_POINTS,
    CONTEXT_LINES,
    HISTORY,
    MEASURE_LINKS,
    MEASURES,
    PINS,
    TOWNS,
    TRANSIT_STOPS,
)
from layers.store import Store

JANOV = "litvinov-1"
GOAL = "litvinov-pp9:goal:1.1.1"
POLICE = Principal("straznik", "police")


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def test_contributions_add_up_to_the_score_and_follow_the_weights(demo_store: Store) -> None:
    ranking = rank_places(demo_store, RankingRequest("litvinov", JANOV,
                                                     Weights(fear=2, crime=1, time=1)))
    places = ranking.places
    assert len(places) >= 5 and list(places["rank"]) == list(range(1, len(places) + 1))
    total = sum(places[f"{f}_contribution"] for f in FACTORS)
    assert np.allclose(total, places["score"])
    assert np.allclose(places["fear_contribution"], 2 * places["fear_value"] / 4)
    assert places["score"].is_monotonic_decreasing
    assert set(places["locality"]) == {"Janov"}
    why = explain(places.iloc[2], Weights(fear=2, crime=1, time=1), ("evening", "night"))
    assert why.startswith("#3 score") and "weight 2" in why
    # fear alone: the order is the fear density's
    fear_only = rank_places(demo_store, RankingRequest("litvinov", JANOV,
                                                       Weights(fear=1, crime=0, time=0)))
    assert fear_only.places["fear_value"].is_monotonic_decreasing
    assert np.allclose(fear_only.places["score"], fear_only.places["fear_value"])


def test_nearness_to_a_stop_is_a_factor_measured_from_the_towns_stops(
        demo_store: Store) -> None:
    stops = to_metric(demo_store.read(TRANSIT_STOPS, "litvinov"))
    assert len(stops) > 0
    only_stops = rank_places(demo_store, RankingRequest(
        "litvinov", None, Weights(fear=0, crime=0, time=0, stop=1), stop_radius_m=200))
    places = only_stops.places
    assert len(places) >= 3
    # each place's distance is the one to its nearest stop, measured independently
    nearest = [float(stops.distance(point).min()) for point in places.geometry]
    assert np.allclose(places["stop_m"], nearest, atol=0.01)
    # the factor falls linearly from 1 at a stop to 0 at the radius; alone it is the score
    assert (places["stop_m"] < 200).all()
    assert np.allclose(places["stop_value"], 1 - places["stop_m"] / 200)
    assert np.allclose(places["score"], places["stop_value"])
    assert places["stop_m"].is_monotonic_increasing
    # by default stops weigh nothing; weighted, the round moves towards them
    default = rank_places(demo_store, RankingRequest("litvinov", JANOV)).places
    assert (default["stop_contribution"] == 0).all()
    weighted = rank_places(demo_store, RankingRequest(
        "litvinov", JANOV, Weights(stop=3))).places
    assert np.allclose(sum(weighted[f"{f}_contribution"] for f in FACTORS), weighted["score"])
    assert weighted.head(5)["stop_m"].mean() < default.head(5)["stop_m"].mean()
    why = explain(weighted.iloc[0], Weights(stop=3), ("evening",))
    assert f"nearest stop {weighted['stop_m'].iloc[0]:.0f} m away" in why
    assert RankingRequest("litvinov").stop_radius_m == DEFAULT_STOP_RADIUS_M
    with pytest.raises(ValueError, match="stop_radius_m"):
        RankingRequest("litvinov", stop_radius_m=0)


def test_places_keep_their_spacing_and_the_time_factor_counts_chosen_times(
        demo_store: Store) -> None:
    ranking = rank_places(demo_store, RankingRequest("litvinov", JANOV, min_spacing_m=300))
    xy = np.column_stack([ranking.places.geometry.x, ranking.places.geometry.y])
    gaps = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    assert gaps[np.triu_indices(len(xy), 1)].min() >= 300
    evening = rank_places(demo_store, RankingRequest("litvinov", JANOV,
                                                     times_of_day=("evening",)))
    morning = rank_places(demo_store, RankingRequest("litvinov", JANOV,
                                                     times_of_day=("morning",)))
    first = evening.places.iloc[0]
    assert first["time_answers"] <= first["fear_answers"]
    assert evening.places["time_answers"].sum() != morning.places["time_answers"].sum()
    assert first["time_window"] == "17:00–22:00"


def test_bad_requests_are_refused(demo_store: Store) -> None:
    with pytest.raises(RankingError, match="no locality"):
        rank_places(demo_store, RankingRequest("litvinov", "nowhere"))
    with pytest.raises(ValueError, match="set at least one weight") as refused:
        Weights(0, 0, 0)
    assert "všechny váhy jsou nulové" in refused.value.message("cs")
    with pytest.raises(ValueError, match="unknown factor"):
        Weights.parse("fear=1,beauty=2")
    assert Weights.parse("fear=2, time=0.5").as_dict() == {"fear": 2.0, "crime": 1.0,
                                                           "time": 0.5, "stop": 0.0}
    assert Weights.parse("stop=1.5").stop == 1.5
    with pytest.raises(ValueError, match="times of day"):
        RankingRequest("litvinov", times_of_day=("dusk",))


def test_plan_visits_each_place_once_and_covers_hot_cells(demo_store: Store) -> None:
    plan = build_plan(demo_store, RankingRequest("litvinov", JANOV), places=5)
    assert list(plan.stops["position"]) == [1, 2, 3, 4, 5]
    assert sorted(plan.stops["rank"]) == [1, 2, 3, 4, 5]
    assert plan.stops["place_id"].is_unique
    assert plan.route.method in ("street_network", "straight_lines")
    fear = plan.coverage.layers["fear"]
    assert fear.hot == int(plan.ranking.hot_masks()["fear"].sum()) > 0
    assert 0 <= fear.covered <= fear.hot
    assert len(plan.coverage.left_out) == plan.coverage.any_hot.hot - plan.coverage.any_hot.covered


def test_saved_plan_becomes_a_measure_linked_to_its_places(store: Store) -> None:
    plan = build_plan(store, RankingRequest("litvinov", JANOV), places=4)
    plan_id = save_plan(store, POLICE, plan, "Večerní hlídka Janov")
    plans = load_plans(store, "litvinov")
    assert list(plans["plan_id"]) == [plan_id]
    assert plans["who_role"].item() == "police"
    assert plans["length_m"].iloc[0] == pytest.approx(plan.route.length_m)
    assert json.loads(plans["coverage"].iloc[0])["fear"]["hot"] == plan.coverage.layers["fear"].hot
    stops = load_stops(store, plan_id)
    assert list(stops["place_id"]) == list(plan.stops["place_id"])
    # police propose a planned measure; any other status is the strategy editors' call
    with pytest.raises(AccessDenied, match="edit_strategy"):
        save_as_measure(store, POLICE, plan_id, "litvinov-pp9", GOAL, status="in_progress")
    assert load_plans(store, "litvinov")["measure_id"].item() == ""
    measure_id = save_as_measure(store, POLICE, plan_id, "litvinov-pp9", GOAL)
    measures = store.read(MEASURES, "litvinov")
    assert measures.loc[measures["measure_id"] == measure_id, "title"].item() == MEASURE_TEXT
    links = store.read(MEASURE_LINKS, "litvinov")
    mine = links[links["measure_id"] == measure_id]
    assert list(mine["target_kind"]) == ["point"] * 4
    # each stop named by its nearest address, stop or part of town, never by coordinates
    assert all(mine["target_id"].str.contains(r"[A-Za-zÁ-ž]"))
    assert not any(mine["target_id"].str.contains(r"\d+\.\d{4}"))
    assert all(note.startswith(plan_id) for note in mine["note"])
    assert load_plans(store, "litvinov")["measure_id"].item() == measure_id
    with pytest.raises(ValueError, match="no patrol plan"):
        load_stops(store, "litvinov:patrol:none")
    history = store.read(HISTORY)
    assert history.loc[history["entity_id"] == measure_id, "who_role"].tolist() == ["police"]
    with pytest.raises(ValueError, match="title"):
        save_plan(store, POLICE, plan, " ")
    log = read_log(store)
    assert list(zip(log["username"], log["action"], strict=True)) == [
        ("straznik", "save_patrol_plan"), ("straznik", "add_measure"),
        ("straznik", "save_patrol_measure")]
    assert json.loads(log["object_ids"].iloc[2]) == [plan_id, measure_id]


@pytest.mark.parametrize("role", ["public", "urbanist", "strategy_coordinator"])
def test_only_patrol_planners_save_plans_or_measures(store: Store, role: str) -> None:
    plan = build_plan(store, RankingRequest("litvinov", JANOV), places=3)
    plan_id = save_plan(store, POLICE, plan, "Hlídka")
    before = len(read_log(store))
    who = Principal("" if role == "public" else "someone", role)
    with pytest.raises(AccessDenied, match="plan_patrols"):
        save_plan(store, who, plan, "Cizí hlídka")
    with pytest.raises(AccessDenied, match="plan_patrols"):
        save_as_measure(store, who, plan_id, "litvinov-pp9", GOAL)
    assert list(load_plans(store, "litvinov")["plan_id"]) == [plan_id]
    assert load_plans(store, "litvinov")["measure_id"].item() == ""
    assert len(read_log(store)) == before


def test_gpx_reads_back_with_gpxpy_and_gdal(demo_store: Store, tmp_path: Path) -> None:
    plan = build_plan(demo_store, RankingRequest("litvinov", JANOV), places=5)
    text = plan_gpx("Hlídka", plan.route.line(), plan.stops, ["a"] * 5)
    content = read_gpx(text)
    assert [name.split(".")[0] for name, _, _ in content.waypoints] == ["1", "2", "3", "4", "5"]
    stops = plan.stops.to_crs("EPSG:4326")
    assert content.waypoints[0][1] == pytest.approx(stops.geometry.iloc[0].y)
    assert content.track[0] == pytest.approx(content.track[-1])  # a closed tour
    assert len(gpxpy.parse(text).tracks) == 1
    path = tmp_path / "plan.gpx"
    path.write_text(text, encoding="utf-8")
    info = subprocess.run(["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert "Layer name: waypoints" in info and "Feature Count: 5" in info
    assert "Layer name: tracks" in info


def test_every_stop_is_named_by_street_in_plan_gpx_and_sheet(demo_store: Store) -> None:
    plan = build_plan(demo_store, RankingRequest("litvinov", JANOV), places=6)
    points = demo_store.read(ADDRESS_POINTS, "litvinov")
    streets = (set(points["street"]) | set(points["part"])) - {""}  # a part where no streets
    names = list(plan.stops["place_name"])
    found = [re.fullmatch(r"(.+?) (ev\. )?\d+(/\d+\w?)?( \(\d+ m\))?", n) for n in names]
    assert all(m is not None and m.group(1) in streets for m in found), names
    stop_names = set(demo_store.read(TRANSIT_STOPS, "litvinov")["name"])
    for nearest in plan.stops["nearest_stop"]:  # fear near stops: the nearest one, and how far
        name, metres = re.fullmatch(r"(.+) \((\d+) m\)", nearest).groups()  # type: ignore[union-attr]
        assert name in stop_names and int(metres) < 3000
    content = gpxpy.parse(plan_gpx("Hlídka", plan.route.line(), plan.stops, ["x"] * 6))
    for waypoint, name, window in zip(content.waypoints, names, plan.stops["time_window"],
                                      strict=True):
        assert waypoint.name.endswith(name) and window in waypoint.description
    html = sheet_html(plan, "Litvínov", {})
    assert all(escape(n) in html for n in names)
    assert not any(str(p) in html for p in plan.stops["place_id"])


def test_sheet_shows_counts_only(store: Store, tmp_path: Path) -> None:
    pins = store.read(PINS, "litvinov")
    first = pins[(pins["status"] == "approved")
                 & (pins["category"] == "drunk_drugged")].head(3).copy()
    first["pin_id"] = [f"litvinov-secret-{i}" for i in range(3)]
    first["comment"] = "Soused Novák z čísla 12 prodává"
    store.append(PINS, first)
    demo_store = store
    plan = build_plan(demo_store, RankingRequest("litvinov", JANOV), places=5)
    labels = {"drug_dealing": "Prodej drog", "dogs": "Psi"}
    assert reported_text('{"drug_dealing": 2, "dogs": 1}', labels, 5) == \
        "Prodej drog: méně než 5, Psi: 1"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(sheet_pdf(plan, demo_store.read(TOWNS, "litvinov"),
                              demo_store.read(CONTEXT_LINES, "litvinov"), "Litvínov", labels))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Plán hlídky – Litvínov" in text and "17:00–22:00" in text
    # the map names the stops and streets around the round (no street network: at the
    # streets' address points), so an officer recognises where the places are
    landmarks = plan.landmarks
    assert landmarks is not None and set(landmarks["kind"]) == {"stop", "street"}
    near = landmarks[landmarks.distance(plan.route.line()) < 50]
    for kind in ("stop", "street"):
        names = near[near["kind"] == kind]["name"]
        assert len(names) and any(name in text for name in names), kind
    pins = demo_store.read(PINS, "litvinov")
    pins = store.read(PINS, "litvinov")
    private = [str(v) for v in (*pins["pin_id"], *pins["comment"].dropna(),
                                *pins["session_id"]) if str(v).strip()]
    assert "Soused Novák z čísla 12 prodává" in private
    html = sheet_html(plan, "Litvínov", labels)
    for value in private:
        assert value not in text and value not in html
    assert html.count("<tr>") == 6
