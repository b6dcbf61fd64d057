"""A warning before typed, unsaved form input is lost (a measure being written, a transcription
in progress): the browser asks before a reload, a closed tab or another site replaces the page.

Streamlit keeps a form's input in the browser until its submit button is pressed, so a reload
loses it. One small script in the page (no data of the app in it) marks the page as having
unsaved input when someone types into a form of the page's main area, clears the mark when a
form is submitted, and asks the browser to confirm leaving while it is set. The sidebar's
login form is not watched: a login sends the browser through the cookie route on purpose.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

#: Installed once per page load (the flag on ``window`` survives Streamlit's reruns).
GUARD: Final = """<script>
(() => {
  if (window.__mapaUnsavedGuard) return;
  window.__mapaUnsavedGuard = true;
  const form = el => el instanceof Element
    && el.closest('[data-testid="stMain"] [data-testid="stForm"]');
  window.__mapaUnsaved = false;
  document.addEventListener('input', event => {
    if (form(event.target)) window.__mapaUnsaved = true;
  }, true);
  document.addEventListener('click', event => {
    const button = event.target instanceof Element && event.target.closest('button');
    if (button && form(button) && /FormSubmit/.test(button.dataset.testid || '')) {
      window.__mapaUnsaved = false;
    }
  }, true);
  window.addEventListener('beforeunload', event => {
    if (!window.__mapaUnsaved) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();
</script>"""


def warn_before_losing_input() -> None:
    """Put the guard into the page (it draws nothing)."""
    st.html(GUARD, unsafe_allow_javascript=True, width="content")
