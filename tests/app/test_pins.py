"""The fear-pin layer: compact payload carrying every pin, local assets, LayerControl, bench."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point
from streamlit_folium import _get_map_string

from app.ui.maps.assets import STATIC_DIR, localize, remote_urls
from app.ui.maps.pins import PinLayer
from layers.mapping.pin_payload import ALPHABET, encode_column
from layers.schema import FEELINGS, PIN_CATEGORIES
from layers.sources.synthetic import sample_town_pins
from scripts.mapa import main

CATEGORY_LABELS = {code: f"Kategorie {code} – „{i}“" for i, code in enumerate(PIN_CATEGORIES)}
FEELING_LABELS = {value: f"Pocit č. {value}" for value in FEELINGS}
_CALL = re.compile(r"var (pin_layer_\w+) = L\.mapaPinLayer\((\{.*?\}), \{\}\);")


def _decode_column(text: str) -> list[int]:
    """Independent mirror of the JavaScript decoder (pin_layer.js) for the varint columns."""
    values, value, shift = [], 0, 0
    for char in text:
        digit = ALPHABET.index(char)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            values.append((value >> 1) ^ -(value & 1))
            value, shift = 0, 0
    assert shift == 0, "column ends inside a value"
    return values


def _decode_payload(data: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(lat·1e5, lon·1e5, category label, feeling label) of every pin in a rendered payload."""
    lat = np.cumsum(_decode_column(data["lat"]))
    lon = np.cumsum(_decode_column(data["lon"]))
    cats = [data["categories"][i] for i in _decode_column(data["cat"])]
    feels = [data["feelings"][i] for i in _decode_column(data["feel"])]
    assert len(lat) == len(lon) == len(cats) == len(feels) == data["n"]
    assert data["scale"] == 100_000
    return list(zip(lat.tolist(), lon.tolist(), cats, feels, strict=True))


def _expected(pins: gpd.GeoDataFrame) -> Counter[tuple[int, int, str, str]]:
    return Counter(
        (round(p.y * 1e5), round(p.x * 1e5), CATEGORY_LABELS[c], FEELING_LABELS[int(f)])
        for p, c, f in zip(pins.geometry, pins["category"], pins["feeling"], strict=True))


