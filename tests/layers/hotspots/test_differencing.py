"""The differencing attack on public hotspot views, as an attacker would run it.

The attacker knows every non-sensitive approved answer exactly (the public map shows them)
and reads each public view's answers per cell. Whatever a cell shows beyond the non-sensitive
answers of the selection is sensitive answers; comparing two views, a change of 1 … k−1 of
them would point at fewer than k children's answers. For every pair of public selections
(the fixed sets the public page offers, and free selections an attacker could send, such as
"every session but one"), on the demo data and on planted small cells, on both backends, no
cell's sensitive count may change by 1 … k−1. The staff view (k-rule after the filters) is
the control: on the planted cell it does leak, so the test can tell the two apart.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.crs import METRIC_CRS, STORAGE_CRS
from layers.hotspots.analysis import (
    HotspotInputError,
    HotspotRequest,
    metric_xy,
    run_hotspots,
    town_area,
)
from layers.hotspots.filters import PinFilter
from layers.hotspots.grid import HexGrid, build_grid
from layers.hotspots.privacy import DEFAULT_K
from layers.hotspots.public_sets import NON_SENSITIVE, public_filter_sets, public_selection
from layers.schema import PINS, SENSITIVE_CATEGORIES, SESSIONS
from layers.store import Store, open_store
from layers.vocabulary import POSITIVE_CATEGORIES
from tests.layers.hotspots.conftest import ORIGIN, SIDE, pins_frame, town_square

CELL_M = 100.0


def _selections(store: Store, town_id: str) -> list[PinFilter]:
    """The public page's fixed sets plus free selections an attacker could ask for: each
    session, every session but one, each sensitive category, each category but one."""
    pins = store.read(PINS, town_id)
    approved = pins[pins["status"] == "approved"]
    sessions = sorted(approved["session_id"].astype(str).unique())
    fixed = [s.pins for s in public_filter_sets(store.read(SESSIONS, town_id), set(sessions))]
    free = [PinFilter(sessions=(s,)) for s in sessions]
    free += [PinFilter(sessions=tuple(o for o in sessions if o != s)) for s in sessions
             if len(sessions) > 1]
    free += [PinFilter(categories=(c,)) for c in sorted(SENSITIVE_CATEGORIES)]
    every = tuple(sorted(set(approved["category"].astype(str))))
    free += [PinFilter(categories=tuple(o for o in every if o != c)) for c in every]
    free += [PinFilter(feelings=(1,)), PinFilter(times_of_day=("night",))]
    return fixed + free


@functools.cache
def _town(store: Store, town_id: str) -> tuple[shapely.Geometry, HexGrid, gpd.GeoDataFrame]:
    """The town's area, its grid of :data:`CELL_M` and its pins, made once for the many views
    of an attack (the stores these tests attack are only read)."""
    area = town_area(store, town_id)
    return area, build_grid(area, CELL_M), store.read(PINS, town_id)


def _sensitive_counts(store: Store, town_id: str, selection: PinFilter,
                      staff: bool = False) -> np.ndarray:
    """Per cell of the 100 m grid: what a view of ``selection`` shows beyond the
    non-sensitive answers of that selection (which the attacker knows exactly)."""
    area, grid, pins = _town(store, town_id)
    request = HotspotRequest(town_id=town_id, cell_m=CELL_M, public=True, staff=staff,
                             pins=selection, lee_permutations=0)
    try:
        shown = run_hotspots(store, request, layer="fear").cells["fear_count"].to_numpy()
    except HotspotInputError:  # the page shows no figures at all
        shown = np.zeros(grid.n)
    known = selection.apply(pins)
    # the fear layer counts no positive answers: what the attacker can subtract is the rest
    known = known[known["category"].isin(NON_SENSITIVE)
                  & ~known["category"].isin(POSITIVE_CATEGORIES)]
    x, y = metric_xy(known)
    inside = shapely.contains_xy(area, x, y) if len(x) else np.zeros(0, dtype=bool)
    located = grid.locate(x[inside], y[inside])
    everyday = np.bincount(located[located >= 0], minlength=grid.n)
    return shown - everyday


def _leaks(counts: list[np.ndarray], k: int = DEFAULT_K) -> list[tuple[int, int, int, int]]:
    """(view a, view b, cell, difference) for each difference of 1 … k−1 sensitive answers."""
    found = []
    for (a, first), (b, second) in itertools.combinations(enumerate(counts), 2):
        diff = np.abs(first - second)
        for cell in np.flatnonzero((diff >= 1) & (diff < k)):
            found.append((a, b, int(cell), int(diff[cell])))
    return found


def _attack(store: Store, town_id: str, staff: bool = False) -> list[tuple[int, int, int, int]]:
    """Every leak over every pair of selections; an all-zero view stands for "nothing
    shown", so a single view showing 1 … k−1 sensitive answers is a leak too."""
    counts = [_sensitive_counts(store, town_id, s, staff) for s in _selections(store, town_id)]
    return _leaks([np.zeros_like(counts[0]), *counts])


@pytest.mark.parametrize("town_id", ["litvinov", "kraslice", "karlovy-vary"])
def test_no_pair_of_public_views_of_the_demo_differs_by_fewer_than_k(
        demo_store: Store, town_id: str) -> None:
    assert _attack(demo_store, town_id) == []


#: The planted cell: 5 sensitive answers of session s1 and 1 of session s2 (6 ≥ k: shown in
#: the unrestricted view), and a small cell of 3 (below k: never shown).
PLANTED = {"s1": 5, "s2": 1}
SMALL = 3


