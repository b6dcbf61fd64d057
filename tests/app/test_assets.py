"""Offline assets: every script and stylesheet of a map comes from app/static."""

from __future__ import annotations

import re

import folium
import pytest
from branca.colormap import LinearColormap
from folium.elements import JSCSSMixin
from folium.plugins import Draw

from app.ui.maps.assets import (
    LOCAL_ASSETS,
    STATIC_DIR,
    OfflineAssetError,
    localize,
    remote_urls,
)
from app.ui.maps.base import icon_marker, service_marker


def test_vendored_leaflet_files_exist_with_licence() -> None:
    for url in LOCAL_ASSETS.values():
        assert (STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url
    licence = (STATIC_DIR / "vendor" / "leaflet" / "LICENSE").read_text()
    assert "BSD-2-clause" in licence
    assert (STATIC_DIR / "vendor" / "leaflet" / "images" / "layers.png").is_file()


def test_vendored_leaflet_draw_has_its_images_and_licence() -> None:
    folder = STATIC_DIR / "vendor" / "leaflet-draw"
    assert "Permission is hereby granted" in (folder / "LICENSE").read_text()
    css = (folder / "leaflet.draw.css").read_text()
    images = set(re.findall(r"url\('?(images/[^')]+)'?\)", css))
    assert {"images/spritesheet.png", "images/spritesheet.svg"} <= images
    for image in images:
        assert (folder / image).is_file(), image


def test_draw_plugin_renders_offline() -> None:
    m = folium.Map(location=[50.6, 13.6], zoom_start=13, tiles=None)
    Draw(draw_options={"polygon": True}).add_to(m)
    html = localize(m).get_root().render()
    assert remote_urls(html) == []
    assert '<script src="/app/static/vendor/leaflet-draw/leaflet.draw.js"></script>' in html
    assert 'href="/app/static/vendor/leaflet-draw/leaflet.draw.css"' in html


def _plain_map() -> folium.Map:
    m = folium.Map(location=[50.6, 13.6], zoom_start=13, tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": []}, name="x").add_to(m)
    folium.LayerControl().add_to(m)
    return m


def test_plain_map_renders_without_remote_urls() -> None:
    assert remote_urls(_plain_map().get_root().render())  # folium's defaults are CDN URLs
    html = localize(_plain_map()).get_root().render()
    assert remote_urls(html) == []
    assert '<script src="/app/static/vendor/leaflet/leaflet.min.js"></script>' in html
    assert 'href="/app/static/vendor/leaflet/leaflet.css"' in html
    for unused in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert unused not in html


class _Plugin(JSCSSMixin, folium.MacroElement):
    def __init__(self, name: str, url: str) -> None:
        super().__init__()
        self.default_js = [(name, url)]


def test_unknown_cdn_asset_raises() -> None:
    m = folium.Map(tiles=None)
    _Plugin("fancy_plugin", "https://cdn.example.org/fancy.js").add_to(m)
    with pytest.raises(OfflineAssetError, match="fancy_plugin"):
        localize(m)


def test_local_url_without_file_raises() -> None:
    m = folium.Map(tiles=None)
    _Plugin("ghost", "/app/static/vendor/ghost/ghost.js").add_to(m)
    with pytest.raises(OfflineAssetError, match="no such file"):
        localize(m)


@pytest.mark.parametrize("element", [
    lambda: folium.Marker([50.6, 13.6], icon=folium.Icon(icon="info-sign")),
    lambda: LinearColormap(["red", "blue"], vmin=0, vmax=1),
])
def test_elements_that_pull_a_cdn_raise(element) -> None:
    m = folium.Map(tiles=None)
    element().add_to(m)
    with pytest.raises(OfflineAssetError):
        localize(m)


POINT = {"type": "Feature", "properties": {},
         "geometry": {"type": "Point", "coordinates": [13.6, 50.6]}}
SQUARE = {"type": "Polygon", "coordinates": [[[13.6, 50.6], [13.61, 50.6], [13.61, 50.61],
                                              [13.6, 50.6]]]}


@pytest.mark.parametrize("element", [
    lambda: folium.Marker([50.6, 13.6], tooltip="x"),
    # folium sets this icon only once the marker (with Leaflet's default icon) is on the map
    lambda: folium.Marker([50.6, 13.6], icon=folium.DivIcon(html="<b>x</b>")),
    lambda: folium.GeoJson(POINT),
    lambda: folium.GeoJson({"type": "FeatureCollection", "features": [POINT]},
                           marker=folium.Marker()),
    lambda: folium.GeoJson({"type": "MultiPoint", "coordinates": [[13.6, 50.6]]}),
])
def test_elements_drawing_leaflets_default_icon_raise(element) -> None:
    m = folium.Map(tiles=None)
    element().add_to(m)
    with pytest.raises(OfflineAssetError, match="default marker icon"):
        localize(m)


@pytest.mark.parametrize("element", [
    lambda: icon_marker((50.6, 13.6), folium.DivIcon(html="<b>x</b>"), "x"),
    lambda: service_marker(50.6, 13.6, "apk", "x"),
    lambda: folium.CircleMarker([50.6, 13.6], radius=5),
    lambda: folium.GeoJson(POINT, marker=folium.CircleMarker(radius=5)),
    lambda: folium.GeoJson(POINT, marker=folium.Marker(icon=folium.DivIcon(html="x"))),
    lambda: folium.GeoJson(SQUARE),
])
def test_markers_with_their_own_icon_pass(element) -> None:
    m = folium.Map(tiles=None)
    element().add_to(m)
    html = localize(m).get_root().render()
    assert remote_urls(html) == []
    assert ".setIcon(" not in html


def test_icon_marker_is_created_with_its_icon() -> None:
    m = folium.Map(tiles=None)
    service_marker(50.6, 13.6, "apk", "Asistenti prevence kriminality").add_to(m)
    html = m.get_root().render()
    created = html[html.index("L.marker("):]
    created = created[:created.index(".addTo(")]
    assert '"icon": L.divIcon(' in created and "APK" in created
    assert '"iconSize": [28, 28]' in created and '"iconAnchor": [14, 14]' in created


def test_remote_urls_finds_absolute_and_protocol_relative() -> None:
    html = '<a href="https://x.org/a">x</a><script src="//cdn.x/b.js"></script>// note'
    assert remote_urls(html) == ["https://x.org/a", "//cdn.x/b.js"]
