"""Streamlit's own interface texts in the chosen language, and the look every page shares.

Streamlit's frontend writes a few texts of its own in English only: the skip link, the file
uploader's button, size limit and drop hint, the hints under text fields ("Press Enter to
apply"), the empty select's placeholder, the "Page not found" dialog, the notice of an
unexpected error and some labels only screen readers read. :func:`localise_chrome` puts a
small script on the page (``app/static/chrome/localise.js``) that rewrites each of them with
the UI string of the chosen language, also when Streamlit draws them later, and sets
``<html lang>`` so that screen readers pronounce the page in its language. It also darkens
captions to a contrast that WCAG AA asks for (4.5:1; Streamlit's faded grey falls short) and
rings the control that has the keyboard focus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

import streamlit as st

from app.ui.i18n import translate

SCRIPT: Final = (Path(__file__).resolve().parents[1] / "static" / "chrome" / "localise.js"
                 ).read_text(encoding="utf-8")
#: Streamlit's English texts (whole texts, matched exactly) → the UI string replacing each.
FRONTEND_TEXTS: Final = {
    "Skip to main content": "chrome.skip",
    "Upload": "chrome.upload",
    "Add files": "chrome.add_files",
    "Drag and drop a file here": "chrome.drop_file",
    "Drag and drop files here": "chrome.drop_files",
    "Press Enter to submit form": "chrome.enter_submit",
    "Press Enter to apply": "chrome.enter_apply",
    "Press Ctrl+Enter to apply": "chrome.ctrl_enter_apply",
    "Press ⌘+Enter to apply": "chrome.cmd_enter_apply",
    "Choose an option": "chrome.choose_option",
    "Choose options": "chrome.choose_options",
    "No results": "chrome.no_results",
    "Running...": "chrome.running",
    "Stop": "chrome.stop",
    "Page not found": "chrome.page_not_found",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "chrome.page_missing",
    "Collapse sidebar": "chrome.collapse_sidebar",
    "Expand sidebar": "chrome.expand_sidebar",
    "Main menu": "chrome.main_menu",
    "Close": "chrome.close",
    "Clear all": "chrome.clear_all",
    "Delete": "chrome.delete",
    # a table's toolbar
    "Download as CSV": "chrome.download_csv",
    "Search": "chrome.search",
    "Fullscreen": "chrome.fullscreen",
    "Close fullscreen": "chrome.close_fullscreen",
}
#: Streamlit's English texts with a part of their own (a size, a page's path): a regular
#: expression → the UI string, whose ``{1}``, ``{2}`` take the expression's groups.
FRONTEND_PATTERNS: Final = {
    r"^(\d+(?:\.\d+)?)\s?([KMG]?B) per file$": "chrome.per_file",
    r"^You have requested page /(.*), but no corresponding file was found in the app's "
    r"pages/ directory\. Running the app's main page\.$": "chrome.page_missing_named",
    # what a select tells screen readers (react-select's live region)
    r"^(\d+) options? available\.?$": "chrome.options_available",
    r"^(\d+) results? available for search term (.*)\.$": "chrome.results_for",
    r"^(\d+) results? available\.?$": "chrome.results_available",
    r"^option (.*), selected\.$": "chrome.option_selected",
    r"^option (.*), deselected\.$": "chrome.option_deselected",
    r"^(.*) focused, (\d+) of (\d+)\.$": "chrome.option_focused",
    r"^Use Up and Down to choose options.*$": "chrome.menu_guidance",
    r"^(.*) is focused ?,?.*press Down to open the menu.*$": "chrome.select_guidance",
    # an uncaught error, its details redacted (client.showErrorDetails = "none")
    r"^This app has encountered an error\. The original error message is redacted .*$":
        "chrome.app_error",
}
#: Patterns rewritten in English too: Streamlit's text names its internals or a remedy that
#: does not apply here.
ENGLISH_REWRITES: Final = frozenset({"chrome.page_missing_named", "chrome.app_error"})
#: Captions in a grey that keeps a 4.5:1 contrast on white and on the sidebar's background
#: (Streamlit fades them with an opacity of 0.6, which falls below it); and a focus ring on
#: every control reached from the keyboard (Streamlit marks some, e.g. its navigation links,
#: by a faint background only).
STYLE: Final = ('.stApp [data-testid="stCaptionContainer"] '
                '{ opacity: 1; color: rgb(87, 89, 99); }'
                '.stApp :focus-visible { outline: 2px solid #1c4fbf; outline-offset: 1px; }')


def chrome_rules(lang: str) -> list[tuple[str, str]]:
    """(JavaScript pattern, replacement) pairs rewriting Streamlit's texts into ``lang``
    (in English only those whose text changes, e.g. the "Page not found" message, which names
    Streamlit's folders). Raises ``ValueError`` for an unknown language.
    """
    rules = [(f"^{re.escape(text)}$", translate(key, lang))
             for text, key in FRONTEND_TEXTS.items() if translate(key, lang) != text]
    rules += [(pattern, re.sub(r"\{(\d)\}", r"$\1", translate(key, lang)))
              for pattern, key in FRONTEND_PATTERNS.items()
              if lang != "en" or key in ENGLISH_REWRITES]
    return rules


def localise_chrome(lang: str) -> None:
    """Put the rewriting script (see the module docstring) and the shared style on the page."""
    # no "<" in the script's text: the sanitiser would take it for markup and drop the script
    config = json.dumps({"lang": lang, "rules": chrome_rules(lang)}, ensure_ascii=False
                        ).replace("<", "\\u003c")
    st.html(f"<style>{STYLE}</style><script>{SCRIPT.replace('CONFIG', config)}</script>",
            unsafe_allow_javascript=True)
