"""Places named as people name them: the locality a point lies in, else the direction and
distance from the town's centre; never an id or a coordinate."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import Point, box

from layers.crs import METRIC_CRS
from layers.naming import PlaceName, name_places
from layers.urban.accessibility import town_origins

CENTRE = Point(-800_000, -1_000_000)


def test_points_are_named_by_locality_else_direction_from_the_centre() -> None:
    localities = gpd.GeoDataFrame({"name": ["Janov"]}, geometry=[
        box(-801_000, -999_000, -800_500, -998_500)], crs=METRIC_CRS)
    points = np.array([Point(-800_700, -998_700),   # inside Janov
                       Point(-800_100, -1_000_100),  # 141 m away: the centre
                       Point(-800_000, -998_800),    # 1.2 km north (y grows northwards)
                       Point(-798_500, -1_001_500)], dtype=object)  # 2.1 km south-east
    names = name_places(points, localities, CENTRE)
    assert [name.text("cs") for name in names] == [
        "Janov", "centrum", "1,2 km severně od centra", "2,1 km jihovýchodně od centra"]
    assert [name.text("en") for name in names][2:] == [
        "1.2 km north of the centre", "2.1 km south-east of the centre"]
    assert names[0] == PlaceName("Janov", "nw", names[0].distance_m)


def test_hot_cells_of_accessibility_carry_their_names_not_ids() -> None:
    cells = gpd.GeoDataFrame({"cell_id": ["-2974:-11514"]}, geometry=[
        box(-800_050, -997_050, -799_950, -996_950)], crs=METRIC_CRS)
    empty = gpd.GeoDataFrame({"locality_id": [], "name": []}, geometry=[], crs=METRIC_CRS)
    origins = town_origins(empty, cells, np.array([True]), CENTRE)
    assert origins["origin_id"].tolist() == ["-2974:-11514"]
    assert origins["place_cs"].tolist() == ["3,0 km severně od centra"]
    assert origins["place_en"].tolist() == ["3.0 km north of the centre"]
