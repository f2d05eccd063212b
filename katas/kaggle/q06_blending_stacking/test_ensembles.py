"""Hidden-test style checks for kaggle/q06: meta-features out of fold, bases on the right rows, score floor."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier


class RecordingTree(DecisionTreeClassifier):
    """A tree that remembers the rows it was fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.seen_ = np.asarray(X).copy()
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


class RecordingLogistic(LogisticRegression):
    """A logistic regression that remembers what it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.seen_, self.seen_y_ = np.asarray(X).copy(), np.asarray(y).copy()
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def ensembles(kata):
    return kata.module("ensembles")


def _data(seed, n=500):
    X, y = make_classification(
        n_samples=n, n_features=12, n_informative=5, flip_y=0.08, class_sep=0.8, random_state=seed
    )
    return X, y


def _models():
    return [LogisticRegression(), RecordingTree(random_state=0), KNeighborsClassifier(n_neighbors=15)]


def _stacked_by_sklearn(X, y, n_splits, seed):
    """The out-of-fold meta-features scikit-learn's StackingClassifier hands its final estimator."""
    stack = StackingClassifier(
        [(f"m{j}", model) for j, model in enumerate(_models())],
        RecordingLogistic(),
        cv=StratifiedKFold(n_splits, shuffle=True, random_state=seed),
        stack_method="predict_proba",
    )
    return stack.fit(X, y)


@pytest.mark.parametrize(("seed", "n_splits"), [(0, 5), (1, 3)])
def test_oof_predictions_match_stacking_classifier(ensembles, seed, n_splits):
    X, y = _data(seed, n=300)
    if (seed, n_splits) == (0, 5):  # the defaults
        got = np.asarray(ensembles.oof_predictions(_models(), X, y))
    else:
        got = np.asarray(ensembles.oof_predictions(_models(), X, y, n_splits=n_splits, seed=seed))
    expected = _stacked_by_sklearn(X, y, n_splits, seed).final_estimator_.seen_
    assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}"
    np.testing.assert_allclose(got, expected, atol=1e-12, err_msg="out-of-fold probabilities differ")


def test_oof_is_really_out_of_fold(ensembles):
    X, y = _data(2, n=300)
    got = np.asarray(ensembles.oof_predictions([DecisionTreeClassifier(random_state=0)], X, y))
    in_sample = DecisionTreeClassifier(random_state=0).fit(X, y).predict_proba(X)[:, 1]
    assert np.array_equal(in_sample, y), "test data check: a full tree memorises its rows"
    agreement = float(((got[:, 0] > 0.5) == y).mean())
    assert agreement < 0.95, (
        f"the tree's 'OOF' predictions agree with y on {agreement:.0%} of rows: in-sample?"
    )


def test_stacking_meta_learns_from_oof_and_bases_see_all_rows(ensembles):
    X, y = _data(3, n=300)
    models = _models()
    given_meta = RecordingLogistic()
    bases, meta = ensembles.fit_stacking(models, given_meta, X, y, n_splits=4, seed=3)
    assert not hasattr(models[1], "tree_"), "fit clones: the models passed in must stay unfitted"
    assert not hasattr(given_meta, "coef_"), "fit a clone of meta: the object passed in must stay unfitted"
    expected = _stacked_by_sklearn(X, y, 4, 3).final_estimator_.seen_
    np.testing.assert_allclose(
        meta.seen_,
        expected,
        atol=1e-12,
        err_msg="the meta-model was not fitted on the OOF matrix (n_splits, seed)",
    )
    assert len(bases) == 3 and np.array_equal(bases[1].seen_, X), "base models are refitted on all rows"


def test_blending_uses_a_holdout(ensembles):
    X, y = _data(4, n=400)
    bases, meta = ensembles.fit_blending(_models(), RecordingLogistic(), X, y, holdout=0.3, seed=4)
    X_base, X_hold, _, y_hold = train_test_split(X, y, test_size=0.3, stratify=y, random_state=4)
    assert np.array_equal(bases[1].seen_, X_base), "base models must be fitted on the non-holdout part only"
    assert meta.seen_.shape == (len(X_hold), 3), (
        f"meta-model fitted on {meta.seen_.shape}, expected ({len(X_hold)}, 3)"
    )
    expected = np.column_stack([b.predict_proba(X_hold)[:, 1] for b in bases])
    np.testing.assert_allclose(
        meta.seen_, expected, atol=1e-12, err_msg="meta-features are not the holdout probabilities"
    )
    assert np.array_equal(meta.seen_y_, y_hold), "the meta-model learns the holdout labels"
    given_meta = RecordingLogistic()
    bases, meta = ensembles.fit_blending(_models(), given_meta, X, y)
    assert not hasattr(given_meta, "coef_"), "fit a clone of meta: the object passed in must stay unfitted"
    X_base, _, _, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    assert np.array_equal(bases[1].seen_, X_base), "the defaults are holdout=0.25, seed=0"


def test_stacking_defaults_are_5_folds_seed_0(ensembles):
    X, y = _data(5, n=300)
    _, meta = ensembles.fit_stacking(_models(), RecordingLogistic(), X, y)
    expected = _stacked_by_sklearn(X, y, 5, 0).final_estimator_.seen_
    np.testing.assert_allclose(
        meta.seen_, expected, atol=1e-12, err_msg="fit_stacking(...) uses the defaults n_splits=5, seed=0"
    )


class ColumnModel:
    """A fitted stand-in whose class-1 probability is one column of X."""

    def __init__(self, column):
        self.column = column

    def predict_proba(self, X):
        p = np.asarray(X)[:, self.column]
        return np.column_stack([1 - p, p])


class WeightedMeta:
    """A fitted stand-in meta-model: class-1 probability = meta-features @ weights."""

    weights = np.array([0.5, 0.3, 0.2])

    def predict_proba(self, M):
        M = np.asarray(M)
        assert M.shape[1] == 3, f"the meta-model expects one column per base model, got {M.shape[1]}"
        p = M @ self.weights
        return np.column_stack([1 - p, p])


def test_predict_ensemble_feeds_the_bases_columns_in_order(ensembles):
    X = np.random.default_rng(0).uniform(size=(20, 4))
    bases = [ColumnModel(2), ColumnModel(0), ColumnModel(3)]
    got = np.asarray(ensembles.predict_ensemble(bases, WeightedMeta(), X))
    expected = 0.5 * X[:, 2] + 0.3 * X[:, 0] + 0.2 * X[:, 3]  # base j's P(class 1) is meta-feature j
    assert got.shape == (20,), f"one probability per row, got shape {got.shape}"
    np.testing.assert_allclose(
        got, expected, atol=1e-12, err_msg="meta's class-1 probability of the bases' columns"
    )


@pytest.mark.parametrize("kind", ["stacking", "blending"])
def test_ensemble_scores_at_least_its_best_member(ensembles, kind):
    X, y = _data(5, n=900)
    X_train, X_new, y_train, y_new = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
    fit = ensembles.fit_stacking if kind == "stacking" else ensembles.fit_blending
    bases, meta = fit(_models(), LogisticRegression(), X_train, y_train)
    proba = np.asarray(ensembles.predict_ensemble(bases, meta, X_new))
    assert proba.shape == (len(X_new),), (
        f"predict_ensemble should give one probability per row, got {proba.shape}"
    )
    best = max(roc_auc_score(y_new, m.fit(X_train, y_train).predict_proba(X_new)[:, 1]) for m in _models())
    score = roc_auc_score(y_new, proba)
    assert score >= best - 0.02, f"{kind} AUC {score:.3f} is below its best member's {best:.3f} - 0.02"
