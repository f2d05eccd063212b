"""Hidden-test style checks for kaggle/q07: C chosen by CV as a reference search does; the train–CV gap is bounded."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import StratifiedKFold

CS = [1.0, 0.001, 10000.0, 0.1, 0.01]


@pytest.fixture
def small(kata):
    return kata.module("small_data")


def _small(seed, n=80, p=30):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 20, size=p)  # features on different scales
    signal = X[:, 0] / np.std(X[:, 0]) - X[:, 1] / np.std(X[:, 1])
    y = (signal + rng.normal(scale=1.0, size=n) > 0).astype(int)
    return X, y


def test_make_model(small):
    model = small.make_model(0.3)
    steps = [type(step).__name__ for step in model]
    assert steps == ["StandardScaler", "LogisticRegression"], f"steps {steps}"
    assert model[-1].C == 0.3 and model[-1].max_iter == 1000
    assert small.make_model()[-1].C == 1.0, "the default is C=1.0"


FINE = [0.3, 0.05, 0.2, 0.1, 0.02, 0.5]


# (seed, candidate Cs, the C with the best 5-fold log loss), worked out once. Seed 4's data separate the choices:
# accuracy as the score would pick 0.3, unshuffled folds 0.1, folds seeded with 0 instead of the seed 0.3.
CHOSEN = [(1, CS, 0.1), (4, FINE, 0.2)]


@pytest.mark.parametrize(("seed", "Cs", "expected"), CHOSEN)
def test_choose_C_by_cross_validated_log_loss(small, seed, Cs, expected):
    X, y = _small(seed)
    got = small.choose_C(X, y, Cs, seed=seed)
    assert type(got) is float, f"return a float, got {type(got).__name__}"
    assert got == expected, (
        f"chose C={got}; the log loss over StratifiedKFold(5, shuffle=True, random_state={seed}) prefers C={expected}"
    )


def test_defaults_use_seed_0(small):
    X, y = _small(4)
    got = small.choose_C(X, y, FINE)
    assert got == 0.3, f"choose_C without seed uses folds seeded with 0, which prefer C=0.3 here; got {got}"
    X, y = _small(3, n=150, p=40)
    pd.testing.assert_frame_equal(
        small.learning_curve_table(small.make_model(0.1), X, y, [30, 60]),
        small.learning_curve_table(small.make_model(0.1), X, y, [30, 60], seed=0),
        obj="learning_curve_table without seed uses the default seed 0",
    )


def test_ties_go_to_the_smallest_C(small):
    X = np.zeros((40, 3))  # no information at all: every C gives the same model and the same log loss
    y = np.r_[np.zeros(25), np.ones(15)].astype(int)
    got = small.choose_C(X, y, [1000.0, 0.001, 1.0], seed=0)
    assert got == 0.001, f"on equal scores pick the smallest C (strongest regularisation), got {got}"


def test_learning_curve_and_gap(small):
    X, y = _small(3, n=150, p=40)
    sizes = [30, 60, 90, 120]
    chosen = 0.1  # what the cross-validated log loss picks from CS on these data
    table = small.learning_curve_table(small.make_model(chosen), X, y, sizes, seed=3)
    assert list(table.columns) == ["train_size", "train_score", "cv_score"], f"columns {list(table.columns)}"
    # learning_curve, by hand: in each fold, the model fitted on the first n of that fold's training rows is
    # scored on those n rows and on the fold's test rows; the scores are averaged over the folds
    rows = []
    for n in sizes:
        train_scores, cv_scores = [], []
        for train, test in StratifiedKFold(5, shuffle=True, random_state=3).split(X, y):
            part = train[:n]
            fitted = small.make_model(chosen).fit(X[part], y[part])
            train_scores.append(np.mean(fitted.predict(X[part]) == y[part]))
            cv_scores.append(np.mean(fitted.predict(X[test]) == y[test]))
        rows.append((n, np.mean(train_scores), np.mean(cv_scores)))
    expected = pd.DataFrame(rows, columns=["train_size", "train_score", "cv_score"])
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected, check_dtype=False, rtol=1e-12)
    gap = table["train_score"].iloc[-1] - table["cv_score"].iloc[-1]
    assert gap < 0.25, f"with the chosen C={chosen}, the train–CV gap at {sizes[-1]} rows is {gap:.2f}"
    loose = small.learning_curve_table(small.make_model(1e4), X, y, sizes, seed=3)
    loose_gap = loose["train_score"].iloc[-1] - loose["cv_score"].iloc[-1]
    assert loose_gap > gap + 0.04, f"C=1e4 should overfit more: gap {loose_gap:.2f} vs {gap:.2f}"
