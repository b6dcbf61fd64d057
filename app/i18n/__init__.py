"""User-interface strings in Czech (default) and English.

Every module of this package (``core.py``, ``map.py``, and any a later page adds, e.g.
``hotspots.py``) defines ``STRINGS = {"key": {"cs": ..., "en": ...}}``; they are discovered and
merged here, so adding a page's strings is adding one module. A key defined twice, or a string
missing a language, raises ``ValueError`` at import: a gap would otherwise show up as a raw key
in front of a user.

:func:`translate` is pure (usable from ``app/mapview`` without Streamlit); :func:`t` uses the
language chosen in the sidebar.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from typing import Final

from layers.errors import MapaError
from layers.messages import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE  # the pages read it here
from layers.messages import LANGUAGES


def _collect() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        strings: Mapping[str, Mapping[str, str]] = getattr(module, "STRINGS", {})
        for key, texts in strings.items():
            if key in merged:
                raise ValueError(f"UI string {key!r} is defined twice (again in {info.name})")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"UI string {key!r} in {info.name} lacks {missing}")
            merged[key] = dict(texts)
    return merged


STRINGS: Final = _collect()


def translate(key: str, lang: str, **fmt: object) -> str:
    """The text of ``key`` in ``lang`` with ``str.format`` fields filled from ``fmt``.

    Raises ``KeyError`` for an unknown key and ``ValueError`` for an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    text = STRINGS[key][lang]
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt: object) -> str:
    """The text of ``key`` in the language chosen in the sidebar (Czech until switched)."""
    from app.state import current_language  # Streamlit stays out of pure callers' imports

    return translate(key, current_language(), **fmt)


def error_text(exc: Exception) -> str:
    """Why something was refused, for the user: a :class:`~layers.errors.MapaError` from the
    catalogue in the language chosen in the sidebar, any other error as its own text."""
    from app.state import current_language  # Streamlit stays out of pure callers' imports

    return exc.message(current_language()) if isinstance(exc, MapaError) else str(exc)


def labels(group: str, codes: Iterable[object], lang: str) -> dict[str, str]:
    """Labels of vocabulary ``codes`` (e.g. pin categories) keyed by ``str(code)``.

    ``group`` is the key prefix, e.g. ``"pin.category"`` for ``"pin.category.drug_dealing"``.
    """
    return {str(code): translate(f"{group}.{code}", lang) for code in codes}


def label(group: str, code: object, lang: str) -> str:
    """The label of one vocabulary code; an unknown code is shown as itself."""
    key = f"{group}.{code}"
    return translate(key, lang) if key in STRINGS else str(code)


def number(value: float, lang: str, digits: int = 0) -> str:
    """``value`` written the way ``lang`` readers expect: "1 234,5" in Czech, "1,234.5" in English.

    NaN is written as an en dash (no figure).
    """
    if value != value:  # NaN
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "cs":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text
