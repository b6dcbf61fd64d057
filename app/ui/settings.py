"""Deployment settings for the app: the environment first, then Streamlit's secrets file
(``.streamlit/secrets.toml``, or the files ``--secrets.files`` names)."""

from __future__ import annotations

import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError


def setting(name: str) -> str:
    """The value of setting ``name`` ("" when neither the environment nor the secrets set it)."""
    value = os.environ.get(name)
    if value:
        return value
    try:
        return str(st.secrets.get(name, ""))
    except StreamlitSecretNotFoundError:
        return ""
