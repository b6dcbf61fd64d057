"""Screening of free-text comments for personal data before anything is shown.

A comment that contains a phone number, an e-mail address or what looks like a person's name is
*held*: it stays in the store for a moderator and is never shown in a public view or export.

Names are detected with a deliberately small, hand-kept list of common Czech first names plus
the honorifics "pan"/"paní" followed by a capitalised word: no maintained Czech named-entity
package is available offline, and a false hold costs only a moderator's click, while a missed
name could expose a person. Detection errs on the side of holding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from layers.limits import LIMITS, check

PHONE: Final = re.compile(r"(?<!\d)(?:\+?420[ -]?)?\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)")
#: A match may start only where a run of local-part characters starts: without the lookbehind
#: the engine tried every position inside a long run again, and screening took quadratic time.
EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HONORIFIC_NAME: Final = re.compile(
    r"\b(?:pan|paní|pana|panu|slečna|sl\.)\s+[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ]\w+")
FIRST_NAMES: Final = frozenset({
    "jan", "petr", "jiří", "josef", "pavel", "martin", "tomáš", "jaroslav", "miroslav",
    "zdeněk", "václav", "michal", "františek", "jakub", "milan", "karel", "lukáš", "david",
    "ondřej", "vladimír", "ladislav", "roman", "stanislav", "marek", "radek", "daniel",
    "antonín", "vojtěch", "filip", "adam", "matěj", "jaromír", "aleš", "dominik", "patrik",
    "libor", "vlastimil", "robert", "oldřich", "miloslav", "marie", "jana", "eva", "hana",
    "anna", "lenka", "kateřina", "lucie", "věra", "alena", "petra", "veronika", "jaroslava",
    "tereza", "martina", "michaela", "jitka", "ludmila", "helena", "zdeňka", "ivana",
    "monika", "eliška", "zuzana", "markéta", "barbora", "jarmila", "kristýna", "marcela",
    "dagmar", "dana", "vlasta", "andrea", "pavla", "klára", "božena", "irena", "natálie",
    "denisa",
})
_WORD: Final = re.compile(r"\b([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][a-záčďéěíňóřšťúůýž]+)\b")
#: A capitalised first name of :data:`FIRST_NAMES` and, when one follows, the surname after it.
_FIRST_NAME_AND_SURNAME: Final = re.compile(
    r"\b(?:" + "|".join(sorted((name.capitalize() for name in FIRST_NAMES), key=len,
                                reverse=True))
    + r")\b(?:\s+[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][a-záčďéěíňóřšťúůýž]+\b)?")


@dataclass(frozen=True)
class Screening:
    """Result of screening one comment: held or not, and why (reasons are codes)."""

    held: bool
    reasons: tuple[str, ...]


def screen_comment(text: str | None, limit: int = LIMITS.comment_chars) -> Screening:
    """Screen ``text`` for a phone number, an e-mail address or a personal name.

    Reasons are ``"phone"``, ``"email"`` and ``"name"``. Empty text is never held. Every
    pattern runs in time linear in the text, and the text is at most ``limit`` characters
    (the comment limit of ``layers.limits``): a longer one raises ``LimitExceeded`` unread,
    so callers refuse long comments before screening them.
    """
    if not text or not text.strip():
        return Screening(False, ())
    check("comment_chars", len(text), limit, "comment")
    reasons = []
    if PHONE.search(text):
        reasons.append("phone")
    if EMAIL.search(text):
        reasons.append("email")
    if HONORIFIC_NAME.search(text) or any(
            w.lower() in FIRST_NAMES for w in _WORD.findall(text)):
        reasons.append("name")
    return Screening(bool(reasons), tuple(reasons))


#: What stands in a redacted text where personal data stood.
REDACTED: Final = "[…]"


def redact(text: str | None) -> str:
    """``text`` with every phone number, e-mail address and name that :func:`screen_comment`
    finds (a first name with the capitalised word after it, as a surname) replaced by
    :data:`REDACTED`; the rest of the words stay (they may explain the moderator's reason).
    Empty for empty text."""
    if not text:
        return ""
    text = EMAIL.sub(REDACTED, text)  # before phones: an address may hold digits
    text = PHONE.sub(REDACTED, text)
    text = HONORIFIC_NAME.sub(REDACTED, text)
    return _FIRST_NAME_AND_SURNAME.sub(REDACTED, text)
