"""The fear-pin map layer: every pin's place, category and feeling in a compact payload.

:class:`PinLayer` is a folium ``Layer`` (so it appears in ``LayerControl`` and works inside
streamlit-folium's ``st_folium``) drawn in the browser by ``app/static/mapview/pin_layer.js``
with Leaflet.markercluster and canvas circle markers. Instead of one folium element per pin it
ships four integer columns:

* ``lat``/``lon`` — coordinates in 1/``COORD_SCALE`` degree (1e-5° ≈ 1 m), pins sorted along a
  Hilbert curve so that consecutive pins are near each other, then delta-coded;
* ``cat`` — index into ``PIN_CATEGORIES`` (labels and colours travel once, as lookup tables);
* ``feel`` — index into ``FEELINGS``.

Each column is a string of zigzag varints: 5 bits per character, the sixth bit meaning "more
characters follow", characters from the base64 alphabet (no quote, backslash, ``<`` or
underscore, so neither HTML nor streamlit-folium's variable renaming can touch it). This
encoder and its decoder in ``pin_layer.js`` are hand-written on purpose: no library encodes
integer columns for the browser this compactly, and together they are some thirty lines.
Popups and cluster icons are built in the browser only when shown. No streamlit import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template

from app.ui.maps.assets import STATIC_URL, VENDOR_URL
from layers.crs import to_storage
from layers.schema import FEELINGS, PIN_CATEGORIES

#: Integer coordinate units per degree (1e-5° is about 1.1 m of latitude).
COORD_SCALE: Final = 100_000
#: Digits of the varint columns, in value order.
ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DIGITS: Final = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
#: JavaScript decodes with 32-bit bitwise operators: zigzag values must stay below 2**30.
_MAX_CHARS: Final = 6

#: Marker and cluster colour of each category (dark enough for white cluster counts).
CATEGORY_COLOURS: Final[Mapping[str, str]] = {
    "drug_dealing": "#b2182b",
    "drunk_drugged": "#d6604d",
    "syringes": "#8e0152",
    "exhibitionist": "#c51b7d",
    "aggressive_groups": "#67001f",
    "racism": "#762a83",
    "dark_place": "#404040",
    "traffic": "#b35806",
    "dogs": "#8c510a",
    "abandoned_building": "#6d5d4b",
    "other": "#5e6a71",
    "feel_good": "#1b7837",
    "develop": "#2166ac",
}

PIN_LAYER_JS: Final = f"{STATIC_URL}/mapview/pin_layer.js"
_CLUSTER_URL: Final = f"{VENDOR_URL}/leaflet.markercluster"


def encode_column(values: np.ndarray) -> str:
    """Integers → zigzag varint string (see the module docstring).

    Raises ``ValueError`` for a value whose zigzag form needs more than 30 bits, which the
    browser's 32-bit decoder could not restore.
    """
    ints = np.asarray(values, dtype=np.int64)
    zigzag = (ints << 1) ^ (ints >> 63)
    if zigzag.size and int(zigzag.max()) >= 1 << (5 * _MAX_CHARS):
        raise ValueError("value out of range of the pin column encoding (|v| >= 2**29)")
    places = np.arange(_MAX_CHARS)
    chars = 1 + (zigzag[:, None] >= (1 << (5 * places[1:]))[None, :]).sum(axis=1)
    groups = (zigzag[:, None] >> (5 * places)) & 31
    more = places[None, :] < (chars[:, None] - 1)
    used = places[None, :] < chars[:, None]
    # Boolean indexing walks the rows in order, so each value's characters stay together.
    return _DIGITS[(groups | (more << 5))[used]].tobytes().decode("ascii")


def encode_pins(pins: gpd.GeoDataFrame) -> dict[str, Any]:
    """The four encoded columns of ``pins`` plus ``n`` and ``scale`` (no labels).

    ``pins`` must hold point geometries, ``category`` from ``PIN_CATEGORIES`` and ``feeling``
    from ``FEELINGS``; anything else raises ``ValueError``. A frame in another CRS is
    reprojected to EPSG:4326; one without a CRS raises ``ValueError``.
    """
    pins = to_storage(pins)
    geoms = pins.geometry
    if len(pins) and not (geoms.geom_type == "Point").all():
        raise ValueError("every pin needs a point geometry")
    category = pd.Index(PIN_CATEGORIES).get_indexer(pins["category"])
    if (category < 0).any():
        unknown = sorted(set(pins["category"].astype(str)) - set(PIN_CATEGORIES))
        raise ValueError(f"pins with unknown categories: {unknown}")
    feeling = pd.Index(FEELINGS).get_indexer(pins["feeling"])
    if (feeling < 0).any():
        raise ValueError(f"pins with a feeling outside {FEELINGS}")
    order = (np.argsort(geoms.hilbert_distance().to_numpy(), kind="stable") if len(pins)
             else np.zeros(0, dtype=np.intp))
    lat = np.rint(geoms.y.to_numpy()[order] * COORD_SCALE).astype(np.int64)
    lon = np.rint(geoms.x.to_numpy()[order] * COORD_SCALE).astype(np.int64)
    return {
        "n": len(pins),
        "scale": COORD_SCALE,
        "lat": encode_column(np.diff(lat, prepend=0)),
        "lon": encode_column(np.diff(lon, prepend=0)),
        "cat": encode_column(category[order]),
        "feel": encode_column(feeling[order]),
    }


class PinLayer(JSCSSMixin, folium.map.Layer):
    """Fear pins as clustered canvas circle markers coloured by category.

    ``pins``: EPSG:4326 GeoDataFrame with the PINS columns ``category`` and ``feeling`` (other
    columns are ignored, nothing else reaches the browser). ``category_labels`` maps every
    code of ``PIN_CATEGORIES`` and ``feeling_labels`` every value of ``FEELINGS`` to the text
    shown in popups; a missing label raises ``KeyError``, bad pins raise ``ValueError`` (see
    :func:`encode_pins`). ``name`` is the entry in ``LayerControl``; with ``show=False`` the
    layer starts unticked and is clustered only when ticked. Scripts and stylesheets are
    served locally from ``/app/static``.

    Leaflet.markercluster needs the map's maximum zoom: a map without a tile layer must be
    made with ``folium.Map(..., maxZoom=…)``, else rendering raises ``ValueError`` (in the
    browser the layer would silently fail to appear).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.mapaPinLayer({{ this.data|tojson }}, {});
        {% endmacro %}
    """)

    def __init__(self, pins: gpd.GeoDataFrame, *, name: str,
                 category_labels: Mapping[str, str], feeling_labels: Mapping[int, str],
                 show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PinLayer"
        # Per instance: JSCSSMixin's lists are mutable and shared by every class using them.
        self.default_js = [
            ("markerclusterjs", f"{_CLUSTER_URL}/leaflet.markercluster.js"),
            ("mapa_pin_layer_js", PIN_LAYER_JS),
        ]
        self.default_css = [
            ("markerclustercss", f"{_CLUSTER_URL}/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{_CLUSTER_URL}/MarkerCluster.Default.css"),
        ]
        self.data = encode_pins(pins) | {
            "categories": [category_labels[code] for code in PIN_CATEGORIES],
            "colours": [CATEGORY_COLOURS[code] for code in PIN_CATEGORIES],
            "feelings": [feeling_labels[value] for value in FEELINGS],
        }

    # branca annotates Element.render -> str, but MacroElement.render (our base) returns None.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent = self._parent
        if (isinstance(parent, folium.Map) and parent.options.get("maxZoom") is None
                and not any(isinstance(child, folium.TileLayer)
                            for child in parent._children.values())):
            raise ValueError("PinLayer needs the map's maximum zoom: add a tile layer or make "
                             "the map with folium.Map(..., maxZoom=19)")
        super().render(**kwargs)
