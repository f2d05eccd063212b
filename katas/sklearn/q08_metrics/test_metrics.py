"""Hidden-test style checks for sklearn/q08: metrics from scratch equal sklearn.metrics on many random cases."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm


@pytest.fixture
def m(kata):
    return kata.module("metrics")


def _float(value, where):
    assert type(value) is float, f"{where}: return a Python float, got {type(value).__name__}"
    return value


def test_readme_examples(m):
    assert _float(m.r2([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), "r2") == pytest.approx(0.9486081370449679)
    assert _float(m.precision([0, 1, 1, 0], [0, 0, 0, 0]), "precision") == 0.0
    assert _float(m.f1([1, 1, 0, 0], [1, 0, 1, 0]), "f1") == pytest.approx(0.5)
    assert _float(m.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), "roc_auc") == pytest.approx(0.75)
    assert m.roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5), (
        "a tie between a positive and a negative counts 1/2"
    )


@pytest.mark.parametrize(
    "name", ["mse", "rmse", "mae", "r2", "accuracy", "precision", "recall", "f1", "roc_auc"]
)
def test_bad_shapes_raise(m, name):
    with pytest.raises(ValueError):
        getattr(m, name)([], [])
    with pytest.raises(ValueError):
        getattr(m, name)([0, 1, 1], [0, 1])


def test_edge_cases(m):
    assert m.r2([2, 2, 2], [2, 2, 2]) == 1.0, "constant y_true, exact predictions: R² = 1.0"
    assert m.r2([2, 2, 2], [2, 3, 2]) == 0.0, "constant y_true, inexact predictions: R² = 0.0"
    assert m.recall([0, 0, 0], [1, 0, 1]) == 0.0, "no actual positive: recall 0.0"
    assert m.f1([0, 0, 0], [0, 0, 0]) == 0.0, "no positive anywhere: F1 0.0"
    with pytest.raises(ValueError):
        m.roc_auc([1, 1, 1], [0.2, 0.3, 0.4])
    with pytest.raises(ValueError):
        m.adjusted_r2([1, 2, 3, 4], [1, 2, 3, 5], n_features=3)
    # SS_res = 1, SS_tot = 14.8, n = 5, p = 3: 1 - (1/14.8) * 4 / 1 = 27/37
    assert m.adjusted_r2([1, 2, 3, 4, 6], [1, 2, 3, 5, 6], n_features=3) == pytest.approx(27 / 37)
    assert m.adjusted_r2([1, 2, 3, 4, 6], [1, 2, 3, 5, 6], n_features=0) == pytest.approx(1 - 1 / 14.8), (
        "no predictor: adjusted R² = R²"
    )
    assert m.adjusted_r2([2, 2, 2, 2], [2, 2, 2, 2], n_features=1) == pytest.approx(1.0), "constant y, exact"
    assert m.adjusted_r2([2, 2, 2, 2], [2, 3, 2, 2], n_features=1) == pytest.approx(-0.5), (
        "constant y, inexact: R² = 0, so 1 - (1 - 0) * 3 / 2"
    )
    with pytest.raises(ValueError):
        m.adjusted_r2([], [], n_features=0)
    with pytest.raises(ValueError):
        m.adjusted_r2([1, 2, 3, 4, 5], [1, 2, 3, 4], n_features=1)


@pytest.mark.parametrize("seed", range(3))
def test_regression_metrics_equal_sklearn(m, seed):
    rng = np.random.default_rng(seed)
    for case in range(30):
        n = int(rng.integers(1, 50))
        y = rng.normal(size=n) * 10 if case % 7 else np.full(n, 3.0)  # some constant targets
        pred = y + rng.normal(size=n) * rng.choice([0.0, 0.5, 5.0]) if case % 5 else rng.normal(size=n)
        where = f"case {case} (y={y.round(2).tolist()[:5]}..., n={n})"
        assert m.mse(y, pred) == pytest.approx(skm.mean_squared_error(y, pred), rel=1e-9, abs=1e-12), where
        assert _float(m.rmse(y, pred), "rmse") == pytest.approx(
            skm.root_mean_squared_error(y, pred), rel=1e-9, abs=1e-12
        ), where
        assert m.mae(y, pred) == pytest.approx(skm.mean_absolute_error(y, pred), rel=1e-9, abs=1e-12), where
        if n >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected_r2 = skm.r2_score(y, pred)
            assert _float(m.r2(list(y), list(pred)), "r2") == pytest.approx(
                expected_r2, rel=1e-9, abs=1e-12
            ), where
            p = int(rng.integers(0, n)) if n > 2 else 0
            if n - p - 1 > 0 and np.var(y) > 0:
                # the other form of the definition: 1 - (unbiased residual variance) / (unbiased variance of y)
                residual = np.sum((y - pred) ** 2) / (n - p - 1)
                expected = 1 - residual / np.var(y, ddof=1)
                assert m.adjusted_r2(y, pred, p) == pytest.approx(expected, rel=1e-9, abs=1e-12), (
                    f"{where}, p={p}"
                )


@pytest.mark.parametrize("seed", range(3))
def test_classification_metrics_equal_sklearn(m, seed):
    rng = np.random.default_rng(100 + seed)
    for case in range(30):
        n = int(rng.integers(1, 40))
        rate = rng.choice([0.0, 0.1, 0.5, 0.9])
        y = (rng.random(n) < rate).astype(int)
        pred = np.where(rng.random(n) < 0.7, y, 1 - y) if case % 3 else (rng.random(n) < rate).astype(int)
        where = f"case {case}: y={y.tolist()}, pred={pred.tolist()}"
        assert _float(m.accuracy(y, pred), "accuracy") == pytest.approx(skm.accuracy_score(y, pred)), where
        precision, recall, f1, _ = skm.precision_recall_fscore_support(
            y, pred, average="binary", labels=[0, 1], zero_division=0
        )
        assert m.precision(y, pred) == pytest.approx(precision), where
        assert m.recall(y, pred) == pytest.approx(recall), where
        assert m.f1(y, pred) == pytest.approx(f1), where


@pytest.mark.parametrize("seed", range(3))
def test_roc_auc_equals_sklearn_with_ties(m, seed):
    rng = np.random.default_rng(200 + seed)
    for case in range(30):
        n = int(rng.integers(2, 60))
        y = rng.integers(0, 2, size=n)
        y[0], y[1] = 0, 1
        scores = rng.integers(0, 5, size=n) / 4 if case % 2 else rng.normal(size=n) + y
        expected = skm.roc_auc_score(y, scores)
        got = _float(m.roc_auc(y.tolist(), scores.tolist()), "roc_auc")
        assert got == pytest.approx(expected, rel=1e-9), f"y={y.tolist()}, scores={scores.tolist()}"
