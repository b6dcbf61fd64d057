"""Mapa bezpečí domain: models, stores, loaders and analyses.

Nothing in this package imports Streamlit; the UI lives in ``app/``.
"""
