"""Badge letters stay readable: black or white, whichever contrasts more (WCAG 2)."""

from __future__ import annotations

import pytest

from app.features.patrol.map import ROUTE_COLOUR
from app.ui.maps.base import SERVICE_BADGES
from app.ui.maps.contrast import BLACK, WHITE, contrast, text_colour


def test_contrast_ratios_match_wcag() -> None:
    assert contrast(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast("#777", "#fff") == pytest.approx(4.48, abs=0.01)
    assert text_colour("#ffff00") == BLACK
    assert text_colour("#000080") == WHITE
    with pytest.raises(ValueError):
        contrast("red", "#fff")


@pytest.mark.parametrize("colour", [*(c for _, c in SERVICE_BADGES.values()), ROUTE_COLOUR])
def test_every_badge_colour_gets_letters_of_aa_contrast(colour: str) -> None:
    assert contrast(colour, text_colour(colour)) >= 4.5
