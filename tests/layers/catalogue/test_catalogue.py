"""The catalogue on the demo store: diacritics-insensitive search, filters and distance,
detail cards, editing with history and audit in one transaction, providers' proposals, and
the import of the MPSV register (adds, updates by identifier, withdraws, never guesses a
position) on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point

from layers.access.audit import read_log
from layers.access.principal import AccessDenied, Principal
from layers.catalogue.detail import service_card
from layers.catalogue.editing import decide_proposal, history, proposals, propose_change, save_entry
from layers.catalogue.entries import load_catalogue, read_entries
from layers.catalogue.register import codelists_beside, import_register
from layers.catalogue.search import Query, search_catalogue
from layers.catalogue.text import fold
from layers.errors import InvalidInput, NotFound
from layers.schema import ADDRESS_POINTS, AUDIT_LOG, LOCALITIES, SERVICES
from layers.store import Store, StoreError, open_store
from layers.store.base import Layer, layer_name
from layers.store.transfer import store_manifest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue"
V1, V2 = FIXTURES / "rpss_2025-01.json", FIXTURES / "rpss_2025-02.json"
ADMIN = Principal("t-admin", "admin")
PUBLIC = Principal("", "public")


@pytest.fixture(params=["gpkg", "postgis"])
def store(request: pytest.FixtureRequest, demo_store_copy: Store) -> Iterator[Store]:
    if request.param == "postgis":
        yield open_store(request.getfixturevalue("demo_pg_url"))
    else:
        yield demo_store_copy


def names(found: gpd.GeoDataFrame) -> set[str]:
    return set(found["name"])


def test_fold_drops_diacritics_and_case() -> None:
    assert fold("Nízkoprahové  ZAŘÍZENÍ") == "nizkoprahove zarizeni"
    assert fold(None) == ""


def test_keyword_without_diacritics_finds_every_nzdm(demo_store: Store) -> None:
    found = search_catalogue(demo_store, Query("nizkoprahove"))
    catalogue = load_catalogue(demo_store)
    assert set(found["service_id"]) == set(
        catalogue.loc[catalogue["service_type"] == "nzdm", "service_id"])
    assert "litvinov-c01" in set(found["service_id"])  # found although it has no position
    assert not bool(found.loc[found["service_id"] == "litvinov-c01", "positioned"].iloc[0])


def test_children_in_litvinov_within_1_km_of_janov(demo_store: Store) -> None:
    janov = demo_store.read(LOCALITIES, "litvinov").set_index("name").geometry["Janov"]
    near = search_catalogue(demo_store, Query(town_id="litvinov", target_group="children_youth",
                                              near=janov, distance_m=1000))
    everywhere = search_catalogue(demo_store, Query(town_id="litvinov",
                                                    target_group="children_youth"))
    assert names(near) == {"Hřiště Janov", "Nízkoprahový klub pro děti a mládež",
                           "Plácek pro mládež (záměr na místě zbouraného bloku)",
                           "Sousedský dům Libuše (MY Litvínov)", "Základní škola Janov"}
    # the far school and the field programme without a position drop out
    assert names(everywhere) - names(near) == {"Základní škola Litvínov-střed",
                                               "Terénní program NZDM – sídliště Janov"}
    assert (near["distance_m"] <= 1000).all()


def test_distance_is_straight_line_metres_from_a_point(demo_store: Store) -> None:
    found = search_catalogue(demo_store, Query(town_id="litvinov", near=Point(13.6275, 50.6068),
                                               distance_m=50))
    assert list(found["service_id"]) == ["litvinov-s08"]  # the NZDM itself, 0 m away
    assert found["distance_m"].iloc[0] < 1


def test_tabs_and_forms_filter(demo_store: Store) -> None:
    drugs = search_catalogue(demo_store, Query(tab="drug_prevention"))
    assert set(drugs["service_type"]) == {"addiction_service"}
    field = search_catalogue(demo_store, Query(town_id="litvinov", form="field"))
    assert {"Terénní program NZDM – sídliště Janov",
            "Asistenti prevence kriminality – základna Janov"} <= names(field)


@pytest.mark.parametrize("query", [Query(service_type="bakery"), Query(tab="sport"),
                                   Query(distance_m=500)])
def test_bad_queries_are_refused(demo_store: Store, query: Query) -> None:
    with pytest.raises(InvalidInput):
        search_catalogue(demo_store, query)


def test_card_shows_linked_measures_and_svi_contact(demo_store: Store) -> None:
    card = service_card(demo_store, "litvinov-s06")
    assert "zapojení dětí do aktualizace mapy" in [m["title"] for m in card.measures]
    assert card.position is not None
    svi = service_card(demo_store, "karlovy-vary-c01")
    assert svi.entry["svi_contact"] and svi.position is None
    with pytest.raises(NotFound):
        service_card(demo_store, "nowhere")


def test_edit_writes_entry_point_history_and_audit(store: Store) -> None:
    save_entry(store, ADMIN, "litvinov", {"phone": "+420 123 456 789",
                                          "description": "Klub pro děti."}, "litvinov-s08")
    card = service_card(store, "litvinov-s08")
    assert card.entry["phone"] == "+420 123 456 789"
    changes = json.loads(history(store, "litvinov-s08")["change"].iloc[-1])
    assert set(changes) >= {"phone", "description"}
    assert read_log(store)["action"].iloc[-1] == "edit_catalogue_entry"
    new = save_entry(store, ADMIN, "litvinov", {"name": "Nová poradna", "lon": 13.61,
                                                "lat": 50.60, "forms": ["outpatient"]})
    assert new in set(store.read(SERVICES, "litvinov")["service_id"])
    with pytest.raises(InvalidInput):
        save_entry(store, ADMIN, "litvinov", {"name": "Mimo", "lon": 14.5, "lat": 50.0})
    with pytest.raises(AccessDenied):
        save_entry(store, PUBLIC, "litvinov", {"phone": "1"}, "litvinov-s08")


def test_an_edit_whose_audit_fails_leaves_the_store_as_it_was(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (store.version(), store_manifest(store))
    append_batch = store.append_batch

    def refuse_audit(items: Any, unique_keys: Any = None) -> dict[str, int]:
        batch: list[tuple[Layer, Any]] = list(items)
        if any(layer_name(layer) == AUDIT_LOG.name for layer, _ in batch):
            raise StoreError("store.write_failed", layer="audit_log", detail="disk full")
        return append_batch(batch, unique_keys)

    monkeypatch.setattr(store, "append_batch", refuse_audit)
    with pytest.raises(StoreError, match="disk full"):
        save_entry(store, ADMIN, "litvinov", {"name": "Nové jméno", "lon": 13.62,
                                              "lat": 50.605}, "litvinov-s08")
    assert (store.version(), store_manifest(store)) == before


def test_a_proposal_waits_for_an_editor(demo_store_copy: Store) -> None:
    store = demo_store_copy
    pid = propose_change(store, PUBLIC, "litvinov", "Zákoutí, z. s.",
                         {"opening_hours": "Po–Pá 12–19"}, "litvinov-s08")
    assert service_card(store, "litvinov-s08").entry["opening_hours"] == ""
    assert list(proposals(store, "litvinov")["proposal_id"]) == [pid]
    with pytest.raises(AccessDenied):
        decide_proposal(store, PUBLIC, pid, True)
    decide_proposal(store, ADMIN, pid, True)
    assert service_card(store, "litvinov-s08").entry["opening_hours"] == "Po–Pá 12–19"
    assert history(store, "litvinov-s08")["how"].iloc[-1] == "proposal"
    assert proposals(store, "litvinov").empty
    with pytest.raises(InvalidInput):
        propose_change(store, PUBLIC, "litvinov", "", {"phone": "1"}, "litvinov-s08")


def test_register_import_adds_then_updates_without_duplicates(store: Store) -> None:
    lists = codelists_beside(V1)
    first = import_register(store, ADMIN, V1, "CZ042", lists, today="2025-03-01")
    assert sorted(first.added) == ["rpss-1111111", "rpss-2222222", "rpss-3333333",
                                   "rpss-4444444"]
    assert (first.outside_region, first.ended) == (1, 1)
    assert {r["id"] for r in first.without_position} == set(first.added)  # no address points
    entries = read_entries(store).set_index("service_id")
    nzdm = entries.loc["rpss-1111111"]
    assert (nzdm["service_type"], nzdm["town_id"], nzdm["capacity"]) == ("nzdm", "litvinov", 25)
    assert json.loads(nzdm["target_groups"]) == ["children_youth"]
    assert entries.loc["rpss-4444444", "address"] == ""  # a withheld address stays withheld
    # found by search although without a position
    assert "rpss-1111111" in set(search_catalogue(store, Query("nizkoprahove"))["service_id"])
    save_entry(store, ADMIN, "litvinov", {"description": "Místní popis"}, "rpss-2222222")

    second = import_register(store, ADMIN, V2, "CZ042", lists, today="2025-03-01")
    assert second.added == ["rpss-7777777"]
    assert second.updated == {"rpss-1111111": ["capacity", "phone"]}
    assert second.withdrawn == ["rpss-3333333"]
    entries = read_entries(store)
    assert entries["service_id"].is_unique and len(
        entries[entries["origin"] == "register"]) == 5
    by_id = entries.set_index("service_id")
    assert by_id.loc["rpss-2222222", "description"] == "Místní popis"  # local addition kept
    assert by_id.loc["rpss-3333333", "register_status"] == "withdrawn"
    again = import_register(store, ADMIN, V2, "CZ042", lists, today="2025-03-01")
    assert (again.added, again.updated, again.unchanged) == ([], {}, 4)


def test_register_places_a_service_only_at_its_address_point(demo_store_copy: Store) -> None:
    store = demo_store_copy
    store.append(ADDRESS_POINTS, gpd.GeoDataFrame(
        [{"kod_adm": "22220001", "town_id": "litvinov", "kod_obec": "567256",
          "street": "Luční", "house_number": "250", "postcode": "43542", "part": "Janov",
          "orientation_number": "", "batch_id": ""}],
        geometry=[Point(13.6280, 50.6070)], crs="EPSG:4326"))
    report = import_register(store, ADMIN, V1, "CZ042", codelists_beside(V1),
                             today="2025-03-01")
    assert "rpss-1111111" not in {r["id"] for r in report.without_position}
    point = store.read(SERVICES, "litvinov").set_index("service_id").geometry["rpss-1111111"]
    assert point.equals(Point(13.6280, 50.6070))
    assert "rpss-2222222" not in set(store.read(SERVICES)["service_id"])


def test_a_file_not_in_the_register_shape_changes_nothing(demo_store_copy: Store,
                                                         tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"nazev": "x"}]', encoding="utf-8")
    before = store_manifest(demo_store_copy)
    with pytest.raises(InvalidInput, match="polozky"):
        import_register(demo_store_copy, ADMIN, bad, "CZ042")
    with pytest.raises(InvalidInput):
        import_register(demo_store_copy, ADMIN, V1, "CZ999")
    with pytest.raises(AccessDenied):
        import_register(demo_store_copy, PUBLIC, V1, "CZ042")
    assert store_manifest(demo_store_copy) == before
