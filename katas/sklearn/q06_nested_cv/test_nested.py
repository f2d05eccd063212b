"""Hidden-test style checks for sklearn/q06: nested CV; a spy shows the inner search never saw the outer test fold."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris, load_wine
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier


@pytest.fixture
def mod(kata):
    return kata.module("nested")


class Spy(ClassifierMixin, BaseEstimator):
    """Nearest-neighbours classifier that logs the row ids (column 0 of X) of every fit and predict call."""

    log: list = []

    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        X = np.asarray(X)
        type(self).log.append(("fit", frozenset(X[:, 0].astype(int).tolist())))
        self.model_ = KNeighborsClassifier(n_neighbors=self.n_neighbors).fit(X[:, 1:], y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        X = np.asarray(X)
        type(self).log.append(("predict", frozenset(X[:, 0].astype(int).tolist())))
        return self.model_.predict(X[:, 1:])


@pytest.fixture(scope="module")
def iris_with_ids():
    X, y = load_iris(return_X_y=True)
    return np.column_stack([np.arange(len(y)), X]), y


GRID = {"n_neighbors": [1, 7]}


def test_result_shape_and_types(mod):
    X, y = load_iris(return_X_y=True)
    result = mod.nested_cv(KNeighborsClassifier(), GRID, X, y, inner_cv=3, outer_cv=4, seed=0)
    assert set(result) == {"scores", "best_params", "mean", "std"}, f"keys {sorted(result)}"
    assert isinstance(result["scores"], np.ndarray) and result["scores"].shape == (4,), (
        "one score per outer fold"
    )
    assert len(result["best_params"]) == 4 and all(
        p in ({"n_neighbors": 1}, {"n_neighbors": 7}) for p in result["best_params"]
    ), result["best_params"]
    assert type(result["mean"]) is float and type(result["std"]) is float
    assert result["mean"] == pytest.approx(result["scores"].mean())
    assert result["std"] == pytest.approx(result["scores"].std())


class CountingKNN(KNeighborsClassifier):
    """k-nearest neighbours that count every fit (the searches clone it; the count lives on the class)."""

    fits = 0

    def fit(self, X, y):
        type(self).fits += 1
        return super().fit(X, y)


def test_defaults_are_3_inner_and_5_outer_folds_seed_0(mod):
    X, y = load_iris(return_X_y=True)
    CountingKNN.fits = 0
    result = mod.nested_cv(CountingKNN(), GRID, X, y)
    assert len(result["scores"]) == 5, f"the default is outer_cv=5: {len(result['scores'])} outer scores"
    assert CountingKNN.fits == 5 * (2 * 3 + 1), (
        f"{CountingKNN.fits} fits: 5 outer folds x (2 candidates x 3 inner folds + 1 refit) = 35 by default"
    )
    explicit = mod.nested_cv(KNeighborsClassifier(), GRID, X, y, inner_cv=3, outer_cv=5, seed=0)
    np.testing.assert_allclose(result["scores"], explicit["scores"], err_msg="the default seed is 0")


# Scaled wine, grid n_neighbors in {1, 15}, 5 outer folds: the outer test-fold accuracies (right answers out
# of 36, 36, 36, 35, 35 rows) and each fold's winner, worked out once for these seeds and inner folds.
NESTED_WINE = [
    (1, 3, [35 / 36, 34 / 36, 35 / 36, 33 / 35, 34 / 35], [15, 15, 15, 15, 15]),
    (4, 4, [34 / 36, 34 / 36, 35 / 36, 34 / 35, 33 / 35], [1, 15, 15, 15, 15]),
    (4, 3, [35 / 36, 34 / 36, 35 / 36, 33 / 35, 33 / 35], [15, 15, 15, 1, 15]),
]


@pytest.mark.parametrize(("seed", "inner_cv", "scores", "winners"), NESTED_WINE)
def test_scores_and_winners_on_wine(mod, seed, inner_cv, scores, winners):
    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # scaled once to keep the example short
    grid = {"n_neighbors": [1, 15]}
    result = mod.nested_cv(KNeighborsClassifier(), grid, X, y, inner_cv=inner_cv, outer_cv=5, seed=seed)
    np.testing.assert_allclose(
        result["scores"],
        scores,
        rtol=1e-12,
        err_msg=f"outer test-fold scores, fold by fold (seed={seed}, inner_cv={inner_cv})",
    )
    got = [params["n_neighbors"] for params in result["best_params"]]
    assert got == winners, f"best n_neighbors per outer fold {got}, expected {winners}"


def test_spy_inner_search_never_sees_the_outer_test_fold(mod, iris_with_ids):
    X, y = iris_with_ids
    Spy.log = []
    mod.nested_cv(Spy(), GRID, X, y, inner_cv=4, outer_cv=5, seed=2)
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=2).split(X, y))
    fits = [rows for kind, rows in Spy.log if kind == "fit"]
    per_fold = len(GRID["n_neighbors"]) * 4 + 1  # candidates x inner folds + the refit
    assert len(fits) == 5 * per_fold, (
        f"{len(fits)} fits; expected 5 outer folds x {per_fold} (inner search + refit)"
    )
    position = 0
    for k, (train, test) in enumerate(folds):
        train_ids, test_ids = set(train.tolist()), set(test.tolist())
        # every call of fold k, up to and including the outer scoring predict on its test rows
        while position < len(Spy.log) and Spy.log[position] != ("predict", frozenset(test_ids)):
            kind, rows = Spy.log[position]
            assert not rows & test_ids, (
                f"outer fold {k}: a {kind} call inside the search touched {len(rows & test_ids)} rows of the outer "
                "test fold — the search must only ever get the outer training rows"
            )
            assert rows <= train_ids, (
                f"outer fold {k}: a {kind} call used rows outside the fold's training rows"
            )
            position += 1
        assert position < len(Spy.log), f"outer fold {k}: the search was never scored on the outer test rows"
        position += 1
    refits = [rows for kind, rows in Spy.log if kind == "fit" and len(rows) == len(folds[0][0])]
    assert len(refits) >= 5, "each fold's search should be refitted on all of that fold's training rows"
