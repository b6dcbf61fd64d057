"""What the map's fear-pin layer ships to the browser: every pin's place, category and feeling
as four integer columns, plus the label tables (no folium, no Streamlit).

The columns:

* ``lat``/``lon`` — coordinates in 1/``COORD_SCALE`` degree (1e-5° ≈ 1 m), pins sorted along a
  Hilbert curve so that consecutive pins are near each other, then delta-coded;
* ``cat`` — index into ``PIN_CATEGORIES`` (labels and colours travel once, as lookup tables);
* ``feel`` — index into ``FEELINGS``.

Each column is a string of zigzag varints: 5 bits per character, the sixth bit meaning "more
characters follow", characters from the base64 alphabet (no quote, backslash, ``<`` or
underscore, so neither HTML nor streamlit-folium's variable renaming can touch it). This
encoder and its decoder in ``app/static/mapview/pin_layer.js`` are hand-written on purpose: no
library encodes integer columns for the browser this compactly, and together they are some
thirty lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.crs import to_storage
from layers.schema import FEELINGS, PIN_CATEGORIES

#: Integer coordinate units per degree (1e-5° is about 1.1 m of latitude).
COORD_SCALE: Final = 100_000
#: Digits of the varint columns, in value order.
ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DIGITS: Final = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
#: JavaScript decodes with 32-bit bitwise operators: zigzag values must stay below 2**30.
_MAX_CHARS: Final = 6


def encode_column(values: np.ndarray) -> str:
    """Integers → zigzag varint string (see the module docstring).

    Raises ``ValueError`` for a value whose zigzag form needs more than 30 bits, which the
    browser's 32-bit decoder could not restore.
    """
    ints = np.asarray(values, dtype=np.int64)
    zigzag = (ints << 1) ^ (ints >> 63)
    if zigzag.size and int(zigzag.max()) >= 1 << (5 * _MAX_CHARS):
        raise ValueError("value out of range of the pin column encoding (|v| >= 2**29)")
    places = np.arange(_MAX_CHARS)
    chars = 1 + (zigzag[:, None] >= (1 << (5 * places[1:]))[None, :]).sum(axis=1)
    groups = (zigzag[:, None] >> (5 * places)) & 31
    more = places[None, :] < (chars[:, None] - 1)
    used = places[None, :] < chars[:, None]
    # Boolean indexing walks the rows in order, so each value's characters stay together.
    return _DIGITS[(groups | (more << 5))[used]].tobytes().decode("ascii")


def encode_pins(pins: gpd.GeoDataFrame) -> dict[str, Any]:
    """The four encoded columns of ``pins`` plus ``n`` and ``scale`` (no labels).

    ``pins`` must hold point geometries, ``category`` from ``PIN_CATEGORIES`` and ``feeling``
    from ``FEELINGS``; anything else raises ``ValueError``. A frame in another CRS is
    reprojected to EPSG:4326; one without a CRS raises ``ValueError``.
    """
    pins = to_storage(pins)
    geoms = pins.geometry
    if len(pins) and not (geoms.geom_type == "Point").all():
        raise ValueError("every pin needs a point geometry")
    category = pd.Index(PIN_CATEGORIES).get_indexer(pins["category"])
    if (category < 0).any():
        unknown = sorted(set(pins["category"].astype(str)) - set(PIN_CATEGORIES))
        raise ValueError(f"pins with unknown categories: {unknown}")
    feeling = pd.Index(FEELINGS).get_indexer(pins["feeling"])
    if (feeling < 0).any():
        raise ValueError(f"pins with a feeling outside {FEELINGS}")
    order = (np.argsort(geoms.hilbert_distance().to_numpy(), kind="stable") if len(pins)
             else np.zeros(0, dtype=np.intp))
    lat = np.rint(geoms.y.to_numpy()[order] * COORD_SCALE).astype(np.int64)
    lon = np.rint(geoms.x.to_numpy()[order] * COORD_SCALE).astype(np.int64)
    return {
        "n": len(pins),
        "scale": COORD_SCALE,
        "lat": encode_column(np.diff(lat, prepend=0)),
        "lon": encode_column(np.diff(lon, prepend=0)),
        "cat": encode_column(category[order]),
        "feel": encode_column(feeling[order]),
    }


def pin_payload(pins: gpd.GeoDataFrame, category_labels: Mapping[str, str],
                feeling_labels: Mapping[int, str]) -> dict[str, Any]:
    """:func:`encode_pins` plus the label tables the columns index: ``categories`` (one label
    per code of ``PIN_CATEGORIES``) and ``feelings`` (one per value of ``FEELINGS``).

    A missing label raises ``KeyError``; bad pins raise ``ValueError`` (see :func:`encode_pins`).
    """
    return encode_pins(pins) | {
        "categories": [category_labels[code] for code in PIN_CATEGORIES],
        "feelings": [feeling_labels[value] for value in FEELINGS],
    }
