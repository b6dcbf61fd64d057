"""Streamlit's own English texts and their replacements (``app.ui.chrome``): every rule
rewrites what Streamlit writes, in each language, and nothing of ours."""

from __future__ import annotations

import re

import pytest

from app.ui.chrome import FRONTEND_TEXTS, chrome_rules
from app.ui.i18n import STRINGS, translate


def rewrite(text: str, lang: str) -> str:
    """What the page script does to one text (JavaScript and Python regular expressions
    agree on these rules)."""
    for pattern, replacement in chrome_rules(lang):
        if re.search(pattern, text):
            return re.sub(pattern, replacement.replace("$", "\\"), text)
    return text


@pytest.mark.parametrize("text", list(FRONTEND_TEXTS))
def test_every_streamlit_text_is_czech_on_a_czech_page(text: str) -> None:
    assert rewrite(text, "cs") == translate(FRONTEND_TEXTS[text], "cs") != text


def test_texts_with_their_own_parts_keep_them() -> None:
    assert rewrite("200MB per file", "cs") == "nejvýše 200 MB na soubor"
    assert rewrite("200MB per file", "en") == "200MB per file"
    missing = ("You have requested page /area, but no corresponding file was found in the "
               "app's pages/ directory. Running the app's main page.")
    assert rewrite(missing, "cs").startswith("Stránka /area neexistuje")
    assert "pages/ directory" not in rewrite(missing, "en")
    assert rewrite("3 options available.", "cs") == "Možností: 3."
    assert rewrite("Kraslice focused, 2 of 3.", "cs") == "Kraslice, 2 z 3."
    crash = ("This app has encountered an error. The original error message is redacted to "
             "prevent data leaks. Full error details have been recorded in the logs.")
    assert rewrite(crash, "cs") == translate("chrome.app_error", "cs")


def test_english_keeps_streamlits_own_words_and_no_text_of_ours_is_touched() -> None:
    assert rewrite("Upload", "en") == "Upload"
    ours = [texts["cs"] for key, texts in STRINGS.items() if not key.startswith("chrome.")]
    assert [text for text in ours if rewrite(text, "cs") != text] == []
