"""Build the demo store: the real data of the three towns plus the illustrative layers.

The build is reproducible (fixed seed) and idempotent, and it never damages an existing store:
all sources are read and checked first, then the store is replaced atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.access.accounts import demo_accounts
from layers.sources import places, real, synthetic
from layers.store import open_store
from layers.strategy.seed import load_seeded, seeded_sources
from layers.strategy.tables import strategy_frames

Progress = Callable[[str], None]


def assemble_demo(sources: Path = real.SOURCES_DIR, seed: int = synthetic.DEFAULT_SEED,
                  progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Read, check and generate every layer of the demo store (EPSG:4326 frames by name).

    Raises ``layers.sources.errors.SourceError`` naming the file and problem when a source is
    missing or broken.
    """
    say = progress or (lambda _message: None)
    say("towns and regions")
    towns = real.load_towns(sources)
    regions = real.load_regions(towns, sources)
    say("police districts and crime statistics")
    districts, crime_stats, crime_reference = real.load_police(towns, sources)
    say("municipalities of the regions and police jurisdiction")
    municipalities = real.load_municipalities(sources)
    jurisdiction = real.load_jurisdiction(towns, districts, sources)
    say("context lines")
    context = real.load_context_lines(towns, sources)
    say("address points, stops and parts of town")
    named_places = places.load_places(towns, sources)
    say("illustrative localities, services, sessions and pins")
    localities = synthetic.make_localities(towns)
    services = synthetic.make_services(towns)
    catalogue = synthetic.make_catalogue(services)
    sessions = synthetic.make_sessions()
    pins = synthetic.make_pins(towns, seed=seed)
    say("goals and measures of the seed documents")
    strategies = load_seeded()
    sources_table = pd.DataFrame(
        [{**row, "synthetic": False} for row in real.REAL_SOURCES]
        + [{**row, "synthetic": False} for row in places.PLACE_SOURCES]
        + [{**row, "synthetic": False} for row in seeded_sources(strategies)]
        + [{**row, "synthetic": True} for row in synthetic.SYNTHETIC_SOURCES])
    frames: dict[str, pd.DataFrame] = {
        "towns": towns, "regions": regions, "localities": localities, "sessions": sessions,
        "pins": pins, "services": services, "catalogue_entries": catalogue,
        "police_districts": districts, "municipalities": municipalities,
        "police_jurisdiction": jurisdiction,
        "crime_stats": crime_stats, "crime_reference": crime_reference,
        "context_lines": context, "sources": sources_table, **named_places,
        **strategy_frames(strategies),
    }
    for name, frame in frames.items():
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
            assert frame.crs.to_epsg() == 4326, name
    return frames


def build_demo(store_path: Path | str, sources: Path = real.SOURCES_DIR,
               seed: int = synthetic.DEFAULT_SEED, progress: Progress | None = None,
               demo_password: str | None = None) -> dict[str, int]:
    """Build the demo store at ``store_path``; return the row count of every layer.

    With ``demo_password`` (which the caller takes from the environment, never from the
    repository) the store gets one demo account per role (``layers.access.accounts``), all
    with that password; without it, no account. A failure (broken source, write error) leaves
    any existing store at that path untouched.
    """
    frames = assemble_demo(sources, seed, progress)
    if demo_password is not None:
        frames["accounts"] = demo_accounts(demo_password)
    if progress:
        progress(f"writing {store_path}")
    open_store(store_path).replace_all(frames)
    return {name: len(frame) for name, frame in frames.items()}
