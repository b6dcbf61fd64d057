"""Errors raised while reading a source file."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """A source file is missing, unreadable, or its content is not what it must be.

    The message always names the file and the problem, so a user can fix it.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem
