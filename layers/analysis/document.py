"""A format-free document: headings, paragraphs, tables and pictures, in order. The writers
(:mod:`layers.analysis.writers`) turn the same document into DOCX, HTML and PDF, so every
format carries the same content."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A heading of ``level`` 1 (chapter) or 2 (section)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``note`` = a remark set apart (source, illustrative data,
    a place left for the manager)."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Table:
    """A table: ``header`` cells and ``rows`` of already formatted cells, with a caption."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Picture:
    """A PNG image (a map or a chart) with its caption; ``width_cm`` on the page."""

    caption: str
    png: bytes
    width_cm: float = 16.0


Block = Heading | Paragraph | Table | Picture


@dataclass
class Document:
    """The title, the subtitle and the blocks in reading order."""

    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        """Append ``blocks`` in order."""
        self.blocks.extend(blocks)

    def headings(self) -> list[str]:
        """The text of every heading, in order."""
        return [b.text for b in self.blocks if isinstance(b, Heading)]
