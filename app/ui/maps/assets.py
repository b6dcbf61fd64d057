"""Serve every script and stylesheet of a folium map from the app itself (no CDN).

folium lists its JavaScript/CSS as CDN URLs in each element's ``default_js``/``default_css``;
streamlit-folium loads exactly those lists in the browser. :func:`localize` rewrites them to the
copies vendored under ``app/static/vendor`` (served by Streamlit at ``/app/static/vendor``),
drops the ones ``folium.Map`` lists although nothing we draw uses them (jQuery, Bootstrap,
awesome-markers, Font Awesome), and raises :class:`OfflineAssetError` for anything else: a
new plugin must be vendored before it can be used, or the map breaks without internet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final, TypeGuard

import branca
import folium
from branca.element import Element

#: URL prefix under which Streamlit serves ``app/static`` (``server.enableStaticServing``).
STATIC_URL: Final = "/app/static"
STATIC_DIR: Final = Path(__file__).resolve().parents[2] / "static"
VENDOR_URL: Final = f"{STATIC_URL}/vendor"

#: folium asset name → local URL of the vendored copy.
LOCAL_ASSETS: Final = {
    "leaflet": f"{VENDOR_URL}/leaflet/leaflet.min.js",
    "leaflet_css": f"{VENDOR_URL}/leaflet/leaflet.css",
    "leaflet_draw_js": f"{VENDOR_URL}/leaflet-draw/leaflet.draw.js",
    "leaflet_draw_css": f"{VENDOR_URL}/leaflet-draw/leaflet.draw.css",
}
#: Assets folium.Map lists by default that serve only folium.Icon and Bootstrap popups,
#: neither of which the app draws (services use DivIcon badges instead).
UNUSED_ASSETS: Final = frozenset({
    "jquery", "bootstrap", "awesome_markers",
    "bootstrap_css", "glyphicons_css", "awesome_markers_font_css", "awesome_markers_css",
    "awesome_rotate_css",
})
_REMOTE = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")


class OfflineAssetError(RuntimeError):
    """A map element needs a script, stylesheet or feature that is not served locally."""


def walk(element: Element) -> Iterator[Element]:
    """``element`` and all its descendants, depth first."""
    yield element
    for child in element._children.values():
        yield from walk(child)


def localize(m: folium.Map) -> folium.Map:
    """Point every asset of ``m`` and its children at the local copies; return ``m``.

    Call it after the last element is added and before the first render (rendering
    copies the asset lists into the page header). Raises :class:`OfflineAssetError` for an asset
    with no local copy, a local URL whose file is missing, an element that pulls a CDN in
    another way (``folium.Icon`` needs awesome-markers and Font Awesome; a branca colormap
    makes streamlit-folium load d3), or one that draws Leaflet's default marker icon (a
    ``folium.Marker`` without an icon of its own from the start, a GeoJSON layer of points
    without a marker that has one).
    """
    for element in walk(m):
        if isinstance(element, folium.Icon):
            raise OfflineAssetError("folium.Icon needs awesome-markers from a CDN; use a DivIcon")
        if isinstance(element, branca.colormap.ColorMap):
            raise OfflineAssetError("branca colormaps make streamlit-folium load d3 from a CDN")
        if _default_icon(element):
            raise OfflineAssetError(
                f"{type(element).__name__} draws Leaflet's default marker icon, whose images "
                "Leaflet looks for where it guesses (relative to the map's frame before its "
                "stylesheet applies); draw points with app.ui.maps.base.icon_marker or a "
                "CircleMarker")
        for attr in ("default_js", "default_css"):
            assets = getattr(element, attr, None)
            if assets:
                setattr(element, attr, [(name, _local_url(element, name, url))
                                        for name, url in assets if name not in UNUSED_ASSETS])
    return m


def _default_icon(element: Element) -> bool:
    """Whether ``element`` makes Leaflet draw its default marker icon: a ``folium.Marker``
    (not a circle) whose options name no icon (folium's ``icon=`` is set only after the marker
    is on the map, see ``app.ui.maps.base.icon_marker``), or a GeoJSON layer of points whose
    ``marker`` is none or a ``folium.Marker`` without any icon."""
    if isinstance(element, folium.GeoJson):
        marker = element.marker
        plain = marker is None or (_icon_marker(marker) and marker.icon is None
                                   and "icon" not in marker.options)
        return plain and any(kind in ("Point", "MultiPoint")
                             for kind in _geometry_types(getattr(element, "data", None)))
    return _icon_marker(element) and "icon" not in element.options


def _icon_marker(element: object) -> TypeGuard[folium.Marker]:
    """Whether ``element`` is a marker drawn with an icon (folium's circles are Markers too)."""
    return isinstance(element, folium.Marker) and not isinstance(
        element, (folium.Circle, folium.CircleMarker))


def _geometry_types(data: object) -> Iterator[str]:
    """The geometry types in GeoJSON ``data`` (a feature collection, feature or geometry)."""
    if not isinstance(data, dict):
        return
    kind = data.get("type")
    if kind == "FeatureCollection":
        for feature in data.get("features") or []:
            yield from _geometry_types(feature)
    elif kind == "Feature":
        yield from _geometry_types(data.get("geometry"))
    elif kind == "GeometryCollection":
        for geometry in data.get("geometries") or []:
            yield from _geometry_types(geometry)
    elif isinstance(kind, str):
        yield kind


def _local_url(element: Element, name: str, url: str) -> str:
    local = url if url.startswith(f"{STATIC_URL}/") else LOCAL_ASSETS.get(name)
    if local is None:
        raise OfflineAssetError(
            f"{type(element).__name__} needs {name!r} from {url}, which is not vendored under "
            f"app/static/vendor; vendor it and list it in app.ui.maps.assets.LOCAL_ASSETS")
    if not (STATIC_DIR / local.removeprefix(f"{STATIC_URL}/")).is_file():
        raise OfflineAssetError(f"{type(element).__name__} asset {name!r} points at {local}, "
                                f"but app/static has no such file")
    return local


def remote_urls(html: str) -> list[str]:
    """Every absolute or protocol-relative URL in ``html`` (what would need internet)."""
    return _REMOTE.findall(html)
