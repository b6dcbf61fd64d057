"""Where a map starts: fitted to the town's data with room for the folded controls, or, when
the same map is drawn again with another base map, where the person left it (no Streamlit
here).

The view is kept in the browser, not sent back to the server: :class:`KeepView` writes the
map's centre and zoom to the tab's ``sessionStorage`` (under the map's key) whenever it
moves, and a map drawn with ``restore`` starts from what was written there. A page asks a
:class:`BasemapMemory` (kept in its session state) whether to restore: only once the base map
has been switched, so that the first view always fits the town's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

#: Pixels (x, y) kept free at the edges of a fitted view: a folded layer control or legend is
#: a button of about 44 pixels 10 pixels from the edge, the zoom buttons at the top left are
#: 70 pixels tall, so no data starts under one.
PADDING_TOP_LEFT: Final = (60, 80)
PADDING_BOTTOM_RIGHT: Final = (60, 60)
#: Closest zoom a fitted view starts at (a town with one service is not shown at house level).
FIT_MAX_ZOOM: Final = 16


def data_bounds(frames: Iterable[gpd.GeoDataFrame], fallback: gpd.GeoDataFrame
                ) -> list[list[float]]:
    """[[south, west], [north, east]] of the geometries of ``frames`` (EPSG:4326), or of
    ``fallback`` (the town's boundary) when they hold none."""
    shapes = [g for frame in frames for g in frame.geometry if g is not None and not g.is_empty]
    extent = gpd.GeoSeries(shapes or list(fallback.geometry), crs="EPSG:4326")
    minx, miny, maxx, maxy = extent.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def fit_data(m: folium.Map, bounds: list[list[float]]) -> None:
    """Start ``m`` fitted to ``bounds`` (:func:`data_bounds`) with room for the folded controls
    at every edge."""
    m.fit_bounds(bounds, padding_top_left=PADDING_TOP_LEFT,
                 padding_bottom_right=PADDING_BOTTOM_RIGHT, max_zoom=FIT_MAX_ZOOM)


class KeepView(MacroElement):
    """Writes the map's view (centre, zoom) to ``sessionStorage[key]`` whenever it moves and,
    with ``restore``, starts the map at the view written there (if any) instead of its fitted
    one. Add it after ``fit_data``: its script runs last."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var key = {{ this.key|tojson }};
            var store = null;
            try { store = window.sessionStorage; } catch (e) { return; }
            if ({{ this.restore|tojson }}) {
                var saved = JSON.parse(store.getItem(key) || "null");
                if (saved) { map.setView([saved.lat, saved.lng], saved.zoom, {animate: false}); }
            }
            map.on("moveend", function () {
                var centre = map.getCenter();
                store.setItem(key, JSON.stringify(
                    {lat: centre.lat, lng: centre.lng, zoom: map.getZoom()}));
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, key: str, restore: bool) -> None:
        super().__init__()
        self._name = "KeepView"
        self.key = f"mapa-view-{key}"
        self.restore = restore


@dataclass
class BasemapMemory:
    """A page's memory of the base map its map was last drawn with."""

    basemap: str = ""
    switched: bool = False

    def restore(self, basemap: str) -> bool:
        """Whether the map drawn with ``basemap`` starts at the view the person left: False
        until the base map is switched for the first time, True from then on."""
        if self.basemap and basemap != self.basemap:
            self.switched = True
        self.basemap = basemap
        return self.switched
