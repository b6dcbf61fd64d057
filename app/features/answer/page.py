"""The public form of a session link (``/answer?link=…``): anyone with the link answers from
their own phone, without an account, after a short consent screen.

The link is checked on every run (``layers.mapping.links.open_link``): an unknown, closed or
not yet open link says so in Czech (or English) and shows nothing else. Answers are stored as
pending pins with their answers to the session's questions; each carries its idempotency key
(the pin id made when its place was tapped), so a Save sent again after a dropped connection
stores it once, and a refused or failed one stays on screen with the reason.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import geopandas as gpd
import streamlit as st

from app.ui import cache
from app.ui.access import client
from app.ui.answer_form import NO_CHROME, answer_flow
from app.ui.state import error_text, t
from layers.errors import MapaError
from layers.mapping import links
from layers.mapping.capture import PinAnswer, load_session
from layers.mapping.questions import session_questions

CONSENT_KEY = "answer_consent"
DEVICE_KEY = "answer_device"


def render() -> None:
    """The page: the link's state, the consent screen, then the answer flow."""
    st.markdown(NO_CHROME, unsafe_allow_html=True)
    store = cache.store()
    token = str(st.query_params.get(links.LINK_PARAM, ""))
    try:
        link = links.open_link(store, token)
    except MapaError as exc:
        st.error(error_text(exc))
        st.stop()
    session = load_session(store, link.session_id)
    if st.session_state.get(CONSENT_KEY) != token:
        st.title(t("answer.title"))  # the answer's screens need the height a title takes
        st.subheader(t("answer.consent.title"))
        st.caption(t("answer.consent.session", place=session["place"], date=session["date"]))
        st.write(t("answer.consent.text"))
        if st.button(t("answer.consent.agree"), type="primary", key="answer-consent"):
            st.session_state[CONSENT_KEY] = token
            st.rerun()
        st.stop()
    # one random id per browser session: the per-device limit counts it, never a person
    device = st.session_state.setdefault(DEVICE_KEY, secrets.token_hex(16))

    def save(pin_id: str, pin: PinAnswer, answers: Mapping[str, object]) -> None:
        links.submit(store, token, pin_id, pin, answers, device=device, client=client())

    answer_flow(cache.town_data(link.town_id), link.session_id,
                session_questions(store, link.session_id), gpd.GeoDataFrame(), save,
                t("answer.saved"))


if __name__ == "__main__":  # run as a page script by st.navigation (app/main.py)
    render()
