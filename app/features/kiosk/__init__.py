"""The kiosk: tap the map and answer with big pictogram buttons during a session."""