def _every_combination() -> gpd.GeoDataFrame:
    """Every category with every feeling, some pins stacked on the same spot."""
    rows = [(c, f) for c in PIN_CATEGORIES for f in FEELINGS]
    rng = np.random.default_rng(7)
    lons = 13.58 + rng.random(len(rows)) * 0.08
    lats = 50.58 + rng.random(len(rows)) * 0.05
    lons[:5], lats[:5] = 13.61234, 50.60001
    return gpd.GeoDataFrame({"category": [r[0] for r in rows], "feeling": [r[1] for r in rows],
                             "status": "approved"},
                            geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")


def _map(pins: gpd.GeoDataFrame, *, show: bool = True) -> tuple[folium.Map, PinLayer]:
    m = folium.Map(location=[50.6, 13.62], zoom_start=13, tiles=None, maxZoom=19)
    layer = PinLayer(pins, name="Pocitová mapa", category_labels=CATEGORY_LABELS,
                     feeling_labels=FEELING_LABELS, show=show)
    layer.add_to(m)
    folium.LayerControl().add_to(m)
    return m, layer


def _payload(html: str) -> tuple[str, dict[str, Any]]:
    calls = _CALL.findall(html)
    assert len(calls) == 1
    return calls[0][0], json.loads(calls[0][1])


@pytest.mark.parametrize("pins", [_every_combination(), sample_town_pins(500, "litvinov")],
                         ids=["every-combination", "synthetic-500"])
def test_rendered_html_carries_every_pins_place_category_and_feeling(
        pins: gpd.GeoDataFrame) -> None:
    html = _map(pins)[0].get_root().render()
    _, data = _payload(html)
    assert Counter(_decode_payload(data)) == _expected(pins)
    assert data["categories"] == [CATEGORY_LABELS[c] for c in PIN_CATEGORIES]
    assert data["feelings"] == [FEELING_LABELS[f] for f in FEELINGS]
    assert len(data["colours"]) == len(PIN_CATEGORIES)


def test_payload_is_compact() -> None:
    pins = sample_town_pins(2_000, "litvinov")
    html = _map(pins)[0].get_root().render()
    _, data = _payload(html)
    column_chars = sum(len(data[key]) for key in ("lat", "lon", "cat", "feel"))
    assert column_chars < 10 * len(pins)  # a float pair alone takes ~35 characters of JSON


def test_reprojects_pins_given_in_another_crs() -> None:
    pins = _every_combination()
    html = _map(pins.to_crs("EPSG:5514"))[0].get_root().render()
    assert Counter(_decode_payload(_payload(html)[1])) == _expected(pins)


def test_empty_layer_renders() -> None:
    html = _map(_every_combination().iloc[:0])[0].get_root().render()
    data = _payload(html)[1]
    assert data["n"] == 0
    assert _decode_payload(data) == []


def test_layer_is_listed_in_layer_control_and_shown() -> None:
    html = _map(_every_combination())[0].get_root().render()
    name, _ = _payload(html)
    assert re.search(rf'"Pocitov\\u00e1 mapa" : {name},|"Pocitová mapa" : {name},', html)
    assert f"{name}.addTo(map_" in html


def test_hidden_layer_is_in_layer_control_but_not_added() -> None:
    html = _map(_every_combination(), show=False)[0].get_root().render()
    name, _ = _payload(html)
    assert f": {name}," in html
    assert f"{name}.addTo(" not in html


def test_assets_are_local_files_and_no_remote_url_comes_from_the_layer() -> None:
    m, layer = _map(_every_combination())
    for _, url in layer.default_js + layer.default_css:
        assert url.startswith("/app/static/"), url
        assert (STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url
    script = layer._template.module.script(layer)
    assert "L.mapaPinLayer(" in script
    assert remote_urls(script) == []
    assert remote_urls(localize(m).get_root().render()) == []
    licence = (STATIC_DIR / "vendor" / "leaflet.markercluster" / "LICENSE").read_text()
    assert "MIT" in licence or "Permission is hereby granted" in licence


def test_streamlit_folium_extracts_the_layer_script() -> None:
    m, _ = _map(_every_combination())
    m.get_root().render()
    script = _get_map_string(m)
    call = re.search(r"var (pin_layer_\w+) = L\.mapaPinLayer\((\{.*?\}), \{\}\);", script)
    assert call is not None
    assert f"{call.group(1)}.addTo(map_div);" in script
    assert Counter(_decode_payload(json.loads(call.group(2)))) == _expected(_every_combination())


@pytest.mark.parametrize("values", [
    [0], [1, -1, 15, -16, 16, -17], [2**29 - 1, -(2**29)], list(range(-600, 600, 7)), [],
])
def test_column_encoding_round_trips(values: list[int]) -> None:
    text = encode_column(np.array(values, dtype=np.int64))
    assert _decode_column(text) == values
    assert set(text) <= set(ALPHABET)


def test_column_encoding_rejects_values_the_browser_cannot_decode() -> None:
    with pytest.raises(ValueError, match="out of range"):
        encode_column(np.array([2**29]))


def test_unknown_category_raises() -> None:
    pins = _every_combination()
    pins.loc[3, "category"] = "ufo"
    with pytest.raises(ValueError, match="ufo"):
        _map(pins)


def test_feeling_outside_the_scale_raises() -> None:
    pins = _every_combination()
    pins.loc[3, "feeling"] = 6
    with pytest.raises(ValueError, match="feeling"):
        _map(pins)


def test_non_point_geometry_raises() -> None:
    pins = _every_combination()
    pins.loc[2, "geometry"] = LineString([(13.6, 50.6), (13.61, 50.61)])
    with pytest.raises(ValueError, match="point"):
        _map(pins)


def test_missing_label_raises() -> None:
    labels = dict(CATEGORY_LABELS)
    del labels["dogs"]
    with pytest.raises(KeyError, match="dogs"):
        PinLayer(_every_combination(), name="x", category_labels=labels,
                 feeling_labels=FEELING_LABELS)


def test_map_without_max_zoom_raises() -> None:
    m = folium.Map(tiles=None)
    PinLayer(_every_combination(), name="x", category_labels=CATEGORY_LABELS,
             feeling_labels=FEELING_LABELS).add_to(m)
    with pytest.raises(ValueError, match="maxZoom"):
        m.get_root().render()
    with_tiles = folium.Map(tiles="OpenStreetMap")
    PinLayer(_every_combination(), name="x", category_labels=CATEGORY_LABELS,
             feeling_labels=FEELING_LABELS).add_to(with_tiles)
    assert "L.mapaPinLayer(" in with_tiles.get_root().render()


def test_pins_without_crs_raise() -> None:
    pins = gpd.GeoDataFrame({"category": ["dogs"], "feeling": [3]}, geometry=[Point(13.6, 50.6)])
    with pytest.raises(ValueError, match="CRS"):
        _map(pins)


def _check_rows(rows: list[dict[str, Any]], counts: list[int], naive_max: int) -> None:
    keys = ["pins", "ours_bytes", "ours_s", "naive_bytes", "naive_s", "fast_bytes", "fast_s"]
    assert [row["pins"] for row in rows] == counts
    for row in rows:
        assert list(row) == keys
        for key in keys[1:]:
            if key.startswith("naive") and row["pins"] > naive_max:
                assert row[key] is None
            else:
                assert row[key] > 0
        assert isinstance(row["ours_bytes"], int)


def _bench_map(*options: str) -> tuple[list[str], dict[str, Any]]:
    """``mapa bench map … --json`` through the CLI: its output lines and its JSON result."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["bench", "map", *options, "--json"])
    assert status == 0
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


def test_bench_map_rows() -> None:
    _, result = _bench_map("--pins", "120,200", "--repeat", "1", "--naive-max", "150")
    rows = result["rows"]
    _check_rows(rows, [120, 200], naive_max=150)
    assert rows[1]["naive_bytes"] is None
    assert rows[0]["naive_bytes"] > rows[0]["ours_bytes"]


def test_mapa_bench_map_json_is_the_last_line() -> None:
    lines, result = _bench_map("--pins", "150", "--repeat", "1")
    assert "ours/fast" in lines[0]
    assert list(result) == ["rows"]
    _check_rows(result["rows"], [150], naive_max=25_000)
