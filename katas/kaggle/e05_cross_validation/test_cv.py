"""Hidden-test style checks for kaggle/e05: folds stratified and seeded, scores and summary exact."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.tree import DecisionTreeClassifier

from graders import titanic


@pytest.fixture
def cv(kata):
    return kata.module("cv")


def _xy():
    train = titanic.generate()[0]
    X = pd.DataFrame(
        {
            "Pclass": train["Pclass"],
            "IsFemale": (train["Sex"] == "female").astype(int),
            "Age": train["Age"],
            "Fare": train["Fare"],
        }
    )
    return X, train["Survived"]


@pytest.mark.parametrize(("seed", "n_splits"), [(0, 5), (1, 5), (7, 3), (42, 10)])
def test_folds_equal_seeded_stratified_kfold(cv, seed, n_splits):
    _, y = _xy()
    folds = cv.make_folds(y, n_splits=n_splits, seed=seed)
    expected = list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    assert len(folds) == n_splits, f"expected {n_splits} folds, got {len(folds)}"
    tests = np.concatenate([np.asarray(test) for _, test in folds])
    assert sorted(tests.tolist()) == list(range(len(y))), "the test folds must cover every row exactly once"
    for k, ((train, test), (want_train, want_test)) in enumerate(zip(folds, expected, strict=True)):
        assert np.array_equal(np.sort(test), want_test), (
            f"fold {k}: not the folds of a seeded StratifiedKFold"
        )
        assert np.array_equal(np.sort(train), want_train), f"fold {k}: train part is not the complement"
    rate = y.mean()
    for _, test in folds:
        assert abs(y.iloc[np.asarray(test)].mean() - rate) < 0.02, "folds are not stratified"


def test_folds_reproducible_and_seed_sensitive(cv):
    _, y = _xy()
    a = cv.make_folds(y, seed=3)
    b = cv.make_folds(y, seed=3)
    c = cv.make_folds(y, seed=4)
    assert all(np.array_equal(x[1], z[1]) for x, z in zip(a, b, strict=True)), "same seed, different folds"
    assert not all(np.array_equal(x[1], z[1]) for x, z in zip(a, c, strict=True)), "the seed is ignored"


@pytest.mark.parametrize(("seed", "n_splits"), [(0, 5), (11, 4)])
def test_cv_scores_match_reference(cv, seed, n_splits):
    X, y = _xy()
    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    got = cv.cv_scores(model, X, y, n_splits=n_splits, seed=seed)
    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    expected = cross_val_score(DecisionTreeClassifier(max_depth=3, random_state=0), X, y, cv=splitter)
    np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=0, atol=1e-12)
    assert not hasattr(model, "tree_"), (
        "the model passed in should stay unfitted (cross-validation fits clones)"
    )
    again = cv.cv_scores(model, X, y, n_splits=n_splits, seed=seed)
    assert np.array_equal(np.asarray(again), np.asarray(got)), "two runs with the same seed differ"


@pytest.mark.parametrize("seed", range(3))
def test_summarize(cv, seed):
    scores = np.random.default_rng(seed).uniform(0.6, 0.9, size=5 + seed)
    mean, std = cv.summarize(scores)
    assert type(mean) is float and type(std) is float, "return Python floats"
    assert abs(mean - float(np.mean(scores))) < 1e-12
    assert abs(std - float(np.std(scores))) < 1e-12, f"std {std} != population std {np.std(scores)} (ddof=0)"
