"""The validation report every connector fills: counts, problems by row, what was repaired."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

#: Problems kept per report; counts stay exact beyond it (a 1 M-row file can reject many).
MAX_LISTED: Final = 10_000


@dataclass(frozen=True)
class Problem:
    """One row or feature: ``where`` ("line 7", "feature 3"), ``reason`` in plain words."""

    where: str
    reason: str


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
    #: coordinates" (an address not among the town's address points).
    unplaced: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, where: str, reason: str) -> None:
        """Record a problem of ``kind`` ("rejected", "repaired" or "flagged")."""
        self.counts[kind] += 1
        target: list[Problem] = getattr(self, kind)
        if len(target) < MAX_LISTED:
            target.append(Problem(where, reason))

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
