"""The pages' maps in the page: each built and serialised once per view and version, then sent
to streamlit-folium's component ready made.

``st_folium`` renders the whole folium figure, then every element's script a second time, and
runs regexes over the result on every call, and the page builds the map (every frame turned
into GeoJSON, jinja templates compiled per element) before it: together 0.5–2 s a rerun on a
loaded machine (docs/performance.md), for a map that changes only when its data or the
person's choices do. :func:`show_map` keeps what ``st_folium`` would send (:class:`Rendered`)
per view key in the process and sends it to the same component with the same arguments, so a
rerun with the same key costs a dictionary look-up.

The view key must hold everything the map shows: the store's token of the layers it reads
(``app.ui.cache_keys``), the town, the language and the page's choices. A view read with a
right check (exact sensitive pins) is not cached: pass ``None`` and it is built every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium

#: Views kept per process; a map's payload is 0.05–0.5 MB of text.
MAX_VIEWS = 64


@dataclass(frozen=True)
class Rendered:
    """What ``st_folium`` derives from a map and sends to its component (streamlit-folium
    0.27): the map's script, header and HTML, its element id, the scripts and stylesheets
    to load, its bounds ([[south, west], [north, east]]) and zoom, and a digest of the
    script that tells one map from another."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], ...]
    zoom: Any
    digest: str


def render_map(m: folium.Map) -> Rendered:
    """``m`` rendered as ``st_folium`` renders it (which leaves ``m`` renamed: render a map
    once)."""
    m.get_root().render()
    m.render()
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in _assets(m):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    return Rendered(script=script, header=header, html=html,
                    map_id=streamlit_folium.get_full_id(m),
                    css_links=tuple(dict.fromkeys(css)), js_links=tuple(dict.fromkeys(js)),
                    bounds=tuple((corner[0], corner[1]) for corner in bounds),
                    zoom=m.options.get("zoom"),
                    digest=streamlit_folium.generate_js_hash(script, None, False))


def _assets(element: Any) -> Iterable[Any]:
    """``element`` and its descendants that list scripts or stylesheets (as ``st_folium``
    walks them; the app's maps never hold a colormap, ``app.ui.maps.assets.localize``)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _assets(child)


@st.cache_resource(show_spinner=False, max_entries=MAX_VIEWS)
def _cached(view: tuple[Hashable, ...], _build: Callable[[], folium.Map]) -> Rendered:
    return render_map(_build())


def rendered(view: tuple[Hashable, ...] | None, build: Callable[[], folium.Map]) -> Rendered:
    """The map of ``view`` (see the module's note), built by ``build()`` on its first use in
    the process; every time when ``view`` is None."""
    return render_map(build()) if view is None else _cached(view, build)


def show_map(view: tuple[Hashable, ...] | None, build: Callable[[], folium.Map], *, key: str,
             height: int, returned_objects: list[str]) -> dict[str, Any] | None:
    """Draw the map of ``view`` (built by ``build()`` when not cached, :func:`rendered`) as
    ``st_folium(map, key=key, height=height, use_container_width=True,
    returned_objects=returned_objects)`` does, and return what it returns: the component's
    value, only the ``returned_objects`` (an empty list: nothing, and no rerun for a pan or a
    click)."""
    shown = rendered(view, build)
    south_west, north_east = shown.bounds
    defaults = {"last_clicked": None, "last_object_clicked": None,
                "last_object_clicked_count": None, "last_object_clicked_tooltip": None,
                "last_object_clicked_popup": None, "all_drawings": None,
                "last_active_drawing": None,
                "bounds": {"_southWest": {"lat": south_west[0], "lng": south_west[1]},
                           "_northEast": {"lat": north_east[0], "lng": north_east[1]}},
                "zoom": shown.zoom, "last_circle_radius": None, "last_circle_polygon": None,
                "selected_layers": None, "selected_tags": None, "last_geocoder_result": None}
    # st_folium's component key: the map's script and the caller's key (a new map is a new
    # component in the browser, the same map keeps its state)
    component_key = hashlib.sha256(f"{shown.digest}{key}".encode()).hexdigest()

    def remember() -> None:  # as st_folium does: the value under the caller's key too
        st.session_state[key] = st.session_state.get(component_key, {})

    value: dict[str, Any] | None = streamlit_folium._component_func(
        script=shown.script, header=shown.header, html=shown.html, id=shown.map_id,
        key=component_key, height=height, width=None, returned_objects=returned_objects,
        default={name: value for name, value in defaults.items() if name in returned_objects},
        zoom=None, center=None, feature_group=None, return_on_hover=False, layer_control=None,
        pixelated=False, css_links=list(shown.css_links), js_links=list(shown.js_links),
        on_change=remember, wrap_longitude=False)
    return value
