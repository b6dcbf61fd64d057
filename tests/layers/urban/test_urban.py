"""Accessibility against hand-computed distances, white spots that come and go with a
service, safety audits, service links as a graph, and GeoPackage export checked by ogrinfo."""

from __future__ import annotations

import math
import subprocess
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from layers.access.audit import read_log
from layers.access.principal import AccessDenied, Principal
from layers.crs import METRIC_CRS
from layers.schema import AUDIT_ASPECTS, MEASURES, SERVICES
from layers.store import Store
from layers.store.spatial import nearest
from layers.urban.accessibility import (
    SERVICE_GROUPS,
    accessibility,
    town_accessibility,
)
from layers.urban.audits import Audit, add_audit, aspect_summary, load_audits
from layers.urban.export import export_gpkg
from layers.urban.service_links import (
    add_service_link,
    load_links,
    service_graph,
    system_summary,
)

X0, Y0 = -785_000.0, -985_000.0
AT = "2026-11-23T10:00:00+00:00"
URBANIST = Principal("architektka", "urbanist")
FACILITATOR = Principal("terenni", "facilitator", "spolek MY Litvínov")


def _origins() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"origin_kind": ["locality", "cell"], "origin_id": ["L", "c"], "name": ["L", "c"]},
        geometry=[box(X0, Y0, X0 + 200, Y0 + 200), Point(X0 + 1000, Y0)], crs=METRIC_CRS)


def _services(rows: Sequence[tuple[str, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"service_type": [r[0] for r in rows]},
                            geometry=[Point(X0 + x, Y0 + y) for _, x, y in rows],
                            crs=METRIC_CRS)


def test_distances_match_hand_computation() -> None:
    services = _services([("nzdm", 100, 100),          # inside the locality
                          ("municipal_police", 500, 100),  # police group
                          ("apk", 1000, 300),           # police group, 300 m from the cell
                          ("playground", 1300, 400)])
    result = accessibility(_origins(), services, distance_m=400)
    table = result.table.set_index("origin_id")
    assert table.loc["L", "dist_nzdm"] == pytest.approx(0.0)
    assert table.loc["c", "dist_nzdm"] == pytest.approx(math.hypot(900, 100))
    assert table.loc["L", "dist_police"] == pytest.approx(300.0)  # 500 − 200 to the edge
    assert table.loc["c", "dist_police"] == pytest.approx(300.0)
    assert table.loc["c", "dist_playground"] == pytest.approx(500.0)
    assert math.isinf(table.loc["L", "dist_social"])
    assert table.loc["L", "white"] == "community_centre, playground, social"
    assert table.loc["c", "white"] == "nzdm, community_centre, playground, social"
    assert set(SERVICE_GROUPS) == {"nzdm", "community_centre", "playground", "police", "social"}


def test_white_spots_appear_and_disappear_when_a_service_is_added() -> None:
    base = [("nzdm", 100, 100), ("community_centre", 150, 50), ("playground", 50, 50),
            ("police", 100, 150), ("social_service", 120, 120)]
    before = accessibility(_origins(), _services(base), distance_m=300)
    assert list(before.white_spots["origin_id"]) == ["c"]
    near_cell = [(kind, 1000 + 10, 10) for kind in ("nzdm", "community_centre", "playground",
                                                    "police", "debt_counselling")]
    after = accessibility(_origins(), _services(base + near_cell), distance_m=300)
    assert after.white_spots.empty
    tighter = accessibility(_origins(), _services(base + near_cell), distance_m=5)
    assert list(tighter.white_spots["origin_id"]) == ["c"]


def test_nearest_distances_without_services_or_origins() -> None:
    assert np.isinf(nearest(np.array([Point(0, 0)]), np.empty(0, dtype=object))).all()
    assert nearest(np.empty(0, dtype=object), np.array([Point(0, 0)])).size == 0


def test_town_accessibility_has_localities_and_hot_cells(demo_store: Store) -> None:
    result = town_accessibility(demo_store, "kraslice", 500)
    kinds = result.table["origin_kind"].value_counts()
    assert kinds["locality"] == 3 and kinds["cell"] > 0
    assert set(result.layers()) == {"access_localities", "access_cells"}


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def _audit(**changes: object) -> Audit:
    values: dict[str, object] = {
        "town_id": "litvinov", "place_label": "Janov – podchod", "date": "2026-11-20",
        "lon": 13.6360, "lat": 50.6085,
        "scores": {a: 3 for a in AUDIT_ASPECTS} | {"lighting": 1, "escape_routes": 1},
        "note": "tma, zarostlé keře"}
    values.update(changes)
    return Audit(**values)  # type: ignore[arg-type]


def test_audits_are_validated_stored_and_summarised(store: Store) -> None:
    measure = store.read(MEASURES, "litvinov")["measure_id"].iloc[0]
    audit_id = add_audit(store, URBANIST, _audit(measure_ids=(measure,)), AT)
    audits = load_audits(store, "litvinov")
    assert list(audits["audit_id"]) == [audit_id]
    assert audits["auditor_role"].item() == "urbanist"
    assert audits["weakest"].item() == "lighting, escape_routes"
    assert audits["mean"].item() == pytest.approx((4 * 3 + 2) / 6)
    summary = aspect_summary(audits).set_index("aspect")
    assert summary.loc["lighting", "poor"] == 1 and summary.loc["feeling", "poor"] == 0
    with pytest.raises(ValueError, match="1–5"):
        _audit(scores={a: 6 for a in AUDIT_ASPECTS})
    with pytest.raises(ValueError, match="exactly"):
        _audit(scores={"lighting": 3})
    with pytest.raises(ValueError, match="outside"):
        add_audit(store, URBANIST, _audit(lon=14.4, lat=50.08), AT)
    with pytest.raises(ValueError, match="no measures"):
        add_audit(store, URBANIST, _audit(measure_ids=("nope",)), AT)
    assert len(load_audits(store, "litvinov")) == 1
    log = read_log(store)
    assert log[["username", "role", "action", "layer"]].values.tolist() == [
        ["architektka", "urbanist", "add_safety_audit", "safety_audits"]]
    assert log["object_ids"].item() == f'["{audit_id}"]'


@pytest.mark.parametrize("who", [FACILITATOR, Principal("straznik", "police"),
                                 Principal("", "public")])
def test_only_urbanists_record_audits_and_links(store: Store, who: Principal) -> None:
    with pytest.raises(AccessDenied, match="edit_urban"):
        add_audit(store, who, _audit(), AT)
    with pytest.raises(AccessDenied, match="edit_urban"):
        add_service_link(store, who, "litvinov", "litvinov-s08", "litvinov-s06", "referral", AT)
    assert load_audits(store, "litvinov").empty and load_links(store, "litvinov").empty
    assert read_log(store).empty


def test_service_links_form_a_graph_and_show_who_stands_alone(store: Store) -> None:
    first = add_service_link(store, URBANIST, "litvinov", "litvinov-s08", "litvinov-s06",
                             "referral", AT, "NZDM posílá rodiny do komunitního centra")
    add_service_link(store, URBANIST, "litvinov", "litvinov-s06", "litvinov-s07",
                     "cooperation", AT)
    links = load_links(store, "litvinov")
    assert links["link_id"].iloc[0] == first and len(links) == 2
    assert set(links["who_role"]) == {"urbanist"}
    log = read_log(store)
    assert list(log["action"]) == ["add_service_link"] * 2
    assert log["object_ids"].iloc[0] == f'["{first}"]'
    assert links.geometry.iloc[0].geom_type == "LineString"
    with pytest.raises(ValueError, match="already"):
        add_service_link(store, URBANIST, "litvinov", "litvinov-s06", "litvinov-s08",
                         "referral", AT)
    with pytest.raises(ValueError, match="itself"):
        add_service_link(store, URBANIST, "litvinov", "litvinov-s06", "litvinov-s06",
                         "referral", AT)
    with pytest.raises(ValueError, match="no services"):
        add_service_link(store, URBANIST, "litvinov", "litvinov-s06", "kraslice-s01",
                         "referral", AT)
    assert len(read_log(store)) == 2
    summary = system_summary(service_graph(store.read(SERVICES, "litvinov"), links))
    row = summary.set_index("service_id")
    assert row.loc["litvinov-s06", "partners"] == 2
    groups = dict(zip(summary["service_id"], summary["group"], strict=True))
    assert groups["litvinov-s08"] == groups["litvinov-s07"] == 1
    assert row.loc["litvinov-s01", "group"] == 0 and row.loc["litvinov-s01", "partners"] == 0


def test_export_writes_layers_that_ogrinfo_reads(demo_store: Store, tmp_path: Path) -> None:
    result = town_accessibility(demo_store, "kraslice", 500)
    out = tmp_path / "view.gpkg"
    counts = export_gpkg({**result.layers(), "services": demo_store.read(SERVICES, "kraslice"),
                          "empty": demo_store.read(SERVICES, "nowhere")}, out)
    assert "empty" not in counts
    info = subprocess.run(["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True,
                          check=True).stdout
    assert "Layer name: access_localities" in info and "Feature Count: 3" in info
    assert "dist_nzdm: Real" in info and "white: String" in info
    assert "Layer name: services" in info
    with pytest.raises(ValueError, match="nothing to export"):
        export_gpkg({"x": demo_store.read(SERVICES, "nowhere")}, out)
