"""The fear-pin map layer: every pin's place, category and feeling in a compact payload.

:class:`PinLayer` is a folium ``Layer`` (so it appears in ``LayerControl`` and works inside
streamlit-folium's ``st_folium``) drawn in the browser by ``app/static/mapview/pin_layer.js``
with Leaflet.markercluster and canvas circle markers. Instead of one folium element per pin it
ships the integer columns of :func:`layers.mapping.pin_payload.pin_payload` (coordinates,
category and feeling of every pin) with the label and colour tables they index. Popups and
cluster icons are built in the browser only when shown. No streamlit import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import folium
import geopandas as gpd
from folium.elements import JSCSSMixin
from folium.template import Template

from app.ui.maps.assets import STATIC_URL, VENDOR_URL
from layers.mapping.pin_payload import pin_payload
from layers.mapping.styles import CATEGORY_COLOURS
from layers.schema import PIN_CATEGORIES

PIN_LAYER_JS: Final = f"{STATIC_URL}/mapview/pin_layer.js"
_CLUSTER_URL: Final = f"{VENDOR_URL}/leaflet.markercluster"


class PinLayer(JSCSSMixin, folium.map.Layer):
    """Fear pins as clustered canvas circle markers coloured by category.

    ``pins``: EPSG:4326 GeoDataFrame with the PINS columns ``category`` and ``feeling`` (other
    columns are ignored, nothing else reaches the browser). ``category_labels`` maps every
    code of ``PIN_CATEGORIES`` and ``feeling_labels`` every value of ``FEELINGS`` to the text
    shown in popups; a missing label raises ``KeyError``, bad pins raise ``ValueError`` (see
    :func:`layers.mapping.pin_payload.encode_pins`). ``name`` is the entry in ``LayerControl``;
    with ``show=False`` the layer starts unticked and is clustered only when ticked. Scripts
    and stylesheets are served locally from ``/app/static``.

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
        self.data = pin_payload(pins, category_labels, feeling_labels) | {
            "colours": [CATEGORY_COLOURS[code] for code in PIN_CATEGORIES]}

    # branca annotates Element.render -> str, but MacroElement.render (our base) returns None.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        parent = self._parent
        if (isinstance(parent, folium.Map) and parent.options.get("maxZoom") is None
                and not any(isinstance(child, folium.TileLayer)
                            for child in parent._children.values())):
            raise ValueError("PinLayer needs the map's maximum zoom: add a tile layer or make "
                             "the map with folium.Map(..., maxZoom=19)")
        super().render(**kwargs)
