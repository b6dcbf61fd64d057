"""The map's colours: white text readable on every filled symbol (WCAG contrast), each
layer's colours told apart from each other and from the other layers' point symbols."""

from __future__ import annotations

import itertools

import pytest

from app.features.map.map import CELL_COLOUR, CRIME_COLOURS
from app.ui.maps.base import SERVICE_BADGES
from app.ui.maps.pins import CATEGORY_COLOURS
from layers.exclusion import BAND_COLOURS

#: WCAG 2 AA contrast of normal-size text (the badges' letters, the clusters' counts).
TEXT_CONTRAST = 4.5
#: Smallest RGB distance between two colours of one layer, and of two point layers.
WITHIN_LAYER = 35.0
ACROSS_LAYERS = 25.0

SERVICE_COLOURS = {code: colour for code, (_, colour) in SERVICE_BADGES.items()}
LAYERS = {"services": list(SERVICE_COLOURS.values()),
          "pins": list(CATEGORY_COLOURS.values()),
          "localities": list(BAND_COLOURS.values()),
          "districts": list(CRIME_COLOURS),
          "cells": [CELL_COLOUR]}


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _distance(a: str, b: str) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(_rgb(a), _rgb(b), strict=True)) ** 0.5)


def test_the_contrast_formula() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("what", "colour"), [
    *((f"badge {code}", colour) for code, colour in SERVICE_COLOURS.items()),
    *((f"pins {code}", colour) for code, colour in CATEGORY_COLOURS.items()),
])
def test_white_text_is_readable(what: str, colour: str) -> None:
    assert contrast(colour, "#ffffff") >= TEXT_CONTRAST, what


@pytest.mark.parametrize("layer", list(LAYERS))
def test_a_layers_colours_are_told_apart(layer: str) -> None:
    colours = LAYERS[layer]
    assert len(set(colours)) == len(colours)
    closest = min((_distance(a, b) for a, b in itertools.combinations(colours, 2)),
                  default=WITHIN_LAYER)
    assert closest >= WITHIN_LAYER, layer


def test_layers_do_not_share_colours() -> None:
    for (one, first), (other, second) in itertools.combinations(LAYERS.items(), 2):
        closest = min(_distance(a, b) for a in first for b in second)
        assert closest >= ACROSS_LAYERS, (one, other)
