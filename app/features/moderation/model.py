"""The Moderation page's table of pending pins (no Streamlit here)."""

from __future__ import annotations

import pandas as pd

from app.ui.i18n import label, labels, translate
from layers.schema import PIN_CATEGORIES


def pending_table(pending: pd.DataFrame, places: list[str], lang: str) -> pd.DataFrame:
    """One row per pending pin, unselected: its id (hidden by the page), its place (``places``,
    one name per pin, "" where unnamed), category and feeling in ``lang``, its comment (a held
    one marked as held), session and creation time."""
    category_labels = labels("pin.category", PIN_CATEGORIES, lang)
    held = translate("moderation.held", lang)
    return pd.DataFrame({
        "select": False,
        "pin_id": pending["pin_id"].to_numpy(),
        "place": [p or "–" for p in places],
        "category": [category_labels.get(c, c) for c in pending["category"]],
        "feeling": [label("pin.feeling", f, lang) for f in pending["feeling"]],
        "comment": [f"⚠ {held}: {c}" if is_held else c
                    for c, is_held in zip(pending["comment"].fillna(""),
                                          pending["comment_held"].astype(bool), strict=True)],
        "session": pending["session_id"].to_numpy(),
        "created": pending["created_at"].to_numpy(),
    })
