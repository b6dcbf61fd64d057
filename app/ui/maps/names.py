"""Names of streets, addresses and stops written on the offline base map when zoomed in (no
Streamlit here), so a child at the kiosk or an officer on patrol recognises where they are.

:func:`place_names` packs what a map may write compactly: each street's name once, at a point
of it (the middle of its longest piece of the town's own network, else the median of its
address points), each stop's name, and the address points of the part of town the map is
about (never a whole town's: at most :data:`MAX_ADDRESSES`), grouped by street with only their
house numbers and coordinates rounded to about a metre.
:class:`PlaceNames` writes them in the browser, only for what lies in the view and only at
:data:`STREET_ZOOM` (streets, stops) and :data:`ADDRESS_ZOOM` (addresses) or closer, at most
:data:`MAX_LABELS` at a time: a whole town's labels are never drawn at once.
"""

from __future__ import annotations

from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from layers.crs import to_metric
from layers.geocode import address_names

#: Closest zooms below which street and stop names, and address names, are not written.
STREET_ZOOM: Final = 16
ADDRESS_ZOOM: Final = 17
#: Labels written at most at one time (the view's first ones: stops, streets, addresses).
MAX_LABELS: Final = 400
#: Address points shipped at most in one map: the ones of the part of town it is about.
MAX_ADDRESSES: Final = 1500
#: Decimals of the coordinates shipped (1e-5 degree ≈ 1 m).
DECIMALS: Final = 5
_CSS: Final = ("<style>.mapa-name{background:none;border:none;white-space:nowrap;"
               "font:11px/1.2 sans-serif;color:#333;text-shadow:0 0 2px #fff,0 0 2px #fff,"
               "0 0 3px #fff;transform:translate(-50%,-50%);pointer-events:none}"
               ".mapa-name-street{font-style:italic;color:#555}"
               ".mapa-name-stop{font-weight:bold;color:#0868ac}</style>")


def place_names(addresses: gpd.GeoDataFrame, stops: gpd.GeoDataFrame,
                streets: gpd.GeoDataFrame,
                near: tuple[float, float, float, float] | None = None) -> dict[str, list[Any]]:
    """What :class:`PlaceNames` writes, from a town's address points, stops and own street
    network (EPSG:4326; any may be empty): ``streets`` [[name, lat, lon]], ``stops``
    [[name, lat, lon]] and ``addresses`` [[street (or part of town), [[lat, lon, number],
    …]], …] — the addresses only within ``near`` (min lon, min lat, max lon, max lat: the
    part of town a map is about) and only when at most :data:`MAX_ADDRESSES` lie there;
    none without ``near``. Streets are named from the network, else from address points."""
    out: dict[str, list[Any]] = {"streets": [], "stops": [], "addresses": []}
    if len(stops):
        xy = _rounded(stops)
        out["stops"] = [[str(n), lat, lon] for n, (lon, lat)
                        in zip(stops["name"], xy.tolist(), strict=True)]
    anchors: dict[str, list[float]] = {}
    if len(streets):
        named = streets[streets["name"].fillna("").astype(str) != ""]
        longest = named.assign(length=to_metric(named).geometry.length.to_numpy()).sort_values(
            "length", ascending=False, kind="stable").drop_duplicates("name")
        middles = shapely.line_interpolate_point(longest.geometry.to_numpy(), 0.5,
                                                 normalized=True)
        xy = np.round(shapely.get_coordinates(middles), DECIMALS)
        anchors = {str(n): [lat, lon] for n, (lon, lat)
                   in zip(longest["name"], xy.tolist(), strict=True)}
    if len(addresses):
        street = addresses["street"].fillna("").astype(str)
        xy = _rounded(addresses)
        table = pd.DataFrame({"street": street.to_numpy(), "lat": xy[:, 1], "lon": xy[:, 0]})
        for name, at in table[table["street"] != ""].groupby("street", sort=False).median(
                ).iterrows():
            anchors.setdefault(str(name), [round(float(at["lat"]), DECIMALS),
                                           round(float(at["lon"]), DECIMALS)])
        out["addresses"] = _addresses_near(addresses, street, xy, near)
    out["streets"] = [[name, *at] for name, at in anchors.items()]
    return out


def _addresses_near(addresses: gpd.GeoDataFrame, street: pd.Series, xy: np.ndarray,
                    near: tuple[float, float, float, float] | None) -> list[Any]:
    if near is None:
        return []
    minx, miny, maxx, maxy = near
    inside = ((xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny)
              & (xy[:, 1] <= maxy))
    if not 0 < inside.sum() <= MAX_ADDRESSES:
        return []
    shown = addresses[inside]
    key = street[inside].where(street[inside] != "",
                               shown["part"].fillna("").astype(str))
    numbers = [name[len(k):].strip() for name, k
               in zip(address_names(shown), key, strict=True)]
    table = pd.DataFrame({"key": key.to_numpy(), "lat": xy[inside, 1], "lon": xy[inside, 0],
                          "number": numbers})
    return [[str(name), group[["lat", "lon", "number"]].to_numpy().tolist()]
            for name, group in table.groupby("key", sort=False)]


def _rounded(frame: gpd.GeoDataFrame) -> np.ndarray:
    """(lon, lat) of each point, rounded to :data:`DECIMALS`."""
    return np.round(shapely.get_coordinates(frame.geometry.to_numpy()), DECIMALS)


class PlaceNames(MacroElement):
    """Writes :func:`place_names` on its map for the view, when zoomed in (module docstring).
    The names are written as text (``textContent``), never as HTML."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var names = {{ this.names|tojson }};
            var group = L.layerGroup().addTo(map);
            function draw() {
                group.clearLayers();
                var zoom = map.getZoom();
                if (zoom < {{ this.street_zoom }}) { return; }
                var view = map.getBounds().pad(0.05);
                var written = 0;
                function write(lat, lon, text, kind) {
                    if (written >= {{ this.max_labels }} || !view.contains([lat, lon])) {
                        return;
                    }
                    written += 1;
                    var label = document.createElement("span");
                    label.textContent = text;
                    L.marker([lat, lon], {interactive: false, keyboard: false,
                        icon: L.divIcon({className: "mapa-name mapa-name-" + kind,
                                         html: label, iconSize: null})}).addTo(group);
                }
                names.stops.forEach(function (s) { write(s[1], s[2], s[0], "stop"); });
                names.streets.forEach(function (s) { write(s[1], s[2], s[0], "street"); });
                if (zoom < {{ this.address_zoom }}) { return; }
                names.addresses.forEach(function (street) {
                    street[1].forEach(function (p) {
                        write(p[0], p[1], (street[0] + " " + p[2]).trim(), "address");
                    });
                });
            }
            map.on("zoomend moveend", draw);
            map.whenReady(draw);
        })();
        {% endmacro %}
    """)

    def __init__(self, names: dict[str, list[Any]]) -> None:
        super().__init__()
        self._name = "PlaceNames"
        self.names = names
        self.street_zoom = STREET_ZOOM
        self.address_zoom = ADDRESS_ZOOM
        self.max_labels = MAX_LABELS


def add_place_names(m: folium.Map, addresses: gpd.GeoDataFrame, stops: gpd.GeoDataFrame,
                    streets: gpd.GeoDataFrame,
                    near: tuple[float, float, float, float] | None = None) -> None:
    """Add :class:`PlaceNames` of the town's places to ``m`` (nothing when it has none);
    address names only within ``near`` (see :func:`place_names`)."""
    names = place_names(addresses, stops, streets, near)
    if not any(names.values()):
        return
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Element(_CSS))
    PlaceNames(names).add_to(m)
