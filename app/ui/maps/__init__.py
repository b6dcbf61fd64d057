"""The folium toolkit every feature's map builder uses (no Streamlit): the town's base map and
shared symbols (``base``), the legend, the pin layer, Leaflet.draw's shared options, and the
last step of every builder (``finish``: escaping and local assets). Importing it shares the
compiled templates between folium's elements (``templates``)."""

from app.ui.maps.templates import install

install()
