"""Hidden-test style checks for sklearn/e03: choosing n_estimators from staged_predict on a validation set."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split


@pytest.fixture
def mod(kata):
    return kata.module("boosting")


class StagedModel:
    """A fake fitted model whose stages predict known arrays."""

    def __init__(self, stages):
        self.stages = [np.asarray(s) for s in stages]

    def staged_predict(self, X):
        assert len(X) == len(self.stages[0]), "staged_predict was called on the wrong rows"
        yield from self.stages


def _stages_from_accuracies(accuracies, y, rng):
    stages = []
    for acc in accuracies:
        pred = y.copy()
        wrong = rng.choice(len(y), size=round((1 - acc) * len(y)), replace=False)
        pred[wrong] = 1 - pred[wrong]
        stages.append(pred)
    return stages


def test_readme_example_with_a_tie(mod):
    y = np.array([0, 1] * 10)
    accs = [0.6, 0.9, 0.95, 0.95, 0.9]
    model = StagedModel(_stages_from_accuracies(accs, y, np.random.default_rng(0)))
    best, got = mod.best_n_estimators(model, np.zeros((20, 2)), y)
    assert got == pytest.approx(accs), f"accuracies per stage: {got}"
    assert all(type(a) is float for a in got), "accuracies must be Python floats"
    assert type(best) is int, f"the count must be an int, got {type(best).__name__}"
    assert best == 3, f"best count {best}: stages 3 and 4 tie at 0.95, keep the smaller (counted from 1)"


@pytest.mark.parametrize("seed", range(8))
def test_random_stage_curves(mod, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=40)
    accs = list(rng.choice([0.5, 0.75, 0.8, 0.9, 0.95, 1.0], size=rng.integers(1, 30)))
    model = StagedModel(_stages_from_accuracies(accs, y, rng))
    best, got = mod.best_n_estimators(model, np.zeros((40, 3)), y)
    assert len(got) == len(accs), f"one accuracy per stage: {len(accs)} expected, got {len(got)}"
    assert got == pytest.approx(accs)
    expected = accs.index(max(accs)) + 1
    assert best == expected, (
        f"accuracies {accs}: best count is {expected} (first maximum, from 1), got {best}"
    )


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=1)


def _grown_tree_by_tree(X_tr, y_tr, X_val, y_val, X_test, max_estimators, seed):
    """Grow the README's GBM one tree at a time (warm_start): validation accuracy and test probabilities per size."""
    gbm = GradientBoostingClassifier(
        n_estimators=1, learning_rate=0.1, max_depth=2, random_state=seed, warm_start=True
    )
    accuracies, probabilities = [], []
    for count in range(1, max_estimators + 1):
        gbm.set_params(n_estimators=count).fit(X_tr, y_tr)  # adds one tree to the ones already there
        accuracies.append(float(np.mean(gbm.predict(X_val) == y_val)))
        probabilities.append(gbm.predict_proba(X_test))
    return accuracies, probabilities


@pytest.mark.parametrize(("seed", "max_estimators"), [(2, 60), (5, 40)])
def test_fit_with_validation_picks_the_validation_optimum(mod, cancer, seed, max_estimators):
    X_dev, X_test, y_dev, y_test = cancer
    model, best = mod.fit_with_validation(X_dev, y_dev, max_estimators=max_estimators, seed=seed)
    # the README's split; the model is grown tree by tree and scored after each one
    X_tr, X_val, y_tr, y_val = train_test_split(
        X_dev, y_dev, test_size=0.25, stratify=y_dev, random_state=seed
    )
    accuracies, probabilities = _grown_tree_by_tree(X_tr, y_tr, X_val, y_val, X_test, max_estimators, seed)
    top = max(accuracies)
    expected = accuracies.index(top) + 1
    assert type(best) is int and best == expected, (
        f"validation optimum is {expected} trees (accuracy {top:.3f}), got {best!r}"
    )
    assert isinstance(model, GradientBoostingClassifier), f"got {type(model).__name__}"
    assert model.n_estimators_ == best, f"the returned model has {model.n_estimators_} trees, expected {best}"
    np.testing.assert_allclose(
        model.predict_proba(X_test),
        probabilities[best - 1],
        atol=1e-12,
        err_msg=f"the returned model should be the README's GBM with {best} trees fitted on the training part "
        "only (not on the validation rows too)",
    )
    accuracy = float(np.mean(model.predict(X_test) == y_test))
    assert accuracy >= 0.9, f"test accuracy {accuracy:.3f} < 0.9"


def test_default_max_estimators_is_100(mod, cancer):
    X_dev, _, y_dev, _ = cancer
    X, y = X_dev[:160], y_dev[:160]
    model, best = mod.fit_with_validation(X, y, seed=3)
    ref_model, ref_best = mod.fit_with_validation(X, y, max_estimators=100, seed=3)
    assert best == ref_best and model.n_estimators_ == ref_model.n_estimators_, (
        f"fit_with_validation(X, y) should search up to the default 100 trees: best {best}, "
        f"with max_estimators=100 explicitly {ref_best}"
    )
