"""The Public space page's map (no Streamlit, every asset local): localities and hot cells
coloured by white spot or served, services as the Map page's badges, service links as lines,
audits and the clicked place of a new audit."""

from __future__ import annotations

import folium
import geopandas as gpd

from app.ui.i18n import label, translate
from app.ui.maps.base import LOCALITY_OUTLINE, service_marker, town_base_map
from app.ui.maps.finish import finish
from app.ui.maps.legend import Legend, LegendItem, LegendSection, line_symbol, swatch
from app.ui.maps.view import UrlView
from layers.crs import to_storage

WHITE_COLOUR = "#ffffff"
SERVED_COLOUR = "#74c476"
LINK_COLOURS = {"cooperation": "#2171b5", "referral": "#d94801"}
AUDIT_COLOURS = ("#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641")
CHOSEN_COLOUR = "#7a0177"


def build_urban_map(origins: gpd.GeoDataFrame, services: gpd.GeoDataFrame,
                    links: gpd.GeoDataFrame, audits: gpd.GeoDataFrame,
                    boundary: gpd.GeoDataFrame, context: gpd.GeoDataFrame,
                    lang: str, chosen: tuple[float, float] | None = None) -> folium.Map:
    """Accessibility origins (``origin_kind``, ``place_<lang>``, ``white``; any CRS), services,
    service links and audits (EPSG:4326) on the town, and the ``chosen`` (lon, lat) place of
    a new audit (clicked on the map). It starts where the page's address says
    (``?pohled=``, ``app.ui.maps.view.UrlView``), else fitted to the origins."""
    shown = to_storage(origins)
    m = town_base_map(boundary, context, shown if len(shown) else boundary)
    for row, name in zip(shown.itertuples(), shown[f"place_{lang}"], strict=True):
        white = bool(row.white)
        groups = ", ".join(label("urban.group", g.strip(), lang)
                           for g in str(row.white).split(",") if g.strip())
        text = (f"{name}: {translate('urban.map.white', lang)} – {groups}" if white
                else f"{name}: {translate('urban.map.served', lang)}")
        locality = row.origin_kind == "locality"
        colour = WHITE_COLOUR if white else SERVED_COLOUR
        outline = LOCALITY_OUTLINE if locality else ("#d7301f" if white else SERVED_COLOUR)
        if locality:
            folium.GeoJson(row.geometry.__geo_interface__, tooltip=text,
                           style_function=lambda f, c=colour, o=outline: {
                               "color": o, "weight": 2, "fillColor": c,
                               "fillOpacity": 0.35}).add_to(m)
        else:
            folium.CircleMarker([row.geometry.y, row.geometry.x], radius=7, color=outline,
                                weight=2, fill=True, fill_color=colour, fill_opacity=0.9,
                                tooltip=text,
                                class_name="mapa-white" if white else "mapa-served").add_to(m)
    for row in links.itertuples():
        folium.PolyLine([(y, x) for x, y in row.geometry.coords],
                        color=LINK_COLOURS.get(str(row.kind), "#333333"), weight=3,
                        tooltip=label("urban.links.kind", row.kind, lang)).add_to(m)
    for row in services.itertuples():
        service_marker(row.geometry.y, row.geometry.x, str(row.service_type),
                       str(row.name)).add_to(m)
    for row in audits.itertuples():
        colour = AUDIT_COLOURS[min(4, max(0, round(float(row.mean)) - 1))]
        # RegularPolygonMarker would need leaflet-dvf from a CDN: a thick-rimmed circle instead
        folium.CircleMarker([row.geometry.y, row.geometry.x], radius=10, color="#252525",
                            weight=4, fill=True, fill_color=colour, fill_opacity=0.95,
                            tooltip=f"{row.place_label}: {row.mean:.1f}").add_to(m)
    if chosen is not None:
        folium.CircleMarker([chosen[1], chosen[0]], radius=12, color=CHOSEN_COLOUR, weight=4,
                            fill=True, fill_opacity=0.3, class_name="mapa-audit-place",
                            tooltip=translate("urban.map.chosen", lang)).add_to(m)
    Legend(translate("urban.map.legend", lang), [LegendSection("", (
        LegendItem(swatch(WHITE_COLOUR, stroke="#d7301f", opacity=1),
                   translate("urban.map.white", lang)),
        LegendItem(swatch(SERVED_COLOUR, stroke=SERVED_COLOUR),
                   translate("urban.map.served", lang)),
        LegendItem(swatch("#ffffff", stroke=CHOSEN_COLOUR, opacity=0.3),
                   translate("urban.map.chosen", lang)),
        *(LegendItem(line_symbol(colour, width=3), label("urban.links.kind", kind, lang))
          for kind, colour in LINK_COLOURS.items()),
    ))]).add_to(m)
    UrlView({}).add_to(m)
    return finish(m)
