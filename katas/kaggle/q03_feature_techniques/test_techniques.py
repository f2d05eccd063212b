"""Hidden-test style checks for kaggle/q03: exact values, and target encoding that never sees the row's own label."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold
from sklearn.preprocessing import TargetEncoder

from graders.kit.checks import assert_frame_equal


@pytest.fixture
def techniques(kata):
    return kata.module("techniques")


def _sklearn_encoder(smoothing, n_splits=5, seed=0):
    """scikit-learn's TargetEncoder set up like the kata: the formula with m = smoothing, plain shuffled KFold."""
    folds = KFold(n_splits, shuffle=True, random_state=seed)
    try:
        encoder = TargetEncoder(smooth=smoothing, target_type="continuous", cv=folds)
        encoder._validate_params()
        return encoder
    except (TypeError, ValueError):  # scikit-learn < 1.9 takes a number of folds and shuffles itself
        return TargetEncoder(
            smooth=smoothing, target_type="continuous", cv=n_splits, shuffle=True, random_state=seed
        )


def _oof_by_sklearn(categories, target, n_splits, seed, smoothing):
    """TargetEncoder.fit_transform cross-fits: each fold encoded with the statistics of the other folds."""
    encoder = _sklearn_encoder(smoothing, n_splits, seed)
    return encoder.fit_transform(categories.to_frame(), target.to_numpy(dtype=float))[:, 0]


def _full_by_sklearn(fit_categories, fit_target, categories, smoothing):
    """fit() then transform(): the statistics of every row given to fit (the test-set encoding)."""
    encoder = _sklearn_encoder(smoothing).fit(fit_categories.to_frame(), fit_target.to_numpy(dtype=float))
    return encoder.transform(categories.rename(fit_categories.name).to_frame())[:, 0]


def _categorical(seed, n=300, levels=60):
    rng = np.random.default_rng(seed)
    index = pd.Index(rng.permutation(n) * 3 + 7)
    cats = pd.Series([f"T{v}" for v in rng.integers(0, levels, n)], index=index, name="Ticket")
    target = pd.Series(rng.integers(0, 2, n), index=index, name="Survived")
    return cats, target


@pytest.mark.parametrize("seed", range(2))
def test_add_interaction(techniques, titanic_frames, seed):
    train, _ = titanic_frames
    df = train.sample(100, random_state=seed)
    before = df.copy()
    got = techniques.add_interaction(df, "Pclass", "Age")
    assert list(got.columns) == [*df.columns, "Pclass_x_Age"], f"columns {list(got.columns)}"
    assert_frame_equal(got[list(df.columns)], df, where="the original columns of add_interaction(...)")
    for index, (pclass, age, product) in got[["Pclass", "Age", "Pclass_x_Age"]].iterrows():
        if np.isnan(age):
            assert np.isnan(product), f"row {index}: a missing Age gives a missing product, got {product}"
        else:
            assert product == pclass * age, (
                f"row {index}: {pclass} x {age} should be {pclass * age}, got {product}"
            )
    assert_frame_equal(df, before, where="the input frame (it must not be modified)")
    got = techniques.add_interaction(df, "SibSp", "Fare")
    assert list(got.columns)[-1] == "SibSp_x_Fare"


@pytest.mark.parametrize(("name", "period"), [("hour", 24), ("month", 12), ("weekday", 7)])
def test_cyclical_encode(techniques, name, period):
    rng = np.random.default_rng(period)
    values = pd.Series(rng.integers(0, period, 50), index=rng.permutation(50) + 10, name=name)
    got = techniques.cyclical_encode(values, period)
    assert list(got.columns) == [f"{name}_sin", f"{name}_cos"], f"columns {list(got.columns)}"
    assert list(got.index) == list(values.index), "keep the index of the values"
    sin, cos = got[f"{name}_sin"].to_numpy(dtype=float), got[f"{name}_cos"].to_numpy(dtype=float)
    np.testing.assert_allclose(sin**2 + cos**2, 1.0, rtol=1e-12, err_msg="(sin, cos) lies on the unit circle")
    # read the angle back: value v sits at v / period of a full turn
    turns = np.mod(np.arctan2(sin, cos) / (2 * np.pi), 1.0)
    expected = np.mod(values.to_numpy() / period, 1.0)
    np.testing.assert_allclose(
        np.minimum(np.abs(turns - expected), 1 - np.abs(turns - expected)),
        0.0,
        atol=1e-9,
        err_msg=f"value v should sit at angle 2*pi*v/{period}",
    )
    wrapped = techniques.cyclical_encode(values + period, period)
    np.testing.assert_allclose(
        wrapped.to_numpy(), got.to_numpy(), atol=1e-9, err_msg="value + period must encode the same"
    )


@pytest.mark.parametrize(
    ("value", "point"),
    [(0, (0.0, 1.0)), (6, (1.0, 0.0)), (12, (0.0, -1.0)), (18, (-1.0, 0.0)), (24, (0.0, 1.0))],
)
def test_cyclical_quarter_hours(techniques, value, point):
    got = techniques.cyclical_encode(pd.Series([value], name="hour"), 24)
    np.testing.assert_allclose(
        got.to_numpy()[0], point, atol=1e-12, err_msg=f"hour {value} -> (hour_sin, hour_cos) = {point}"
    )


