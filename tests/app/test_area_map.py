"""The Area page's map shows the place chosen for a new measure."""

from __future__ import annotations

from app.i18n import translate
from app.mapview.area_map import CHOSEN_COLOUR, build_area_map
from app.mapview.town import load_town
from layers.store import Store
from layers.strategy.area import load_area


def test_chosen_place_is_drawn_only_when_chosen(demo_store: Store) -> None:
    view = load_area(demo_store, "litvinov", "litvinov-1")
    context = load_town(demo_store, "litvinov").context
    plain = build_area_map(view, context, "cs").get_root().render()
    chosen = build_area_map(view, context, "cs", (13.61234, 50.60123)).get_root().render()
    assert CHOSEN_COLOUR not in plain
    assert CHOSEN_COLOUR in chosen and translate("area.map.chosen", "cs") in chosen
    assert "[50.60123, 13.61234]" in chosen  # folium wants lat, lon
