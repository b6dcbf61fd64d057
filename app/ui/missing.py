"""Say in words which of a town's layers are empty, instead of an empty map, and which are
illustrative, so that no generated figure passes for a real one.

A town added with ``mapa import town`` starts with its boundary only: no localities, no
approved answers of a feeling map, no services, no police districts. Every page still works
for it; :func:`note_missing` tells the reader which of the layers the page draws on are not
there yet and where they come from (the Data page, ``mapa import …``).
:func:`note_illustrative` tells which of them hold generated (illustrative) data, as the
sources table records it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import streamlit as st

from app.ui.i18n import translate
from app.ui.state import current_language
from app.ui.town import TownData

#: A layer a page may draw on → whether the town has any of it.
PRESENT: Final[dict[str, Callable[[TownData], bool]]] = {
    "localities": lambda town: len(town.localities) > 0,
    "pins": lambda town: len(town.pins_approved) > 0,
    "services": lambda town: len(town.services) > 0,
    "police_districts": lambda town: len(town.districts) > 0,
}


def missing_layers(town: TownData, needs: tuple[str, ...]) -> list[str]:
    """The layers of ``needs`` (keys of :data:`PRESENT`) that ``town`` has nothing of, in
    the order given. ``KeyError`` for an unknown layer key."""
    return [layer for layer in needs if not PRESENT[layer](town)]


def missing_text(town: TownData, needs: tuple[str, ...], lang: str) -> str | None:
    """One sentence naming the empty layers of ``needs`` in ``lang``; None when none is."""
    missing = missing_layers(town, needs)
    if not missing:
        return None
    names = ", ".join(translate(f"missing.{layer}", lang) for layer in missing)
    return translate("missing.note", lang, town=town.name, layers=names)


def illustrative_text(town: TownData, shows: tuple[str, ...], lang: str) -> str | None:
    """One sentence naming the layers of ``shows`` (keys of :data:`PRESENT`) that ``town``
    has and that hold illustrative (generated) data, in ``lang``; None when none does."""
    generated = [layer for layer in shows if PRESENT[layer](town) and town.is_synthetic(layer)]
    if not generated:
        return None
    names = ", ".join(translate(f"missing.{layer}", lang) for layer in generated)
    return translate("illustrative.note", lang, town=town.name, layers=names)


def note_illustrative(town: TownData, shows: tuple[str, ...]) -> None:
    """Draw :func:`illustrative_text` as an information box (as the Area page's), when some
    layer is illustrative."""
    text = illustrative_text(town, shows, current_language())
    if text:
        st.info(text, icon="⚠️")


def note_missing(town: TownData, needs: tuple[str, ...]) -> None:
    """Draw :func:`missing_text` as an information box, when some layer is missing."""
    text = missing_text(town, needs, current_language())
    if text:
        st.info(text, icon="ℹ️")
