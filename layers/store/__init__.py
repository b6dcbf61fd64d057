"""The store: one interface, two backends (a GeoPackage file, or PostgreSQL with PostGIS).

Use :func:`open_store` with a path or a ``postgresql://`` URL; nothing outside this package
knows how a backend keeps its data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.store.base import Store, StoreError
from layers.store.geopackage import GeoPackageStore

if TYPE_CHECKING:
    from layers.store.postgis import PostGISStore

DEFAULT_STORE = Path(__file__).resolve().parents[2] / "geodata" / "mapa.gpkg"
URL_PREFIXES = ("postgresql://", "postgres://")


def default_location() -> str:
    """``MAPA_DB_URL`` if set, else ``MAPA_STORE``, else ``geodata/mapa.gpkg`` in the checkout.

    The result may carry a password: show :func:`public_location` of it instead.
    """
    return (os.environ.get("MAPA_DB_URL") or os.environ.get("MAPA_STORE")
            or str(DEFAULT_STORE))


def public_location(location: str | os.PathLike[str]) -> str:
    """``location`` fit to print: a URL loses its password."""
    where = str(location)
    if not where.startswith(URL_PREFIXES):
        return where
    from layers.store.postgis import redact

    return redact(where)


def open_store(location: str | os.PathLike[str] | None = None) -> Store:
    """Open the store at ``location`` (default: :func:`default_location`).

    A ``postgresql://`` URL opens a :class:`PostGISStore`, anything else a GeoPackage path.
    Opening connects to nothing yet: errors surface as ``StoreError`` on first use.
    """
    where = str(location) if location is not None else default_location()
    if where.startswith(URL_PREFIXES):
        from layers.store.postgis import PostGISStore

        return PostGISStore(where)
    return GeoPackageStore(Path(where))


def __getattr__(name: str) -> Any:
    """``PostGISStore`` is imported on first use: the PostgreSQL driver is the optional extra
    ``postgres``, and a GeoPackage store works without it."""
    if name == "PostGISStore":
        from layers.store.postgis import PostGISStore

        return PostGISStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_STORE", "GeoPackageStore", "PostGISStore", "Store", "StoreError",
           "default_location", "open_store", "public_location"]
