"""The area view: which measures concern an area, goal trees, indicator changes, and which
public hotspot cells a measure addresses (hand-made town in EPSG:5514, known answers)."""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.strategy.area import (
    AreaView,
    Change,
    area_view,
    goal_tree,
    indicator_change,
    indicator_table,
)
from layers.strategy.model import Goal, Indicator, Link, Measure, Observation, Strategy

SID = "s"
# 200 m grid cells (aligned on multiples of 200 m in EPSG:5514)
CELL_A = (-779900.0, -979900.0)  # sensitive pins, 100 m from place P
CELL_B = (-778900.0, -979900.0)  # plain fear pins, only an ended measure's polygon covers it
CELL_C = (-779500.0, -979500.0)  # plain fear pins inside locality L1
CELL_D = (-778500.0, -979100.0)  # positive answers only: not a place of fear
PLACE_P = (-779900.0, -979700.0)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    point = gpd.GeoSeries([Point(x, y)], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    return point.x, point.y


def _wkt(shape: BaseGeometry) -> str:
    return gpd.GeoSeries([shape], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0].wkt


def _pins() -> gpd.GeoDataFrame:
    rows = []
    for (x, y), category, n in ((CELL_A, "drug_dealing", 6), (CELL_B, "dark_place", 5),
                                (CELL_C, "dark_place", 7), (CELL_D, "feel_good", 9)):
        rows += [{"category": category, "status": "approved",
                  "geometry": Point(x + i * 3, y - i * 3)} for i in range(n)]
    rows.append({"category": "dark_place", "status": "pending", "geometry": Point(*CELL_B)})
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


class Town(NamedTuple):
    town: pd.Series
    boundary: gpd.GeoDataFrame
    localities: gpd.GeoDataFrame
    services: gpd.GeoDataFrame
    pins: gpd.GeoDataFrame
    places: dict[str, tuple[float, float]]


def _town() -> Town:
    boundary = gpd.GeoDataFrame({"town_id": ["t"]},
                                geometry=[box(-781000, -981000, -778000, -978000)],
                                crs=METRIC_CRS)
    localities = gpd.GeoDataFrame({"locality_id": ["L1"], "name": ["Lokalita"]},
                                  geometry=[box(-779600, -979600, -779400, -979400)],
                                  crs=METRIC_CRS)
    services = gpd.GeoDataFrame({"service_id": ["svc"], "name": ["Centrum"]},
                                geometry=[Point(-779450, -979450)], crs=METRIC_CRS)
    return Town(pd.Series({"town_id": "t", "kod_kraj": "K"}), boundary, localities, services,
                _pins(), {"P": _lonlat(*PLACE_P)})


def _strategy() -> Strategy:
    goals = (Goal("g1", SID, "1", "Bezpečné město", "long_term"),
             Goal("g2", SID, "2", "Dobré sousedství", "long_term"),
             Goal("g11", SID, "1.1", "Méně strachu na ulici", "specific", parent_id="g1"))
    measures = (
        Measure("m1", SID, "Hlídky u P", number="M1", goal_ids=("g11",), status="in_progress",
                links=(Link("m1", "place", "P"),)),
        Measure("m2", SID, "Osvětlení B", number="M2", goal_ids=("g2",), status="ended",
                links=(Link("m2", "polygon", "plocha B",
                            _wkt(box(-779000, -980000, -778800, -979800))),)),
        Measure("m3", SID, "Komunitní práce", number="M3", goal_ids=("g1", "g2"),
                links=(Link("m3", "locality", "L1"), Link("m3", "service", "svc"))),
        Measure("m4", SID, "Koordinace", number="M4", links=(Link("m4", "town", "t"),)),
    )
    indicators = (
        Indicator("i1", SID, "Pracovní skupina", "ano_castecne_ne", goal_id="g11",
                  baseline_value="NE", baseline_date="2023",
                  observations=(Observation("i1", "2024-06", "ANO"),
                                Observation("i1", "2023-12", "ČÁSTEČNĚ"))),
        Indicator("i2", SID, "Počet hlídek", "numeric", baseline_value="10",
                  observations=(Observation("i2", "2024", "7.5"),)),
        Indicator("i3", SID, "Popis", "text", baseline_value="nic"),
    )
    return Strategy(SID, "Plán", "Město", "2023–2024", "test", town_id="t", goals=goals,
                    measures=measures, indicators=indicators)


def _other_towns_strategy() -> Strategy:
    return Strategy("o", "Jiné město", "Jiné", "", "test", town_id="u",
                    measures=(Measure("o1", "o", "Cizí", links=(Link("o1", "town", "u"),)),))


def _view(locality_id: str | None = None) -> AreaView:
    town = _town()
    return area_view([_other_towns_strategy(), _strategy()], town.town, town.boundary,
                     town.localities, town.services, town.pins, locality_id,
                     places=town.places)


def _cell_of(view: AreaView, x: float, y: float) -> pd.Series | None:
    point = gpd.GeoSeries([Point(x, y)], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    hit = view.cells[view.cells.geometry.covers(point)]
    return hit.iloc[0] if len(hit) else None


def test_cells_are_addressed_by_a_near_place_or_a_locality_but_not_an_ended_measure() -> None:
    view = _view()
    assert len(view.cells) == 3  # A, B, C; D holds only positive answers
    a, b, c = (_cell_of(view, *xy) for xy in (CELL_A, CELL_B, CELL_C))
    assert a is not None and b is not None and c is not None
    assert _cell_of(view, *CELL_D) is None
    assert (a["count"], a["addressed"], a["measures"]) == (6, True, "M1")
    assert (c["count"], c["addressed"], c["measures"]) == (7, True, "M3")
    assert (b["count"], bool(b["addressed"])) == (5, False)  # the pending pin does not count
    assert len(view.unaddressed) == 1
    assert view.unaddressed.iloc[0]["count"] == 5


def test_a_place_further_than_150_m_does_not_address_a_cell() -> None:
    town = _town()
    far = {"P": _lonlat(PLACE_P[0], PLACE_P[1] + 60)}  # 160 m from cell A's top edge
    view = area_view([_strategy()], town.town, town.boundary, town.localities, town.services,
                     town.pins, places=far)
    cell = _cell_of(view, *CELL_A)
    assert cell is not None and not bool(cell["addressed"])


def test_whole_town_takes_the_own_document_and_a_locality_only_linked_measures() -> None:
    town_view = _view()
    assert [s.strategy.strategy_id for s in town_view.strategies] == [SID]
    chosen = {m.measure_id for s in town_view.strategies for _, n in
              (w for r in s.roots for w in r.walk()) for m in n.measures}
    assert chosen == {"m1", "m2", "m3"}
    assert [m.measure_id for m in town_view.strategies[0].loose_measures] == ["m4"]
    assert list(town_view.places["label"]) == ["P"]

    local = _view("L1")
    tree = local.strategies[0]
    chosen = {m.measure_id for _, n in (w for r in tree.roots for w in r.walk())
              for m in n.measures}
    assert chosen == {"m3"}  # the locality link; m1's place and m2's polygon lie outside
    assert [m.measure_id for m in tree.loose_measures] == ["m4"]  # the whole town's measure
    assert list(local.services["service_id"]) == ["svc"]
    assert local.places.empty
    assert len(local.cells) == 1 and bool(local.cells.iloc[0]["addressed"])


def test_unknown_locality_raises() -> None:
    with pytest.raises(KeyError, match="L9"):
        _view("L9")


def test_goal_tree_nests_in_document_order() -> None:
    strategy = _strategy()
    tree = goal_tree(strategy, strategy.measures)
    walked = [(depth, node.goal.number, [m.number for m in node.measures])
              for root in tree.roots for depth, node in root.walk()]
    assert walked == [(0, "1", ["M3"]), (1, "1.1", ["M1"]), (0, "2", ["M2", "M3"])]


def test_indicator_change_arithmetic() -> None:
    assert indicator_change("ano_castecne_ne", "NE", "ČÁSTEČNĚ") == Change("better")
    assert indicator_change("ano_castecne_ne", "ANO", "ČÁSTEČNĚ") == Change("worse")
    assert indicator_change("ano_castecne_ne", "ČÁSTEČNĚ", "ČÁSTEČNĚ") == Change("same")
    # a number is judged by the indicator's direction (higher is better unless it says lower)
    assert indicator_change("numeric", "10", "7.5") == Change("worse", difference=-2.5)
    assert indicator_change("numeric", "10", "7.5", "lower_better") == Change(
        "better", difference=-2.5)
    assert indicator_change("numeric", "4", "4", "lower_better") == Change("same", 0.0)
    assert indicator_change("ano_castecne_ne", "NE", "ANO", "lower_better") == Change("worse")
    assert indicator_change("numeric", "3", None) == Change()
    assert Change().word == "not_comparable"
    # prose compares only by what the document's wording states
    assert indicator_change("text", "a", "b") == Change()
    assert indicator_change("text", "a", "b", assessed="worse") == Change("worse")
    with pytest.raises(ValueError, match="MOŽNÁ"):
        indicator_change("ano_castecne_ne", "NE", "MOŽNÁ")


def test_indicator_table_takes_the_latest_observation_by_date() -> None:
    rows = {row["indicator_id"]: row for row in indicator_table([_strategy()]).to_dict("records")}
    assert [rows["i1"][c] for c in ("goal", "latest", "latest_date", "change", "arrow")] == [
        "1.1", "ANO", "2024-06", "better", "↗"]
    assert rows["i1"]["direction"] == "higher_better"
    assert rows["i2"]["difference"] == pytest.approx(-2.5)
    assert rows["i2"]["change"] == "worse"
    assert pd.isna(rows["i3"]["latest"]) and pd.isna(rows["i3"]["difference"])
    assert rows["i3"]["change"] == "not_comparable"
