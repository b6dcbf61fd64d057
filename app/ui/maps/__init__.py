"""The folium toolkit every feature's map builder uses (no Streamlit): the town's base map and
shared symbols (``base``), the legend, the pin layer, Leaflet.draw's shared options, and the
last step of every builder (``finish``: escaping and local assets)."""
