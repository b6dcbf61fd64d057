"""`mapa moderate list|approve|reject` over a whole imported batch or session, and the
feeling-map import recorded as an import batch (listed, decided at once, undone)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from layers.schema import AUDIT_LOG, PINS, SESSIONS
from layers.store import open_store
from scripts.mapa import main

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "pocitova_mapa_sample.csv"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture
def imported(tmp_path: Path, demo_store_path: Path,
             capsys: pytest.CaptureFixture[str]) -> tuple[Path, str, str, int]:
    """A demo store with the sample export imported: (store, batch id, session id, pins)."""
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_store_path, path)
    code, result = _run(capsys, "import", "feeling-map", str(SAMPLE), "--town", "litvinov",
                        "--store", str(path))
    assert code == 0
    code, listed = _run(capsys, "batches", "--store", str(path))
    ours = [b for b in listed["batches"] if b["kind"] == "feeling-map"]
    assert len(ours) == 1 and ours[0]["added"] == result["imported"]
    return path, ours[0]["batch_id"], result["session_id"], result["imported"]


def _pins(path: Path, session_id: str) -> pd.DataFrame:
    pins = pd.DataFrame(open_store(path).read(PINS))
    return pins[pins["session_id"] == session_id]


def test_approve_a_batch_in_one_audited_decision(
        imported: tuple[Path, str, str, int], capsys: pytest.CaptureFixture[str]) -> None:
    path, batch_id, session_id, count = imported
    others = pd.DataFrame(open_store(path).read(PINS)).query("session_id != @session_id")
    code, listed = _run(capsys, "moderate", "list", "--batch", batch_id, "--store", str(path))
    assert code == 0 and listed["pending"] == count
    assert sum(listed["by_category"].values()) == count
    code, result = _run(capsys, "moderate", "approve", "--batch", batch_id, "--store", str(path))
    assert code == 0 and result["approved"] == count
    assert (_pins(path, session_id)["status"] == "approved").all()
    # other sessions' pins are untouched
    after = pd.DataFrame(open_store(path).read(PINS)).query("session_id != @session_id")
    assert after["status"].tolist() == others["status"].tolist()
    audit = pd.DataFrame(open_store(path).read(AUDIT_LOG))
    entries = audit[audit["action"] == "approve_pins"]
    assert len(entries) == 1
    assert json.loads(entries["detail"].iloc[0]) == {"batch_id": batch_id, "changed": count}
    # nothing is pending any more: a second decision changes nothing and is not audited
    code, listed = _run(capsys, "moderate", "list", "--session", session_id, "--store",
                        str(path))
    assert listed["pending"] == 0
    code, result = _run(capsys, "moderate", "reject", "--session", session_id, "--reason",
                        "x", "--store", str(path))
    assert result["rejected"] == 0
    assert (_pins(path, session_id)["status"] == "approved").all()


def test_reject_a_session_keeps_the_reason_and_redacts_notes(
        imported: tuple[Path, str, str, int], capsys: pytest.CaptureFixture[str]) -> None:
    path, _, session_id, count = imported
    assert _pins(path, session_id)["comment"].str.contains("604 123 456").any()
    code, result = _run(capsys, "moderate", "reject", "--session", session_id, "--reason",
                        "duplicitní export", "--store", str(path))
    assert code == 0 and result["rejected"] == count
    pins = _pins(path, session_id)
    assert (pins["status"] == "rejected").all()
    assert (pins["moderation_note"] == "duplicitní export").all()
    assert not pins["comment"].fillna("").str.contains("604 123 456").any()
    assert pins["comment"].fillna("").str.contains("chybí lavičky").any()  # the rest stays


def test_undo_removes_the_imported_session(
        imported: tuple[Path, str, str, int], capsys: pytest.CaptureFixture[str]) -> None:
    path, batch_id, session_id, count = imported
    code, result = _run(capsys, "undo", batch_id, "--store", str(path))
    assert code == 0 and result["deleted"] == {"pins": count, "sessions": 1}
    assert _pins(path, session_id).empty
    assert session_id not in set(open_store(path).read(SESSIONS)["session_id"])


@pytest.mark.parametrize(("option", "code_word"), [("--batch", "moderation.no_batch"),
                                                    ("--session", "moderation.no_session")])
def test_unknown_selection_is_a_coded_error_and_changes_nothing(
        imported: tuple[Path, str, str, int], capsys: pytest.CaptureFixture[str],
        option: str, code_word: str) -> None:
    path = imported[0]
    version = open_store(path).version()
    code, result = _run(capsys, "moderate", "approve", option, "no-such-thing", "--store",
                        str(path))
    assert code != 0 and result["error"]["code"] == code_word
    assert "no-such-thing" in result["error"]["message"]
    assert open_store(path).version() == version


def test_a_selection_is_required_and_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["moderate", "approve"])
    with pytest.raises(SystemExit):
        main(["moderate", "approve", "--batch", "a", "--session", "b"])
