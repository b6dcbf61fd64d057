"""Named places of the demo towns from the shipped real data (``geodata/sources``): RÚIAN
address points (2023-12-31), public-transport stops (GTFS) and the approximate outlines of
the parts of town derived from the address points.

Address points and stops go through the same connectors as ``mapa import addresses`` and
``mapa import stops`` (``layers.ingest``), so the demo store holds what an import would;
rows a connector rejects (outside the town's simplified outline) are left out alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from layers.crs import STORAGE_CRS
from layers.ingest import addresses, stops
from layers.ingest.pipeline import Connector, ImportContext
from layers.ingest.reading import open_source
from layers.ingest.report import ValidationReport
from layers.schema import ADDRESS_POINTS, TOWN_PARTS, TRANSIT_STOPS, LayerSpec
from layers.sources.errors import SourceError
from layers.sources.real import SOURCES_DIR, read_vector

ADDRESS_FILE: Final = "addresses/20231231_OB_{kod_obec}_ADR.csv"
STOPS_FILE: Final = Path("transit") / "stops_3_towns.csv"
PARTS_FILE: Final = Path("addresses") / "casti_obci_approx_from_addresses.geojson"
PLACE_SOURCES: Final = (
    {"layer": ADDRESS_POINTS.name, "title": "Adresní místa RÚIAN", "licence": "CC BY 4.0",
     "attribution": "© ČÚZK, RÚIAN", "vintage": "2023-12-31"},
    {"layer": TRANSIT_STOPS.name, "title": "Zastávky veřejné dopravy (GTFS, CIS JŘ)",
     "licence": "CC BY 4.0",
     "attribution": "Patrick Zandl / jizdni-rady-czech-republic", "vintage": "2025"},
    {"layer": TOWN_PARTS.name, "title": "Části obcí – přibližné obrysy z adresních míst "
                                        "(nejsou úřední hranicí)",
     "licence": "CC BY 4.0 (odvozeno)", "attribution": "odvozeno z © ČÚZK, RÚIAN",
     "vintage": "2023-12-31"},
)


def load_places(towns: gpd.GeoDataFrame, sources: Path = SOURCES_DIR
                ) -> dict[str, gpd.GeoDataFrame]:
    """``address_points``, ``transit_stops`` and ``town_parts`` of ``towns`` (EPSG:4326).

    Raises ``SourceError`` naming a missing or broken file.
    """
    found: dict[str, list[pd.DataFrame]] = {ADDRESS_POINTS.name: [],
                                            TRANSIT_STOPS.name: []}
    for town_id, kod_obec, area in zip(towns["town_id"], towns["kod_obec"], towns.geometry,
                                       strict=True):
        path = sources / ADDRESS_FILE.format(kod_obec=kod_obec)
        for connect, file in ((addresses.connector(set()), path),
                              (stops.connect, sources / STOPS_FILE)):
            for spec, frame in _connected(connect, file, str(town_id), area):
                found[spec.name].append(frame)
    frames = {name: gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=STORAGE_CRS)
              for name, parts in found.items()}
    frames[TOWN_PARTS.name] = _parts(towns, sources / PARTS_FILE)
    return frames


def _connected(connect: Connector, path: Path, town_id: str, area: BaseGeometry
               ) -> list[tuple[LayerSpec, pd.DataFrame]]:
    """What ``connect`` yields for ``path`` imported into the town ``town_id``."""
    ctx = ImportContext(town_id=town_id, town_area=area,
                        batch_id=f"demo-{town_id}", source_label=path.name,
                        report=ValidationReport(source_name=path.name))
    if not path.is_file():
        raise SourceError(path, "file not found")
    with open_source(path) as source:
        return list(connect(source, ctx, 100_000))


def _parts(towns: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    parts = read_vector(path, ("kod_obce", "kod_casti_obce", "nazev_casti_obce"))
    codes = dict(zip(towns["kod_obec"].astype(str), towns["town_id"], strict=True))
    parts = parts[parts["kod_obce"].astype(str).isin(codes)]
    return gpd.GeoDataFrame({
        "part_id": parts["kod_obce"].astype(str) + "-" + parts["kod_casti_obce"].astype(str),
        "town_id": parts["kod_obce"].astype(str).map(codes),
        "kod_casti": parts["kod_casti_obce"].astype(str),
        "name": parts["nazev_casti_obce"].astype(str), "approximate": True,
        "source": PARTS_FILE.name,
    }, geometry=[shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g
                 for g in parts.geometry], crs=STORAGE_CRS)[[*TOWN_PARTS.columns, "geometry"]]
