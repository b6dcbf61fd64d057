"""Reading and validating an offences file (CSV and GeoJSON)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.schema import OFFENCES
from layers.sources.errors import SourceError
from layers.sources.offences import read_offences
from tests.layers.hotspots.conftest import ORIGIN, town_square


def _town_4326() -> shapely.Geometry:
    return gpd.GeoSeries([town_square()], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]


def _lonlat(x: float, y: float) -> tuple[float, float]:
    point = gpd.GeoSeries([shapely.Point(x, y)], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    return point.x, point.y


def test_csv_in_sjtsk_with_every_kind_of_bad_row(tmp_path: Path) -> None:
    inside = (ORIGIN[0] + 1_000, ORIGIN[1] + 1_000)
    rows = [
        "date,type,x,y",
        f"2024-03-01,theft,{inside[0]},{inside[1]}",
        f"2024-03-02,assault,{inside[0] + 10},{inside[1]}",
        f"not-a-date,theft,{inside[0]},{inside[1]}",
        f"2024-03-03,,{inside[0]},{inside[1]}",
        "2024-03-04,theft,,",
        f"2024-03-05,theft,{ORIGIN[0] - 5_000},{ORIGIN[1]}",
        "2024-03-06,theft,13.6,50.6",
    ]
    path = tmp_path / "o.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    frame, report = read_offences(path, "t", _town_4326())
    assert report.rows == 7 and report.accepted == 2
    assert [(p.where, p.reason) for p in report.problems] == [
        ("line 4", "date missing or not a date"),
        ("line 5", "type missing"),
        ("line 6", "coordinates missing or not numbers"),
        ("line 7", "outside the boundary of t"),
        ("line 8", "position outside Czechia (wrong CRS, or lon/lat swapped?)"),
    ]
    assert list(frame.columns) == [*OFFENCES.columns, "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame["date"].tolist() == ["2024-03-01", "2024-03-02"]
    assert frame["source"].unique().tolist() == ["o.csv"]
    again, _ = read_offences(path, "t", _town_4326())
    assert again["offence_id"].tolist() == frame["offence_id"].tolist()  # stable ids


def test_csv_lon_lat_and_geojson(tmp_path: Path) -> None:
    lon, lat = _lonlat(ORIGIN[0] + 1_500, ORIGIN[1] + 1_500)
    csv = tmp_path / "o.csv"
    csv.write_text(f"offence_id,date,type,lon,lat\nA1,2024-01-01,theft,{lon},{lat}\n"
                   f"A2,2024-01-02,theft,{lat},{lon}\n", encoding="utf-8")
    frame, report = read_offences(csv, "t", _town_4326(), source="MP Testov")
    assert frame["offence_id"].tolist() == ["A1"] and frame["source"].tolist() == ["MP Testov"]
    assert report.problems[0].where == "line 3"
    geojson = tmp_path / "o.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"date": "2024-02-01", "type": "theft"},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}},
        {"type": "Feature", "properties": {"date": "2024-02-01", "type": "theft"},
         "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon, lat + 0.001]]}},
    ]}), encoding="utf-8")
    frame, report = read_offences(geojson, "t", _town_4326())
    assert len(frame) == 1 and frame.geometry.iloc[0].x == pytest.approx(lon)
    assert [(p.where, p.reason) for p in report.problems] == [
        ("feature 2", "coordinates missing or not numbers")]


def test_unreadable_files_raise_source_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        read_offences(tmp_path / "none.csv", "t", _town_4326())
    bad = tmp_path / "bad.csv"
    bad.write_text("when,what,x,y\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing column"):
        read_offences(bad, "t", _town_4326())
    nocoords = tmp_path / "nocoords.csv"
    nocoords.write_text("date,type,place\n2024-01-01,theft,square\n", encoding="utf-8")
    with pytest.raises(SourceError, match="lon/lat or x/y"):
        read_offences(nocoords, "t", _town_4326())
    crs = tmp_path / "c.csv"
    crs.write_text("date,type,x,y\n2024-01-01,theft,1,2\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown CRS"):
        read_offences(crs, "t", _town_4326(), crs="EPSG:nonsense")
