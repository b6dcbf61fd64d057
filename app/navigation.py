"""The app's pages (no Streamlit here): the feature each one runs, its title, its URL path and
the right (``layers.access.roles``) it needs.

``app/main.py`` offers a page only to a principal with its right, and every page checks again
itself (``app.ui.access.page_principal``). Add a page by adding a feature folder with a
``page.py`` (see ``app/features``) and a row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from layers.access import roles


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation."""

    feature: str
    title_key: str
    url_path: str
    right: str

    @property
    def script(self) -> str:
        """The page script, relative to ``app/main.py`` (what ``st.Page`` and AppTest take)."""
        return f"features/{self.feature}/page.py"


PAGES: Final = (
    PageSpec("map", "nav.map", "map", roles.VIEW_PUBLIC),
    PageSpec("hotspots", "nav.hotspots", "hotspots", roles.VIEW_PUBLIC),
    PageSpec("catalogue", "nav.catalogue", "catalogue", roles.VIEW_PUBLIC),
    PageSpec("sessions", "nav.sessions", "sessions", roles.RUN_SESSIONS),
    PageSpec("kiosk", "nav.capture", "capture", roles.RUN_SESSIONS),
    PageSpec("moderation", "nav.moderation", "moderation", roles.MODERATE),
    PageSpec("area", "nav.area", "area", roles.EDIT_STRATEGY),
    PageSpec("admin", "nav.admin", "admin", roles.MANAGE_ACCOUNTS),
    PageSpec("data", "nav.data", "data", roles.MANAGE_DATA),
    PageSpec("patrol", "nav.patrol", "patrol", roles.PLAN_PATROLS),
    PageSpec("public_space", "nav.urban", "urban", roles.EDIT_URBAN),
)

#: The public form a session link opens (``?link=…``): never listed, shown alone.
ANSWER_PAGE: Final = PageSpec("answer", "nav.answer", "answer", roles.VIEW_PUBLIC)


def page_by_path(url_path: str) -> PageSpec:
    """The page at ``url_path`` (e.g. "area"); ``KeyError`` for no such page."""
    for page in (*PAGES, ANSWER_PAGE):
        if page.url_path == url_path:
            return page
    raise KeyError(url_path)


def page_script(url_path: str) -> str:
    """The script of the page at ``url_path`` (e.g. "area"); ``KeyError`` for no such page."""
    return page_by_path(url_path).script
