"""User-interface strings in Czech (default) and English, and how they are filled in.

The texts live beside what shows them: ``app/ui/strings.toml`` for the chrome every page shares,
``app/features/<feature>/strings.toml`` for each feature. Each is a TOML table a key,
``["map.title"]`` with ``cs = …`` and ``en = …`` (data a translator can edit without Python);
they are discovered and merged here, so adding a feature's strings is adding one file. The
labels of the domain's vocabularies (``layers.vocabulary``) join them under ``"<group>.<code>"``
keys, e.g. ``"pin.category.drug_dealing"``. A key defined twice, or a string missing a language,
raises ``ValueError`` at import: a gap would otherwise show up as a raw key in front of a user.

A count of something ("1 místo, 2 místa, 5 míst") is a *plural* string: in each language a
table of the CLDR plural forms that language has (Babel's ``Locale.plural_form``; Czech
``one``, ``few``, ``many``, ``other``, English ``one``, ``other``), e.g.
``cs = {one = "{n} místo", few = "{n} místa", many = "{n} místa", other = "{n} míst"}``;
:func:`plural` picks the form for the number. A plural string lacking a form of its language
raises ``ValueError`` at import too. Numbers, dates and times are written by Babel in the
language's own format; times in Europe/Prague (:func:`when`), never as UTC ISO strings.

Everything here is pure (usable by map builders and models without Streamlit);
``app.ui.state.t`` fills a text in the language chosen in the sidebar.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from layers import vocabulary
from layers.messages import DEFAULT_LANGUAGE as DEFAULT_LANGUAGE
from layers.vocabulary import LANGUAGES as LANGUAGES

#: The folder of the shared strings; each feature's are in its own folder under ``features``.
UI_DIR: Final = Path(__file__).resolve().parent
FEATURES_DIR: Final = UI_DIR.parent / "features"
STRINGS_FILE: Final = "strings.toml"
#: The time zone every time is shown in (the app serves Czech towns).
TIME_ZONE: Final = "Europe/Prague"
#: CLDR plural forms a plural string must give, by language.
PLURAL_FORMS: Final = {lang: frozenset(Locale.parse(lang).plural_form.tags | {"other"})
                       for lang in LANGUAGES}


def _string_files() -> Iterator[Path]:
    """The shared strings file, then each feature's ``strings.toml`` by feature name."""
    yield UI_DIR / STRINGS_FILE
    yield from sorted(FEATURES_DIR.glob(f"*/{STRINGS_FILE}"))


def _collect() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
    """The plain strings and the plural strings of every strings file, by key."""
    merged: dict[str, dict[str, str]] = {
        f"{group}.{term.code}": {"cs": term.cs, "en": term.en}
        for group, vocab in vocabulary.VOCABULARIES.items() for term in vocab.terms}
    plurals: dict[str, dict[str, dict[str, str]]] = {}
    for path in _string_files():
        source = path.relative_to(FEATURES_DIR.parent)
        with path.open("rb") as file:
            strings: Mapping[str, Mapping[str, str | Mapping[str, str]]] = tomllib.load(file)
        for key, texts in strings.items():
            if key in merged or key in plurals:
                raise ValueError(f"UI string {key!r} is defined twice "
                                 f"(again in {source})")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"UI string {key!r} in {source} lacks {missing}")
            forms = {lang: text for lang, text in texts.items() if not isinstance(text, str)}
            if not forms:
                merged[key] = {lang: str(text) for lang, text in texts.items()}
                continue
            lacking = {lang: sorted(PLURAL_FORMS[lang] - set(forms.get(lang, {})))
                       for lang in LANGUAGES}
            if any(lacking.values()):
                raise ValueError(f"plural string {key!r} in {source} lacks forms {lacking}")
            plurals[key] = {lang: dict(forms[lang]) for lang in LANGUAGES}
    return merged, plurals


STRINGS, PLURALS = _collect()


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
    """``value`` written the way ``lang`` readers expect (Babel/CLDR): "1 234,5" in Czech (a
    no-break space between thousands), "1,234.5" in English; always ``digits`` decimals.

    NaN is written as an en dash (no figure).
    """
    if value != value:  # NaN
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern, locale=lang))


def plural(key: str, n: float, lang: str, **fmt: object) -> str:
    """The plural string ``key`` in the form ``lang`` uses for ``n`` (CLDR rules: Czech
    "1 místo", "2 místa", "5 míst"), with ``{n}`` the number written by :func:`number` and
    other fields from ``fmt``.

    Raises ``KeyError`` for a key that is no plural string, ``ValueError`` for an unknown
    language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    form = Locale.parse(lang).plural_form(abs(n))
    digits = 0 if float(n).is_integer() else 1
    return PLURALS[key][lang][form].format(n=number(n, lang, digits), **fmt)


def when(value: object, lang: str, *, time: bool = True) -> str:
    """A moment (or a day, with ``time=False``) the way ``lang`` readers write it, in
    Europe/Prague time: "5. 12. 2026 23:40" in Czech, "Dec 5, 2026, 11:40 PM" in English.

    ``value`` is a ``datetime``, a pandas ``Timestamp`` or an ISO 8601 string; a time without
    a zone is taken as UTC (how the store keeps times). An empty or missing value gives "";
    text that is no date raises ``ValueError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if stamp is pd.NaT:  # NaN or NaT: no moment
        return ""
    if not time:
        return str(format_date(stamp.date(), "medium", locale=lang))
    moment: dt.datetime = (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
                           ).to_pydatetime().astimezone(ZoneInfo(TIME_ZONE))
    # the language's medium date and short time, joined as the language joins them
    join = str(Locale.parse(lang).datetime_formats["medium"])
    return join.replace("{1}", str(format_date(moment.date(), "medium", locale=lang))).replace(
        "{0}", str(format_time(moment.timetz(), "short", locale=lang)))
