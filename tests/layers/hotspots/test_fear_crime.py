"""Fear-vs-crime classes, agreement statistics and Lee's L."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.hotspots import fear_crime
from layers.hotspots.grid import build_grid
from tests.layers.hotspots.conftest import town_square


def test_four_classes_and_unknown() -> None:
    fear = np.array([True, True, False, False, True])
    crime = np.array([True, False, True, False, True])
    known = np.array([True, True, True, True, False])
    assert fear_crime.classify(fear, crime, known).tolist() == [
        "patrol_situational", "design_communication", "hidden_risk", "neither", "unknown"]


def test_agreement_counts_and_lees_l_sign() -> None:
    grid = build_grid(town_square(), 200)
    centres = grid.centres()
    # a smooth surface, the same surface plus noise, and its mirror image
    surface = np.exp(-((centres[:, 0] - centres[:, 0].mean()) ** 2) / 1e6)
    noise = np.random.default_rng(0).normal(0, 0.05, grid.n)
    weights = grid.weights()
    same, p_same = fear_crime.lees_l(surface, surface + noise, weights, permutations=99)
    opposite, _ = fear_crime.lees_l(surface, -surface + noise, weights, permutations=0)
    assert same > 0.5 and p_same <= 0.01
    assert opposite < -0.5
    fear = surface > 0.8
    crime = np.roll(fear, 3)
    result = fear_crime.agreement(fear, crime, surface, surface + noise, weights, 19)
    both = int((fear & crime).sum())
    assert result.both_hot_cells == both
    assert result.jaccard == pytest.approx(both / int((fear | crime).sum()))
    assert result.fear_hot_also_crime_hot == pytest.approx(both / int(fear.sum()))


def test_lees_l_matches_esda_and_leaves_numpys_global_generator_alone() -> None:
    from esda import Spatial_Pearson
    from scipy import sparse

    grid = build_grid(town_square(), 200)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=grid.n), rng.normal(size=grid.n)
    weights = grid.weights()
    rows = np.asarray(weights.sum(axis=1)).ravel()
    standardised = sparse.csr_matrix(sparse.diags(1.0 / rows) @ weights)
    np.random.seed(7)  # esda's own p-value draws from the global generator
    reference = Spatial_Pearson(connectivity=standardised, permutations=49).fit(
        x.reshape(-1, 1), y.reshape(-1, 1))
    before = np.random.get_state()[1].copy()
    value, p = fear_crime.lees_l(x, y, weights, permutations=49, seed=7)
    assert value == pytest.approx(reference.association_[0, 1])
    assert p == pytest.approx(reference.significance_[0, 1])
    assert (np.random.get_state()[1] == before).all()  # no global seeding inside a request


def test_lees_l_of_a_constant_surface_is_undefined() -> None:
    grid = build_grid(town_square(), 300)
    value, p = fear_crime.lees_l(np.ones(grid.n), np.arange(grid.n), grid.weights())
    assert np.isnan(value) and np.isnan(p)


def test_by_locality_any_hot_cell_counts() -> None:
    cells = pd.DataFrame({"fear_hot": [True, False, False, False],
                          "crime_hot": [False, False, True, False],
                          "crime_known": [True, True, True, True]})
    table = fear_crime.by_locality(cells, pd.Series(["a", "a", "b", None]))
    assert table.set_index("locality_id")["fear_crime"].to_dict() == {
        "a": "design_communication", "b": "hidden_risk"}
    assert table.set_index("locality_id")["cells"].to_dict() == {"a": 2, "b": 1}
