"""The last step of every map builder, before the map is rendered or handed to ``st_folium``."""

from __future__ import annotations

import folium

from app.ui.maps.assets import localize
from app.ui.maps.empty import unbind_empty
from app.ui.maps.escaping import escape_text
from app.ui.maps.focus import FocusInPlace


def finish(m: folium.Map) -> folium.Map:
    """``m`` with every user-visible text made inert (:mod:`app.ui.maps.escaping`), no
    tooltip or popup on a layer without features (:mod:`app.ui.maps.empty`), a click landing
    where it was pressed (:mod:`app.ui.maps.focus`) and every asset served locally
    (:mod:`app.ui.maps.assets`); raises what ``localize`` raises."""
    FocusInPlace().add_to(m)
    return localize(escape_text(unbind_empty(m)))
