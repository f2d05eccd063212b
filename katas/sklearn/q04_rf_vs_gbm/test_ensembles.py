"""Hidden-test style checks for sklearn/q04: forests cut variance, boosting cuts training loss."""

import numpy as np
import pytest
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.tree import DecisionTreeRegressor


@pytest.fixture
def mod(kata):
    return kata.module("ensembles")


@pytest.fixture(scope="module")
def data():
    X, y = make_friedman1(n_samples=300, noise=1.0, random_state=0)
    return X[:200], y[:200], X[200:], y[200:]


def test_spread_of_a_linear_model_equals_mlxtends_variance(mod, data, mlxtend_decomp):
    X_tr, y_tr, X_te, _ = data
    got = mod.prediction_spread(lambda r: LinearRegression(), X_tr, y_tr, X_te, n_repeats=12, seed=5)
    # mlxtend draws the same bootstrap samples (one RandomState(seed), rng.choice with replacement); its
    # "variance" is the spread across rounds of each point's prediction, averaged over the points
    _, _, expected = mlxtend_decomp(
        LinearRegression(), X_tr, y_tr, X_te, np.zeros(len(X_te)), loss="mse", num_rounds=12, random_seed=5
    )
    assert type(got) is float, f"return a Python float, got {type(got).__name__}"
    assert got == pytest.approx(expected, rel=1e-9), f"spread {got}, mlxtend's variance {expected}"


def test_make_model_gets_the_repeat_number(mod, data):
    X_tr, y_tr, X_te, _ = data
    seen = []

    def make(r):
        seen.append(r)
        return LinearRegression()

    mod.prediction_spread(make, X_tr, y_tr, X_te[:5], n_repeats=4, seed=0)
    assert seen == [0, 1, 2, 3], f"make_model was called with {seen}, expected 0..n_repeats-1"
    seen.clear()
    got = mod.prediction_spread(make, X_tr, y_tr, X_te[:5])
    assert seen == list(range(10)), f"the default is n_repeats=10: make_model was called with {seen}"
    expected = mod.prediction_spread(lambda r: LinearRegression(), X_tr, y_tr, X_te[:5], n_repeats=10, seed=0)
    assert got == pytest.approx(expected, rel=1e-12), "the defaults are n_repeats=10, seed=0"


def test_forest_varies_far_less_than_one_tree(mod, data, mlxtend_decomp):
    X_tr, y_tr, X_te, _ = data

    def tree(r):
        return DecisionTreeRegressor(random_state=0)

    def forest(r):
        return RandomForestRegressor(n_estimators=15, random_state=r)

    tree_spread = mod.prediction_spread(tree, X_tr, y_tr, X_te, n_repeats=6, seed=1)
    forest_spread = mod.prediction_spread(forest, X_tr, y_tr, X_te, n_repeats=6, seed=1)
    _, _, expected = mlxtend_decomp(
        tree(0), X_tr, y_tr, X_te, np.zeros(len(X_te)), loss="mse", num_rounds=6, random_seed=1
    )
    assert tree_spread == pytest.approx(expected, rel=1e-9), (
        f"one tree's spread {tree_spread}, mlxtend {expected}"
    )
    assert forest_spread < tree_spread / 2.5, (
        f"averaging trees should cancel variance: forest {forest_spread:.2f} vs one tree {tree_spread:.2f}"
    )


def test_gbm_staged_training_loss_never_rises(mod, data):
    X_tr, y_tr, _, _ = data
    gbm = GradientBoostingRegressor(n_estimators=60, learning_rate=0.2, max_depth=2, random_state=0)
    gbm.fit(X_tr, y_tr)
    loss = np.asarray(mod.staged_train_loss(gbm, X_tr, y_tr), dtype=float)
    assert loss.shape == (60,), f"one loss per stage: shape {loss.shape}, expected (60,)"
    np.testing.assert_allclose(
        loss,
        gbm.train_score_,
        rtol=1e-9,
        err_msg="mean squared error after each stage (the model's train_score_)",
    )
    assert np.all(np.diff(loss) <= 1e-12), "each boosting stage lowers the training loss"
    assert loss[-1] < loss[0] / 3, f"boosting reduces bias: loss {loss[0]:.2f} -> {loss[-1]:.2f}"


def test_staged_loss_on_other_rows(mod, data):
    X_tr, y_tr, X_te, y_te = data
    gbm = GradientBoostingRegressor(n_estimators=25, max_depth=2, random_state=0).fit(X_tr, y_tr)
    loss = np.asarray(mod.staged_train_loss(gbm, X_te, y_te), dtype=float)
    assert loss.shape == (25,), f"one loss per stage: shape {loss.shape}"
    assert loss[-1] == pytest.approx(mean_squared_error(y_te, gbm.predict(X_te)), rel=1e-9), (
        "after the last stage: the MSE of the model's own predictions on the given rows"
    )
    assert loss[0] == pytest.approx(
        mean_squared_error(y_te, gbm.init_.predict(X_te) + 0.1 * gbm.estimators_[0, 0].predict(X_te)),
        rel=1e-9,
    ), "after the first stage: the MSE of the first tree's model on the given rows"


def test_both_ensembles_beat_one_tree(mod, data):
    result = mod.compare_models(*data)  # the default seed is 0
    assert set(result) == {"tree", "forest", "gbm"}, f"keys {sorted(result)}"
    assert all(type(v) is float for v in result.values()), f"Python floats please: {result}"
    X_tr, y_tr, X_te, y_te = data
    # each model's test MSE read back from its R² on the test rows: MSE = (1 - R²) * var(y_test)
    for name, model in [
        ("tree", DecisionTreeRegressor(random_state=0)),
        ("forest", RandomForestRegressor(n_estimators=50, random_state=0)),
        ("gbm", GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=3, random_state=0)),
    ]:
        expected = (1 - model.fit(X_tr, y_tr).score(X_te, y_te)) * np.var(y_te)
        assert result[name] == pytest.approx(expected, rel=1e-9), (
            f"{name}: test MSE {result[name]}, the README's model gives {expected}"
        )
    assert result["forest"] < 0.7 * result["tree"], f"the forest should beat one tree clearly: {result}"
    assert result["gbm"] < 0.7 * result["tree"], f"the GBM should beat one tree clearly: {result}"
