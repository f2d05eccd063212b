"""Hidden-test style checks for sklearn/e02: a seeded 100-tree forest and its importance table."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split


@pytest.fixture
def mod(kata):
    return kata.module("forest")


@pytest.fixture(scope="module")
def iris():
    data = load_iris()
    X_tr, X_te, y_tr, y_te = train_test_split(
        data.data, data.target, test_size=0.3, stratify=data.target, random_state=0
    )
    return X_tr, X_te, y_tr, y_te, list(data.feature_names)


def test_importance_table_from_a_given_model(mod):
    class Fitted:  # any fitted model with feature_importances_ will do
        feature_importances_ = np.array([0.1, 0.5, 0.15, 0.25])

    table = mod.importance_table(Fitted(), ["a", "b", "c", "d"])
    expected = pd.DataFrame({"feature": ["b", "d", "c", "a"], "importance": [0.5, 0.25, 0.15, 0.1]})
    assert isinstance(table, pd.DataFrame), f"expected a DataFrame, got {type(table).__name__}"
    assert list(table.columns) == ["feature", "importance"], f"columns {list(table.columns)}"
    assert list(table.index) == list(range(4)), f"index must be 0..n-1, got {list(table.index)}"
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    numbered = mod.importance_table(Fitted(), [10, 11, 12, 13])  # names that are not strings yet
    assert numbered["feature"].tolist() == ["11", "13", "12", "10"], (
        f"feature holds the names as str, got {numbered['feature'].tolist()!r}"
    )


def test_importance_ties_keep_the_order_of_the_names(mod):
    rng = np.random.default_rng(2)
    importances = rng.permutation(np.r_[np.zeros(30), [0.4, 0.25, 0.25, 0.1]])  # 30 unused features tie at 0

    class Fitted:
        feature_importances_ = importances

    names = [f"f{i:02d}" for i in range(len(importances))]
    table = mod.importance_table(Fitted(), names)
    order = sorted(range(len(names)), key=lambda i: -importances[i])  # sorted() is stable
    expected = [names[i] for i in order]
    assert table["feature"].tolist() == expected, (
        "ties keep the order of feature_names (a stable sort): "
        f"got {table['feature'].tolist()[:8]}..., expected {expected[:8]}..."
    )


@pytest.fixture(scope="module")
def forest42(kata_shared, iris):
    X_tr, _, y_tr, _, _ = iris
    return kata_shared.module("forest").train_forest(X_tr, y_tr, seed=42)


def test_forest_has_100_trees_and_the_seed(forest42):
    model = forest42
    assert type(model).__name__ == "RandomForestClassifier", f"got {type(model).__name__}"
    assert model.n_estimators == 100 and len(model.estimators_) == 100, (
        "the forest needs exactly 100 fitted trees"
    )
    assert model.random_state == 42, f"random_state should be the seed 42, got {model.random_state!r}"
    from sklearn.ensemble import RandomForestClassifier

    defaults = RandomForestClassifier().get_params()
    changed = {
        name: value
        for name, value in model.get_params().items()
        if name not in ("n_estimators", "random_state", "n_jobs") and value != defaults[name]
    }
    assert not changed, f"leave the other parameters at their defaults; changed: {changed}"


def test_accuracy_floor_on_held_out_iris(forest42, iris):
    _, X_te, _, y_te, _ = iris
    accuracy = float(np.mean(forest42.predict(X_te) == y_te))
    assert accuracy >= 0.9, f"test accuracy {accuracy:.3f} < 0.9"


def test_same_seed_reproduces_the_model_other_seed_does_not(mod, forest42, iris):
    X_tr, X_te, y_tr, _, _ = iris
    again = mod.train_forest(X_tr, y_tr, seed=42).predict_proba(X_te)
    np.testing.assert_array_equal(
        forest42.predict_proba(X_te), again, err_msg="two fits with the same seed must give the same forest"
    )
    other = mod.train_forest(X_tr, y_tr, seed=7)
    assert other.random_state == 7, f"random_state should be the seed 7, got {other.random_state!r}"
    assert not np.array_equal(other.predict_proba(X_te), again), (
        "seeds 7 and 42 gave identical forests: is random_state=seed passed?"
    )


def test_importances_of_the_trained_forest(mod, forest42, iris):
    names = iris[4]
    model = forest42
    table = mod.importance_table(model, names)
    assert abs(table["importance"].sum() - 1.0) < 1e-9, (
        f"importances sum to {table['importance'].sum()}, not 1"
    )
    assert table["importance"].is_monotonic_decreasing, "sort the table by importance, descending"
    lookup = dict(zip(names, model.feature_importances_, strict=True))
    for feature, importance in zip(table["feature"], table["importance"], strict=True):
        assert importance == pytest.approx(lookup[feature]), f"{feature}: importance does not match the model"
    assert table["feature"].iloc[0].startswith("petal"), "on iris a petal measurement should lead the table"


def test_default_seed_is_42(mod, forest42, iris):
    X_tr, X_te, y_tr, _, _ = iris
    model = mod.train_forest(X_tr, y_tr)
    assert model.random_state == 42, (
        f"train_forest(X, y) uses the default seed 42, got {model.random_state!r}"
    )
    np.testing.assert_array_equal(
        model.predict_proba(X_te), forest42.predict_proba(X_te), err_msg="train_forest(X, y) equals seed=42"
    )
