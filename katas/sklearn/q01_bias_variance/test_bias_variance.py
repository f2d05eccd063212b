"""Hidden-test style checks for sklearn/q01: bootstrap bias²/variance, compared with mlxtend."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor


@pytest.fixture
def mod(kata):
    return kata.module("bias_variance")


def curved(n, seed, noise=0.3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(n, 1))
    return x, 2 * np.sin(1.5 * x[:, 0]) + rng.normal(0, noise, size=n)


@pytest.fixture(scope="module")
def data():
    X_tr, y_tr = curved(150, seed=0)
    X_te, y_te = curved(100, seed=1)
    return X_tr, y_tr, X_te, y_te


def _check(result):
    assert isinstance(result, dict) and set(result) == {"loss", "bias2", "variance"}, f"got {result!r}"
    assert all(type(v) is float for v in result.values()), f"the figures must be Python floats: {result!r}"


def test_constant_model_on_constant_data(mod):
    """A model that always predicts the training mean, on data with one y value: no bias, no variance."""
    X = np.zeros((20, 1))
    result = mod.bias_variance(LinearRegression(), X, np.full(20, 4.0), X[:5], np.full(5, 4.0), n_rounds=5)
    _check(result)
    assert result == pytest.approx({"loss": 0.0, "bias2": 0.0, "variance": 0.0}, abs=1e-12)


def test_bad_number_of_rounds(mod, data):
    with pytest.raises(ValueError):
        mod.bias_variance(LinearRegression(), *data, n_rounds=0)


def test_fits_clones_not_the_estimator_given(mod, data):
    tree = DecisionTreeRegressor(random_state=0)
    mod.bias_variance(tree, *data, n_rounds=3, seed=0)
    assert not hasattr(tree, "tree_"), (
        "fit a fresh clone(estimator) each round: the caller's estimator stays unfitted"
    )


def test_loss_is_bias2_plus_variance(mod, data):
    result = mod.bias_variance(KNeighborsRegressor(n_neighbors=3), *data, n_rounds=15, seed=4)
    _check(result)
    assert result["loss"] == pytest.approx(result["bias2"] + result["variance"], rel=1e-9), (
        f"for squared error loss = bias² + variance exactly: {result}"
    )


@pytest.mark.parametrize(
    ("name", "estimator", "seed"),
    [
        ("deep tree", DecisionTreeRegressor(random_state=0), 1),
        ("linear", LinearRegression(), 2),
        ("3-NN", KNeighborsRegressor(n_neighbors=3), 3),
    ],
)
def test_agrees_with_mlxtend(mod, mlxtend_decomp, data, name, estimator, seed):
    result = mod.bias_variance(estimator, *data, n_rounds=25, seed=seed)
    _check(result)
    loss, bias2, variance = mlxtend_decomp(estimator, *data, loss="mse", num_rounds=25, random_seed=seed)
    expected = {"loss": float(loss), "bias2": float(bias2), "variance": float(variance)}
    assert result == pytest.approx(expected, rel=1e-9), f"{name}: got {result}, mlxtend says {expected}"


def test_the_tradeoff_on_curved_data(mod):
    X_tr, y_tr = curved(150, seed=0, noise=0.5)
    X_te, _ = curved(100, seed=1)
    truth = 2 * np.sin(1.5 * X_te[:, 0])  # score against the noiseless curve: bias² is then pure bias
    tree = mod.bias_variance(DecisionTreeRegressor(random_state=0), X_tr, y_tr, X_te, truth, n_rounds=30)
    line = mod.bias_variance(LinearRegression(), X_tr, y_tr, X_te, truth, n_rounds=30)
    assert tree["bias2"] < line["bias2"] / 4, f"a deep tree follows the curve: bias² {tree} vs linear {line}"
    assert tree["variance"] > 2 * line["variance"], (
        f"a deep tree follows the noise: variance {tree} vs {line}"
    )
    assert line["bias2"] > 10 * line["variance"], f"a line through a sine is dominated by bias: {line}"


def test_seeded_and_reproducible(mod, data):
    first = mod.bias_variance(DecisionTreeRegressor(random_state=0), *data, n_rounds=10, seed=7)
    again = mod.bias_variance(DecisionTreeRegressor(random_state=0), *data, n_rounds=10, seed=7)
    other = mod.bias_variance(DecisionTreeRegressor(random_state=0), *data, n_rounds=10, seed=8)
    assert first == again, "the same seed must give the same figures"
    assert first != other, "another seed should draw other bootstrap samples"


def test_default_is_100_rounds(mod):
    X_tr, y_tr = curved(30, seed=5)
    X_te, y_te = curved(10, seed=6)
    got = mod.bias_variance(LinearRegression(), X_tr, y_tr, X_te, y_te, seed=2)
    expected = mod.bias_variance(LinearRegression(), X_tr, y_tr, X_te, y_te, n_rounds=100, seed=2)
    assert got == pytest.approx(expected, rel=1e-12), (
        f"bias_variance(...) without n_rounds uses the default 100 rounds: {got} != {expected}"
    )
