"""User-interface strings in Czech (default) and English, and how they are filled in.

The texts live beside what shows them: ``app/ui/strings.py`` for the chrome every page shares,
``app/features/<feature>/strings.py`` for each feature. Each defines
``STRINGS = {"key": {"cs": ..., "en": ...}}``; they are discovered and merged here, so adding a
feature's strings is adding one module. The labels of the domain's vocabularies
(``layers.vocabulary``) join them under ``"<group>.<code>"`` keys, e.g.
``"pin.category.drug_dealing"``. A key defined twice, or a string missing a language, raises
``ValueError`` at import: a gap would otherwise show up as a raw key in front of a user.

Everything here is pure (usable by map builders and models without Streamlit);
``app.ui.state.t`` fills a text in the language chosen in the sidebar.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType
from typing import Final

import app.features
from layers import vocabulary
from layers.messages import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from layers.vocabulary import LANGUAGES as LANGUAGES

#: The strings every page shares; each feature's come from its own ``strings`` module.
SHARED_STRINGS: Final = "app.ui.strings"


def _string_modules() -> Iterator[ModuleType]:
    """The shared strings module, then each feature's ``strings`` module by feature name."""
    yield importlib.import_module(SHARED_STRINGS)
    for info in sorted(pkgutil.iter_modules(app.features.__path__), key=lambda i: i.name):
        name = f"{app.features.__name__}.{info.name}.strings"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def _collect() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {
        f"{group}.{term.code}": {"cs": term.cs, "en": term.en}
        for group, vocab in vocabulary.VOCABULARIES.items() for term in vocab.terms}
    for module in _string_modules():
        strings: Mapping[str, Mapping[str, str]] = getattr(module, "STRINGS", {})
        for key, texts in strings.items():
            if key in merged:
                raise ValueError(f"UI string {key!r} is defined twice "
                                 f"(again in {module.__name__})")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"UI string {key!r} in {module.__name__} lacks {missing}")
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


def labels(group: str, codes: Iterable[object], lang: str) -> dict[str, str]:
    """Labels of vocabulary ``codes`` (e.g. pin categories) keyed by ``str(code)``.

    ``group`` is the key prefix, e.g. ``"pin.category"`` for ``"pin.category.drug_dealing"``:
    a vocabulary of ``layers.vocabulary``, or a family of UI strings. Raises ``KeyError`` for a
    code without a label and ``ValueError`` for an unknown language.
    """
    if group in vocabulary.VOCABULARIES:
        return vocabulary.labels(group, lang, codes)
    return {str(code): translate(f"{group}.{code}", lang) for code in codes}


def label(group: str, code: object, lang: str) -> str:
    """The label of one vocabulary code; an unknown code is shown as itself."""
    if group in vocabulary.VOCABULARIES:
        return vocabulary.label(group, code, lang)
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
