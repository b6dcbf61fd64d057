"""Where a map starts: fitted to the town's data with room for the folded controls, or where
the page's address says (no Streamlit here).

The view and the shown layers are kept in the browser's address, not sent back to the
server: :class:`UrlView` writes the map's centre, zoom and shown overlays to the page's query
(``?pohled=50.60850,13.63100,15&vrstvy=lokality,sluzby``) whenever the person changes them,
and a map drawn again (a reload, a shared link, another base map) starts from there. The
server never reruns for a pan or a switched layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import folium
import geopandas as gpd
from branca.element import Element, MacroElement
from jinja2 import Template

#: Pixels (x, y) kept free at the edges of a fitted view: a folded layer control or legend is
#: a button of about 44 pixels 10 pixels from the edge, the zoom buttons at the top left are
#: 70 pixels tall, so no data starts under one.
PADDING_TOP_LEFT: Final = (60, 80)
PADDING_BOTTOM_RIGHT: Final = (60, 60)
#: Closest zoom a fitted view starts at (a town with one service is not shown at house level).
FIT_MAX_ZOOM: Final = 16
#: Query parameters of the page's address that hold the map's view and its shown layers.
VIEW_PARAM: Final = "pohled"
LAYERS_PARAM: Final = "vrstvy"
#: Query parameter of the town (``app.ui.url_state.TOWN``).
TOWN_PARAM: Final = "mesto"
#: A layer's key in the address: lower-case ASCII words joined by hyphens.
_KEY: Final = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


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
    at every edge, without an animation (a view set after it, :class:`UrlView`, would
    otherwise be undone when the fit's zoom animation ends)."""
    fit = folium.FitBounds(bounds, padding_top_left=PADDING_TOP_LEFT,
                           padding_bottom_right=PADDING_BOTTOM_RIGHT, max_zoom=FIT_MAX_ZOOM)
    fit.options["animate"] = False
    m.add_child(fit)


class UrlView(MacroElement):
    """Keeps the map's view and its shown layers in the page's address (the Streamlit page
    around the map component, same origin), so a reload or a shared link opens the same map.

    ``?pohled=LAT,LNG,ZOOM`` is the centre (WGS 84, 5 decimals) and zoom; ``?vrstvy=a,b`` the
    keys of the overlays shown (the keys of ``layers``, stable and readable, never the
    translated names). Written in place (``history.replaceState``: no reload, no rerun, no new
    history entry) whenever the person moves the map or switches an overlay in the layer
    control. Applied when the map is drawn: the overlays the address lists are shown, the
    others of ``layers`` hidden (an address without ``vrstvy`` keeps the builder's defaults);
    with ``restore`` the map starts at the address's view instead of its fitted one.
    Malformed values are ignored. Add it last: its script runs after the fit and the layer
    control.

    Streamlit rewrites the address whenever the server changes a query parameter, from the
    parameters the server knows, which never include these two: the page's ``pushState`` and
    ``replaceState`` are therefore wrapped once (per page) to carry the map's current values
    over to any new address of the same page; the view is dropped instead when the new
    address names another town (``?mesto=``), whose map starts fitted to its own data, and
    a map writes nothing once the address names another town than the one it was drawn for.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layers = { {%- for key, layer in this.layers.items() %}
                {{ key|tojson }}: {{ layer.get_name() }}{{ "," if not loop.last }}
            {%- endfor %} };
            var names = [{{ this.view_param|tojson }}, {{ this.layers_param|tojson }}];
            var town = {{ this.town_param|tojson }};
            var page;
            try { page = window.parent; page.location.search; } catch (e) { return; }
            if (!page.__mapaUrlView) {
                // Streamlit's own rewrites of the same page keep the map's parameters. The
                // wrapper is made in the page's own realm: it outlives this map's frame.
                var install = function (joined, town) {
                    var names = joined.split(","), page = window;
                    var keep = function (original) {
                        return function (state, title, url) {
                            if (url != null) {
                                var next = new URL(url, page.location.href);
                                var now = new URLSearchParams(page.location.search);
                                if (next.pathname === page.location.pathname) {
                                    // the page's address is right, the server's copy stale
                                    names.forEach(function (name) {
                                        if (now.has(name)) {
                                            next.searchParams.set(name, now.get(name));
                                        } else { next.searchParams.delete(name); }
                                    });
                                    if (next.searchParams.get(town) !== now.get(town)) {
                                        next.searchParams.delete(names[0]);
                                    }
                                    url = next.pathname + next.search.replace(/%2C/g, ",")
                                        + next.hash;
                                }
                            }
                            return original.call(page.history, state, title, url);
                        };
                    };
                    page.__mapaUrlView = {replace: page.history.replaceState};
                    page.history.pushState = keep(page.history.pushState);
                    page.history.replaceState = keep(page.history.replaceState);
                };
                new page.Function("return " + install.toString())()(names.join(","), town);
            }
            var params = new URLSearchParams(page.location.search);
            var ownTown = params.get(town);
            if (params.has(names[1])) {
                var shown = params.get(names[1]).split(",");
                Object.keys(layers).forEach(function (key) {
                    if (shown.indexOf(key) >= 0) { map.addLayer(layers[key]); }
                    else { map.removeLayer(layers[key]); }
                });
            }
            var view = (params.get(names[0]) || "").split(",").map(Number);
            if ({{ this.restore|tojson }} && view.length === 3
                    && view.every(function (v) { return isFinite(v); })) {
                map.setView([view[0], view[1]], view[2], {animate: false});
            }
            function write() {
                var now = new URLSearchParams(page.location.search);
                if (ownTown === null) { ownTown = now.get(town); }
                // a map on its way out (another town chosen) leaves the address alone
                if (now.get(town) !== ownTown
                        || (window.frameElement && !window.frameElement.isConnected)) {
                    return;
                }
                var centre = map.getCenter();
                now.set(names[0], [centre.lat.toFixed(5), centre.lng.toFixed(5),
                                   map.getZoom()].join(","));
                now.set(names[1], Object.keys(layers).filter(function (key) {
                    return map.hasLayer(layers[key]);
                }).join(","));
                // commas are legal in a query: keep the address readable
                page.__mapaUrlView.replace.call(
                    page.history, page.history.state, "",
                    page.location.pathname + "?" + now.toString().replace(/%2C/g, ",")
                    + page.location.hash);
            }
            map.on("moveend overlayadd overlayremove", write);
        })();
        {% endmacro %}
    """)

    def __init__(self, layers: Mapping[str, Element], restore: bool = True) -> None:
        super().__init__()
        self._name = "UrlView"
        bad = [key for key in layers if not _KEY.fullmatch(key)]
        if bad:
            raise ValueError(f"layer keys must be lower-case words with hyphens: {bad}")
        self.layers = dict(layers)
        self.restore = restore
        self.view_param = VIEW_PARAM
        self.layers_param = LAYERS_PARAM
        self.town_param = TOWN_PARAM
