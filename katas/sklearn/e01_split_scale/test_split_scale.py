"""Hidden-test style checks for sklearn/e01: stratified split, scaler statistics from the training rows only."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, load_wine


@pytest.fixture
def mod(kata):
    return kata.module("split_scale")


DATASETS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def data(request):
    return DATASETS[request.param](return_X_y=True)


def _unscaled(scaler, Xs):
    return Xs * scaler.scale_ + scaler.mean_


def test_shapes_and_types(mod):
    X, y = load_iris(return_X_y=True)
    X_tr, X_te, y_tr, y_te, scaler = mod.split_and_scale(X, y)
    assert isinstance(X_tr, np.ndarray) and isinstance(X_te, np.ndarray), "scaled parts must be numpy arrays"
    assert X_tr.shape == (120, 4) and X_te.shape == (30, 4), f"shapes {X_tr.shape}, {X_te.shape}"
    assert len(y_tr) == 120 and len(y_te) == 30
    assert hasattr(scaler, "mean_"), "return the fitted StandardScaler as the fifth value"


def test_scaler_statistics_are_the_training_rows(mod, data):
    X, y = data
    X_tr, X_te, _, _, scaler = mod.split_and_scale(X, y, test_size=0.25, seed=3)
    raw_train = _unscaled(scaler, X_tr)
    np.testing.assert_allclose(
        scaler.mean_,
        raw_train.mean(axis=0),
        rtol=1e-9,
        atol=1e-9,
        err_msg="scaler.mean_ must be the mean of the training rows",
    )
    np.testing.assert_allclose(
        scaler.scale_,
        raw_train.std(axis=0),
        rtol=1e-9,
        atol=1e-12,
        err_msg="scaler.scale_ must be the standard deviation of the training rows",
    )
    assert not np.allclose(scaler.mean_, X.mean(axis=0), rtol=1e-6, atol=0), (
        "the scaler's mean equals the mean of ALL rows: it was fitted before splitting (leakage)"
    )
    np.testing.assert_allclose(X_tr.mean(axis=0), 0, atol=1e-9, err_msg="scaled training columns have mean 0")
    assert not np.allclose(X_te.mean(axis=0), 0, atol=1e-6), (
        "the scaled test columns have mean exactly 0: the test rows were scaled with their own statistics"
    )


def test_parts_are_a_partition_of_the_rows(mod, data):
    X, y = data
    X_tr, X_te, y_tr, y_te, scaler = mod.split_and_scale(X, y, test_size=0.3, seed=1)
    rows = np.vstack([_unscaled(scaler, X_tr), _unscaled(scaler, X_te)])
    assert rows.shape == X.shape, f"train + test should hold all {len(X)} rows"
    np.testing.assert_allclose(
        np.sort(rows, axis=0),
        np.sort(X, axis=0),
        rtol=1e-9,
        atol=1e-9,
        err_msg="train and test (unscaled with the scaler) are not the original rows: both parts must use the "
        "training statistics",
    )
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_te])), np.sort(y))


@pytest.mark.parametrize("seed", range(6))
def test_class_shares_are_kept(mod, data, seed):
    X, y = data
    _, _, y_tr, y_te, _ = mod.split_and_scale(X, y, test_size=0.2, seed=seed)
    for cls in np.unique(y):
        expected = np.mean(y == cls) * len(y_te)
        got = np.sum(y_te == cls)
        assert abs(got - expected) < 1, (
            f"seed {seed}: class {cls} has {got} test rows, a stratified split gives {expected:.1f} (±1); "
            "pass stratify=y"
        )


@pytest.mark.parametrize(("test_size", "n_test"), [(0.3, 54), (0.5, 89), (0.15, 27)])
def test_test_size_is_honoured(mod, test_size, n_test):
    X, y = load_wine(return_X_y=True)  # 178 rows: the test part has ceil(178 * test_size) rows
    X_tr, X_te, y_tr, y_te, _ = mod.split_and_scale(X, y, test_size=test_size, seed=0)
    assert len(y_te) == len(X_te) == n_test and len(y_tr) == len(X_tr) == 178 - n_test, (
        f"test_size={test_size}: expected {n_test} test rows, got {len(y_te)}"
    )


def test_same_seed_same_split_other_seed_other_split(mod):
    X, y = load_wine(return_X_y=True)
    a = mod.split_and_scale(X, y, seed=7)
    b = mod.split_and_scale(X, y, seed=7)
    c = mod.split_and_scale(X, y, seed=8)
    np.testing.assert_array_equal(a[0], b[0], err_msg="the same seed must give the same split")
    assert not np.array_equal(a[3], c[3]), "another seed should give another split: pass random_state=seed"


def test_the_split_follows_train_test_split(mod):
    from sklearn.model_selection import train_test_split

    X, y = load_breast_cancer(return_X_y=True)
    _, _, y_tr, y_te, _ = mod.split_and_scale(X, y, test_size=0.2, seed=11)
    _, _, ref_tr, ref_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=11)
    np.testing.assert_array_equal(
        y_te, ref_te, err_msg="use train_test_split(..., stratify=y, random_state=seed)"
    )


def test_defaults_are_test_size_02_and_seed_42(mod):
    from sklearn.model_selection import train_test_split

    X, y = load_breast_cancer(return_X_y=True)
    _, _, _, y_te, scaler = mod.split_and_scale(X, y)
    ref_tr, _, _, ref_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    np.testing.assert_array_equal(
        y_te, ref_te, err_msg="split_and_scale(X, y) uses the README's defaults test_size=0.2, seed=42"
    )
    np.testing.assert_allclose(
        scaler.mean_,
        ref_tr.mean(axis=0),
        err_msg="split_and_scale(X, y): the defaults test_size=0.2, seed=42",
    )
