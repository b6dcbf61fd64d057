"""Public view of fear pins: sensitive answers only as grid cells of at least k answers."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.errors import InvalidInput
from layers.privacy import public_exact_pins, public_pin_cells, public_pin_view
from layers.schema import PINS
from layers.store import open_store
from tests.layers.store.sample import CELL_M as SAMPLE_CELL_M
from tests.layers.store.sample import town_pins

CELL_M = 200.0
# South-west corner of one 200 m cell of the EPSG:5514 grid, in Litvínov.
X0, Y0 = -783_800.0, -976_000.0


def _pins(rows: list[tuple[float, float, str, str]]) -> gpd.GeoDataFrame:
    """Pins from (metres east of X0, metres north of Y0, category, status), in EPSG:4326."""
    frame = gpd.GeoDataFrame(
        {
            "pin_id": [f"p{i}" for i in range(len(rows))],
            "category": [r[2] for r in rows],
            "feeling": 2,
            "status": [r[3] for r in rows],
            "place_note": "u Nováků",
        },
        geometry=[Point(X0 + r[0], Y0 + r[1]) for r in rows],
        crs=METRIC_CRS,
    )
    return frame.to_crs(STORAGE_CRS)


def _in_cell(n: int, category: str = "drug_dealing", status: str = "approved",
             dx: float = 0.0) -> list[tuple[float, float, str, str]]:
    return [(dx + 20.0 + 25.0 * i, 30.0 + 17.0 * i, category, status) for i in range(n)]


def test_six_sensitive_pins_in_one_cell_give_one_cell_of_six() -> None:
    pins = _pins(_in_cell(4, "drug_dealing") + _in_cell(2, "racism"))
    _, cells = public_pin_view(pins, k=5, cell_m=CELL_M)
    assert len(cells) == 1
    assert cells["count"].tolist() == [6]
    assert json.loads(cells["category_counts"].iloc[0]) == {"drug_dealing": 4, "racism": 2}
    assert cells.crs == STORAGE_CRS
    square = cells.to_crs(METRIC_CRS).geometry.iloc[0]
    expected = shapely.box(X0, Y0, X0 + CELL_M, Y0 + CELL_M)
    assert square.hausdorff_distance(expected) < 0.01
    assert list(cells.columns) == ["count", "category_counts", "geometry"]


def test_cell_below_k_is_dropped_and_exactly_k_is_kept() -> None:
    assert public_pin_view(_pins(_in_cell(4)), k=5)[1].empty
    assert public_pin_view(_pins(_in_cell(3)), k=3)[1]["count"].tolist() == [3]


def test_pending_and_rejected_pins_are_ignored() -> None:
    pins = _pins(_in_cell(4) + _in_cell(3, status="pending") + _in_cell(2, status="rejected")
                 + _in_cell(2, "dark_place", status="pending"))
    exact, cells = public_pin_view(pins, k=5)
    assert cells.empty
    assert exact.empty


def test_pins_in_neighbouring_cells_are_not_pooled() -> None:
    pins = _pins(_in_cell(3) + _in_cell(3, dx=CELL_M))
    assert public_pin_view(pins, k=5)[1].empty
    assert sorted(public_pin_view(pins, k=3)[1]["count"]) == [3, 3]


def test_non_sensitive_approved_pins_stay_exact_without_free_text() -> None:
    pins = _pins(_in_cell(2, "dark_place") + _in_cell(1, "feel_good") + _in_cell(6)
                 + _in_cell(1, "traffic", status="rejected"))
    exact, _ = public_pin_view(pins)
    assert sorted(exact["category"]) == ["dark_place", "dark_place", "feel_good"]
    originals = pins.set_index("pin_id").geometry
    for pin_id, geom in zip(exact["pin_id"], exact.geometry, strict=True):
        assert geom.equals(originals[pin_id])
    assert exact.crs == STORAGE_CRS
    assert "place_note" not in exact.columns
    assert "feeling" in exact.columns


def test_no_sensitive_coordinate_appears_in_the_output() -> None:
    sensitive = _in_cell(7, "syringes") + _in_cell(5, "exhibitionist", dx=CELL_M)
    pins = _pins(sensitive + _in_cell(3, "dogs", dx=7.0))
    exact, cells = public_pin_view(pins, k=5)
    assert sorted(cells["count"]) == [5, 7]
    assert set(exact["category"]) == {"dogs"}
    secret = pins[pins["category"].isin(["syringes", "exhibitionist"])]
    secret_xy = np.round(shapely.get_coordinates(secret.geometry.to_numpy()), 7)
    out_xy = np.round(np.vstack([shapely.get_coordinates(cells.geometry.to_numpy()),
                                 shapely.get_coordinates(exact.geometry.to_numpy())]), 7)
    shared = {tuple(p) for p in secret_xy} & {tuple(p) for p in out_xy}
    assert not shared
    assert set(exact["pin_id"]).isdisjoint(secret["pin_id"])
    assert "u Nov" not in cells.to_json() + exact.to_json()
    # every sensitive pin lies in one of the published cells (count matches containment)
    inside = [int(cell.contains(secret.geometry).sum()) for cell in cells.geometry]
    assert sorted(inside) == [5, 7]


@pytest.mark.parametrize("k", [2, 1, 0, -1])
def test_k_below_three_raises(k: int) -> None:
    with pytest.raises(ValueError, match="at least 3"):
        public_pin_view(_pins(_in_cell(6)), k=k)


def test_non_positive_cell_size_raises() -> None:
    with pytest.raises(ValueError, match="cell_m"):
        public_pin_view(_pins(_in_cell(6)), cell_m=0)


def test_no_pins_give_empty_frames_with_the_columns() -> None:
    exact, cells = public_pin_view(_pins([]))
    assert exact.empty and cells.empty
    assert list(cells.columns) == ["count", "category_counts", "geometry"]
    assert cells.crs == STORAGE_CRS


@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_cells_counted_by_the_store_equal_the_public_view(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # pins at least 40 m inside their cells: PostGIS's PROJ (up to ~1.5 m from pyproj's)
    # cannot move one into another cell
    pins = town_pins(n=400)
    pins["category"] = np.where(np.arange(len(pins)) % 3 == 0, "dark_place",
                                np.where(np.arange(len(pins)) % 3 == 1, "drug_dealing",
                                         "dangerous_people"))
    location = str(tmp_path / "s.gpkg") if backend == "gpkg" \
        else str(request.getfixturevalue("pg_url"))
    store = open_store(location)
    store.replace_all({"pins": pins})
    for town in ("a", "b"):
        exact, cells = public_pin_view(store.read(PINS, town), k=3, cell_m=SAMPLE_CELL_M)
        stored = public_pin_cells(store, town, k=3, cell_m=SAMPLE_CELL_M)
        assert len(cells) > 0
        pd.testing.assert_frame_equal(pd.DataFrame(stored.drop(columns="geometry")),
                                      pd.DataFrame(cells.drop(columns="geometry")))
        assert stored.geometry.geom_equals_exact(cells.geometry, 1e-9).all()
        pd.testing.assert_frame_equal(public_exact_pins(store.read(PINS, town)), exact)
    with pytest.raises(InvalidInput):
        public_pin_cells(store, "a", k=2)
