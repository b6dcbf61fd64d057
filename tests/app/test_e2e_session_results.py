"""A session's results on the Sessions page, in a real browser, offline: the map draws the
answers the public may see as counts in squares and the hexagons whose hot spot changed
against the previous round, as the results computed from the store; the one-page summary for
the wall downloads as a PDF."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from app.ui.i18n import label, translate
from layers.crs import METRIC_CRS, STORAGE_CRS, to_metric
from layers.mapping.capture import PinAnswer, add_pins, new_pin_id
from layers.mapping.moderation import approve
from layers.mapping.results import session_results
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PINS, SESSIONS, TOWNS
from layers.store import open_store
from layers.vocabulary import PUBLIC_K
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    DOWNLOAD_TIMEOUT_MS,
    Traffic,
    app_page,
    component_frame,
    login,
    wait_idle,
)

pytestmark = pytest.mark.e2e
#: What the results map draws: each public square's count, each changed hexagon's text.
_DRAWN = """() => {
    const squares = [], hexagons = [];
    window.map.eachLayer(layer => {
        const p = layer.feature && layer.feature.properties;
        if (!p) return;
        if ('count' in p) squares.push(p.count);
        if ('text' in p) hexagons.push(p.text);
    });
    return {squares, hexagons};
}"""


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path
           ) -> tuple[Path, list[str]]:
    """Two yearly rounds at one place in Litvínov: each 30 approved answers clustered (the
    cluster 1.2 km further east in the later round) and 15 spread around; the later round
    also 6 sensitive answers in its cluster."""
    path = tmp_path_factory.mktemp("results") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "admin")
    store = open_store(path)
    centre = to_metric(store.read(TOWNS, "litvinov")).geometry.iloc[0].representative_point()
    rng = np.random.default_rng(3)
    ids = []
    for year, east in ((2024, 0.0), (2025, 1_200.0)):
        session = create_session(store, SessionInput(
            town_id="litvinov", date=f"{year}-05-01", place="KC Výsledky",
            organiser="KC Výsledky", age_group="13-18", participants=20, method="tablet",
            consent="souhlas zaznamenán"))
        x = np.concatenate([rng.normal(centre.x + east, 120, 30), rng.normal(centre.x, 900, 15)])
        y = np.concatenate([rng.normal(centre.y, 120, 30), rng.normal(centre.y, 900, 15)])
        categories = ["dark_place"] * 45
        if east:
            x, y = np.append(x, [centre.x + east] * 6), np.append(y, [centre.y] * 6)
            categories += ["drug_dealing"] * 6
        points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=METRIC_CRS).to_crs(STORAGE_CRS)
        answers = [(new_pin_id(session), PinAnswer(lon=p.x, lat=p.y, category=c, feeling=2))
                   for p, c in zip(points, categories, strict=True)]
        add_pins(store, session, answers)
        approve(store, [pin_id for pin_id, _ in answers])
        ids.append(session)
    return path, ids


@pytest.fixture(scope="module")
def opened(rounds: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Page, Traffic]]:
    with app_page(rounds[0], tmp_path_factory.mktemp("log"), "") as opened:
        wait_idle(opened[0])
        login(opened[0], USERS["admin"][0], PASSWORD)
        yield opened


def test_a_rounds_results_map_and_wall_pdf(rounds, opened) -> None:
    path, ids = rounds
    page, traffic = opened
    base = page.url.split("?")[0].rstrip("/")
    page.goto(f"{base}/sessions?mesto=litvinov&setkani={ids[1]}")
    wait_idle(page)
    expect(page.get_by_text(translate("sessions.results", "cs", n=51, sessions=1))
           ).to_be_visible()
    frame = component_frame(page)
    drawn = frame.evaluate(_DRAWN)
    store = open_store(path)
    results = session_results(store, ids[1], store.read(PINS, "litvinov"),
                              store.read(SESSIONS, "litvinov"))
    assert results.cells is not None and results.cell_change is not None
    # squares of at least k ordinary answers; the sensitive ones never on this map
    assert sorted(drawn["squares"]) == sorted(results.cells["count"])
    assert drawn["squares"] and min(drawn["squares"]) >= PUBLIC_K
    assert sum(drawn["squares"]) <= 45
    changed = results.cell_change.cells
    changed = changed[changed["change"] != "none"]
    assert {"new", "diminishing"} <= set(changed["change"])  # the cluster moved east
    assert sorted(text.split(":")[0] for text in drawn["hexagons"]) == sorted(
        label("hotspots.change", code, "cs") for code in changed["change"])

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download:
        page.get_by_role("button", name=translate("sessions.results.pdf", "cs")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")
    assert traffic.blocked == [] and traffic.errors == []
