"""Hidden-test style checks for kaggle/q02: exact CV figures, and each model beats the previous one where it should."""

import numpy as np
import pandas as pd
import pytest

from graders.kit import titanic


@pytest.fixture
def baselines(kata):
    return kata.module("baselines")


def _titanic():
    train = titanic.generate()[0]
    X = train[["Pclass", "SibSp", "Parch", "Fare"]].assign(IsFemale=(train["Sex"] == "female").astype(int))
    return X, train["Survived"]


def _linear(seed, n=400):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * [1, 50, 0.1, 1]  # features on very different scales
    y = ((X[:, 0] + X[:, 1] / 50 + rng.normal(scale=0.3, size=n)) > 0.4).astype(int)
    return X, y


def _xor(seed, n=400):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int)
    return X, y


# Mean fold accuracies of the README's three models on the README's folds, worked out once per data set.
EXPECTED = {
    ("titanic", 0, 5): {
        "majority": 0.5768815516916702,
        "logistic": 0.7574979599522942,
        "tree": 0.7687276379386103,
    },
    ("linear", 1, 5): {"majority": 0.575, "logistic": 0.9325, "tree": 0.885},
    ("xor", 2, 4): {"majority": 0.4975, "logistic": 0.525, "tree": 0.8175},
}


def test_models_in_order(baselines):
    models = baselines.baseline_models(seed=3)
    assert list(models) == ["majority", "logistic", "tree"], f"names/order: {list(models)}"
    X, y = _linear(0)
    majority = models["majority"].fit(X, y).predict(X)
    assert (majority == np.bincount(y).argmax()).all(), (
        "the majority baseline always answers the most frequent class"
    )
    assert models["tree"].get_params()["max_depth"] == 4 and models["tree"].get_params()["random_state"] == 3
    assert models["majority"].get_params()["strategy"] == "most_frequent", (
        "DummyClassifier(strategy='most_frequent')"
    )
    assert baselines.baseline_models()["tree"].get_params()["random_state"] == 0, "the default seed is 0"


def test_compare_defaults_are_seed_0_and_5_folds(baselines):
    X, y = _linear(1)
    pd.testing.assert_series_equal(
        baselines.compare_baselines(X, y).astype(float),
        baselines.compare_baselines(X, y, seed=0, n_splits=5).astype(float),
        obj="compare_baselines(X, y) with the defaults seed=0, n_splits=5",
    )


def test_choose_baseline_defaults_and_names(baselines):
    readme = pd.Series({"majority": 0.62, "logistic": 0.790, "tree": 0.795})
    assert baselines.choose_baseline(readme) == "logistic", "the default tolerance is 0.01"
    got = baselines.choose_baseline(pd.Series({1: 0.5, 2: 0.7, 3: 0.705}))
    assert got == "2" and type(got) is str, f"return the name as a str, got {got!r}"


@pytest.mark.parametrize(("data", "seed", "n_splits"), sorted(EXPECTED))
def test_compare_matches_the_worked_figures(baselines, data, seed, n_splits):
    X, y = {"titanic": _titanic, "linear": lambda: _linear(seed), "xor": lambda: _xor(seed)}[data]()
    got = baselines.compare_baselines(X, y, seed=seed, n_splits=n_splits)
    expected = pd.Series(EXPECTED[data, seed, n_splits], name="accuracy")
    assert isinstance(got, pd.Series) and got.name == "accuracy", "return a Series named 'accuracy'"
    assert list(got.index) == list(expected.index), f"index {list(got.index)}"
    pd.testing.assert_series_equal(
        got.astype(float),
        expected,
        rtol=1e-12,
        obj="mean fold accuracy per model (same seeded folds for all)",
    )


def test_each_climbs_where_it_should(baselines):
    linear = baselines.compare_baselines(*_linear(5), seed=5)
    assert linear["logistic"] >= linear["majority"] + 0.2, (
        f"linear data: logistic should beat majority: {dict(linear)}"
    )
    assert linear["logistic"] >= linear["tree"] - 0.01, (
        f"linear data: the tree should not beat logistic: {dict(linear)}"
    )
    xor = baselines.compare_baselines(*_xor(6), seed=6)
    assert xor["logistic"] <= xor["majority"] + 0.08, (
        f"XOR: a linear model is no better than the floor: {dict(xor)}"
    )
    assert xor["tree"] >= xor["logistic"] + 0.3, f"XOR: the tree should win clearly: {dict(xor)}"
    survival = baselines.compare_baselines(*_titanic())
    assert survival["majority"] < survival["logistic"] <= survival["tree"] + 0.02, (
        f"Titanic: {dict(survival)}"
    )
    assert baselines.choose_baseline(xor) == "tree" and baselines.choose_baseline(linear, 0.02) == "logistic"


@pytest.mark.parametrize(
    ("scores", "tolerance", "expected"),
    [
        ({"majority": 0.62, "logistic": 0.790, "tree": 0.795}, 0.01, "logistic"),
        ({"majority": 0.62, "logistic": 0.70, "tree": 0.80}, 0.01, "tree"),
        ({"majority": 0.62, "logistic": 0.61, "tree": 0.60}, 0.01, "majority"),
        ({"majority": 0.62, "logistic": 0.790, "tree": 0.795}, 0.0, "tree"),
        ({"zeta": 0.70, "alpha": 0.75, "mid": 0.74}, 0.02, "alpha"),
        ({"zeta": 0.74, "alpha": 0.75, "mid": 0.74}, 0.02, "zeta"),
        ({"simple": 0.5, "complex": 0.75}, 0.25, "simple"),  # exactly at the tolerance: still good enough
        ({"simple": 0.5, "complex": 0.75}, 0.125, "complex"),
    ],
)
def test_choose_baseline(baselines, scores, tolerance, expected):
    got = baselines.choose_baseline(pd.Series(scores), tolerance=tolerance)
    assert got == expected, (
        f"choose_baseline({scores}, tolerance={tolerance}) gave {got!r}, expected {expected!r}"
    )
