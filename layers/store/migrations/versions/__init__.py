"""Alembic revision scripts of the PostGIS store, oldest first (v0001_…)."""