def _planted_store(location: str) -> Store:
    """The square test town with 200 everyday answers in two sessions and the planted cells
    of sensitive answers, each within 10 m of a hexagon centre."""
    rng = np.random.default_rng(7)
    grid = build_grid(town_square(), CELL_M)
    centres = grid.centres()

    # away from the edges of the map's 200 m squares too, so a cluster stays in one square
    inner = centres[((centres % 200 > 20) & (centres % 200 < 180)).all(axis=1)]

    def centre_near(dx: float, dy: float) -> np.ndarray:
        return inner[np.argmin(np.hypot(inner[:, 0] - ORIGIN[0] - dx,
                                        inner[:, 1] - ORIGIN[1] - dy))]

    big, small = centre_near(1_000, 1_500), centre_near(2_000, 2_200)
    parts = [pins_frame(rng.uniform(ORIGIN[0], ORIGIN[0] + SIDE, 200),
                        rng.uniform(ORIGIN[1], ORIGIN[1] + SIDE, 200),
                        session_id=np.where(np.arange(200) % 2, "s1", "s2"))]
    for session, n in PLANTED.items():
        parts.append(pins_frame(big[0] + rng.uniform(-10, 10, n), big[1] + rng.uniform(-10, 10, n),
                                category="drug_dealing", session_id=session))
    parts.append(pins_frame(small[0] + rng.uniform(-10, 10, SMALL),
                            small[1] + rng.uniform(-10, 10, SMALL), category="racism"))
    pins = gpd.GeoDataFrame(gpd.pd.concat(parts, ignore_index=True), crs=STORAGE_CRS)
    pins["pin_id"] = [f"t-p{i:05d}" for i in range(len(pins))]
    boundary = gpd.GeoSeries([town_square()], crs=METRIC_CRS).to_crs(STORAGE_CRS)
    towns = gpd.GeoDataFrame({"town_id": ["t"], "name": ["Testov"], "kraj": ["Testkraj"]},
                             geometry=[shapely.MultiPolygon([boundary.iloc[0]])],
                             crs=STORAGE_CRS)
    sessions = gpd.pd.DataFrame({"session_id": ["s1", "s2"], "town_id": "t",
                                 "date": ["2024-04-01", "2024-05-01"],
                                 "place": ["ZŠ Testov", "NZDM Testov"],
                                 "organiser": "NZDM", "age_group": "13-18",
                                 "participants": 20, "method": "kiosk",
                                 "consent": "parents", "synthetic": True})
    store = open_store(location)
    store.replace_all({"towns": towns, "pins": pins, "sessions": sessions})
    return store


@pytest.fixture(params=["gpkg", "postgis"])
def planted(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    location = (str(tmp_path / "planted.gpkg") if request.param == "gpkg"
                else str(request.getfixturevalue("pg_url")))
    return _planted_store(location)


def test_the_planted_cell_survives_the_attack_on_public_views(planted: Store) -> None:
    everything = _sensitive_counts(planted, "t", PinFilter())
    assert sorted(everything[everything > 0].tolist()) == [sum(PLANTED.values())]
    assert _attack(planted, "t") == []
    # sessions are offered by place and date, never by id
    sets = public_filter_sets(planted.read(SESSIONS, "t"), {"s1", "s2"})
    assert [s.value for s in sets if s.kind == "session"] == [("ZŠ Testov", "2024-04-01"),
                                                              ("NZDM Testov", "2024-05-01")]
    assert all("s1" not in s.key and "s2" not in s.key for s in sets)


def test_the_staff_view_is_the_control_it_leaks_the_single_answer(planted: Store) -> None:
    # "all sessions" against "session s1 only" differs by the one answer of s2: logged-in
    # staff may see that by right; the public never gets the s1-only view with sensitive pins
    all_sessions = _sensitive_counts(planted, "t", PinFilter(), staff=True)
    only_s1 = _sensitive_counts(planted, "t", PinFilter(sessions=("s1",)), staff=True)
    assert sorted((all_sessions - only_s1)[all_sessions != only_s1].tolist()) == [1]
    assert _attack(planted, "t", staff=True) != []


def test_public_selection_narrows_every_restricted_selection() -> None:
    assert public_selection(PinFilter()) == PinFilter()
    narrowed = public_selection(PinFilter(sessions=("s1",)))
    assert narrowed is not None and set(narrowed.categories) == set(NON_SENSITIVE)
    assert not set(narrowed.categories) & SENSITIVE_CATEGORIES
    assert public_selection(PinFilter(categories=("drug_dealing", "dark_place"))) == PinFilter(
        categories=("dark_place",))
    assert public_selection(PinFilter(categories=("drug_dealing",))) is None


def test_a_public_export_of_one_session_carries_no_sensitive_cells(
        planted: Store, tmp_path: Path) -> None:
    from layers.access.guarded import pins_for
    from layers.access.principal import PUBLIC_PRINCIPAL
    from layers.mapping.export import export_pins

    town = export_pins(planted, "t", tmp_path / "town.gpkg", "gpkg", public=True)
    one = export_pins(planted, "t", tmp_path / "s1.gpkg", "gpkg", session_id="s1", public=True)
    assert town["cells"] >= 1  # the planted cell of 6, in 200 m squares
    assert one == {"pins": 100, "cells": 0}
    view = pins_for(PUBLIC_PRINCIPAL, planted, "t", session_id="s1")
    assert view.cells is not None and len(view.cells) == 0 and len(view.pins) == 100
