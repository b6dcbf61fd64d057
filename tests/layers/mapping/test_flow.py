"""The participatory-mapping flow on a real store: session → pins → moderation → export."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from layers.mapping.capture import PinAnswer, add_pins, new_pin_id, undo_pin
from layers.mapping.export import export_pins
from layers.mapping.moderation import (
    approve,
    approve_without_note,
    pending_pins,
    recategorise,
    reject,
)
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PINS, SENSITIVE_CATEGORIES
from layers.store import Store
from layers.vocabulary import EXPORT_KIND, PIN_CATEGORY, PIN_STATUS

JANOV = (13.6310, 50.6085)


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


def _session(store: Store, **changes: object) -> str:
    data = {"town_id": "litvinov", "date": "2024-03-01", "place": "Sousedský dům Libuše",
            "organiser": "MY Litvínov", "age_group": "6-12", "participants": 12,
            "method": "tablet", "consent": "souhlas rodičů zaznamenán"}
    data.update(changes)
    return create_session(store, SessionInput(**data))  # type: ignore[arg-type]


def _answer(dx: float = 0.0, **changes: object) -> PinAnswer:
    values = {"lon": JANOV[0] + dx, "lat": JANOV[1], "category": "dark_place", "feeling": 1,
              "seen": "own", "time_of_day": "evening", "safety_action": "in_group"}
    values.update(changes)
    return PinAnswer(**values)  # type: ignore[arg-type]


def test_session_validation(store: Store) -> None:
    with pytest.raises(ValueError) as info:
        _session(store, date="1. 3.", age_group="kids", consent=" ", participants=0)
    message = str(info.value)
    for part in ("not a date", "age group", "consent", "participants"):
        assert part in message
    with pytest.raises(ValueError, match="unknown town"):
        _session(store, town_id="praha")


def test_pins_are_pending_screened_and_idempotent(store: Store) -> None:
    session = _session(store)
    first, second = new_pin_id(session), new_pin_id(session)
    answers = [(first, _answer()), (second, _answer(0.001, comment="volej 604 123 456"))]
    assert add_pins(store, session, answers) == 2
    assert add_pins(store, session, answers) == 0  # a retried submission adds nothing
    pins = store.read(PINS, "litvinov").set_index("pin_id")
    assert pins.loc[first, "status"] == "pending"
    assert pins.loc[first, "age_group"] == "6-12"
    assert not pins.loc[first, "comment_held"]
    assert pins.loc[second, "comment_held"]
    assert undo_pin(store, second)
    assert not undo_pin(store, second)
    assert second not in set(store.read(PINS, "litvinov")["pin_id"])


def test_bad_pins_write_nothing(store: Store) -> None:
    session = _session(store)
    before = store.counts()["pins"]
    with pytest.raises(ValueError, match="outside Litvínov"):
        add_pins(store, session, [(new_pin_id(session), _answer(lon=14.42, lat=50.08))])
    with pytest.raises(ValueError, match="unknown category"):
        add_pins(store, session, [(new_pin_id(session), _answer()),
                                  (new_pin_id(session), _answer(category="ufo"))])
    assert store.counts()["pins"] == before


def test_moderation_batch(store: Store) -> None:
    session = _session(store)
    ids = [new_pin_id(session) for _ in range(4)]
    add_pins(store, session, [(pid, _answer(i * 1e-4)) for i, pid in enumerate(ids)])
    assert list(pending_pins(store, "litvinov", session)["pin_id"]) == ids
    assert approve(store, ids[:2]) == 2
    assert recategorise(store, ids[1:2], "traffic") == 1
    with pytest.raises(ValueError, match="reason"):
        reject(store, ids[2:], " ")
    assert reject(store, ids[2:], "duplicitní špendlík") == 2
    pins = store.read(PINS, "litvinov").set_index("pin_id")
    assert list(pins.loc[ids, "status"]) == ["approved", "approved", "rejected", "rejected"]
    assert pins.loc[ids[1], "category"] == "traffic"
    assert pins.loc[ids[3], "moderation_note"] == "duplicitní špendlík"
    assert pending_pins(store, "litvinov", session).empty


def test_a_rejected_pin_keeps_its_reason_but_no_personal_data(store: Store) -> None:
    session = _session(store)
    held, plain = new_pin_id(session), new_pin_id(session)
    add_pins(store, session, [
        (held, _answer(comment="volej Petr 604 123 456 nebo petr@seznam.cz, tma u garáží",
                       place_note="u paní Novákové")),
        (plain, _answer(1e-4, comment="tma u garáží"))])
    assert reject(store, [held, plain], "obsahuje kontakt") == 2
    pins = store.read(PINS, "litvinov").set_index("pin_id")
    assert pins.loc[held, "comment"] == "volej […] […] nebo […], tma u garáží"
    assert pins.loc[held, "place_note"] == "u […]"
    assert pins.loc[plain, "comment"] == "tma u garáží"
    assert set(pins.loc[[held, plain], "moderation_note"]) == {"obsahuje kontakt"}


def test_the_note_is_removed_and_the_pin_approved_in_one_step(store: Store) -> None:
    session = _session(store)
    noted, other = new_pin_id(session), new_pin_id(session)
    add_pins(store, session, [
        (noted, _answer(comment="Petr Novák z čísla 12 tam prodává", place_note="u Nováků")),
        (other, _answer(1e-4, comment="tma u garáží"))])
    assert approve_without_note(store, [noted]) == 1
    pins = store.read(PINS, "litvinov").set_index("pin_id")
    assert pins.loc[noted, ["status", "comment", "place_note"]].tolist() == ["approved", "", ""]
    assert not pins.loc[noted, "comment_held"]
    assert pins.loc[noted, "category"] == "dark_place"  # the answer itself stays
    assert pins.loc[other, ["status", "comment"]].tolist() == ["pending", "tma u garáží"]


def test_public_export_hides_sensitive_points_and_comments(store: Store, tmp_path: Path) -> None:
    session = _session(store)
    ids = [new_pin_id(session) for _ in range(2)]
    add_pins(store, session, [
        (ids[0], _answer(category="drug_dealing", comment="pan Novák tam prodává")),
        (ids[1], _answer(1e-4, category="traffic", comment="rychlá auta")),
    ])
    approve(store, ids)
    secret = store.read(PINS, "litvinov").set_index("pin_id").loc[ids[0]].geometry
    for fmt in ("csv", "geojson", "gpkg"):
        out = tmp_path / f"public.{fmt}"
        counts = export_pins(store, "litvinov", out, fmt, public=True)
        assert counts["cells"] > 0
        text = out.read_bytes()
        assert b"Nov\xc3\xa1k" not in text and "rychlá".encode() not in text
        if fmt == "gpkg":
            exported = gpd.read_file(out, layer="pins")
        elif fmt == "geojson":
            exported = gpd.read_file(out)
            exported = exported[exported["kind"] == "pin"]
        else:  # Czech Excel's CSV: labels, not codes, and no ids
            table = pd.read_csv(out, sep=";", encoding="utf-8-sig")
            pins_only = table[table["Druh záznamu"] == EXPORT_KIND.label("pin", "cs")]
            assert not ((table["Zeměpisná délka"].round(5) == round(secret.x, 5))
                        & (table["Zeměpisná šířka"].round(5) == round(secret.y, 5))).any()
            assert not set(pins_only["Kategorie"]) & {
                PIN_CATEGORY.label(c, "cs") for c in SENSITIVE_CATEGORIES}
            assert set(pins_only["Stav moderace"]) == {PIN_STATUS.label("approved", "cs")}
            continue
        assert not set(exported["category"]) & SENSITIVE_CATEGORIES
        assert ids[0] not in set(exported["pin_id"])
        assert set(exported["status"]) == {"approved"}
    internal = tmp_path / "internal.geojson"
    export_pins(store, "litvinov", internal, "geojson", session_id=session)
    features = json.loads(internal.read_text("utf-8"))["features"]
    assert {f["properties"]["pin_id"] for f in features} == set(ids)


def test_public_geopackage_opens_with_ogrinfo(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "public.gpkg"
    counts = export_pins(store, "litvinov", out, "gpkg", public=True)
    info = subprocess.run(["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True,
                          check=True).stdout
    assert f"Feature Count: {counts['pins']}" in info
    assert "Layer name: sensitive_cells" in info
    assert f"Feature Count: {counts['cells']}" in info


def test_exports_mark_illustrative_rows_in_a_column_and_the_metadata(store: Store,
                                                                      tmp_path: Path) -> None:
    import pyogrio

    from layers.mapping.export import ILLUSTRATIVE_NOTE

    gpkg, geojson, csv = (tmp_path / f"public.{fmt}" for fmt in ("gpkg", "geojson", "csv"))
    counts = export_pins(store, "litvinov", gpkg, "gpkg", public=True)
    for layer, rows in (("pins", counts["pins"]), ("sensitive_cells", counts["cells"])):
        frame = gpd.read_file(gpkg, layer=layer)
        assert frame["illustrative"].astype(bool).all()  # every demo answer is generated
        meta = pyogrio.read_info(gpkg, layer=layer)["layer_metadata"]
        assert meta == {"illustrative_rows": str(rows), "rows": str(rows),
                        "note": ILLUSTRATIVE_NOTE}
    export_pins(store, "litvinov", geojson, "geojson", public=True)
    data = json.loads(geojson.read_text("utf-8"))
    assert ILLUSTRATIVE_NOTE in data["description"]
    assert all(f["properties"]["illustrative"] for f in data["features"])
    export_pins(store, "litvinov", csv, "csv", public=True)
    table = pd.read_csv(csv, sep=";", encoding="utf-8-sig")  # Czech Excel: Czech labels
    assert (table["Ilustrativní záznam"] == "ano").all()


def test_devices_writing_at_once_lose_and_duplicate_nothing(store: Store) -> None:
    """6 tablets (threads, as Streamlit serves them) × 8 pins, each sent twice → 48 pins,
    while two map pages keep reading the store."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    session = _session(store)
    written = threading.Event()
    reads: list[list[int]] = [[], []]  # per map page: two pages' appends interleave freely

    def device(number: int) -> None:
        for i in range(8):
            pin = (new_pin_id(session), _answer(number * 1e-4 + i * 1e-5))
            add_pins(store, session, [pin])
            add_pins(store, session, [pin])  # a double tap / retry

    def map_page(seen: list[int]) -> None:
        # a person reloading a map every 10 ms (not a tight loop) until the devices are done
        while not written.wait(timeout=0.01):
            seen.append(len(store.read(PINS, "litvinov")))

    with ThreadPoolExecutor(max_workers=8) as pool:
        readers = [pool.submit(map_page, seen) for seen in reads]
        try:
            list(pool.map(device, range(6)))
        finally:
            written.set()
        for reader in readers:
            reader.result()
    pins = store.read(PINS, "litvinov")
    mine = pins[pins["session_id"] == session]
    assert len(mine) == 48
    assert mine["pin_id"].is_unique
    assert all(seen and seen == sorted(seen) for seen in reads)  # no page saw pins vanish
