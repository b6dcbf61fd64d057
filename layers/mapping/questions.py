"""A session's own questions besides the built-in ones, and pins' answers to them.

A facilitator adds questions to a session (single choice, multiple choice, a 1–5 scale, a short
text); the kiosk and the public form ask them after the built-in steps. Each answer is one row
of ``pin_answers`` stored in the same write as its pin. A short text is screened like a pin's
comment (``layers.screening``): one that may identify someone is held for moderators and never
leaves through a public export.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from layers.errors import InvalidInput
from layers.limits import LIMITS, check
from layers.schema import PIN_ANSWERS, QUESTION_KINDS, SESSION_QUESTIONS
from layers.screening import screen_comment
from layers.store import Store

#: Choices a choice question offers, at least and at most.
MIN_OPTIONS, MAX_OPTIONS = 2, 8
#: The values of a scale question.
SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Question:
    """One question of a session: ``kind`` a ``QUESTION_KINDS`` code, ``options`` the choices
    of a choice question (empty otherwise), ``position`` its place in the session's order."""

    question_id: str
    session_id: str
    position: int
    kind: str
    text: str
    options: tuple[str, ...] = ()


def _problems(kind: str, text: str, options: Sequence[str]) -> list[str]:
    problems = []
    if kind not in QUESTION_KINDS:
        problems.append(f"kind {kind!r} is not one of {list(QUESTION_KINDS)}")
    if not text.strip():
        problems.append("the question has no text")
    if kind in ("single", "multiple"):
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            problems.append(f"a choice question needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
        if any(not option.strip() for option in options):
            problems.append("an option is empty")
        if len(set(options)) != len(options):
            problems.append("two options are the same")
    elif options:
        problems.append(f"a {kind} question has no options")
    return problems


def add_question(store: Store, session: Mapping[str, object], kind: str, text: str,
                 options: Sequence[str] = ()) -> Question:
    """Store a new question at the end of ``session``'s questions (a sessions row); return it.

    Raises ``LimitExceeded`` for a text or option over ``LIMITS.question_chars`` and
    ``InvalidInput`` (``question.bad``) listing every other problem; nothing is written then.
    """
    options = tuple(option.strip() for option in options)
    for value in (text, *options):
        check("question_chars", len(value), LIMITS.question_chars, "question")
    problems = _problems(kind, text, options)
    if problems:
        raise InvalidInput("question.bad", problem="; ".join(problems))
    session_id = str(session["session_id"])
    question = Question(f"{session_id}-q{uuid.uuid4().hex[:8]}", session_id,
                        len(session_questions(store, session_id)) + 1, kind, text.strip(),
                        options)
    store.append(SESSION_QUESTIONS, pd.DataFrame([{
        "question_id": question.question_id, "session_id": session_id,
        "town_id": session["town_id"], "position": question.position, "kind": kind,
        "text": question.text, "options": json.dumps(list(options), ensure_ascii=False)}]))
    return question


def session_questions(store: Store, session_id: str) -> list[Question]:
    """The questions of ``session_id`` in their order (none when the store has none)."""
    if SESSION_QUESTIONS.name not in store.layer_names():
        return []
    rows = pd.DataFrame(store.read_where(SESSION_QUESTIONS, "session_id", [session_id]))
    return [Question(str(row.question_id), str(row.session_id), int(str(row.position)),
                     str(row.kind), str(row.text), tuple(json.loads(str(row.options or "[]"))))
            for row in rows.sort_values("position").itertuples()]


def answer_value(question: Question, value: object) -> str:
    """``value`` as stored for ``question``: the option, a JSON list of options, "1"…"5" or
    the stripped text. Raises ``InvalidInput`` (``question.bad_answer``) for a value the
    question does not take and ``LimitExceeded`` for a text over ``LIMITS.comment_chars``."""
    def refuse(problem: str) -> InvalidInput:
        return InvalidInput("question.bad_answer", question=question.text, problem=problem)

    if question.kind == "single":
        if value not in question.options:
            raise refuse(f"{value!r} is not one of the options")
        return str(value)
    if question.kind == "multiple":
        chosen = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if not set(chosen) <= set(question.options):
            raise refuse("a choice is not one of the options")
        return json.dumps([o for o in question.options if o in chosen], ensure_ascii=False)
    if question.kind == "scale":
        if str(value) not in {str(v) for v in SCALE}:
            raise refuse("the scale goes from 1 to 5")
        return str(value)
    text = str(value).strip()
    check("comment_chars", len(text), LIMITS.comment_chars, question.text)
    return text


def answers_frame(questions: Sequence[Question], session: Mapping[str, object],
                  answers: Mapping[str, Mapping[str, object]]) -> pd.DataFrame:
    """Rows of ``pin_answers`` for ``answers`` (pin id → question id → value) of a session.

    A question left out or answered with None/"" / [] is skipped (every question is optional).
    The answer's id is the pin's id and the question's, so a retried submission repeats it.
    Raises as :func:`answer_value`, and ``InvalidInput`` for a question of another session.
    """
    by_id = {question.question_id: question for question in questions}
    rows = []
    for pin_id, values in answers.items():
        for question_id, value in values.items():
            if value is None or value == "" or value == [] or value == ():
                continue
            if question_id not in by_id:
                raise InvalidInput("question.bad_answer", question=question_id,
                                   problem="not a question of this session")
            question = by_id[question_id]
            stored = answer_value(question, value)
            rows.append({"answer_id": f"{pin_id}-{question_id}", "pin_id": pin_id,
                         "session_id": session["session_id"], "town_id": session["town_id"],
                         "question_id": question_id, "value": stored,
                         "held": question.kind == "text" and screen_comment(stored).held})
    return pd.DataFrame(rows, columns=list(PIN_ANSWERS.columns))


def answers_for(store: Store, session_ids: Sequence[str]) -> pd.DataFrame:
    """The stored answers (``pin_answers`` rows) of the sessions ``session_ids``."""
    if PIN_ANSWERS.name not in store.layer_names() or not session_ids:
        return pd.DataFrame(columns=list(PIN_ANSWERS.columns))
    return pd.DataFrame(store.read_where(PIN_ANSWERS, "session_id", list(session_ids)))


def answer_columns(store: Store, pins: pd.DataFrame, public: bool) -> pd.DataFrame:
    """One column per question of the pins' sessions (named by the question's text), one row
    per pin in ``pins``' order: the answers as a reader sees them (a multiple choice joined
    with ", "). ``public``: text questions are left out (no free text leaves publicly);
    otherwise a held text reads as empty. No questions: a frame without columns.
    """
    session_ids = sorted(pins["session_id"].astype(str).unique()) if len(pins) else []
    questions = [q for sid in session_ids for q in session_questions(store, sid)
                 if not (public and q.kind == "text")]
    table = pd.DataFrame(index=pins.index)
    if not questions:
        return table
    answers = answers_for(store, session_ids)
    answers = answers[~answers["held"].astype(bool)]
    for question in questions:
        mine = answers[answers["question_id"] == question.question_id]
        values = dict(zip(mine["pin_id"], mine["value"], strict=True))
        column = question.text if question.text not in table else \
            f"{question.text} ({question.position})"
        table[column] = [_readable(question, values.get(pid)) for pid in pins["pin_id"]]
    return table


def _readable(question: Question, value: object) -> str:
    if value is None or value == "":
        return ""
    if question.kind == "multiple":
        return ", ".join(json.loads(str(value)))
    return str(value)
