"""Text that stays readable on a coloured background: WCAG 2 contrast ratios.

A badge writes its letters in black or white, whichever contrasts more with its colour, so
a palette can change without making its labels unreadable (WCAG AA asks 4.5:1 for small text).
"""

from __future__ import annotations

from typing import Final

BLACK: Final = "#000000"
WHITE: Final = "#ffffff"


def luminance(colour: str) -> float:
    """The relative luminance (0 black … 1 white) of a ``#rrggbb`` or ``#rgb`` colour.

    Raises ``ValueError`` for anything else.
    """
    digits = colour.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever is more readable on ``background``."""
    return BLACK if contrast(background, BLACK) > contrast(background, WHITE) else WHITE
