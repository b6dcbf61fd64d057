"""Facts drawn from the seed documents that the illustrative data must never contradict.

``geodata/document_facts.toml`` lists them, each with the file (under ``geodata/``) it
comes from and a verbatim quote: a service type a town does not have, the date a town's
programme ended, and the operators the documents name. :mod:`layers.sources.synthetic`
generates nothing against them (tests check it).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

GEODATA_DIR: Final = Path(__file__).resolve().parents[2] / "geodata"
FACTS_PATH: Final = GEODATA_DIR / "document_facts.toml"


@dataclass(frozen=True)
class Fact:
    """One fact: its town, what it says (``kind`` and ``value``) and where it is written."""

    kind: str  # "absent_service", "programme_end" or "operator"
    town_id: str
    #: the service type, the ISO end date or the operator's name
    value: str
    #: a file under ``geodata/`` and a verbatim quote from it
    source: str
    quote: str


#: The field of each kind that holds its value.
_VALUE_FIELD: Final = {"absent_service": "service_type", "programme_end": "date",
                       "operator": "name"}


def load_facts(path: Path = FACTS_PATH) -> tuple[Fact, ...]:
    """Every fact of ``path`` in file order.

    Raises ``KeyError`` for an entry missing a field, ``tomllib.TOMLDecodeError`` for a
    malformed file.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(Fact(kind, entry["town_id"], entry[field], entry["source"], entry["quote"])
                 for kind, field in _VALUE_FIELD.items() for entry in data.get(kind, ()))


def facts_of(facts: tuple[Fact, ...], kind: str, town_id: str) -> set[str]:
    """The values of the ``kind`` facts about ``town_id``."""
    return {f.value for f in facts if f.kind == kind and f.town_id == town_id}
