"""The domain's vocabularies: codes defined once, labelled in both languages, named elsewhere."""

from __future__ import annotations

import pytest

from layers import exclusion, schema, vocabulary
from layers.access import roles
from layers.vocabulary import FEELING, PIN_CATEGORY, ROLE, SERVICE_TYPE, Term, Vocabulary


@pytest.mark.parametrize("vocab", list(vocabulary.VOCABULARIES.values()),
                         ids=list(vocabulary.VOCABULARIES))
def test_every_term_has_distinct_labels_in_both_languages(vocab: Vocabulary) -> None:
    for lang in vocabulary.LANGUAGES:
        texts = vocab.labels(lang)
        assert list(texts) == [str(code) for code in vocab.codes]
        assert len(set(texts.values())) == len(vocab.codes)


def test_old_names_are_the_vocabulary_codes() -> None:
    assert PIN_CATEGORY.codes == schema.PIN_CATEGORIES
    assert schema.PIN_CATEGORIES[0] == "drug_dealing"
    assert schema.FEELINGS == (1, 2, 3, 4, 5)
    assert schema.SEEN == ("own", "heard")
    assert vocabulary.MEASURE_STATUS.codes == schema.MEASURE_STATUSES
    assert set(PIN_CATEGORY.codes) >= schema.SENSITIVE_CATEGORIES
    assert roles.ROLES == ROLE.codes == tuple(roles.RIGHTS)
    assert exclusion.BANDS == (("0-1", 0, 1), ("2-7", 2, 7), ("8-11", 8, 11), ("12-30", 12, 30))


def test_labels_and_lookups() -> None:
    assert vocabulary.label("pin.category", "drug_dealing", "en") == "Drug dealing"
    assert vocabulary.label("pin.feeling", "3", "cs") == FEELING.term(3).cs
    assert vocabulary.label("pin.category", "mystery", "cs") == "mystery"
    assert vocabulary.labels("role", "cs", ["admin"]) == {"admin": "správce"}
    assert "obecní policie" in SERVICE_TYPE.term("municipal_police").synonyms
    with pytest.raises(KeyError):
        vocabulary.labels("pin.category", "cs", ["mystery"])
    with pytest.raises(KeyError):
        ROLE.code("superuser")
    with pytest.raises(ValueError, match="language"):
        PIN_CATEGORY.label("dogs", "de")


def test_a_vocabulary_refuses_repeated_codes_and_missing_labels() -> None:
    with pytest.raises(ValueError, match="repeats"):
        Vocabulary("x", (Term("a", "A", "A"), Term("a", "B", "B")))
    with pytest.raises(ValueError, match="lacks"):
        Vocabulary("x", (Term("a", "A", ""),))


def test_the_privacy_threshold_is_one_number() -> None:
    from layers.access import guarded
    from layers.hotspots import privacy

    assert vocabulary.PUBLIC_K == guarded.PUBLIC_K == privacy.DEFAULT_K == 5