def test_cyclical_neighbours(techniques):
    hours = pd.Series([23, 0, 12], name="hour")
    enc = techniques.cyclical_encode(hours, 24).to_numpy()
    assert np.linalg.norm(enc[0] - enc[1]) < np.linalg.norm(enc[1] - enc[2]) / 5, (
        "23:00 should sit next to 00:00"
    )


@pytest.mark.parametrize(("seed", "n_splits", "smoothing"), [(0, 5, 10.0), (1, 4, 2.5), (2, 5, 0.0)])
def test_oof_matches_reference(techniques, seed, n_splits, smoothing):
    cats, target = _categorical(seed)
    got = techniques.oof_target_encode(cats, target, n_splits=n_splits, seed=seed, smoothing=smoothing)
    expected = _oof_by_sklearn(cats, target, n_splits, seed, smoothing)
    assert isinstance(got, pd.Series) and got.name == "Ticket_te", (
        f"expected a Series named 'Ticket_te', got {got!r:.80}"
    )
    assert list(got.index) == list(cats.index), "keep the index of the input"
    np.testing.assert_allclose(
        got.to_numpy(dtype=float),
        expected,
        rtol=1e-12,
        atol=1e-12,
        err_msg="out-of-fold encoding differs from TargetEncoder(smooth=smoothing, cv=KFold(...)).fit_transform",
    )


@pytest.mark.parametrize("seed", range(2))
def test_oof_never_sees_the_rows_own_target(techniques, seed):
    cats, target = _categorical(seed, n=120, levels=15)
    base = techniques.oof_target_encode(cats, target, seed=seed).to_numpy(dtype=float)
    rng = np.random.default_rng(seed + 100)
    for position in rng.choice(len(cats), size=6, replace=False):
        flipped = target.copy()
        flipped.iloc[position] = 1 - flipped.iloc[position]
        again = techniques.oof_target_encode(cats, flipped, seed=seed).to_numpy(dtype=float)
        assert abs(again[position] - base[position]) < 1e-12, (
            f"row {position}: flipping its own target changed its encoding from {base[position]:.4f} to "
            f"{again[position]:.4f}: its label leaks into its feature"
        )


def test_oof_on_noise_does_not_predict_the_label(techniques):
    cats, target = _categorical(5, n=600, levels=300)  # two rows per category on average, random labels
    in_sample = _full_by_sklearn(cats, target, cats, 1.0)  # fit(X, y).transform(X): no cross fitting
    assert np.corrcoef(in_sample, target)[0, 1] > 0.3, "test data check: in-sample encoding should leak"
    oof = techniques.oof_target_encode(cats, target, smoothing=1.0)
    corr = np.corrcoef(oof.to_numpy(dtype=float), target)[0, 1]
    assert corr < 0.1, f"the labels are random, yet the encoding correlates {corr:.2f} with them: it leaks"


@pytest.mark.parametrize(("seed", "smoothing"), [(0, 10.0), (3, 1.0)])
def test_target_encode_test(techniques, seed, smoothing):
    cats, target = _categorical(seed)
    rng = np.random.default_rng(seed)
    test = pd.Series(
        [f"T{v}" for v in rng.integers(0, 80, 50)], index=rng.permutation(50) + 5000, name="Ticket"
    )
    got = techniques.target_encode_test(cats, target, test, smoothing=smoothing)
    expected = _full_by_sklearn(cats, target, test, smoothing)
    assert got.name == "Ticket_te" and list(got.index) == list(test.index)
    np.testing.assert_allclose(
        got.to_numpy(dtype=float),
        expected,
        rtol=1e-12,
        err_msg="test encoding differs from TargetEncoder(smooth=smoothing).fit(train).transform(test)",
    )
    unseen = ~test.isin(set(cats))
    assert unseen.any() and np.allclose(got[unseen].to_numpy(dtype=float), target.mean()), (
        "unseen → the prior"
    )


def test_defaults_and_targets_paired_by_position(techniques):
    cats, target = _categorical(4, n=120, levels=20)
    pd.testing.assert_series_equal(
        techniques.oof_target_encode(cats, target),
        techniques.oof_target_encode(cats, target, n_splits=5, seed=0, smoothing=10.0),
        obj="oof_target_encode with the defaults n_splits=5, seed=0, smoothing=10.0",
    )
    test = cats.iloc[:30].set_axis(range(30))
    pd.testing.assert_series_equal(
        techniques.target_encode_test(cats, target, test),
        techniques.target_encode_test(cats, target, test, smoothing=10.0),
        obj="target_encode_test with the default smoothing=10.0",
    )
    fresh = target.reset_index(drop=True)  # the same labels by position, another index
    pd.testing.assert_series_equal(
        techniques.oof_target_encode(cats, fresh, seed=1),
        techniques.oof_target_encode(cats, target, seed=1),
        obj="target paired with categories by position, whatever its index",
    )
    pd.testing.assert_series_equal(
        techniques.target_encode_test(cats, fresh, test),
        techniques.target_encode_test(cats, target, test),
        obj="train_target paired with train_categories by position, whatever its index",
    )


def test_titanic_ticket_encoding(techniques, titanic_frames):
    train, _ = titanic_frames
    enc = techniques.oof_target_encode(train["Ticket"], train["Survived"])
    assert len(enc) == len(train) and not enc.isna().any()
    assert enc.between(0, 1).all(), "a smoothed mean of 0/1 labels lies in [0, 1]"
