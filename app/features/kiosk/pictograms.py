"""Pictograms of the kiosk's answer buttons (big, readable for children)."""

from __future__ import annotations

from typing import Final

CATEGORY_ICONS: Final = {
    "drug_dealing": "💊", "drunk_drugged": "🍺", "syringes": "💉", "exhibitionist": "🧥",
    "aggressive_groups": "👊", "racism": "🗯️", "dark_place": "🌑", "traffic": "🚗",
    "dogs": "🐕", "abandoned_building": "🏚️", "other": "❓", "feel_good": "😊",
    "develop": "🌱",
}
FEELING_ICONS: Final = {1: "😱", 2: "😟", 3: "😐", 4: "🙂", 5: "😄"}
SEEN_ICONS: Final = {"own": "👀", "heard": "👂"}
TIME_ICONS: Final = {"morning": "🌅", "afternoon": "☀️", "evening": "🌆", "night": "🌙"}
ACTION_ICONS: Final = {"avoid": "↪️", "with_older": "🧑‍🧒", "in_group": "👫",
                       "call_police": "📞", "nothing": "🤷"}
