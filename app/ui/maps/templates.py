"""Compiled jinja templates shared between folium elements.

branca compiles an element's template text anew for every element that is given one as text
(``Element(template)``): folium does so for each layer's ``include`` statement and for every
HTML snippet, so one map compiles the same few texts a hundred times or more, which took
40–60 % of building and rendering a page's map. :func:`install` makes branca take compiled
templates from a cache keyed by the text. A jinja ``Template`` is immutable once compiled
and renders with its own arguments, so elements can share one; the output is the same.

A deliberate patch of branca (0.8) rather than hand-written rendering: branca has no option
for it. ``tests/app/test_map_templates.py`` checks that it stays in place and changes nothing.
"""

from __future__ import annotations

import functools
from typing import Final

import branca.element
import jinja2

#: Distinct template texts kept (each a few kilobytes compiled); the shared ones (include
#: statements, symbols) stay, one-off texts (a popup's HTML) drop out.
MAX_TEMPLATES: Final = 512


@functools.lru_cache(maxsize=MAX_TEMPLATES)
def compiled(source: str) -> jinja2.Template:
    """``jinja2.Template(source)``, compiled once per text."""
    return jinja2.Template(source)


def install() -> None:
    """Make branca's elements take their compiled templates from :func:`compiled`."""
    branca.element.Template = compiled  # type: ignore[assignment,misc]
