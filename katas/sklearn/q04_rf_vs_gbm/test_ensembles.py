"""Hidden-test style checks for sklearn/q04: forests cut variance, boosting cuts training loss."""

import numpy as np
import pytest
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeRegressor


@pytest.fixture
def mod(kata):
    return kata.module("ensembles")


@pytest.fixture(scope="module")
def data():
    X, y = make_friedman1(n_samples=300, noise=1.0, random_state=0)
    return X[:200], y[:200], X[200:], y[200:]


def reference_spread(make_model, X_train, y_train, X_eval, n_repeats, seed):
    rng = np.random.RandomState(seed)
    preds = []
    for r in range(n_repeats):
        idx = rng.choice(len(y_train), size=len(y_train), replace=True)
        preds.append(make_model(r).fit(X_train[idx], y_train[idx]).predict(X_eval))
    return float(np.var(np.array(preds), axis=0).mean())


def test_spread_of_a_linear_model_matches_the_reference(mod, data):
    X_tr, y_tr, X_te, _ = data
    got = mod.prediction_spread(lambda r: LinearRegression(), X_tr, y_tr, X_te, n_repeats=12, seed=5)
    expected = reference_spread(lambda r: LinearRegression(), X_tr, y_tr, X_te, 12, 5)
    assert type(got) is float, f"return a Python float, got {type(got).__name__}"
    assert got == pytest.approx(expected, rel=1e-9), f"spread {got}, expected {expected}"


def test_make_model_gets_the_repeat_number(mod, data):
    X_tr, y_tr, X_te, _ = data
    seen = []

    def make(r):
        seen.append(r)
        return LinearRegression()

    mod.prediction_spread(make, X_tr, y_tr, X_te[:5], n_repeats=4, seed=0)
    assert seen == [0, 1, 2, 3], f"make_model was called with {seen}, expected 0..n_repeats-1"


def test_forest_varies_far_less_than_one_tree(mod, data):
    X_tr, y_tr, X_te, _ = data

    def tree(r):
        return DecisionTreeRegressor(random_state=r)

    def forest(r):
        return RandomForestRegressor(n_estimators=15, random_state=r)

    tree_spread = mod.prediction_spread(tree, X_tr, y_tr, X_te, n_repeats=6, seed=1)
    forest_spread = mod.prediction_spread(forest, X_tr, y_tr, X_te, n_repeats=6, seed=1)
    assert tree_spread == pytest.approx(reference_spread(tree, X_tr, y_tr, X_te, 6, 1), rel=1e-9)
    assert forest_spread < tree_spread / 2.5, (
        f"averaging trees should cancel variance: forest {forest_spread:.2f} vs one tree {tree_spread:.2f}"
    )


def test_gbm_staged_training_loss_never_rises(mod, data):
    X_tr, y_tr, _, _ = data
    gbm = GradientBoostingRegressor(n_estimators=60, learning_rate=0.2, max_depth=2, random_state=0)
    gbm.fit(X_tr, y_tr)
    loss = np.asarray(mod.staged_train_loss(gbm, X_tr, y_tr), dtype=float)
    expected = np.array([np.mean((p - y_tr) ** 2) for p in gbm.staged_predict(X_tr)])
    assert loss.shape == (60,), f"one loss per stage: shape {loss.shape}, expected (60,)"
    np.testing.assert_allclose(loss, expected, rtol=1e-9, err_msg="mean squared error after each stage")
    assert np.all(np.diff(loss) <= 1e-12), "each boosting stage lowers the training loss"
    assert loss[-1] < loss[0] / 3, f"boosting reduces bias: loss {loss[0]:.2f} -> {loss[-1]:.2f}"


def test_both_ensembles_beat_one_tree(mod, data):
    result = mod.compare_models(*data, seed=0)
    assert set(result) == {"tree", "forest", "gbm"}, f"keys {sorted(result)}"
    assert all(type(v) is float for v in result.values()), f"Python floats please: {result}"
    X_tr, y_tr, X_te, y_te = data
    tree = DecisionTreeRegressor(random_state=0).fit(X_tr, y_tr)
    expected_tree = float(np.mean((tree.predict(X_te) - y_te) ** 2))
    assert result["tree"] == pytest.approx(expected_tree, rel=1e-9), "the tree's test MSE"
    assert result["forest"] < 0.7 * result["tree"], f"the forest should beat one tree clearly: {result}"
    assert result["gbm"] < 0.7 * result["tree"], f"the GBM should beat one tree clearly: {result}"
