"""The base maps a map may lie on (no Streamlit here): the app's own offline vector base
(``none``: the town's roads, railways and rivers on a blank background, nothing fetched) and
three online tile services, each with the attribution its licence asks for.

* ``osm`` — OpenStreetMap's standard tiles (© OpenStreetMap contributors, ODbL);
* ``ztm`` — the ČÚZK topographic base map (Základní mapy ČR) through its public WMTS in Web
  Mercator (``googlemapscompatibleext2:epsg:3857``);
* ``orto`` — the ČÚZK orthophoto of the Czech Republic through the same kind of WMTS.

A tile service is requested only by a browser that shows it; the ``none`` base needs no
connection, which is why it is the default (``MAPA_BASEMAP``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import folium

#: The query parameter of the Map page's URL that names the base map (``?podklad=ztm``).
BASEMAP_PARAM: Final = "podklad"
_CUZK_WMTS: Final = ("https://geoportal.cuzk.gov.cz/{service}/WMTService.aspx?service=WMTS"
                     "&request=GetTile&version=1.0.0&layer={layer}&style=default"
                     "&format=image/{fmt}&TileMatrixSet=googlemapscompatibleext2:epsg:3857"
                     "&TileMatrix={{z}}&TileRow={{y}}&TileCol={{x}}")
_CUZK_ATTRIBUTION: Final = ('© <a href="https://www.cuzk.gov.cz">Český úřad zeměměřický '
                            "a katastrální (ČÚZK)</a>")


@dataclass(frozen=True)
class BaseMap:
    """One base map: ``key`` (its value in the URL and ``MAPA_BASEMAP``), the XYZ ``tiles``
    template (None: the offline vector base), the HTML ``attribution`` shown on the map, the
    highest zoom the service has tiles for, and the host a browser fetches them from."""

    key: str
    tiles: str | None
    attribution: str
    max_native_zoom: int = 19

    @property
    def online(self) -> bool:
        """Whether the base map needs a connection."""
        return self.tiles is not None


BASEMAPS: Final[dict[str, BaseMap]] = {
    "none": BaseMap("none", None, ""),
    "osm": BaseMap("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                   '© <a href="https://www.openstreetmap.org/copyright">přispěvatelé '
                   "OpenStreetMap</a> (ODbL)"),
    "ztm": BaseMap("ztm", _CUZK_WMTS.format(service="WMTS_ZM_900913", layer="zm", fmt="png"),
                   f"Základní mapy ČR {_CUZK_ATTRIBUTION}", max_native_zoom=18),
    "orto": BaseMap("orto", _CUZK_WMTS.format(service="WMTS_ORTOFOTO_900913", layer="orto",
                                              fmt="jpeg"),
                    f"Ortofoto ČR {_CUZK_ATTRIBUTION}", max_native_zoom=20),
}


def basemap_or_none(value: str | None) -> str:
    """``value`` (from a URL, say) when it names a base map, else ``"none"``: a stale or
    mistyped link falls back to the base that always works."""
    key = (value or "").strip().lower()
    return key if key in BASEMAPS else "none"


def add_basemap(m: folium.Map, key: str, name: str, max_zoom: int) -> None:
    """Add the tiles of base map ``key`` to ``m`` under ``name`` (nothing for ``none``: the
    caller draws the vector base). Raises ``KeyError`` for an unknown key."""
    base = BASEMAPS[key]
    if base.tiles is None:
        return
    folium.TileLayer(base.tiles, attr=base.attribution, name=name, control=False,
                     max_zoom=max_zoom, max_native_zoom=base.max_native_zoom).add_to(m)
