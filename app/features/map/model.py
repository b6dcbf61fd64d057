"""What the Map page shows beside the map, from one town's frames (no Streamlit here)."""

from __future__ import annotations

import pandas as pd

from app.ui.i18n import label, translate
from app.ui.town import TownData

#: The columns of the sources table, in order.
SOURCE_COLUMNS = ("layer", "title", "licence", "attribution", "vintage", "synthetic")


def public_pin_count(town: TownData) -> int:
    """The answers the public sees: exact pins plus the answers counted in cells."""
    return len(town.pins_exact) + int(town.pin_cells["count"].sum())


def figures(town: TownData) -> dict[str, int]:
    """The page's headline figures, keyed by the UI string of their caption."""
    return {
        "map.metric.localities": len(town.localities),
        "map.metric.pins": public_pin_count(town),
        "map.metric.services": len(town.services),
        "map.metric.districts": len(town.districts),
    }


def sources_table(town: TownData, lang: str) -> pd.DataFrame:
    """The sources and licences of every layer in ``lang``: layer names translated,
    illustrative sources marked, columns titled."""
    columns = list(SOURCE_COLUMNS)
    sources = pd.DataFrame(town.sources[columns]).assign(
        layer=lambda f: [label("layer", code, lang) for code in f["layer"]],
        synthetic=lambda f: [translate("common.synthetic", lang) if v else ""
                             for v in f["synthetic"]])
    return sources.rename(columns={c: translate(f"map.sources.{c}", lang) for c in columns})
