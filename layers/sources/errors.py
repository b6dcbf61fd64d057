"""Errors raised while reading a source file."""

from __future__ import annotations

from pathlib import Path

from layers.errors import InvalidInput


class SourceError(InvalidInput):
    """A source file is missing, unreadable, or its content is not what it must be.

    The message always names the file and the problem, so a user can fix it. Code
    ``source.problem``; ``path`` and ``problem`` are also attributes.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__("source.problem", path=path, problem=problem)
        self.path = Path(path)
        self.problem = problem
