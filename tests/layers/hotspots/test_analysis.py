"""A town's hotspots from a store: results and the bad inputs the issue lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import geopandas as gpd
import numpy as np
import pytest

from layers.hotspots.analysis import (
    HotspotInputError,
    HotspotRequest,
    run_hotspots,
    town_change,
    town_evaluation,
)
from layers.hotspots.filters import PinFilter
from layers.schema import POLICE_OFFENCES
from layers.store import GeoPackageStore
from tests.layers.hotspots.conftest import ORIGIN, SIDE, pins_frame, planted, police_offences_frame

MakeStore = Callable[[gpd.GeoDataFrame], GeoPackageStore]


def test_planted_cluster_is_hot_and_fear_crime_uses_the_district_index(
        make_store: MakeStore) -> None:
    x, y, centre = planted(np.random.default_rng(1))
    store = make_store(pins_frame(x, y))
    report = run_hotspots(store, HotspotRequest("t", cell_m=100, lee_permutations=19))
    cells = report.cells
    hot = cells[cells["fear_class"] == "hot_99"]
    assert len(hot) > 0
    centres = np.column_stack([hot.geometry.centroid.x, hot.geometry.centroid.y])
    assert np.hypot(centres[:, 0] - centre[0], centres[:, 1] - centre[1]).max() < 300
    assert report.layers["fear"].points == len(x)
    assert report.layers["crime"].source == "district_index"
    # district index 400 per 10k (400 crimes / 10,000 people) > region 300: crime "high"
    assert report.layers["crime"].reference_per_10k == pytest.approx(300.0)
    # every cell of the district has the same crime value: no class can be told apart in it
    assert set(cells["fear_crime"]) == {"department_only"}
    assert any("cannot be separated" in note for note in report.notes)
    assert cells["crime_hot"].all()
    assert report.agreement is None
    assert "1 ring" in report.weights["weights"]
    assert cells["fear_kde"].idxmax() in hot.index


def test_pins_outside_the_town_are_left_out_with_a_note(make_store: MakeStore) -> None:
    x, y, _ = planted(np.random.default_rng(2))
    x = np.concatenate([x, [ORIGIN[0] - 2_000, ORIGIN[0] + SIDE + 900]])
    y = np.concatenate([y, [ORIGIN[1], ORIGIN[1]]])
    report = run_hotspots(make_store(pins_frame(x, y)), HotspotRequest("t", lee_permutations=0))
    assert report.layers["fear"].outside == 2
    assert any("2 pins outside the town" in note for note in report.notes)


@pytest.mark.parametrize(("xs", "ys", "message"), [
    ([], [], "no approved pins match"),
    ([ORIGIN[0] + 500], [ORIGIN[1] + 500], "only 1 of the approved pins"),
    ([ORIGIN[0] + 500] * 3, [ORIGIN[1] + 500] * 3, "all 3 approved pins fall in one cell"),
    ([ORIGIN[0] - 900, ORIGIN[0] - 800], [ORIGIN[1], ORIGIN[1]], "all 2 approved pins lie "
                                                                  "outside the town"),
])
def test_bad_selections_give_clear_messages(make_store: MakeStore, xs: list[float],
                                            ys: list[float], message: str) -> None:
    store = make_store(pins_frame(np.array(xs, dtype=float), np.array(ys, dtype=float)))
    with pytest.raises(HotspotInputError, match=message):
        run_hotspots(store, HotspotRequest("t"))


def test_filter_that_selects_nothing_and_unknown_town(make_store: MakeStore) -> None:
    x, y, _ = planted(np.random.default_rng(3))
    store = make_store(pins_frame(x, y))
    with pytest.raises(HotspotInputError, match="no approved pins"):
        run_hotspots(store, HotspotRequest("t", pins=PinFilter(categories=("dogs",))))
    with pytest.raises(HotspotInputError, match="unknown town"):
        run_hotspots(store, HotspotRequest("nowhere"))


def test_crime_layer_failing_does_not_stop_fear_but_fear_layer_must_work(
        make_store: MakeStore) -> None:
    x, y, _ = planted(np.random.default_rng(3))
    store = make_store(pins_frame(x, y, status="pending"))
    with pytest.raises(HotspotInputError, match="no approved pins"):
        run_hotspots(store, HotspotRequest("t"), layer="fear")
    report = run_hotspots(store, HotspotRequest("t", lee_permutations=0), layer="crime")
    assert (report.cells["fear_crime"] == "unknown").all()
    assert any(note.startswith("fear: no approved pins") for note in report.notes)


def test_public_view_withholds_lonely_sensitive_pins_and_the_bandwidth(
        make_store: MakeStore) -> None:
    x, y, _ = planted(np.random.default_rng(5))
    categories = np.array(["dark_place"] * len(x), dtype=object)
    categories[:4] = "drug_dealing"  # four scattered background pins: each alone in its cell
    categories[-10:] = "drug_dealing"  # ten in the cluster: cells with ≥ 5 of them survive
    store = make_store(pins_frame(x, y, category=categories))
    private = run_hotspots(store, HotspotRequest("t", lee_permutations=0))
    public = run_hotspots(store, HotspotRequest("t", public=True, k=5, lee_permutations=0))
    assert private.layers["fear"].bandwidth_m is not None
    assert public.layers["fear"].bandwidth_m is None
    assert 4 <= public.layers["fear"].withheld <= 14
    assert public.cells["fear_count"].sum() == len(x) - public.layers["fear"].withheld
    with pytest.raises(ValueError, match="at least 3"):
        run_hotspots(store, HotspotRequest("t", public=True, k=2))


def _two_rounds() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(11)
    x1, y1, _ = planted(rng)
    x2, y2, _ = planted(rng)
    x2 = x2 + np.where(np.arange(len(x2)) >= 300, -1_200.0, 0.0)  # the cluster moves west
    dates = ["2023-05-01"] * len(x1) + ["2024-05-01"] * len(x2)
    return pins_frame(np.concatenate([x1, x2]), np.concatenate([y1, y2]), created_at=dates)


def test_town_change_finds_the_moved_cluster(make_store: MakeStore) -> None:
    store = make_store(_two_rounds())
    first = PinFilter(date_to=date(2023, 12, 31))
    second = PinFilter(date_from=date(2024, 1, 1))
    result = town_change(store, "t", first, second, permutations=99)
    assert result.p_value <= 0.02
    counts = result.cells["change"].value_counts()
    assert counts.get("new", 0) > 0 and counts.get("diminishing", 0) > 0
    assert result.cells["cell_id"].str.contains(":").all()
    with pytest.raises(HotspotInputError, match="second selection"):
        town_change(store, "t", first, PinFilter(date_from=date(2030, 1, 1)))


def test_town_evaluation_pai_of_a_stable_and_a_moved_pattern(make_store: MakeStore) -> None:
    store = make_store(_two_rounds())
    first = PinFilter(date_to=date(2023, 12, 31))
    second = PinFilter(date_from=date(2024, 1, 1))
    same = town_evaluation(store, "t", first, first, coverage=0.05)
    moved = town_evaluation(store, "t", first, second, coverage=0.05)
    assert same.area_share <= 0.05
    assert same.pai > 3  # the cluster is where the map says
    assert moved.pai < same.pai
    assert moved.total == 360 and same.hit_rate == pytest.approx(same.hits / same.total)


def test_crime_hotspots_count_police_offences_at_approximate_positions_half(
        make_store: MakeStore) -> None:
    x, y, centre = planted(np.random.default_rng(5))
    store = make_store(pins_frame(x, y))
    exact = np.arange(len(x)) % 4 != 0
    store.append_batch([(POLICE_OFFENCES, police_offences_frame(
        x, y, ["2024-05-01"] * len(x), exact))])
    report = run_hotspots(store, HotspotRequest("t"), layer="crime")
    summary = report.layers["crime"]
    assert summary.source == "offences" and summary.points == len(x)
    assert report.cells["crime_count"].sum() == pytest.approx(exact.sum() + 0.5 * (~exact).sum())
    hot = report.cells.loc[report.cells["crime_bin"] == 3, "geometry"]
    assert hot.distance(gpd.points_from_xy([centre[0]], [centre[1]])[0]).min() < 200
