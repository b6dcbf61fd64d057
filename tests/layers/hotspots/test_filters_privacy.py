"""Pin filters and the public k-rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from layers.hotspots.filters import OffenceFilter, PinFilter
from layers.hotspots.privacy import public_mask


def _pins() -> pd.DataFrame:
    return pd.DataFrame({
        "status": ["approved", "approved", "pending", "approved", "approved"],
        "category": ["drug_dealing", "dark_place", "dark_place", "traffic", "dark_place"],
        "feeling": [1, 2, 1, 5, 1], "seen": ["own", "heard", "own", "own", "own"],
        "time_of_day": ["night", "evening", "night", "morning", "night"],
        "age_group": ["13-18", "adults", "13-18", "seniors", "13-18"],
        "session_id": ["s1", "s1", "s2", "s2", "s2"],
        "created_at": ["2024-01-10", "2024-02-01", "2024-02-02", "2024-03-05",
                       "2024-03-06T18:30:00"],
    })


def test_only_approved_pins_and_every_criterion() -> None:
    pins = _pins()
    assert PinFilter().apply(pins).index.tolist() == [0, 1, 3, 4]
    assert PinFilter(categories=("dark_place",)).apply(pins).index.tolist() == [1, 4]
    assert PinFilter(feelings=(1,), seen=("own",)).apply(pins).index.tolist() == [0, 4]
    assert PinFilter(times_of_day=("night",), age_groups=("13-18",),
                     sessions=("s2",)).apply(pins).index.tolist() == [4]
    assert PinFilter(date_from=date(2024, 2, 1), date_to=date(2024, 3, 6)).apply(
        pins).index.tolist() == [1, 3, 4]


def test_unknown_codes_and_empty_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown category: drugs"):
        PinFilter(categories=("drugs",))
    with pytest.raises(ValueError, match="unknown feeling"):
        PinFilter(feelings=(7,))
    with pytest.raises(ValueError, match="date range is empty"):
        PinFilter(date_from=date(2024, 2, 1), date_to=date(2024, 1, 1))


def test_offence_filter_and_keys() -> None:
    offences = pd.DataFrame({"offence_type": ["theft", "assault", "theft"],
                             "date": ["2023-12-31", "2024-01-01", "2024-06-01"]})
    chosen = OffenceFilter(types=("theft",), date_from=date(2024, 1, 1)).apply(offences)
    assert chosen.index.tolist() == [2]
    assert PinFilter(categories=("traffic",)).touches_sensitive() is False
    assert PinFilter().touches_sensitive() is True


def test_public_mask_keeps_sensitive_pins_only_in_cells_with_k() -> None:
    categories = pd.Series(["drug_dealing"] * 5 + ["racism"] * 2 + ["dark_place"] * 2)
    cells = np.array([0, 0, 0, 0, 0, 1, 1, 1, -1])
    mask = public_mask(categories, cells, k=5)
    assert mask.tolist() == [True] * 5 + [False, False] + [True, True]
    assert public_mask(categories, cells, k=3)[:7].sum() == 5
    with pytest.raises(ValueError, match="at least 3"):
        public_mask(categories, cells, k=2)
