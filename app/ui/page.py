"""The head every town page starts with: the right it needs, the language, the town, its
title, introduction and the note on the layers it lacks."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.ui import cache
from app.ui.access import page_principal
from app.ui.missing import note_illustrative, note_missing
from app.ui.state import current_language, page_town, t
from app.ui.town import TownData
from layers.access.principal import Principal
from layers.access.roles import VIEW_PUBLIC


@dataclass(frozen=True)
class PageHead:
    """What a page's ``render()`` works with after its head is drawn."""

    principal: Principal
    lang: str
    town_id: str
    town: TownData


def page_head(texts: str, right: str = VIEW_PUBLIC, needs: tuple[str, ...] = (),
              shows: tuple[str, ...] | None = None) -> PageHead:
    """Check ``right`` (anyone lacking it sees a refusal and the page stops), then draw the
    title ``{texts}.title`` (with the town's name), the caption ``{texts}.intro``, when
    some of the ``needs`` layers are empty, the note saying which, and when some of the
    layers the page ``shows`` (by default its ``needs``) are illustrative, the note saying
    which."""
    principal = page_principal(right)
    town_id = page_town()
    town = cache.town_data(town_id)
    st.title(t(f"{texts}.title", town=town.name))
    st.caption(t(f"{texts}.intro"))
    note_missing(town, needs)
    note_illustrative(town, needs if shows is None else shows)
    return PageHead(principal, current_language(), town_id, town)
