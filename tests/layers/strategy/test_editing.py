"""Writing measures, statuses and observations into a copy of the demo store."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, box, mapping

from layers.access.audit import read_log
from layers.access.principal import AccessDenied, Principal
from layers.schema import HISTORY, LOCALITIES, MEASURES
from layers.store import Store, StoreError, open_store
from layers.store.transfer import store_manifest
from layers.strategy.area import load_area
from layers.strategy.editing import (
    EditRefused,
    add_goal,
    add_indicator_observation,
    add_measure,
    add_measure_link,
    edit_goal,
    edit_measure,
    next_goal_number,
    parse_budget,
    point_link,
    polygon_link,
    update_measure_status,
)
from layers.strategy.model import Link
from layers.strategy.tables import load_strategies, strategy_frames
from tests.layers.access.failing_audit import refuse_audit_writes

STRATEGY = "litvinov-pp9"
GOAL = "litvinov-pp9:goal:1.1.1"
AT = "2026-11-23T09:00:00+00:00"
COORDINATOR = Principal("t-coordinator", "strategy_coordinator")


@pytest.fixture
def store(demo_store_path: Path, tmp_path: Path) -> Store:
    copy = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, copy)
    return open_store(copy)


def _sha(store: Store) -> str:
    return hashlib.sha256(Path(store.location).read_bytes()).hexdigest()


def _janov_point(store: Store) -> tuple[float, float]:
    janov = store.read(LOCALITIES, "litvinov")
    point = janov[janov["locality_id"] == "litvinov-1"].geometry.iloc[0].representative_point()
    return point.x, point.y


def _history(store: Store) -> list[dict[Any, Any]]:
    frame = store.read(HISTORY)
    return frame[frame["strategy_id"] == STRATEGY].sort_values("position").to_dict("records")


def test_add_measure_round_trip_with_history(store: Store) -> None:
    lon, lat = _janov_point(store)
    before = len(_history(store))
    measure_id = add_measure(store, COORDINATOR, STRATEGY, GOAL, "  Osvětlit lávku u Janova ",
                             ["odbor dopravy", " "], "planned", "2027",
                             [point_link(lon, lat, "Lávka u Janova"),
                              Link("", "locality", "litvinov-1")], at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    measure = strategy.measure(measure_id)
    assert measure.title == "Osvětlit lávku u Janova"
    assert measure.goal_ids == (GOAL,) and measure.owners == ("odbor dopravy",)
    assert (measure.status, measure.time_frame) == ("planned", "2027")
    assert [(k.measure_id, k.target_kind) for k in measure.links] == [
        (measure_id, "point"), (measure_id, "locality")]
    assert measure.links[0].wkt == f"POINT ({lon} {lat})"
    history = _history(store)
    assert len(history) == before + 1
    last = history[-1]
    assert (last["entity"], last["entity_id"], last["who_role"], last["at"]) == (
        "measure", measure_id, "strategy_coordinator", AT)
    assert json.loads(str(last["change"]))["measure_added"]["text"] == "Osvětlit lávku u Janova"
    # the clicked point puts the measure on Janov's page and on its map
    view = load_area(store, "litvinov", "litvinov-1")
    listed = [m.measure_id for item in view.strategies for root in item.roots
              for _, node in root.walk() for m in node.measures]
    assert measure_id in listed
    assert "Lávka u Janova" in set(view.places["label"])  # named, never by coordinates


def test_point_link_addresses_cells_within_150_m(store: Store) -> None:
    view = load_area(store, "litvinov")
    unaddressed = view.unaddressed
    assert len(unaddressed) > 0
    centre = unaddressed.geometry.to_crs("EPSG:5514").centroid.to_crs("EPSG:4326").iloc[0]
    add_measure(store, COORDINATOR, STRATEGY, GOAL, "Hlídky u buňky", [], "in_progress", "",
                [point_link(centre.x, centre.y, "U buňky")], at=AT)
    after = load_area(store, "litvinov")
    assert len(after.unaddressed) < len(unaddressed)
    assert "Hlídky u buňky" in set(after.cells["measures"])


@pytest.mark.parametrize(("goal", "text", "status", "link", "message"), [
    ("litvinov-pp9:goal:9.9", "x", "planned", None, "no goal 'litvinov-pp9:goal:9.9'"),
    (GOAL, "   ", "planned", None, "text must not be empty"),
    (GOAL, "x", "someday", None, "'someday' is not one of planned"),
    (GOAL, "x", "planned", point_link(12.88, 50.22, "Daleko"), "lies outside its towns"),
    (GOAL, "x", "planned", Link("", "locality", "kraslice-1"), "not in its towns"),
    (GOAL, "x", "planned", Link("", "town", "kraslice"), "outside its area"),
])
def test_bad_measure_is_refused_and_store_unchanged(
        store: Store, goal: str, text: str, status: str, link: Link | None,
        message: str) -> None:
    before = _sha(store)
    with pytest.raises(ValueError, match=message):
        add_measure(store, COORDINATOR, STRATEGY, goal, text, [], status, "",
                    [link] if link else [], at=AT)
    assert _sha(store) == before


def test_unknown_strategy_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="no strategy 'nope'"):
        add_measure(store, COORDINATOR, "nope", GOAL, "x", [], "planned", "", [], at=AT)


def test_status_change_writes_history_and_refuses_bad_status(store: Store) -> None:
    measure_id = "litvinov-pp9:measure:placek"
    assert update_measure_status(store, COORDINATOR, measure_id, "done", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    assert strategy.measure(measure_id).status == "done"
    last = _history(store)[-1]
    assert (last["entity_id"], last["who_role"]) == (measure_id, "strategy_coordinator")
    assert json.loads(str(last["change"])) == {"status": {"old": "in_progress", "new": "done"}}
    before = _sha(store)
    assert not update_measure_status(store, COORDINATOR, measure_id, "done", at=AT)
    with pytest.raises(ValueError, match="'finished' is not one of"):
        update_measure_status(store, COORDINATOR, measure_id, "finished", at=AT)
    with pytest.raises(ValueError, match="no measure 'nope'"):
        update_measure_status(store, COORDINATOR, "nope", "done", at=AT)
    assert _sha(store) == before


def test_status_is_restored_when_history_cannot_be_written(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    measure_id = "litvinov-pp9:measure:placek"

    def refuse(*args: object, **kwargs: object) -> dict[str, int]:
        raise OSError("disk full")

    monkeypatch.setattr(store, "append_batch", refuse)
    with pytest.raises(OSError, match="disk full"):
        update_measure_status(store, COORDINATOR, measure_id, "done", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == STRATEGY)
    assert strategy.measure(measure_id).status == "in_progress"


def test_observation_is_added_with_history(store: Store) -> None:
    indicator_id = "kraslice-pp9:indicator:01"
    add_indicator_observation(store, COORDINATOR, indicator_id, "ANO", "2026-10", at=AT)
    strategy = next(s for s in load_strategies(store) if s.strategy_id == "kraslice-pp9")
    assert strategy.indicator(indicator_id).observations[-1].value == "ANO"
    history = store.read(HISTORY)
    last = history[history["strategy_id"] == "kraslice-pp9"].sort_values("position").iloc[-1]
    assert (last["entity_id"], last["who_role"]) == (indicator_id, "strategy_coordinator")
    before = _sha(store)
    with pytest.raises(ValueError, match="'MOŽNÁ' is not one of ANO"):
        add_indicator_observation(store, COORDINATOR, indicator_id, "MOŽNÁ", "2026-11")
    with pytest.raises(ValueError, match="not a date"):
        add_indicator_observation(store, COORDINATOR, indicator_id, "ANO", "listopad")
    with pytest.raises(ValueError, match="no indicator 'nope'"):
        add_indicator_observation(store, COORDINATOR, "nope", "ANO", "2026")
    assert _sha(store) == before


def test_links_survive_export_and_import(store: Store, tmp_path: Path) -> None:
    lon, lat = _janov_point(store)
    add_measure(store, COORDINATOR, STRATEGY, GOAL, "Lavička", [], "planned", "",
                [point_link(lon, lat, "Lávka u Janova")], at=AT)
    strategies = load_strategies(store)
    other = open_store(tmp_path / "other.gpkg")
    other.replace_all(strategy_frames(strategies))
    assert load_strategies(other) == strategies


# --- goals --------------------------------------------------------------------------------

def _strategy(store: Store, strategy_id: str = STRATEGY) -> Any:
    return next(s for s in load_strategies(store) if s.strategy_id == strategy_id)


def test_add_goal_nests_it_under_its_parent_with_history(store: Store) -> None:
    goal_id = add_goal(store, COORDINATOR, STRATEGY, "litvinov-pp9:goal:1.1", " 1.1.6 ",
                       " Bezpečné cesty do školy ", "trasy kolem ZŠ", at=AT)
    goal = _strategy(store).goal(goal_id)
    assert (goal.number, goal.text, goal.level, goal.parent_id, goal.description) == (
        "1.1.6", "Bezpečné cesty do školy", "specific", "litvinov-pp9:goal:1.1",
        "trasy kolem ZŠ")
    view = load_area(store, "litvinov")
    tree = next(i for i in view.strategies if i.strategy.strategy_id == STRATEGY)
    numbers = [node.goal.number for root in tree.roots for _, node in root.walk()]
    assert numbers.index("1.1.6") == numbers.index("1.1.5") + 1  # last child of 1.1
    last = _history(store)[-1]
    assert (last["entity"], last["entity_id"], last["who_role"]) == ("goal", goal_id,
                                                                     "strategy_coordinator")
    assert json.loads(str(last["change"]))["goal_added"]["number"] == "1.1.6"


@pytest.mark.parametrize(("parent", "number", "text", "code"), [
    ("litvinov-pp9:goal:1.1", "1..7", "x", "bad_number"),
    ("litvinov-pp9:goal:1.1", "1.1 a", "x", "bad_number"),
    ("litvinov-pp9:goal:1.1", "", "x", "bad_number"),
    ("litvinov-pp9:goal:1.1", "1.1.1", "x", "number_taken"),
    ("litvinov-pp9:goal:1.1", "1.2.1", "x", "number_not_under_parent"),
    ("litvinov-pp9:goal:nope", "1.1.7", "x", "no_parent"),
    ("litvinov-pp9:goal:1.1", "1.1.7", "  ", "empty_text"),
])
def test_bad_goal_is_refused_and_store_unchanged(store: Store, parent: str, number: str,
                                                 text: str, code: str) -> None:
    before = _sha(store)
    with pytest.raises(EditRefused) as refused:
        add_goal(store, COORDINATOR, STRATEGY, parent, number, text, at=AT)
    assert refused.value.code == code
    assert _sha(store) == before


def test_edit_goal_renumbers_its_sub_goals_in_one_history_entry(store: Store) -> None:
    assert edit_goal(store, COORDINATOR, "litvinov-pp9:goal:1.1", "1.5", "Nový text cíle", "",
                     at=AT)
    strategy = _strategy(store)
    assert strategy.goal("litvinov-pp9:goal:1.1").number == "1.5"
    assert strategy.goal("litvinov-pp9:goal:1.1").text == "Nový text cíle"
    assert strategy.goal("litvinov-pp9:goal:1.1.3").number == "1.5.3"
    change = json.loads(str(_history(store)[-1]["change"]))
    assert change["number"] == {"old": "1.1", "new": "1.5"}
    assert change["renumbered"]["litvinov-pp9:goal:1.1.1"] == {"old": "1.1.1", "new": "1.5.1"}
    before = _sha(store)
    assert not edit_goal(store, COORDINATOR, "litvinov-pp9:goal:1.1", "1.5", "Nový text cíle",
                         "", at=AT)
    with pytest.raises(EditRefused) as refused:
        edit_goal(store, COORDINATOR, "litvinov-pp9:goal:1.1", "1.2", "x", "", at=AT)
    assert refused.value.code == "number_taken"
    with pytest.raises(EditRefused, match="continue"):
        edit_goal(store, COORDINATOR, "litvinov-pp9:goal:1.1.3", "1.1.3", "x", "", at=AT)
    assert _sha(store) == before


def test_an_unnumbered_goal_may_stay_unnumbered(store: Store) -> None:
    goal_id = "litvinov-pp9:goal:dlouhodoby"
    assert _strategy(store).goal(goal_id).number == ""
    assert edit_goal(store, COORDINATOR, goal_id, "", "Bezpečný Litvínov", "", at=AT)
    assert _strategy(store).goal(goal_id).text == "Bezpečný Litvínov"


def test_goal_edit_is_undone_when_history_cannot_be_written(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> dict[str, int]:
        raise OSError("disk full")

    monkeypatch.setattr(store, "append_batch", refuse)
    with pytest.raises(OSError, match="disk full"):
        edit_goal(store, COORDINATOR, "litvinov-pp9:goal:1.1", "1.5", "jiný", "", at=AT)
    strategy = _strategy(store)
    assert strategy.goal("litvinov-pp9:goal:1.1").number == "1.1"
    assert strategy.goal("litvinov-pp9:goal:1.1.3").number == "1.1.3"


# --- measures -----------------------------------------------------------------------------

def test_edit_measure_sets_fields_with_history(store: Store) -> None:
    measure_id = "litvinov-pp9:measure:placek"
    changes = {"title": " Plácek s posezením ", "owners": ["odbor investic", " "],
               "partners": ["Spolek Janov"], "target_groups": ["děti", "senioři"],
               "time_frame": "2026–2027", "budget_czk": parse_budget("1 200 000 Kč")}
    assert edit_measure(store, COORDINATOR, measure_id, changes, at=AT)
    measure = _strategy(store).measure(measure_id)
    assert measure.title == "Plácek s posezením"
    assert (measure.owners, measure.partners, measure.target_groups) == (
        ("odbor investic",), ("Spolek Janov",), ("děti", "senioři"))
    assert (measure.time_frame, measure.budget_czk) == ("2026–2027", 1_200_000.0)
    assert measure.links  # links are kept
    change = json.loads(str(_history(store)[-1]["change"]))
    assert change["budget_czk"]["new"] == 1_200_000.0
    assert change["partners"] == {"old": [], "new": ["Spolek Janov"]}
    before = _sha(store)
    assert not edit_measure(store, COORDINATOR, measure_id, changes, at=AT)
    for bad, code in (({"title": "  "}, "empty_text"), ({"budget_czk": -5.0}, "bad_budget"),
                      ({"status": "done"}, "bad_field")):
        with pytest.raises(EditRefused) as refused:
            edit_measure(store, COORDINATOR, measure_id, bad, at=AT)
        assert refused.value.code == code
    assert _sha(store) == before


@pytest.mark.parametrize(("text", "value"), [
    ("", None), ("350000", 350_000.0), ("1 200 000 Kč", 1_200_000.0), ("12,5", 12.5)])
def test_parse_budget(text: str, value: float | None) -> None:
    assert parse_budget(text) == value


@pytest.mark.parametrize("text", ["hodně", "-100", "1.2.3"])
def test_parse_budget_refuses(text: str) -> None:
    with pytest.raises(EditRefused) as refused:
        parse_budget(text)
    assert refused.value.code == "bad_budget"


# --- drawn areas --------------------------------------------------------------------------

def _square(store: Store, side_m: float = 100.0,
            at: tuple[float, float] | None = None) -> dict[str, Any]:
    """A ``side_m`` square (EPSG:5514) around ``at`` (lon, lat; default a point inside
    Janov), as GeoJSON in EPSG:4326."""
    lon, lat = at or _janov_point(store)
    centre = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs("EPSG:5514").iloc[0]
    half = side_m / 2
    square = box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)
    return dict(mapping(gpd.GeoSeries([square], crs="EPSG:5514").to_crs("EPSG:4326").iloc[0]))


def _named(point: Point) -> str:
    """A place name for a drawn area (the page asks the gazetteer)."""
    return "Vnitroblok"


def test_polygon_link_measures_its_area_in_metres(store: Store) -> None:
    inside: list[Point] = []

    def place(point: Point) -> str:
        inside.append(point)
        return "Hamerská 130"

    link, area_m2 = polygon_link(_square(store), place)
    assert link.target_kind == "polygon" and link.measure_id == ""
    assert area_m2 == pytest.approx(10_000, rel=1e-3)
    # named by the place of a point inside it and its size, never by coordinates
    assert link.target_id == "Hamerská 130 – plocha 10\u00a0000 m²"
    assert shapely.from_wkt(link.wkt).covers(inside[0])
    assert shapely.from_wkt(link.wkt).geom_type == "Polygon"


@pytest.mark.parametrize(("geometry", "code"), [
    ({"type": "LineString", "coordinates": [[13.6, 50.6], [13.61, 50.61]]}, "not_polygon"),
    ({"type": "Polygon", "coordinates": [[[13.6, 50.6], [13.61, 50.61], [13.61, 50.6],
                                          [13.6, 50.61], [13.6, 50.6]]]}, "invalid_polygon"),
    ({"type": "Nothing"}, "not_polygon"),
])
def test_bad_drawings_are_refused(geometry: dict[str, Any], code: str) -> None:
    with pytest.raises(EditRefused) as refused:
        polygon_link(geometry, _named)
    assert refused.value.code == code


def test_drawn_area_links_a_measure_and_addresses_cells(store: Store) -> None:
    unaddressed = load_area(store, "litvinov").unaddressed
    centre = unaddressed.geometry.to_crs("EPSG:5514").centroid.to_crs("EPSG:4326").iloc[0]
    link, _ = polygon_link(_square(store, 300.0, (centre.x, centre.y)), _named)
    measure_id = add_measure(store, COORDINATOR, STRATEGY, GOAL, "Úklid vnitrobloku", [],
                             "planned", "", [link], at=AT)
    view = load_area(store, "litvinov")
    assert list(view.areas["measures"]) == ["Úklid vnitrobloku"]
    assert view.areas["area_m2"].iloc[0] == pytest.approx(90_000, rel=1e-3)
    assert len(view.unaddressed) < len(unaddressed)
    assert "Úklid vnitrobloku" in set(view.cells["measures"])

    second, _ = polygon_link(_square(store, 50.0), _named)
    add_measure_link(store, COORDINATOR, measure_id, second, at=AT)
    measure = _strategy(store).measure(measure_id)
    assert [k.target_kind for k in measure.links] == ["polygon", "polygon"]
    assert json.loads(str(_history(store)[-1]["change"]))["link_added"]["kind"] == "polygon"


def test_area_outside_the_town_is_refused(store: Store) -> None:
    far = {"type": "Polygon", "coordinates": [[[12.40, 50.20], [12.41, 50.20], [12.41, 50.21],
                                                [12.40, 50.21], [12.40, 50.20]]]}
    link, _ = polygon_link(far, _named)
    before = _sha(store)
    with pytest.raises(EditRefused) as refused:
        add_measure_link(store, COORDINATOR, "litvinov-pp9:measure:placek", link, at=AT)
    assert refused.value.code == "polygon_outside"
    with pytest.raises(EditRefused):
        add_measure(store, COORDINATOR, STRATEGY, GOAL, "x", [], "planned", "", [link], at=AT)
    assert _sha(store) == before


def test_next_goal_number_follows_the_siblings(store: Store) -> None:
    strategy = _strategy(store)
    assert next_goal_number(strategy, "litvinov-pp9:goal:1.1") == "1.1.6"
    assert next_goal_number(strategy, "litvinov-pp9:goal:1.2") == "1.2.1"
    # under the unnumbered long-term goal the siblings 1.1 … 1.4 give the beginning
    assert next_goal_number(strategy, "litvinov-pp9:goal:dlouhodoby") == "1.5"
    assert next_goal_number(_strategy(store, "karlovarsky-kraj-ssz"), None) == "5"


# --- rights and the audit log -------------------------------------------------------------

#: write → (its audit action, a call of it by a principal)
_WRITES = {
    "add_measure": ("add_measure", lambda store, who: add_measure(
        store, who, STRATEGY, GOAL, "Osvětlení", [], "in_progress", "", [], at=AT)),
    "status": ("change_measure_status", lambda store, who: update_measure_status(
        store, who, "litvinov-pp9:measure:placek", "done", at=AT)),
    "observation": ("add_observation", lambda store, who: add_indicator_observation(
        store, who, "kraslice-pp9:indicator:01", "ANO", "2026-10", at=AT)),
    "add_goal": ("add_goal", lambda store, who: add_goal(
        store, who, STRATEGY, "litvinov-pp9:goal:1.1", "1.1.6", "Cesty do školy", at=AT)),
    "edit_goal": ("edit_goal", lambda store, who: edit_goal(
        store, who, "litvinov-pp9:goal:1.1", "1.1", "Nový text", "", at=AT)),
    "edit_measure": ("edit_measure", lambda store, who: edit_measure(
        store, who, "litvinov-pp9:measure:placek", {"time_frame": "2030"}, at=AT)),
    "link": ("add_measure_link", lambda store, who: add_measure_link(
        store, who, "litvinov-pp9:measure:placek", Link("", "locality", "litvinov-1"), at=AT)),
}


@pytest.mark.parametrize("write", list(_WRITES))
@pytest.mark.parametrize("who", [Principal("t-police", "police"),
                                 Principal("t-urbanist", "urbanist"),
                                 Principal("", "public")], ids=lambda p: p.role)
def test_a_principal_without_the_right_changes_nothing(store: Store, write: str,
                                                       who: Principal) -> None:
    before = _sha(store)
    with pytest.raises(AccessDenied, match="edit_strategy"):
        _WRITES[write][1](store, who)
    assert _sha(store) == before


def test_police_propose_a_planned_measure_but_set_no_other_status(store: Store) -> None:
    police = Principal("t-police", "police")
    measure_id = add_measure(store, police, STRATEGY, GOAL, "Hlídky APK", [], "planned", "", [],
                             at=AT)
    measures = store.read(MEASURES)
    assert measures.loc[measures["measure_id"] == measure_id, "status"].item() == "planned"
    before = _sha(store)
    with pytest.raises(AccessDenied, match="edit_strategy"):
        update_measure_status(store, police, measure_id, "in_progress", at=AT)
    assert _sha(store) == before
    with pytest.raises(AccessDenied, match="edit_strategy"):
        add_measure(store, Principal("t-urbanist", "urbanist"), STRATEGY, GOAL, "Lavičky", [],
                    "planned", "", [], at=AT)


@pytest.mark.parametrize("write", list(_WRITES))
def test_a_permitted_change_is_audited_with_the_username(store: Store, write: str) -> None:
    entries = len(read_log(store))
    history = store.read(HISTORY)
    action, call = _WRITES[write]
    call(store, Principal("t-admin", "admin"))
    log = read_log(store)
    assert len(log) == entries + 1
    last = log.iloc[-1]
    assert (last["username"], last["role"], last["action"]) == ("t-admin", "admin", action)
    assert json.loads(last["object_ids"])
    after = store.read(HISTORY)
    # the history names the role the principal acts in, never a typed-in one
    assert len(after) == len(history) + 1
    assert (after["who_role"] == "admin").sum() == (history["who_role"] == "admin").sum() + 1


@pytest.mark.parametrize("write", list(_WRITES))
@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_a_change_whose_audit_entry_fails_leaves_the_store_as_it_was(
        store: Store, backend: str, write: str, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The change, its history row and its audit entry are one transaction: when the audit
    write is refused, the change and the history row are not stored either."""
    if backend == "postgis":
        store = open_store(request.getfixturevalue("demo_pg_url"))
    before = (store.version(), store_manifest(store))
    refuse_audit_writes(store, monkeypatch)
    with pytest.raises(StoreError, match="disk full"):
        _WRITES[write][1](store, Principal("t-admin", "admin"))
    assert (store.version(), store_manifest(store)) == before
