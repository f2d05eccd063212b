"""Hidden-test style checks for kaggle/q07: C chosen by CV as a reference search does; the train–CV gap is bounded."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, learning_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

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


def _reference_C(X, y, Cs, seed):
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    grid = GridSearchCV(pipe, {"logisticregression__C": sorted(Cs)}, cv=cv, scoring="neg_log_loss").fit(X, y)
    return grid.best_params_["logisticregression__C"]


def test_make_model(small):
    model = small.make_model(0.3)
    steps = [type(step).__name__ for step in model]
    assert steps == ["StandardScaler", "LogisticRegression"], f"steps {steps}"
    assert model[-1].C == 0.3 and model[-1].max_iter == 1000


@pytest.mark.parametrize("seed", [1])
def test_choose_C_matches_reference(small, seed):
    X, y = _small(seed)
    got = small.choose_C(X, y, CS, seed=seed)
    expected = _reference_C(X, y, CS, seed)
    assert type(got) is float, f"return a float, got {type(got).__name__}"
    assert got == expected, f"chose C={got}, the cross-validated log loss prefers C={expected}"
    assert got <= 1.0, f"with 80 rows and 30 features, CV should prefer strong regularisation, got C={got}"


def test_ties_go_to_the_smallest_C(small):
    X = np.zeros((40, 3))  # no information at all: every C gives the same model and the same log loss
    y = np.r_[np.zeros(25), np.ones(15)].astype(int)
    got = small.choose_C(X, y, [1000.0, 0.001, 1.0], seed=0)
    assert got == 0.001, f"on equal scores pick the smallest C (strongest regularisation), got {got}"


def test_learning_curve_and_gap(small):
    X, y = _small(3, n=150, p=40)
    sizes = [30, 60, 90, 120]
    chosen = small.choose_C(X, y, CS, seed=3)
    table = small.learning_curve_table(small.make_model(chosen), X, y, sizes, seed=3)
    assert list(table.columns) == ["train_size", "train_score", "cv_score"], f"columns {list(table.columns)}"
    cv = StratifiedKFold(5, shuffle=True, random_state=3)
    ref_sizes, ref_train, ref_cv = learning_curve(
        make_pipeline(StandardScaler(), LogisticRegression(C=chosen, max_iter=1000)),
        X,
        y,
        train_sizes=sizes,
        cv=cv,
        scoring="accuracy",
    )
    expected = pd.DataFrame(
        {"train_size": ref_sizes, "train_score": ref_train.mean(1), "cv_score": ref_cv.mean(1)}
    )
    pd.testing.assert_frame_equal(table.reset_index(drop=True), expected, check_dtype=False, rtol=1e-12)
    gap = table["train_score"].iloc[-1] - table["cv_score"].iloc[-1]
    assert gap < 0.25, f"with the chosen C={chosen}, the train–CV gap at {sizes[-1]} rows is {gap:.2f}"
    loose = small.learning_curve_table(small.make_model(1e4), X, y, sizes, seed=3)
    loose_gap = loose["train_score"].iloc[-1] - loose["cv_score"].iloc[-1]
    assert loose_gap > gap + 0.04, f"C=1e4 should overfit more: gap {loose_gap:.2f} vs {gap:.2f}"
