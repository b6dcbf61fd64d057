"""The Hotspots page: fear and crime hotspots, their classes and what each class means."""
