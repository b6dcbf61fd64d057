"""Public session links and custom questions on a real store: open and closed links,
idempotent submissions, the limits per device and address, and answers exported with pins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from layers.errors import Conflict, InvalidInput, NotFound
from layers.limits import LIMITS, LimitExceeded
from layers.mapping import links, questions
from layers.mapping.capture import PinAnswer, add_pins, load_session, new_pin_id
from layers.mapping.export import export_pins
from layers.mapping.moderation import approve
from layers.mapping.results import session_results
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import PIN_ANSWERS, PINS, SESSIONS
from layers.store import Store

JANOV = (13.6310, 50.6085)
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(demo_store_copy: Store) -> Store:
    return demo_store_copy


@pytest.fixture
def session(store: Store) -> str:
    return create_session(store, SessionInput(
        town_id="litvinov", date="2026-12-06", place="Sousedský dům Libuše",
        organiser="MY Litvínov", age_group="13-18", participants=20, method="tablet",
        consent="souhlas zaznamenán"))


def _answer(dx: float = 0.0) -> PinAnswer:
    return PinAnswer(lon=JANOV[0] + dx, lat=JANOV[1], category="dark_place", feeling=2,
                     seen="own", time_of_day="evening")


def test_a_link_is_open_only_in_its_period(store: Store, session: str) -> None:
    link = links.create_link(store, session, starts_at=NOW,
                             until=NOW + dt.timedelta(hours=2), now=NOW)
    assert links.link_url("http://obec.cz/mapa/", link.link_id) \
        == f"http://obec.cz/mapa/?link={link.link_id}"
    assert links.open_link(store, link.link_id, NOW + dt.timedelta(hours=1)) == link
    with pytest.raises(Conflict) as late:
        links.open_link(store, link.link_id, NOW + dt.timedelta(hours=2))
    assert late.value.code == "link.closed" and "uzavřený" in late.value.message("cs")
    with pytest.raises(Conflict, match="not open yet"):
        links.open_link(store, link.link_id, NOW - dt.timedelta(minutes=1))
    with pytest.raises(NotFound) as unknown:
        links.open_link(store, "no-such-token", NOW)
    assert "neznáme" in unknown.value.message("cs")
    assert links.close_link(store, link.link_id, NOW + dt.timedelta(minutes=30)) == 1
    with pytest.raises(Conflict, match="closed"):
        links.open_link(store, link.link_id, NOW + dt.timedelta(hours=1))
    with pytest.raises(InvalidInput, match="must come after"):
        links.create_link(store, session, starts_at=NOW, until=NOW, now=NOW)
    assert links.parse_time("2026-12-24T18:00") == dt.datetime(2026, 12, 24, 18, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput):
        links.parse_time("Štědrý den")


def test_a_resent_answer_is_stored_once_with_its_answers(store: Store, session: str) -> None:
    link = links.create_link(store, session, now=NOW)
    row = load_session(store, session)
    scale = questions.add_question(store, row, "scale", "Jak moc tu chceš lepší osvětlení?")
    pick = questions.add_question(store, row, "multiple", "S kým sem chodíš?",
                                  ["sám/sama", "s kamarády", "s rodiči"])
    note = questions.add_question(store, row, "text", "Co by tu pomohlo?")
    pin_id = new_pin_id(session)
    answers = {scale.question_id: 4, pick.question_id: ["s rodiči", "sám/sama"],
               note.question_id: "zavolej mi na 604 123 456"}
    kwargs = {"device": "d1", "client": "c1", "now": NOW}
    assert links.submit(store, link.link_id, pin_id, _answer(), answers, **kwargs)
    # the connection dropped before the phone heard back: it sends the same answer again
    assert not links.submit(store, link.link_id, pin_id, _answer(), answers, **kwargs)
    pins = store.read(PINS, "litvinov")
    mine = pins[pins["session_id"] == session]
    assert list(mine["pin_id"]) == [pin_id] and list(mine["status"]) == ["pending"]
    stored = store.read(PIN_ANSWERS).set_index("question_id")
    assert len(stored) == 3
    assert stored.loc[pick.question_id, "value"] == '["sám/sama", "s rodiči"]'
    assert bool(stored.loc[note.question_id, "held"])  # a phone number is held


def test_limits_per_device_and_address(store: Store, session: str) -> None:
    link = links.create_link(store, session, now=NOW)
    small = LIMITS.__class__(link_device_pins=2, link_client_pins=3)
    send = lambda device, client, dx: links.submit(  # noqa: E731
        store, link.link_id, new_pin_id(session), _answer(dx), {}, device=device,
        client=client, now=NOW, limits=small)
    assert send("a", "net", 0.0) and send("a", "net", 0.0002)
    with pytest.raises(Conflict) as device:
        send("a", "net", 0.0004)
    assert device.value.code == "link.device_limit"
    assert send("b", "net", 0.0006)
    with pytest.raises(Conflict) as client:
        send("c", "net", 0.0008)
    assert client.value.code == "link.client_limit"
    assert send("c", "other", 0.0008)


def test_questions_are_checked_and_exported_with_pins(store: Store, session: str,
                                                      tmp_path: Path) -> None:
    row = load_session(store, session)
    with pytest.raises(InvalidInput, match="needs 2 to 8 options"):
        questions.add_question(store, row, "single", "Proč?", ["jen jedna"])
    with pytest.raises(LimitExceeded):
        questions.add_question(store, row, "text", "x" * (LIMITS.question_chars + 1))
    light = questions.add_question(store, row, "single", "Svítí tu lampy?", ["ano", "ne"])
    note = questions.add_question(store, row, "text", "Co by tu pomohlo?")
    link = links.create_link(store, session, now=NOW)
    with pytest.raises(InvalidInput, match="not one of the options"):
        links.submit(store, link.link_id, new_pin_id(session), _answer(),
                     {light.question_id: "možná"}, device="d", client="c", now=NOW)
    pin_id = new_pin_id(session)
    links.submit(store, link.link_id, pin_id, _answer(),
                 {light.question_id: "ne", note.question_id: "víc laviček"},
                 device="d", client="c", now=NOW)
    internal = tmp_path / "internal.csv"
    export_pins(store, "litvinov", internal, "csv", session_id=session)
    table = pd.read_csv(internal, sep=";", encoding="utf-8-sig")
    assert list(table["Svítí tu lampy?"]) == ["ne"]
    assert list(table["Co by tu pomohlo?"]) == ["víc laviček"]
    approve(store, [pin_id])
    public = tmp_path / "public.csv"
    export_pins(store, "litvinov", public, "csv", session_id=session, public=True)
    # choices go public, free text never does
    table = pd.read_csv(public, sep=";", encoding="utf-8-sig")
    assert list(table["Svítí tu lampy?"]) == ["ne"] and "Co by tu pomohlo?" not in table


def test_results_count_answers_and_compare_with_the_previous_round(store: Store,
                                                                   session: str) -> None:
    earlier = create_session(store, SessionInput(
        town_id="litvinov", date="2025-12-06", place="Sousedský dům Libuše",
        organiser="MY Litvínov", age_group="13-18", participants=20, method="tablet",
        consent="souhlas zaznamenán"))
    add_pins(store, earlier, [(new_pin_id(earlier), _answer(0.0001 * i)) for i in range(3)])
    light = questions.add_question(store, load_session(store, session), "multiple",
                                   "Co tu chybí?", ["lampy", "lavičky"])
    link = links.create_link(store, session, now=NOW)
    for i, chosen in enumerate((["lampy"], ["lampy", "lavičky"])):
        links.submit(store, link.link_id, new_pin_id(session), _answer(0.0002 * i),
                     {light.question_id: chosen}, device="d", client="c", now=NOW)
    results = session_results(store, session, store.read(PINS, "litvinov"),
                              store.read(SESSIONS, "litvinov"))
    assert results.pins == 2 and results.previous == (earlier,)
    feeling = results.counts["feeling"]
    assert feeling.to_dict("records") == [{"value": "2", "count": 2}]
    assert results.questions["Co tu chybí?"].set_index("value")["count"].to_dict() \
        == {"lampy": 2, "lavičky": 1}
    dark = results.change.set_index("category").loc["dark_place"]
    assert (dark["now"], dark["before"], dark["change"]) == (2, 3, -1)
