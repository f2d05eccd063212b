"""Hidden-test style checks for sklearn/q03: RandomizedSearchCV with continuous (log-uniform) distributions."""

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import RandomizedSearchCV, train_test_split
from sklearn.tree import DecisionTreeClassifier


@pytest.fixture
def mod(kata):
    return kata.module("random_search")


class CountingTree(DecisionTreeClassifier):
    """A decision tree that counts every fit (the search clones it; the count lives on the class)."""

    fits = 0

    def fit(self, X, y, *args, **kwargs):
        type(self).fits += 1
        return super().fit(X, y, *args, **kwargs)


TREE_SPACE = {"min_impurity_decrease": uniform(0, 0.05), "ccp_alpha": uniform(0, 0.02)}


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


def test_pipeline_steps(mod):
    pipe = mod.svc_pipeline()
    steps = [(name, type(step).__name__) for name, step in pipe.steps]
    assert steps == [("scale", "StandardScaler"), ("svc", "SVC")], f"steps {steps}"


def test_space_is_continuous_and_log_uniform(mod):
    space = mod.svc_space()
    assert sorted(space) == ["svc__C", "svc__gamma"], f"keys {sorted(space)}"
    assert all(hasattr(dist, "rvs") for dist in space.values()), "use scipy distributions (objects with .rvs)"
    for name, low, high in [("svc__C", 1e-2, 1e2), ("svc__gamma", 1e-4, 1e-1)]:
        values = np.asarray(space[name].rvs(size=3000, random_state=0), dtype=float)
        assert values.min() >= low and values.max() <= high, f"{name}: samples outside [{low}, {high}]"
        assert len(np.unique(values)) == len(values), (
            f"{name}: repeated values — the distribution is not continuous"
        )
        logs = np.log10(values)
        middle = (np.log10(low) + np.log10(high)) / 2
        assert abs(np.median(logs) - middle) < 0.15, (
            f"{name}: median of log10 is {np.median(logs):.2f}, a log-uniform draw gives {middle}"
        )
        dist = space[name]
        assert dist.cdf(low * 1.005) > 0 and dist.cdf(high * 0.995) < 1, (
            f"{name}: the distribution should span exactly [{low}, {high}]"
        )
        counts, _ = np.histogram(logs, bins=4, range=(np.log10(low), np.log10(high)))
        assert counts.min() > 0.2 * len(values), (
            f"{name}: per-decade counts {counts}: each quarter should be ~25 %"
        )


@pytest.mark.parametrize(("n_iter", "cv", "fits"), [(7, 3, 22), (5, 4, 21)])
def test_number_of_fits_is_n_iter_times_folds(mod, cancer, n_iter, cv, fits):
    X_tr, _, y_tr, _ = cancer
    CountingTree.fits = 0
    search = mod.random_search(
        CountingTree(random_state=0), TREE_SPACE, X_tr, y_tr, n_iter=n_iter, cv=cv, seed=1
    )
    assert isinstance(search, RandomizedSearchCV), f"got {type(search).__name__}"
    assert len(search.cv_results_["params"]) == n_iter, (
        f"{len(search.cv_results_['params'])} candidates, n_iter={n_iter}"
    )
    assert search.n_splits_ == cv, f"the search used {search.n_splits_} folds, cv={cv} asked"
    assert CountingTree.fits == fits, (
        f"{CountingTree.fits} fits: {n_iter} candidates x {cv} folds + 1 refit = {fits}"
    )
    values = [p["min_impurity_decrease"] for p in search.cv_results_["params"]]
    assert len(set(values)) == n_iter, "each candidate should be a fresh continuous draw"


def test_seeded_and_reproducible(mod, cancer):
    X_tr, _, y_tr, _ = cancer
    X_small, y_small = X_tr[:150], y_tr[:150]
    runs = [
        mod.random_search(DecisionTreeClassifier(random_state=0), TREE_SPACE, X_small, y_small, 5, 2, seed)
        for seed in (3, 3, 4)
    ]
    first, again, other = (r.cv_results_["params"] for r in runs)
    assert first == again, "the same seed must draw the same candidates (random_state=seed)"
    assert first != other, "another seed should draw other candidates"


def test_defaults_are_10_candidates_3_folds_seed_0(mod, cancer):
    X_tr, _, y_tr, _ = cancer
    X_small, y_small = X_tr[:150], y_tr[:150]
    CountingTree.fits = 0
    search = mod.random_search(CountingTree(random_state=0), TREE_SPACE, X_small, y_small)
    assert search.n_splits_ == 3 and CountingTree.fits == 10 * 3 + 1, (
        f"defaults n_iter=10, cv=3: {search.n_splits_} folds and {CountingTree.fits} fits (31 expected)"
    )
    explicit = mod.random_search(CountingTree(random_state=0), TREE_SPACE, X_small, y_small, 10, 3, 0)
    assert search.cv_results_["params"] == explicit.cv_results_["params"], "the default seed is 0"


def test_svc_search_on_breast_cancer(mod, cancer):
    X_tr, X_te, y_tr, y_te = cancer
    search = mod.random_search(mod.svc_pipeline(), mod.svc_space(), X_tr, y_tr, n_iter=8, cv=3, seed=0)
    best = search.best_params_
    assert 1e-2 <= best["svc__C"] <= 1e2 and 1e-4 <= best["svc__gamma"] <= 1e-1, f"best params {best}"
    accuracy = float(np.mean(search.predict(X_te) == y_te))
    assert accuracy >= 0.93, f"tuned SVC accuracy {accuracy:.3f} < 0.93"
