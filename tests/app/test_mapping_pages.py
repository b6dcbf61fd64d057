"""The participatory-mapping pages through AppTest: sessions, kiosk, moderation.

The kiosk's map click happens in the browser (tests/app/test_e2e_mapping.py); here the page's
form logic is exercised on a copy of the demo store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from app.navigation import page_script
from app.ui.answer_form import ANSWER_KEY
from app.ui.i18n import label, plural, translate
from layers.limits import LIMITS
from layers.mapping import links
from layers.mapping.capture import PinAnswer, add_pins, new_pin_id
from layers.mapping.moderation import approve
from layers.mapping.paper import town_session_grid
from layers.mapping.questions import session_questions
from layers.mapping.results import session_results
from layers.mapping.sessions import SessionInput, create_session
from layers.schema import AUDIT_LOG, PINS, SESSIONS, TOWNS
from layers.store import open_store
from tests.app.access_support import login_as

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def store_path(tmp_path: Path, demo_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("MAPA_STORE", str(path))
    return path


def _page(page: str, store_path: Path) -> AppTest:
    at = login_as(AppTest.from_file(MAIN, default_timeout=30), store_path, "admin")
    at.session_state["town_id"] = "litvinov"
    at.run()  # st.navigation registers the pages; they are matched by script path
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _cells_inside(store_path: Path, town_id: str) -> list[str]:
    """Grid cells of the town's session map whose centre lies inside the town."""
    store = open_store(store_path)
    grid = town_session_grid(store, town_id)
    town = store.read(TOWNS, town_id).geometry.iloc[0]
    return [cell for cell in (f"{c}{r}" for r in range(1, grid.rows + 1)
                              for c in grid.column_labels())
            if town.contains(Point(*grid.cell_centre(cell)))]


def _button(at: AppTest, key: str):
    text = translate(key, "cs")
    return next(b for b in at.button if b.label == text)


def test_create_session_and_transcribe(store_path: Path) -> None:
    at = _page(page_script("sessions"), store_path)
    before = len(open_store(store_path).read("sessions", "litvinov"))
    at.text_input[0].input("Sousedský dům Libuše")
    at.text_input[1].input("MY Litvínov")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert at.success and "litvinov-" in at.success[0].value
    sessions = open_store(store_path).read("sessions", "litvinov")
    assert len(sessions) == before + 1
    new_id = sessions["session_id"].iloc[-1]
    assert at.selectbox(key="sessions_session").value == new_id

    at.text_area(key="transcription").input("C4, 3, slyšel, večer\nZ99, 3").run()
    _button(at, "sessions.transcribe.save").click().run()
    assert any("Z99" in e.value for e in at.error)
    pins = open_store(store_path).read("pins", "litvinov")
    assert not (pins["session_id"] == new_id).any()  # nothing saved while a row is wrong

    first, second = _cells_inside(store_path, "litvinov")[:2]
    at.text_area(key="transcription").input(f"{first}, 3, slyšel, večer\n{second}, 12, viděl")
    at.run()
    _button(at, "sessions.transcribe.save").click().run()
    assert at.success[-1].value == translate("sessions.transcribe.saved", "cs",
                                                         n=plural("count.pins", 2, "cs"))
    pins = open_store(store_path).read("pins", "litvinov")
    mine = pins[pins["session_id"] == new_id]
    assert sorted(mine["place_note"]) == sorted([first, second])
    assert mine["transcribed"].all() and set(mine["status"]) == {"pending"}


def test_session_form_reports_problems(store_path: Path) -> None:
    at = _page(page_script("sessions"), store_path)
    at.button[0].click().run()  # empty place and organiser
    assert at.error and "place and organiser are required" in at.error[0].value


