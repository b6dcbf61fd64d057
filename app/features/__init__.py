"""One folder per thing a user does. Each holds ``page.py`` (Streamlit: the page's ``render()``,
run by ``app/main.py``'s navigation), ``strings.toml`` (its Czech and English texts) and, where it
has them, ``map.py`` (its folium builder) and ``model.py`` (pure functions from domain results to
what the page shows); neither of the last two imports Streamlit."""
