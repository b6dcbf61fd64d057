"""The Data page's preview of a police open-data export: approximate positions are drawn as
hollow dashed circles, labelled as approximate, never like exact ones."""

from __future__ import annotations

import json
import re

import geopandas as gpd

from app.features.data.map import build_preview_map
from app.ui.i18n import translate
from app.ui.town import load_town
from layers.store import Store


def test_approximate_offences_are_drawn_as_approximate(demo_store: Store) -> None:
    boundary = load_town(demo_store, "litvinov").boundary
    offences = gpd.GeoDataFrame(
        {"type_name": ["Krádeže jízdních kol", "Krádeže vloupáním do obchodů"],
         "exact": [True, False]},
        geometry=gpd.points_from_xy([13.6100, 13.6200], [50.6000, 50.6010]), crs="EPSG:4326")
    approximate = translate("data.approximate", "cs")
    html = build_preview_map(boundary, {"police_offences": offences}, approximate
                             ).get_root().render()
    features = [json.loads(match) for match in re.findall(
        r'"features": (\[\{"bbox".*?\}\])', html)]
    flat = [f["properties"] for group in features for f in group
            if f["properties"].get("layer") == "police_offences"]
    assert {(p["label"], p["exact"]) for p in flat} == {
        ("Krádeže jízdních kol", True),
        (f"Krádeže vloupáním do obchodů ({approximate})", False)}
    assert '"dashArray": "4 4"' in html and '"fill": false' in html
