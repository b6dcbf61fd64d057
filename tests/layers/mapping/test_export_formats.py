"""Every export format read back with GDAL (``ogrinfo``) and the format's own reader: the
styled GeoPackage QGIS opens, RFC 7946 GeoJSON, CSV for Czech Excel, KML and FlatGeobuf; and
KML, FlatGeobuf and GML files imported through the same validation pipeline."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from layers.errors import InvalidInput
from layers.ingest.batches import run_import
from layers.mapping.export import ExportOptions, export_pins
from layers.mapping.styles import CATEGORY_COLOURS
from layers.store import Store
from layers.vocabulary import PIN_CATEGORY, SENSITIVE_CATEGORIES

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"


def _ogrinfo(path: Path, *layer: str) -> str:
    return subprocess.run(["ogrinfo", "-ro", "-so", str(path), *layer], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def exports(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    written = {}
    for fmt in ("gpkg", "geojson", "csv", "kml", "fgb"):
        written[fmt] = folder / f"public.{fmt}"
        export_pins(demo_store, "litvinov", written[fmt], fmt, public=True)
    written["gpkg5514"] = folder / "sjtsk.gpkg"
    export_pins(demo_store, "litvinov", written["gpkg5514"], "gpkg", public=True,
                options=ExportOptions(crs="5514"))
    written["csv_comma"] = folder / "comma.csv"
    export_pins(demo_store, "litvinov", written["csv_comma"], "csv", public=True,
                options=ExportOptions(decimal_comma=True))
    return written


def test_geopackage_carries_a_qgis_style_per_layer_and_real_date_fields(
        exports: dict[str, Path], demo_store: Store) -> None:
    path = exports["gpkg"]
    pins_info = _ogrinfo(path, "pins")
    assert "created_at: DateTime" in pins_info and "transcribed: Integer(Boolean)" in pins_info
    assert "feeling: Integer" in pins_info
    assert "layer_styles" in _ogrinfo(path)
    with sqlite3.connect(path) as db:
        styles = db.execute("SELECT f_table_name, f_geometry_column, styleQML, styleSLD, "
                            "useAsDefault FROM layer_styles").fetchall()
        geometry_column = db.execute("SELECT column_name FROM gpkg_geometry_columns "
                                     "WHERE table_name = 'pins'").fetchone()[0]
    assert {s[0] for s in styles} == {"pins", "sensitive_cells"}
    by_layer = {s[0]: s for s in styles}
    _, column, qml, sld, default = by_layer["pins"]
    assert column == geometry_column and default == 1
    qml_root = ET.fromstring(qml.split("\n", 1)[1])  # past the DOCTYPE line
    renderer = qml_root.find("renderer-v2")
    assert renderer is not None and renderer.get("attr") == "category"
    categories = {c.get("value"): c.get("label") for c in renderer.iter("category")}
    assert categories["dogs"] == PIN_CATEGORY.label("dogs", "cs") == "Psi"
    symbol = renderer.find(f"symbols/symbol[@name='{list(categories).index('dogs')}']")
    assert symbol is not None
    colour = symbol.find(".//Option[@name='color']").get("value")  # type: ignore[union-attr]
    r, g, b = (int(CATEGORY_COLOURS["dogs"][i:i + 2], 16) for i in (1, 3, 5))
    assert colour == f"{r},{g},{b},255"
    sld_root = ET.fromstring(sld)
    literals = [e.text for e in sld_root.iter("{http://www.opengis.net/ogc}Literal")]
    assert set(literals) == set(PIN_CATEGORY.codes)
    assert ET.fromstring(by_layer["sensitive_cells"][2].split("\n", 1)[1]).find("labeling")
    exported = pyogrio.read_dataframe(path, layer="pins")
    assert str(exported["created_at"].dtype).startswith("datetime64")
    assert len(exported) == len(gpd.read_file(exports["fgb"]).query("kind == 'pin'"))


def test_geopackage_in_sjtsk(exports: dict[str, Path]) -> None:
    assert "Krovak" in _ogrinfo(exports["gpkg5514"], "pins")
    sjtsk = gpd.read_file(exports["gpkg5514"], layer="pins")
    wgs = gpd.read_file(exports["gpkg"], layer="pins")
    assert sjtsk.crs.to_epsg() == 5514 and (sjtsk.geometry.x < -700_000).all()
    assert (sjtsk.geometry.distance(wgs.to_crs(5514).geometry) < 0.01).all()  # metres


def test_a_crs_the_format_cannot_carry_is_refused(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        export_pins(demo_store, "litvinov", tmp_path / "x.geojson", "geojson",
                    options=ExportOptions(crs="5514"))
    assert refused.value.code == "export.crs"
    assert not (tmp_path / "x.geojson").exists()


def test_geojson_follows_rfc_7946(exports: dict[str, Path]) -> None:
    path = exports["geojson"]
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert collection["name"] == "Pocitová mapa – Litvínov"
    kinds = {f["properties"]["kind"] for f in collection["features"]}
    assert kinds == {"pin", "cell"}

    def positions(coords: list) -> list[list[float]]:
        if not isinstance(coords[0], list):
            return [coords]
        return [p for part in coords for p in positions(part)]

    for feature in collection["features"]:
        for lon, lat in positions(feature["geometry"]["coordinates"]):
            assert 12 < lon < 19 and 48 < lat < 52  # lon, lat order in WGS 84
            assert len(repr(lon).split(".")[-1]) <= 7 and len(repr(lat).split(".")[-1]) <= 7
        props = feature["properties"]
        if props["kind"] == "pin":
            assert isinstance(props["feeling"], int) and isinstance(props["synthetic"], bool)
            assert props["category"] not in SENSITIVE_CATEGORIES
        else:
            assert isinstance(props["count"], int) and props["count"] >= 5
        if props["kind"] == "cell":  # an exterior ring runs counter-clockwise (RFC 7946 3.1.6)
            import shapely.geometry
            ring = shapely.geometry.shape(feature["geometry"]).exterior
            assert ring.is_ccw
    assert "Feature Count" in _ogrinfo(path, "-al")


def test_csv_opens_in_czech_excel(exports: dict[str, Path], demo_store: Store) -> None:
    raw = exports["csv"].read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:4] == ["Druh záznamu", "Zeměpisná délka", "Zeměpisná šířka", "Kategorie"]
    assert not {"pin_id", "town_id", "session_id", "category"} & set(header)
    first = dict(zip(header, rows[1], strict=True))
    assert first["Druh záznamu"] == "odpověď"
    assert first["Kategorie"] in {t.cs for t in PIN_CATEGORY.terms}
    assert first["Ilustrativní data"] in ("ano", "ne")
    assert "." in first["Zeměpisná délka"]
    comma = list(csv.reader(io.StringIO(exports["csv_comma"].read_text("utf-8-sig")),
                            delimiter=";"))
    lon = dict(zip(comma[0], comma[1], strict=True))["Zeměpisná délka"]
    assert "," in lon and float(lon.replace(",", ".")) == float(first["Zeměpisná délka"])
    cells = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == "souhrnná buňka"]
    assert cells and all("Prodej drog" in c["Kategorie v buňce"]
                         or ":" in c["Kategorie v buňce"] for c in cells)
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", "-oo", "SEPARATOR=SEMICOLON",
                           str(exports["csv"])], capture_output=True, text=True,
                          check=True).stdout
    assert f"Feature Count: {len(rows) - 1}" in info


def test_kml_and_flatgeobuf_round_trip(exports: dict[str, Path],
                                       demo_store: Store) -> None:
    reference = gpd.read_file(exports["gpkg"], layer="pins")
    kml = pyogrio.read_dataframe(exports["kml"])
    assert len(kml) == len(reference) + len(gpd.read_file(exports["gpkg"],
                                                           layer="sensitive_cells"))
    names = set(kml["Name"])
    assert {PIN_CATEGORY.label(c, "cs") for c in reference["category"]} <= names
    assert "Feature Count" in _ogrinfo(exports["kml"], "-al")
    root = ET.parse(exports["kml"]).getroot()
    assert root.tag.endswith("kml")
    fgb = gpd.read_file(exports["fgb"])
    pins = fgb[fgb["kind"] == "pin"].set_index("pin_id").sort_index()
    expected = reference.set_index("pin_id").sort_index()
    assert list(pins.index) == list(expected.index)
    assert pins.geometry.geom_equals_exact(expected.geometry, tolerance=1e-9).all()
    assert "created_at: DateTime" in _ogrinfo(exports["fgb"], "-al")


@pytest.mark.parametrize("driver,suffix", [("KML", ".kml"), ("FlatGeobuf", ".fgb"),
                                           ("GML", ".gml")])
def test_kml_flatgeobuf_and_gml_import_through_the_pipeline(
        driver: str, suffix: str, demo_store_copy: Store, tmp_path: Path) -> None:
    original = FIXTURES / "localities_4326.geojson"
    expected = run_import(demo_store_copy, "localities", original, town_id="litvinov",
                          dry_run=True).report  # the same rows as GeoJSON: one outside town
    path = tmp_path / f"localities{suffix}"
    pyogrio.write_dataframe(gpd.read_file(original), path, driver=driver)
    result = run_import(demo_store_copy, "localities", path, town_id="litvinov")
    assert result.report.added == expected.added and expected.added["localities"] > 0
    # (a FlatGeobuf with a spatial index orders its features anew: reasons, not positions)
    assert [p.reason for p in result.report.rejected] == [p.reason for p in expected.rejected]
    with pytest.raises(ValueError):  # the same file twice is refused, as any import
        run_import(demo_store_copy, "localities", path, town_id="litvinov")
