"""The store: one interface, one GeoPackage backend today (PostGIS later).

Use :func:`open_store` with a path (or, later, a ``postgresql://`` URL); nothing outside this
package knows how a backend keeps its data.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers.store.base import Store, StoreError
from layers.store.geopackage import GeoPackageStore

DEFAULT_STORE = Path(__file__).resolve().parents[2] / "geodata" / "mapa.gpkg"


def default_location() -> str:
    """The store location from ``MAPA_STORE``, else ``geodata/mapa.gpkg`` in the checkout."""
    return os.environ.get("MAPA_STORE") or str(DEFAULT_STORE)


def open_store(location: str | os.PathLike[str] | None = None) -> Store:
    """Open the store at ``location`` (default: :func:`default_location`).

    Raises ``StoreError`` for a location no backend understands.
    """
    where = str(location) if location is not None else default_location()
    if where.startswith(("postgresql://", "postgres://")):
        raise StoreError("the PostGIS backend is not available yet; use a GeoPackage path")
    return GeoPackageStore(Path(where))


__all__ = ["DEFAULT_STORE", "GeoPackageStore", "Store", "StoreError", "default_location",
           "open_store"]
