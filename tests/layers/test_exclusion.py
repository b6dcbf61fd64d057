import math

import pytest

from layers.exclusion import BANDS, band_from_ministry_label, band_of


@pytest.mark.parametrize(
    ("points", "band"),
    [(0, "0-1"), (1, "0-1"), (2, "2-7"), (7, "2-7"), (8, "8-11"), (11, "8-11"), (12, "12-30"),
     (19, "12-30"), (30, "12-30"), (1.4, "0-1"), (1.5, "2-7"), (11.6, "12-30")],
)
def test_band_edges(points: float, band: str) -> None:
    assert band_of(points) == band


@pytest.mark.parametrize("points", [-1, 30.5, 31, math.nan])
def test_band_rejects_values_outside_the_index(points: float) -> None:
    with pytest.raises(ValueError, match="0–30"):
        band_of(points)


def test_bands_cover_every_integer_once() -> None:
    covered = [p for _, low, high in BANDS for p in range(low, high + 1)]
    assert covered == list(range(31))


@pytest.mark.parametrize(("label", "code"), [("0 až 1", "0-1"), ("2 až 7", "2-7"),
                                             ("8 až 11", "8-11"), ("12 až 30", "12-30")])
def test_ministry_labels(label: str, code: str) -> None:
    assert band_from_ministry_label(label) == code


def test_unknown_ministry_label() -> None:
    with pytest.raises(ValueError, match="unknown"):
        band_from_ministry_label("3 až 9")
