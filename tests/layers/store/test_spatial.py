"""Spatial reads of the store (``read_intersecting``, ``read_points``, ``cell_counts``,
``nearest_distances``) on both backends, against a brute-force shapely computation on small
frames and against each other.

PostGIS transforms to EPSG:5514 with its own PROJ, which may place a point up to ~1.5 m from
where pyproj does (measured in south-east Czechia). So the pins here lie at least 40 m inside
their 200 m cells (a cell count cannot differ), and distances computed by PostGIS are
compared with a 2 m tolerance; the GeoPackage backend projects with pyproj and must match to
the millimetre.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely
from shapely.geometry import Point, box

from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric
from layers.schema import LOCALITIES, OFFENCES, PINS, SERVICES, SESSIONS
from layers.store import PostGISStore, Store, StoreError, migrations, open_store
from layers.store.spatial import count_cells
from tests.layers.store.sample import CELL_M, town_localities, town_pins, town_services

#: How far PostGIS's and pyproj's EPSG:5514 may disagree, with a margin (see the docstring).
PROJ_TOLERANCE_M = 2.0


def _fill(location: str) -> Store:
    store = open_store(location)
    store.replace_all({"pins": town_pins(), "services": town_services(),
                       "localities": town_localities()})
    return store


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Store]:
    """(backend name, a store of each backend holding the pins, services and localities)."""
    if request.param == "gpkg":
        return "gpkg", _fill(str(tmp_path / "s.gpkg"))
    return "postgis", _fill(str(request.getfixturevalue("pg_url")))


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["pin_id"].astype(str).tolist()


@pytest.mark.parametrize("town", [None, "a"])
def test_read_intersecting_reads_exactly_the_rows_in_the_area(
        backend: tuple[str, Store], town: str | None) -> None:
    _, store = backend
    pins = store.read(PINS, town)
    minx, miny, maxx, maxy = pins.total_bounds
    window = (minx + (maxx - minx) * 0.3, miny + (maxy - miny) * 0.2,
              minx + (maxx - minx) * 0.7, miny + (maxy - miny) * 0.9)
    triangle = shapely.Polygon([(minx, miny), (maxx, miny), (minx, maxy)])
    for area, shape in ((window, box(*window)), (triangle, triangle)):
        found = store.read_intersecting(PINS, area, town)
        expected = pins[pins.geometry.intersects(shape)]
        assert 0 < len(found) < len(pins)
        assert _ids(found) == _ids(expected)  # stored order, nothing else
        assert found.crs is not None and found.crs.to_epsg() == 4326
        pd.testing.assert_frame_equal(pd.DataFrame(found.drop(columns="geometry")),
                                      pd.DataFrame(expected.drop(columns="geometry")
                                                   ).reset_index(drop=True))


def test_read_intersecting_polygons_touching_the_area(backend: tuple[str, Store]) -> None:
    _, store = backend
    centre = to_metric(town_localities()).geometry.iloc[0].centroid
    near = gpd.GeoSeries([centre.buffer(10)], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]
    assert store.read_intersecting(LOCALITIES, near)["locality_id"].tolist() == ["l1"]
    far = box(0.0, 0.0, 1.0, 1.0)
    assert store.read_intersecting(LOCALITIES, far).empty


@pytest.mark.parametrize(("town", "by", "where"), [
    (None, None, None),
    ("a", "category", {"status": ["approved"]}),
    ("b", None, {"status": ["approved"], "category": ["drugs", "dangerous_people"]}),
])
def test_cell_counts_equal_a_count_in_python(backend: tuple[str, Store], town: str | None,
                                             by: str | None,
                                             where: dict[str, list[str]] | None) -> None:
    _, store = backend
    pins = to_metric(store.read(PINS, town))
    for column, values in (where or {}).items():
        pins = pins[pins[column].isin(values)]
    expected = count_cells(pins.geometry.x.to_numpy(), pins.geometry.y.to_numpy(), CELL_M,
                           pins[by].to_numpy() if by else None, by)
    got = store.cell_counts(PINS, CELL_M, town, by=by, where=where)
    assert len(got) > 1 and got["count"].sum() == len(pins)
    pd.testing.assert_frame_equal(got, expected)


def test_cell_counts_of_nothing_and_refusals(backend: tuple[str, Store]) -> None:
    _, store = backend
    empty = store.cell_counts(PINS, CELL_M, "a", by="category", where={"status": []})
    assert empty.empty and list(empty.columns) == ["col", "row", "category", "count"]
    with pytest.raises(StoreError):
        store.cell_counts(PINS, 0, "a")
    with pytest.raises(StoreError):
        store.cell_counts(LOCALITIES, CELL_M)  # polygons: no point to count
    with pytest.raises(StoreError):
        store.cell_counts(PINS, CELL_M, where={"no_such_column": ["x"]})
    with pytest.raises(StoreError):
        store.read_intersecting(SESSIONS, (0.0, 0.0, 1.0, 1.0))
    with pytest.raises(StoreError):
        store.read_intersecting(PINS, (1.0, 0.0, 0.0, 1.0))


@pytest.mark.parametrize("town", [None, "a"])
def test_read_points_gives_each_rows_metric_coordinates(backend: tuple[str, Store],
                                                       town: str | None) -> None:
    name, store = backend
    pins = store.read(PINS, town)
    got = store.read_points(PINS, ["pin_id", "category"], town)
    assert list(got.columns) == ["pin_id", "category", "x", "y"]
    assert len(got) == len(pins) > 0
    assert got["pin_id"].tolist() == _ids(pins)  # stored order
    assert got["category"].tolist() == pins["category"].tolist()
    metric = to_metric(pins).geometry
    # pyproj for the GeoPackage, PostGIS's own PROJ for its stored EPSG:5514 column
    tolerance = 1e-6 if name == "gpkg" else PROJ_TOLERANCE_M
    np.testing.assert_allclose(got["x"].to_numpy(), metric.x.to_numpy(), rtol=0, atol=tolerance)
    np.testing.assert_allclose(got["y"].to_numpy(), metric.y.to_numpy(), rtol=0, atol=tolerance)


#: Text a point read must give back as stored: NULL apart from the empty string, the packed
#: read's own marks (``+``, the unit separator: a value holding it sends the read another way).
PLAIN_TEXT = (None, "", "+", "Žluťoučký kůň", "řádek\nnový", "+\x1e")
SEPARATOR_TEXT = ("a\x1fb", "\x1f")


@pytest.mark.parametrize("texts", [PLAIN_TEXT, PLAIN_TEXT + SEPARATOR_TEXT])
def test_read_points_gives_every_value_as_a_read_does(backend: tuple[str, Store],
                                                      texts: tuple[str | None, ...]) -> None:
    """Text (NULL, empty, the packing's marks), integers with NULLs and booleans come back
    from ``read_points`` as ``read`` gives them, on both backends."""
    _, store = backend
    pins = town_pins(n=2 * len(texts))
    pins["place_note"] = [texts[i % len(texts)] for i in range(len(pins))]
    pins["feeling"] = pd.array([None if i % 3 == 0 else i % 5 + 1 for i in range(len(pins))],
                               dtype="Int64")
    pins["transcribed"] = [i % 3 == 0 for i in range(len(pins))]  # the store keeps no NULL
    store.replace_all({PINS.name: pins})
    columns = ["place_note", "feeling", "transcribed", "status"]
    got, read = store.read_points(PINS, columns), store.read(PINS)
    assert len(got) == len(read) == len(pins)
    for column in columns:
        assert got[column].dtype == read[column].dtype, column
        assert got[column].isna().tolist() == read[column].isna().tolist(), column
        assert got[column].dropna().tolist() == read[column].dropna().tolist(), column
    assert set(got["place_note"].dropna()) == {t for t in texts if t is not None}


def test_read_points_of_nothing_and_refusals(backend: tuple[str, Store]) -> None:
    _, store = backend
    none = store.read_points(PINS, ["category"], "no-such-town")
    assert none.empty and list(none.columns) == ["category", "x", "y"]
    for layer, columns in ((LOCALITIES, []), (SESSIONS, []), (PINS, ["no_such_column"])):
        with pytest.raises(StoreError):
            store.read_points(layer, columns)


def _brute_nearest(origins: gpd.GeoSeries, targets: gpd.GeoDataFrame) -> np.ndarray:
    if targets.empty:
        return np.full(len(origins), np.inf)
    metric = to_metric(targets).geometry
    return np.array([metric.distance(o).min() for o in origins.to_crs(METRIC_CRS)])


def test_nearest_distances_from_a_layer(backend: tuple[str, Store]) -> None:
    name, store = backend
    tolerance = PROJ_TOLERANCE_M if name == "postgis" else 1e-6
    pins = store.read(PINS, "a")
    services = store.read(SERVICES, "a")
    got = store.nearest_distances(PINS, SERVICES, "a")
    assert got.index.tolist() == pins["pin_id"].tolist()
    np.testing.assert_allclose(got.to_numpy(), _brute_nearest(pins.geometry, services),
                               atol=tolerance)
    police = store.nearest_distances(LOCALITIES, SERVICES, "a", where={"service_type":
                                                                       ["police"]})
    expected = _brute_nearest(store.read(LOCALITIES, "a").geometry,
                              services[services["service_type"] == "police"])
    assert police.index.tolist() == ["l1", "l2"]
    assert police.loc["l2"] == 0.0  # the police station lies inside Sever
    np.testing.assert_allclose(police.to_numpy(), expected, atol=tolerance)


def test_nearest_distances_from_geometries(backend: tuple[str, Store]) -> None:
    name, store = backend
    tolerance = PROJ_TOLERANCE_M if name == "postgis" else 1e-6
    origins = gpd.GeoSeries([Point(-891_000, -1_004_000), Point(-890_520, -1_003_480)],
                            index=[10, 20], crs=METRIC_CRS)
    got = store.nearest_distances(origins, SERVICES, "a")
    assert got.index.tolist() == [10, 20]
    np.testing.assert_allclose(got.to_numpy(), _brute_nearest(origins, store.read(SERVICES,
                                                                                  "a")),
                               atol=tolerance)
    none = store.nearest_distances(origins, SERVICES, "a", where={"service_type": ["apk"]})
    assert np.isinf(none.to_numpy()).all()
    with pytest.raises(ValueError):
        store.nearest_distances(gpd.GeoSeries([Point(0, 0)]), SERVICES)


def test_both_backends_answer_alike(tmp_path: Path, pg_url: str) -> None:
    gpkg, pg = _fill(str(tmp_path / "s.gpkg")), _fill(pg_url)
    area = box(*gpkg.read(PINS).total_bounds).buffer(-0.002)
    assert _ids(gpkg.read_intersecting(PINS, area, "b")) == \
        _ids(pg.read_intersecting(PINS, area, "b"))
    pd.testing.assert_frame_equal(gpkg.cell_counts(PINS, CELL_M, by="category"),
                                  pg.cell_counts(PINS, CELL_M, by="category"))
    a, b = gpkg.nearest_distances(PINS, SERVICES), pg.nearest_distances(PINS, SERVICES)
    pd.testing.assert_index_equal(a.index, b.index)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), atol=PROJ_TOLERANCE_M)


def test_postgis_keeps_an_indexed_metric_geometry_and_migrates_older_stores(
        pg_url: str) -> None:
    store = _fill(pg_url)
    with psycopg.connect(pg_url) as conn:
        indexes = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_indexes WHERE schemaname = 'mapa' "
            "AND indexdef ILIKE '%USING gist (geom_5514)%'")}
        assert indexes == {"pins", "services", "localities"}
        # a store from revision 0004 has no such column: the migration adds it
        conn.execute("ALTER TABLE mapa.pins DROP COLUMN geom_5514")
        conn.execute("UPDATE mapa_meta.alembic_version SET version_num = '0004'")
    assert isinstance(store, PostGISStore)
    assert "layer 'pins' has no indexed EPSG:5514 geometry" in store.check()
    store.migrate()
    with psycopg.connect(pg_url) as conn:
        assert migrations.current_revision(conn) == migrations.HEAD
        plan = "\n".join(str(r[0]) for r in conn.execute(
            "EXPLAIN SELECT pin_id FROM mapa.pins ORDER BY geom_5514 <-> "
            "ST_SetSRID(ST_MakePoint(-891000, -1004000), 5514) LIMIT 1"))
    assert "pins_geom_5514_key" in plan  # KNN through the index, not a sort of the layer
    assert store.check() == []
    assert store.cell_counts(PINS, CELL_M)["count"].sum() == len(town_pins())


def _interleaved_offences(n: int) -> gpd.GeoDataFrame:
    """``n`` offences of towns "a" and "b" alternating row by row, as several towns' imports
    interleave in a regional store."""
    pins = town_pins(n=n)
    return gpd.GeoDataFrame({
        "offence_id": [f"o{i}" for i in range(n)], "town_id": ["a", "b"] * (n // 2),
        "date": [f"2024-0{1 + i % 9}-1{i % 10}" for i in range(n)],
        "offence_type": [("theft", "violence", "vandalism")[i % 3] for i in range(n)],
        "source": "test"}, geometry=pins.geometry.to_numpy(), crs=STORAGE_CRS)


def test_postgis_reads_one_towns_points_from_its_covering_index(pg_url: str) -> None:
    store = open_store(pg_url)
    offences = _interleaved_offences(2_000)
    store.replace_all({OFFENCES.name: offences})
    got = store.read_points(OFFENCES, ["offence_type", "date"], "a")
    mine = offences[offences["town_id"] == "a"]
    assert got["date"].tolist() == mine["date"].tolist()  # stored order
    np.testing.assert_allclose(got["x"].to_numpy(), to_metric(mine).geometry.x.to_numpy(),
                               rtol=0, atol=PROJ_TOLERANCE_M)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE mapa.offences")  # as autovacuum leaves it
        # the read's own shape; with a scan of the table ruled out, the covering index must
        # answer it alone, already in stored order (no sort, no visit to the table)
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(str(r[0]) for r in conn.execute(
            "EXPLAIN SELECT offence_type, date, ST_X(geom_5514), ST_Y(geom_5514) "
            "FROM mapa.offences WHERE town_id = 'a' ORDER BY fid"))
    assert "Index Only Scan using offences_points" in plan and "Sort" not in plan
    # a store from revision 0006 has no such index: the migration adds it
    with psycopg.connect(pg_url) as conn:
        conn.execute("DROP INDEX mapa.offences_points")
        conn.execute("UPDATE mapa_meta.alembic_version SET version_num = '0006'")
    assert isinstance(store, PostGISStore)
    store.migrate()
    with psycopg.connect(pg_url) as conn:
        assert migrations.current_revision(conn) == migrations.HEAD
        assert conn.execute("SELECT to_regclass('mapa.offences_points')").fetchone() \
            == ("mapa.offences_points",)
