"""Hidden-test style checks for sklearn/e05: GridSearchCV, its number of fits and a tidy results frame."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import ParameterGrid, train_test_split
from sklearn.tree import DecisionTreeClassifier


@pytest.fixture
def mod(kata):
    return kata.module("grid")


class CountingTree(DecisionTreeClassifier):
    """A decision tree that counts every fit (GridSearchCV clones it; the count lives on the class)."""

    fits = 0

    def fit(self, X, y, *args, **kwargs):
        type(self).fits += 1
        return super().fit(X, y, *args, **kwargs)


GRIDS = [  # (grid, cv, fits): candidates x folds + 1 refit, counted by hand
    ({"n_estimators": [50, 100], "max_depth": [3, 5]}, 3, 13),
    ({"a": [1]}, 2, 3),
    ({"a": [1, 2, 3], "b": [0.1, 0.2], "c": ["x", "y", "z", "w"]}, 5, 121),
    ([{"kernel": ["linear"], "C": [1, 10]}, {"kernel": ["rbf"], "C": [1], "gamma": [0.1, 1]}], 5, 21),
    ([{"a": [1, 2]}, {"b": [1, 2, 3]}, {"c": [0]}], 4, 25),
]


@pytest.mark.parametrize(("grid", "cv", "fits"), GRIDS)
def test_count_fits(mod, grid, cv, fits):
    assert mod.count_fits(grid, cv) == fits, f"{grid} with cv={cv}: {fits} fits (the refit included)"


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


TREE_GRID = {"max_depth": [1, 2, None], "min_samples_leaf": [1, 5]}


def test_the_search_fits_candidates_times_folds_plus_refit(mod, iris):
    X_tr, _, y_tr, _ = iris
    CountingTree.fits = 0
    search = mod.run_grid_search(CountingTree(random_state=0), TREE_GRID, X_tr, y_tr, cv=4)
    assert CountingTree.fits == 6 * 4 + 1, f"{CountingTree.fits} fits; 6 candidates x 4 folds + 1 refit = 25"
    assert search.n_splits_ == 4, f"the search used {search.n_splits_} folds, not cv=4"
    CountingTree.fits = 0
    search = mod.run_grid_search(CountingTree(random_state=0), {"max_depth": [1, 2]}, X_tr, y_tr)
    assert search.n_splits_ == 3 and CountingTree.fits == 2 * 3 + 1, (
        f"run_grid_search without cv uses the default cv=3: {search.n_splits_} folds, {CountingTree.fits} fits"
    )


def test_refitted_search_predicts_and_best_params_come_from_the_grid(mod, iris):
    X_tr, X_te, y_tr, y_te = iris
    search = mod.run_grid_search(DecisionTreeClassifier(random_state=0), TREE_GRID, X_tr, y_tr, cv=3)
    assert search.best_params_ in list(ParameterGrid(TREE_GRID)), (
        f"best params {search.best_params_} not in grid"
    )
    assert hasattr(search, "best_estimator_"), "refit the best candidate (refit=True)"
    assert search.best_estimator_.get_params()["max_depth"] == search.best_params_["max_depth"]
    accuracy = float(np.mean(search.predict(X_te) == y_te))
    assert accuracy >= 0.9, f"the refitted search's accuracy {accuracy:.3f} < 0.9"


def _check_frame(frame, search):
    results = search.cv_results_
    names = sorted({key for params in results["params"] for key in params})
    columns = [*names, "mean_test_score", "std_test_score", "rank_test_score"]
    assert isinstance(frame, pd.DataFrame), f"expected a DataFrame, got {type(frame).__name__}"
    assert list(frame.columns) == columns, f"columns {list(frame.columns)}, expected {columns}"
    n = len(results["params"])
    assert len(frame) == n and list(frame.index) == list(range(n)), "one row per candidate, index 0..n-1"
    order = np.argsort(results["rank_test_score"], kind="stable")
    for row, candidate in enumerate(order):
        where = f"row {row}"
        assert frame["rank_test_score"].iloc[row] == results["rank_test_score"][candidate], (
            f"{where}: rank order"
        )
        assert frame["mean_test_score"].iloc[row] == pytest.approx(results["mean_test_score"][candidate]), (
            where
        )
        assert frame["std_test_score"].iloc[row] == pytest.approx(results["std_test_score"][candidate]), where
        for name in names:
            got, expected = frame[name].iloc[row], results["params"][candidate].get(name)
            if expected is None:
                assert got is None or pd.isna(got), f"{where}, {name}: expected None/NaN, got {got!r}"
            else:
                assert got == expected, f"{where}, {name}: expected {expected!r}, got {got!r}"


def test_results_frame_of_a_tree_search(mod, iris):
    X_tr, _, y_tr, _ = iris
    search = mod.run_grid_search(DecisionTreeClassifier(random_state=0), TREE_GRID, X_tr, y_tr, cv=3)
    _check_frame(mod.results_frame(search), search)


def test_results_frame_of_the_roadmap_forest_grid(mod, iris):
    X_tr, _, y_tr, _ = iris
    grid = {"n_estimators": [5, 10], "max_depth": [2, 4]}
    search = mod.run_grid_search(RandomForestClassifier(random_state=42), grid, X_tr, y_tr, cv=3)
    _check_frame(mod.results_frame(search), search)


def test_results_frame_of_a_list_of_grids(mod, iris):
    X_tr, _, y_tr, _ = iris
    grid = [{"max_depth": [1, 3]}, {"min_samples_leaf": [2, 10], "criterion": ["gini", "entropy"]}]
    search = mod.run_grid_search(DecisionTreeClassifier(random_state=0), grid, X_tr, y_tr, cv=3)
    _check_frame(mod.results_frame(search), search)
