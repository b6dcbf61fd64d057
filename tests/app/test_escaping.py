"""Names from imported files are text on every map, never markup or script."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import folium
import pytest

from app.features.map.map import build_map
from app.ui.maps.assets import walk
from app.ui.maps.escaping import escape_text, inert
from app.ui.town import TownData, load_town
from layers.store import open_store

#: Each would run as script if it reached a tooltip, popup or layer name unescaped.
PAYLOADS = (
    '<img src=x onerror="top.__xss=(top.__xss||0)+1">',
    "<svg onload=top.__xss=(top.__xss||0)+1>",
    "${top.__xss=(top.__xss||0)+1}",
    "`+(top.__xss=(top.__xss||0)+1)+`",
    "</script><script>top.__xss=(top.__xss||0)+1</script>",
)


@pytest.fixture(scope="module")
def litvinov(demo_store_path: Path) -> TownData:
    return load_town(open_store(demo_store_path), "litvinov")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inert_text_has_no_markup_or_template_syntax(payload: str) -> None:
    text = inert(payload)
    for character in "<>\"'`\\":
        assert character not in text
    assert "${" not in text


def _geojson_strings(m: folium.Map) -> list[str]:
    return [value for element in walk(m) if isinstance(element, folium.GeoJson)
            for feature in element.data["features"]
            for value in (feature.get("properties") or {}).values() if isinstance(value, str)]


def test_names_reach_the_town_map_escaped(litvinov: TownData) -> None:
    localities = litvinov.localities.assign(name=PAYLOADS[0])
    services = litvinov.services.assign(name=PAYLOADS[1], address=PAYLOADS[2],
                                        operator=PAYLOADS[3])
    m = build_map(replace(litvinov, localities=localities, services=services), "cs")
    strings = _geojson_strings(m)
    assert {inert(payload) for payload in PAYLOADS[:4]} <= set(strings)
    assert not [text for text in strings if set(text) & set("<>`\\") or "${" in text]
    html = m.get_root().render()
    for payload in PAYLOADS[:4]:
        assert payload not in html


def test_tooltips_popups_aliases_and_layer_names_are_escaped() -> None:
    m = folium.Map(tiles=None)
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.6, 50.6]},
               "properties": {"name": PAYLOADS[0], "nested": {"note": PAYLOADS[2]},
                              "count": 3}}
    layer = folium.GeoJson({"type": "FeatureCollection", "features": [feature]},
                           name=PAYLOADS[1],
                           tooltip=folium.GeoJsonTooltip(["name"], aliases=[PAYLOADS[3]]),
                           popup=folium.GeoJsonPopup(["name", "nested"]))
    layer.add_to(m)
    folium.Marker([50.6, 13.6], tooltip=PAYLOADS[2], popup=PAYLOADS[4]).add_to(m)
    escape_text(m)
    properties = layer.data["features"][0]["properties"]
    assert properties == {"name": inert(PAYLOADS[0]), "nested": {"note": inert(PAYLOADS[2])},
                          "count": 3}
    assert layer.layer_name == inert(PAYLOADS[1])
    html = m.get_root().render()
    for payload in PAYLOADS:
        assert payload not in html
    tooltip = next(e for e in walk(m) if isinstance(e, folium.GeoJsonTooltip))
    assert tooltip.aliases == [inert(PAYLOADS[3])]
