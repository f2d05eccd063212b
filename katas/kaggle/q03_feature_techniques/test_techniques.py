"""Hidden-test style checks for kaggle/q03: exact values, and target encoding that never sees the row's own label."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold

from graders.checks import assert_frame_equal


@pytest.fixture
def techniques(kata):
    return kata.module("techniques")


def _encode(cat_fit, y_fit, cat_apply, smoothing):
    prior = y_fit.mean()
    stats = y_fit.groupby(cat_fit.to_numpy()).agg(["sum", "count"])
    s = cat_apply.map(stats["sum"])
    n = cat_apply.map(stats["count"])
    return ((s + smoothing * prior) / (n + smoothing)).fillna(prior).astype(float)


def _oof(categories, target, n_splits, seed, smoothing):
    out = np.empty(len(categories))
    for fit, apply in KFold(n_splits, shuffle=True, random_state=seed).split(categories):
        out[apply] = _encode(
            categories.iloc[fit], target.iloc[fit], categories.iloc[apply], smoothing
        ).to_numpy()
    return pd.Series(out, index=categories.index, name=f"{categories.name}_te")


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
    expected = df.copy()
    expected["Pclass_x_Age"] = df["Pclass"] * df["Age"]
    assert_frame_equal(got, expected, where="add_interaction(df, 'Pclass', 'Age')")
    assert_frame_equal(df, before, where="the input frame (it must not be modified)")
    got = techniques.add_interaction(df, "SibSp", "Fare")
    assert list(got.columns)[-1] == "SibSp_x_Fare"


@pytest.mark.parametrize(("name", "period"), [("hour", 24), ("month", 12), ("weekday", 7)])
def test_cyclical_encode(techniques, name, period):
    rng = np.random.default_rng(period)
    values = pd.Series(rng.integers(0, period, 50), index=rng.permutation(50) + 10, name=name)
    got = techniques.cyclical_encode(values, period)
    angle = 2 * np.pi * values / period
    expected = pd.DataFrame({f"{name}_sin": np.sin(angle), f"{name}_cos": np.cos(angle)}, index=values.index)
    assert_frame_equal(
        got, expected, where=f"cyclical_encode({name}, {period})", check_exact=False, rtol=1e-12
    )
    wrapped = techniques.cyclical_encode(values + period, period)
    np.testing.assert_allclose(
        wrapped.to_numpy(), got.to_numpy(), atol=1e-9, err_msg="value + period must encode the same"
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
    expected = _oof(cats, target, n_splits, seed, smoothing)
    assert isinstance(got, pd.Series) and got.name == "Ticket_te", (
        f"expected a Series named 'Ticket_te', got {got!r:.80}"
    )
    assert list(got.index) == list(cats.index), "keep the index of the input"
    np.testing.assert_allclose(got.to_numpy(dtype=float), expected.to_numpy(), rtol=1e-12, atol=1e-12)


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
    in_sample = _encode(cats, target, cats, 1.0)
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
    expected = _encode(cats, target, test, smoothing)
    assert got.name == "Ticket_te" and list(got.index) == list(test.index)
    np.testing.assert_allclose(got.to_numpy(dtype=float), expected.to_numpy(), rtol=1e-12)
    unseen = ~test.isin(set(cats))
    assert unseen.any() and np.allclose(got[unseen].to_numpy(dtype=float), target.mean()), (
        "unseen → the prior"
    )


def test_titanic_ticket_encoding(techniques, titanic_frames):
    train, _ = titanic_frames
    enc = techniques.oof_target_encode(train["Ticket"], train["Survived"])
    assert len(enc) == len(train) and not enc.isna().any()
    assert enc.between(0, 1).all(), "a smoothed mean of 0/1 labels lies in [0, 1]"
