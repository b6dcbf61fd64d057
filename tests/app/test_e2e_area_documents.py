"""What the documents say, in a real browser, offline, as a strategy coordinator: Litvínov's
Area page shows the town's real exclusion score (19, MMR 2023) with the region's choropleth,
and Janov with its police department by the jurisdiction table (OOP Litvínov-Hamr, 483.9 in
2013, the year beside the figure) and its own score "not published"; the Ústecký kraj
strategy (seed 004) with its measures and the evaluation of a goal (undated, as the document
is, with its source), and the town's indicators with their direction word; the whole region
has its own view; the search finds the region's measure.

Each action waits for the app to be idle and for the rerun it makes
(``tests/app/e2e_support.py``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.ui.i18n import translate
from tests.app.access_support import PASSWORD, USERS, add_accounts
from tests.app.e2e_support import (
    app_page,
    choose,
    component_frame,
    open_town_page,
    rerun,
    wait_idle,
)

pytestmark = pytest.mark.e2e
USTECKY = "Strategie prevence kriminality na území Ústeckého kraje na období 2012 2016"
SELECT_AREA = '[data-testid="stMain"] [data-testid="stSelectbox"]'
#: The hover texts of the municipalities the map draws (their GeoJSON features' ``text``).
CHOROPLETH_TEXTS = """() => {
    const texts = [];
    window.map.eachLayer(layer => {
        const props = layer.feature && layer.feature.properties;
        if (props && typeof props.text === 'string') texts.push(props.text);
    });
    return texts;
}"""


def cs(key: str, **fmt: object) -> str:
    return translate(key, "cs", **fmt)


@pytest.fixture(scope="module")
def litvinov(tmp_path_factory: pytest.TempPathFactory, demo_store_path: Path
             ) -> Iterator[Page]:
    path = tmp_path_factory.mktemp("documents") / "store.gpkg"
    shutil.copy(demo_store_path, path)
    add_accounts(path, "strategy_coordinator")
    with app_page(path, tmp_path_factory.mktemp("log")) as (page, _traffic):
        open_town_page(page, USERS["strategy_coordinator"][0], PASSWORD, "nav.area",
                       cs("area.title", area="Litvínov"), "Litvínov")
        yield page


def test_litvinov_shows_its_real_score_and_the_region_choropleth(litvinov: Page) -> None:
    page = litvinov
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Index sociálního vyloučení 2023 – Litvínov: 19 bodů",
                            exact=False)).to_be_visible()
    expect(main.get_by_text("Ústecký kraj (2023): medián obcí", exact=False)).to_be_visible()
    tips = component_frame(page).evaluate(CHOROPLETH_TEXTS)
    assert len(tips) > 300  # every municipality of Ústecký kraj
    # the choropleth: every municipality of the region with its real score and year
    assert any("Litvínov: 19 bodů" in tip and "(2023)" in tip for tip in tips), tips[:5]
    assert any(tip.startswith("Most: 21 bodů") for tip in tips)


def test_janov_has_the_litvinov_hamr_department_and_the_year(litvinov: Page) -> None:
    page = litvinov
    choose(page, page.locator(SELECT_AREA).first, "Janov")
    expect(page.locator("h1", has_text=cs("area.title", area="Litvínov – Janov"))
           ).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    police = main.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text="trestných činů na 10 000 obyvatel")
    expect(police).to_have_count(1)
    expect(police).to_contain_text("OOP Litvínov-Hamr")
    expect(police).to_contain_text("483,9 trestných činů na 10 000 obyvatel (rok 2013)")
    expect(main.get_by_text("Trestné činy podle druhu – OOP Litvínov-Hamr (rok 2013)")
           ).to_be_visible()
    expect(police).to_contain_text("katastrální území Janov u Litvínova")
    expect(main.get_by_text("Index sociálního vyloučení lokality Janov: nezveřejněn",
                            exact=False)).to_be_visible()
    choose(page, page.locator(SELECT_AREA).first, cs("area.whole_town"))
    expect(page.locator("h1", has_text=cs("area.title", area="Litvínov"))).to_be_visible()


def test_litvinov_shows_the_region_strategy_with_an_evaluation(litvinov: Page) -> None:
    page = litvinov
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=USTECKY)
    expect(expander).to_have_count(1)
    expander.locator("summary").first.click()
    # a measure of the region, with what the document names as its funding
    measure = expander.get_by_text("1.3 Zapojení obyvatel do aktivit v oblasti prevence "
                                   "kriminality.", exact=False)
    expect(measure.first).to_be_visible()
    expect(expander.get_by_text(cs("area.funding", sources="Programu Prevence kriminality MV"),
                                exact=False).first).to_be_visible()
    # the evaluation of goal 1: no date in the document, its source named
    summary = cs("area.evaluation", date=cs("area.undated"),
                 source="Hodnocení Strategie prevence kriminality Ústeckého kraje 2012–2016, "
                        "Hodnocení cíle 1, str. 5–6")
    evaluation = expander.locator('[data-testid="stMarkdownContainer"] details').filter(
        has_text=summary)
    expect(evaluation).to_have_count(1)
    evaluation.locator("summary").click()
    expect(evaluation.get_by_text("Pravidelné informování o způsobech ochrany",
                                  exact=False)).to_be_visible()


def test_litvinov_indicators_show_their_direction_word(litvinov: Page) -> None:
    page = litvinov
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    # the grid keeps an accessible table of the cells it shows
    expect(table.get_by_text(cs("area.direction.higher_better")).first).to_be_attached()
    cells = table.locator('[role="gridcell"]')
    expect(cells.filter(has_text="↗ " + cs("area.change.better")).first).to_be_attached()


def test_the_search_finds_a_measure_of_the_region(litvinov: Page) -> None:
    page = litvinov
    box = page.get_by_label(cs("area.search"))
    wait_idle(page)
    box.fill("hračky pro dětské oběti")
    rerun(page, lambda: box.press("Enter"))
    expect(page.get_by_text(cs("area.search.count", count=1))).to_be_visible()


def test_the_whole_region_has_its_view(litvinov: Page) -> None:
    page = litvinov
    choose(page, page.locator(SELECT_AREA).first, cs("area.region", region="Ústecký kraj"))
    expect(page.locator("h1", has_text=cs("area.title", area="Ústecký kraj"))).to_be_visible()
    expect(page.locator('[data-testid="stExpander"]').filter(has_text=USTECKY)
           ).to_have_count(1)
    # the towns' documents of the region are there too
    expect(page.locator('[data-testid="stExpander"]').filter(
        has_text="Závěrečná zpráva z realizace poradenského programu města Litvínov")
           ).to_have_count(1)
