"""UI strings: complete in both languages, one definition per key, every vocabulary labelled."""

from __future__ import annotations

import pandas as pd
import pytest

from app.ui.i18n import (
    LANGUAGES,
    PLURAL_FORMS,
    PLURALS,
    STRINGS,
    label,
    labels,
    number,
    plural,
    translate,
    when,
)
from app.ui.state import error_text
from layers.exclusion import BANDS
from layers.schema import CONTEXT_KINDS, FEELINGS, PIN_CATEGORIES, SERVICE_TYPES, SOURCES
from layers.strategy.editing import EditRefused


def test_every_string_has_every_language() -> None:
    assert len(STRINGS) > 50
    for key, texts in STRINGS.items():
        assert set(texts) >= set(LANGUAGES), key


@pytest.mark.parametrize(("group", "codes"), [
    ("pin.category", PIN_CATEGORIES), ("pin.feeling", FEELINGS),
    ("service.type", SERVICE_TYPES), ("band", [code for code, _, _ in BANDS]),
    ("context.kind", CONTEXT_KINDS),
])
def test_every_vocabulary_code_has_labels(group, codes) -> None:
    for lang in LANGUAGES:
        assert len(set(labels(group, codes, lang).values())) == len(codes)


def test_translate_formats_and_switches_language() -> None:
    assert translate("map.title", "cs", town="Kraslice") == "Mapa bezpečí – Kraslice"
    assert translate("map.title", "en", town="Kraslice") == "Safety map – Kraslice"
    with pytest.raises(KeyError):
        translate("no.such.key", "cs")
    with pytest.raises(ValueError, match="language"):
        translate("map.title", "de", town="x")


def test_error_text_follows_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = EditRefused("number_taken", number="1.1", strategy="s")
    monkeypatch.setattr("app.ui.state.current_language", lambda: "cs")
    assert error_text(refused) == "číslo 1.1 už ve strategii má jiný cíl"
    monkeypatch.setattr("app.ui.state.current_language", lambda: "en")
    assert error_text(refused) == "goal number 1.1 is already used in strategy s"
    assert error_text(ValueError("plain")) == "plain"


def test_label_of_unknown_code_is_the_code() -> None:
    assert label("pin.category", "drug_dealing", "cs") == "Prodej drog"
    assert label("pin.category", "mystery", "cs") == "mystery"


def test_numbers_follow_language_conventions() -> None:
    assert number(23489, "cs") == "23\u00a0489"
    assert number(23489, "en") == "23,489"
    assert number(158.66, "cs", 1) == "158,7"
    assert number(float("nan"), "en") == "–"


def test_every_layer_with_a_source_has_a_label(demo_store) -> None:
    """The sources table under the map names layers by these labels."""
    layers = sorted(set(demo_store.read(SOURCES)["layer"]))
    assert "localities" in layers
    missing = [name for name in layers if f"layer.{name}" not in STRINGS]
    assert missing == []
    assert label("layer", "localities", "cs") != label("layer", "localities", "en")


@pytest.mark.parametrize(("n", "cs", "en"), [
    (1, "1 místo", "1 place"), (2, "2 místa", "2 places"), (4, "4 místa", "4 places"),
    (5, "5 míst", "5 places"), (0, "0 míst", "0 places"), (22, "22 míst", "22 places"),
    (1234, "1\u00a0234 míst", "1,234 places"), (1.5, "1,5 místa", "1.5 places"),
])
def test_counts_follow_each_languages_plural_rules(n, cs, en) -> None:
    assert plural("count.places", n, "cs") == cs
    assert plural("count.places", n, "en") == en


def test_every_plural_string_has_every_form_of_its_language() -> None:
    assert PLURALS
    for key, forms in PLURALS.items():
        for lang in LANGUAGES:
            assert set(forms[lang]) >= PLURAL_FORMS[lang], key
            # every form says the number
            assert all("{n}" in text for text in forms[lang].values()), key


def test_moments_are_prague_time_in_each_languages_format() -> None:
    # 23:40 UTC on 5 December is 0:40 on 6 December in Prague (winter, UTC+1)
    assert when("2026-12-05T23:40:00+00:00", "cs") == "6. 12. 2026 0:40"
    assert when("2026-12-05T23:40:00", "en") == "Dec 6, 2026, 12:40\u202fAM"
    # summer time is UTC+2
    assert when(pd.Timestamp("2026-07-01 10:00", tz="UTC"), "cs") == "1. 7. 2026 12:00"
    assert when("2026-07-01", "cs", time=False) == "1. 7. 2026"
    assert when(None, "cs") == when(float("nan"), "en") == ""
    with pytest.raises(ValueError):
        when("not a date", "cs")
