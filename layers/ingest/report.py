"""The validation report every connector fills: counts, problems by row, what was repaired."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from layers import messages

#: Problems kept per report; counts stay exact beyond it (a 1 M-row file can reject many).
MAX_LISTED: Final = 10_000


@dataclass(frozen=True)
class Problem:
    """One row or feature: ``where`` ("line 7", "feature 3"), ``reason`` in plain words
    (English); with a catalogue ``code`` (``layers.messages``) and its ``params`` the reason
    can also be said in Czech (:meth:`text`)."""

    where: str
    reason: str
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The reason in ``lang`` when the problem has a catalogue code, else as recorded."""
        return messages.render(self.code, self.params, lang) if self.code else self.reason


@dataclass
class ValidationReport:
    """What reading a source found. ``rejected`` rows are not imported, ``repaired`` ones are
    (after the repair said), ``flagged`` ones are imported with a warning (e.g. partly outside
    the town); ``notes`` are file-level remarks (encoding, CRS conversion)."""

    source_name: str
    rows: int = 0
    added: dict[str, int] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    repaired: list[Problem] = field(default_factory=list)
    flagged: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"rejected": 0, "repaired": 0,
                                                            "flagged": 0})
    crs_action: str = ""
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    #: Why a row has no position, by its label, when the reader knows better than "missing
    #: coordinates" (an address not among the town's address points): a catalogue code and
    #: its params.
    unplaced: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def add(self, kind: str, where: str, reason: str, code: str = "",
            params: Mapping[str, Any] | None = None) -> None:
        """Record a problem of ``kind`` ("rejected", "repaired" or "flagged"), with the
        catalogue ``code`` and ``params`` of its reason when it has one."""
        self.counts[kind] += 1
        target: list[Problem] = getattr(self, kind)
        if len(target) < MAX_LISTED:
            target.append(Problem(where, reason, code, dict(params or {})))

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def as_json(self) -> dict[str, Any]:
        def listed(kind: str) -> list[dict[str, str]]:
            return [{"where": p.where, "reason": p.reason} for p in getattr(self, kind)]
        return {"source": self.source_name, "rows": self.rows, "added": self.total_added,
                "added_by_layer": dict(self.added), "rejected": listed("rejected"),
                "repaired": listed("repaired"), "flagged": listed("flagged"),
                "counts": dict(self.counts), "crs_action": self.crs_action,
                "encoding": self.encoding, "notes": list(self.notes)}
