"""User-interface strings in Czech (default) and English, and how they are filled in.

The texts live beside what shows them: ``app/ui/strings.toml`` for the chrome every page shares,
``app/features/<feature>/strings.toml`` for each feature. Each is a TOML table a key,
``["map.title"]`` with ``cs = …`` and ``en = …`` (data a translator can edit without Python);
they are discovered and merged here, so adding a feature's strings is adding one file. The
labels of the domain's vocabularies (``layers.vocabulary``) join them under ``"<group>.<code>"``
keys, e.g. ``"pin.category.drug_dealing"``. A key defined twice, or a string missing a language,
raises ``ValueError`` at import: a gap would otherwise show up as a raw key in front of a user.

Everything here is pure (usable by map builders and models without Streamlit);
``app.ui.state.t`` fills a text in the language chosen in the sidebar.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

from layers import vocabulary
from layers.messages import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from layers.vocabulary import LANGUAGES as LANGUAGES

#: The folder of the shared strings; each feature's are in its own folder under ``features``.
UI_DIR: Final = Path(__file__).resolve().parent
FEATURES_DIR: Final = UI_DIR.parent / "features"
STRINGS_FILE: Final = "strings.toml"


def _string_files() -> Iterator[Path]:
    """The shared strings file, then each feature's ``strings.toml`` by feature name."""
    yield UI_DIR / STRINGS_FILE
    yield from sorted(FEATURES_DIR.glob(f"*/{STRINGS_FILE}"))


def _collect() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {
        f"{group}.{term.code}": {"cs": term.cs, "en": term.en}
        for group, vocab in vocabulary.VOCABULARIES.items() for term in vocab.terms}
    for path in _string_files():
        source = path.relative_to(FEATURES_DIR.parent)
        with path.open("rb") as file:
            strings: Mapping[str, Mapping[str, str]] = tomllib.load(file)
        for key, texts in strings.items():
            if key in merged:
                raise ValueError(f"UI string {key!r} is defined twice "
                                 f"(again in {source})")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"UI string {key!r} in {source} lacks {missing}")
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