def _keyed(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _kiosk_at(store_path: Path, step: str = "what") -> tuple[AppTest, str]:
    """The kiosk page with a place already tapped (the map is clicked in the browser)."""
    at = _page(page_script("capture"), store_path)
    session = at.session_state["current_session"]
    janov = open_store(store_path).read("localities", "litvinov").representative_point()
    at.session_state[ANSWER_KEY] = {"step": step, "place": (janov.iloc[0].y, janov.iloc[0].x),
                                    "pin_id": new_pin_id(session)}
    return at.run(), session


def test_kiosk_one_screen_at_a_time_and_one_pin_per_answer(store_path: Path) -> None:
    at, session = _kiosk_at(store_path)
    pins = open_store(store_path).read("pins", "litvinov")
    before = (pins["session_id"] == session).sum()
    assert at.title[0].value == translate("capture.title", "cs")
    # the screen shows the categories only, each an SVG pictogram with its word, no emoji
    labels = [b.label for b in at.button if b.key and b.key.startswith("category-")]
    assert len(labels) == 13 and all(label.startswith("![](app/static/kiosk/category-")
                                     for label in labels)
    assert not [b for b in at.button if b.key and b.key.startswith("feeling-")]
    _keyed(at, "category-dark_place").click().run()
    assert at.session_state[ANSWER_KEY]["step"] == "feeling"  # a tap moves on
    _keyed(at, "kiosk-save").click().run()
    assert at.warning[0].value == translate(
        "kiosk.missing", "cs", steps=translate("kiosk.missing.feeling", "cs"))
    _keyed(at, "feeling-1").click().run()
    answer = dict(at.session_state[ANSWER_KEY])
    _keyed(at, "kiosk-save").click().run()
    assert not at.exception and not at.error
    # back to the start, saying it was saved
    assert at.session_state[ANSWER_KEY] == {"step": "place",
                                            "saved": translate("capture.saved", "cs")}
    assert at.success[0].value == translate("capture.saved", "cs")
    # the same answer sent again (a double tap, a retry after a dropped connection)
    at.session_state[ANSWER_KEY] = answer
    at.run()
    _keyed(at, "kiosk-save").click().run()
    pins = open_store(store_path).read("pins", "litvinov")
    mine = pins[pins["pin_id"] == answer["pin_id"]]
    assert len(mine) == 1 and list(mine["category"]) == ["dark_place"]
    assert (pins["session_id"] == session).sum() == before + 1


def test_a_locked_kiosk_is_left_only_with_the_pin(store_path: Path) -> None:
    at, _ = _kiosk_at(store_path)
    lock = next(f for f in at.text_input if f.label == translate("kiosk.lock.pin", "cs"))
    lock.input("12")
    at.button(key="FormSubmitter:kiosk-lock-" + translate("kiosk.lock.start", "cs")).click().run()
    assert at.error[0].value == translate("kiosk.lock.bad_pin", "cs")
    lock = next(f for f in at.text_input if f.label == translate("kiosk.lock.pin", "cs"))
    lock.input("2468")
    at.button(key="FormSubmitter:kiosk-lock-" + translate("kiosk.lock.start", "cs")).click().run()
    assert at.session_state["kiosk_lock"]["session_id"]
    assert not at.title and not [s for s in at.main.selectbox]  # no title, no session picker
    _keyed(at, "kiosk-leave").click().run()
    pin = next(f for f in at.text_input if f.label == translate("kiosk.leave.pin", "cs"))
    pin.input("1111")
    unlock = "FormSubmitter:kiosk-unlock-" + translate("kiosk.leave.submit", "cs")
    at.button(key=unlock).click().run()
    assert at.error[0].value == translate("kiosk.leave.wrong", "cs")
    assert "kiosk_lock" in at.session_state
    pin = next(f for f in at.text_input if f.label == translate("kiosk.leave.pin", "cs"))
    pin.input("2468")
    at.button(key=unlock).click().run()
    assert "kiosk_lock" not in at.session_state
    assert at.title[0].value == translate("capture.title", "cs")


def test_moderation_lists_pending_pins(store_path: Path) -> None:
    at = _page(page_script("moderation"), store_path)
    pins = open_store(store_path).read("pins", "litvinov")
    pending = int((pins["status"] == "pending").sum())
    assert at.subheader[0].value == translate("moderation.pending", "cs", n=pending)
    _button(at, "moderation.approve").click().run()
    assert at.warning[0].value == translate("moderation.nothing_selected", "cs")


def test_moderation_filters_and_decides_a_whole_session(store_path: Path) -> None:
    at = _page(page_script("moderation"), store_path)
    store = open_store(store_path)
    pins = store.read(PINS, "litvinov")
    pending = pins[pins["status"] == "pending"]
    category = str(pending["category"].mode().iloc[0])
    at.multiselect(key="moderation_categories").set_value([category]).run()
    n = int((pending["category"] == category).sum())
    assert at.subheader[0].value == translate("moderation.pending", "cs", n=n)

    # one decision for a whole session, audited once, with the count the page announced
    bulk = at.selectbox(key="moderation_bulk_choice")
    first = bulk.options[0]
    sessions = store.read(SESSIONS, "litvinov").set_index("session_id")
    session = next(s for s in sessions.index if f"{sessions.loc[s, 'place']}" in first)
    waiting = int((pending["session_id"] == session).sum())
    assert translate("moderation.bulk.count", "cs", n=waiting) in [m.value for m in at.markdown]
    at.button(key="moderation_bulk_approve").click().run()
    assert not at.exception
    after = store.read(PINS, "litvinov").set_index("pin_id")
    assert set(after.loc[pending.loc[pending["session_id"] == session, "pin_id"], "status"]
               ) == {"approved"}
    log = store.read(AUDIT_LOG)
    decided = log[log["action"] == "approve_pins"]
    assert len(decided) == 1 and f'"changed": {waiting}' in decided["detail"].iloc[0]


def test_transcription_box_is_bounded_in_the_browser_and_on_the_server(
        store_path: Path) -> None:
    at = _page(page_script("sessions"), store_path)
    box = at.text_area(key="transcription")
    assert box.proto.max_chars == LIMITS.transcription_chars
    # a crafted request, not held back by the browser, is cut to the limit by the server
    box.set_value("C4, 3\n" * (LIMITS.transcription_chars // 6 + 100)).run()
    assert not at.exception
    assert len(at.text_area(key="transcription").value) == LIMITS.transcription_chars


def test_sessions_page_opens_a_link_with_a_qr_code_and_adds_a_question(store_path: Path) -> None:
    at = _page(page_script("sessions"), store_path)
    session = at.session_state["current_session"]
    at.button(key="FormSubmitter:session_link-" + translate("sessions.link.create", "cs")
              ).click().run()
    assert not at.exception and not at.error
    store = open_store(store_path)
    [link] = links.session_links(store, session)
    shown = [c.value for c in at.code]
    assert shown and shown[0].endswith(f"/?link={link.link_id}")
    assert any(b.label == translate("sessions.link.svg", "cs") for b in at.get("download_button"))
    form = "FormSubmitter:session_question-" + translate("sessions.questions.add", "cs")
    text = next(f for f in at.text_input if f.label == translate("sessions.questions.text", "cs"))
    text.input("Svítí tu lampy?")
    at.button(key=form).click().run()  # a choice question without options is refused
    assert "needs 2 to 8 options" in at.error[0].value
    text = next(f for f in at.text_input if f.label == translate("sessions.questions.text", "cs"))
    text.input("Svítí tu lampy?")
    at.text_area[-1].input("ano\nne")
    at.button(key=form).click().run()
    assert not at.error
    [question] = session_questions(open_store(store_path), session)
    assert (question.kind, question.text, question.options) == ("single", "Svítí tu lampy?",
                                                                ("ano", "ne"))
    pins = open_store(store_path).read("pins", "litvinov")
    n = int(((pins["session_id"] == session) & (pins["status"] != "rejected")).sum())
    assert at.subheader[-1].value == translate("sessions.results", "cs", n=n,  # the results
                                               sessions=1)


def test_sessions_page_compares_a_round_with_the_previous_one(store_path: Path) -> None:
    store = open_store(store_path)
    rounds = []
    for date in ("2024-05-01", "2025-05-01"):
        rounds.append(create_session(store, SessionInput(
            town_id="litvinov", date=date, place="KC Srovnání", organiser="KC Srovnání",
            age_group="13-18", participants=20, method="tablet", consent="souhlas")))
    places = store.read("localities", "litvinov").representative_point()
    for session, at_place in zip(rounds, (places.iloc[0], places.iloc[-1]), strict=True):
        answers = [(new_pin_id(session), PinAnswer(lon=at_place.x + 0.0002 * (i % 4),
                                                   lat=at_place.y, category="dark_place",
                                                   feeling=2)) for i in range(12)]
        add_pins(store, session, answers)
        approve(store, [pin_id for pin_id, _ in answers])
    at = _page(page_script("sessions"), store_path)
    at.selectbox(key="sessions_session").set_value(rounds[1]).run()
    assert not at.exception, at.exception
    assert at.subheader[-1].value == translate("sessions.results", "cs", n=12, sessions=1)
    captions = [c.value for c in at.caption]
    assert any("Permutační test (999 permutací): p = " in c for c in captions)
    labels = {b.label for b in at.get("download_button")}
    assert {translate("sessions.results.pdf", "cs"),
            translate("sessions.results.print", "cs")} <= labels
    category = at.dataframe[-2].value.set_index(translate("sessions.results.category", "cs"))
    dark = category.loc[translate("pin.category.dark_place", "cs")]
    assert list(dark) == [12, 12, 0]
    cells = at.dataframe[-1].value.set_index(" ")[translate("sessions.results.n", "cs")]
    expected = session_results(store, rounds[1], store.read(PINS, "litvinov"),
                               store.read(SESSIONS, "litvinov")).cell_change
    assert expected is not None
    classes = expected.cells["change"].value_counts()
    assert cells.to_dict() == {label("hotspots.change", code, "cs"): int(classes.get(code, 0))
                               for code in ("new", "intensifying", "persistent", "diminishing")}
    # the whole round of 2025 against 2024: the same sessions here, one a year
    at.radio(key="sessions_results_scope").set_value(True).run()
    assert not at.exception, at.exception
    assert at.subheader[-1].value == translate("sessions.results", "cs", n=12, sessions=1)
