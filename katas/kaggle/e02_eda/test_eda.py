"""Hidden-test style checks for kaggle/e02: EDA figures exact, plots drawn from the right numbers, PNGs valid."""

import struct

import matplotlib

matplotlib.use("Agg")  # headless: the tests never open a window

import matplotlib.image
import numpy as np
import pandas as pd
import pytest

from graders.kit import titanic
from graders.kit.checks import assert_frame_equal


@pytest.fixture
def eda(kata):
    return kata.module("eda")


def _variants(seed):
    """The train set, and seeded resamples of it with extra holes, so no figure can be hard-coded."""
    train = titanic.generate()[0]
    if seed == 0:
        return train
    rng = np.random.default_rng(seed)
    sample = train.sample(n=int(rng.integers(200, 800)), random_state=seed).reset_index(drop=True)
    for column in ("Fare", "Ticket", "Pclass"):
        if rng.random() < 0.7:
            holes = rng.choice(len(sample), size=int(rng.integers(1, 30)), replace=False)
            sample.loc[holes, column] = np.nan
    return sample


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_committed_data_matches_generator_and_loads(eda, kata):
    folder = kata.root / "katas" / "kaggle" / "data"
    for name, text in titanic.csv_text().items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"katas/kaggle/data/{name} differs from graders.kit.titanic: regenerate it with python -m graders.kit.titanic"
        )
    train, test = eda.load_data(folder)
    expected_train, expected_test = titanic.load(folder)
    assert_frame_equal(train, expected_train, where="load_data(...)[0]")
    assert_frame_equal(test, expected_test, where="load_data(...)[1]")
    train2, _ = eda.load_data(str(folder))
    assert train2.shape == (891, 12), "load_data should accept a str path too"


@pytest.mark.parametrize("seed", range(4))
def test_missing_counts(eda, seed):
    df = _variants(seed)
    counted = [(column, sum(1 for value in df[column] if pd.isna(value))) for column in df.columns]
    ranked = sorted(
        (item for item in counted if item[1] > 0), key=lambda item: -item[1]
    )  # sorted() is stable
    expected = pd.Series(dict(ranked), name="missing", dtype="int64")
    got = eda.missing_counts(df)
    assert isinstance(got, pd.Series), f"expected a Series, got {type(got).__name__}"
    assert list(got.index) == list(expected.index), (
        f"columns {list(got.index)} != expected {list(expected.index)}"
    )
    pd.testing.assert_series_equal(got, expected, check_dtype=False, check_index_type=False)
    assert pd.api.types.is_integer_dtype(got), "the counts should be integers"


def test_missing_counts_ties_keep_the_column_order(eda):
    nan = float("nan")
    df = pd.DataFrame(
        {
            "zeta": [nan, 1.0, nan, 2.0],
            "alpha": [nan, nan, 3.0, 4.0],
            "full": [1, 2, 3, 4],
            "mid": [nan, nan, nan, 5.0],
            "beta": ["a", None, None, "b"],
        }
    )
    got = eda.missing_counts(df)
    assert list(got.index) == ["mid", "zeta", "alpha", "beta"], (
        f"most missing first, ties in the frame's column order: got {list(got.index)}"
    )
    assert got.tolist() == [3, 2, 2, 2] and got.name == "missing"


@pytest.mark.parametrize("seed", range(4))
def test_target_balance(eda, seed):
    df = _variants(seed)
    labels = df["Survived"].tolist()
    classes = sorted(set(labels))
    expected = pd.Series([labels.count(c) / len(labels) for c in classes], index=classes, name="proportion")
    got = eda.target_balance(df)
    pd.testing.assert_series_equal(got, expected, check_names=True, check_index_type=False, check_index=False)
    assert list(got.index) == classes, f"index {list(got.index)}: the class values in ascending order"
    flipped = df.assign(Label=1 - df["Survived"])
    got = eda.target_balance(flipped, target="Label")
    assert list(got.index) == [0, 1] and abs(got.loc[0] - expected.loc[1]) < 1e-12, "target= is not honoured"


@pytest.mark.parametrize(("seed", "column"), [(0, "Pclass"), (1, "Sex"), (2, "Embarked")])
def test_plot_survival_rate(eda, tmp_path, seed, column):
    df = _variants(seed)
    path = tmp_path / f"rate_{column}.png"
    fig = eda.plot_survival_rate(df, column, path)
    assert _png_size(path) == (600, 400), f"the PNG should be 600x400 px, got {_png_size(path)}"
    assert matplotlib.image.imread(path).shape[:2] == (400, 600)
    values = sorted(df[column].dropna().unique())
    rates = pd.Series([df.loc[df[column] == v, "Survived"].mean() for v in values], index=values)
    axes = fig.get_axes()
    assert len(axes) == 1, f"expected one axes, got {len(axes)}"
    heights = [bar.get_height() for bar in axes[0].patches]
    np.testing.assert_allclose(
        heights, rates.to_numpy(), rtol=1e-12, err_msg=f"bar heights vs survival by {column}"
    )
    labels = [t.get_text() for t in axes[0].get_xticklabels()]
    assert labels == [str(v) for v in rates.index], (
        f"x tick labels {labels} != {[str(v) for v in rates.index]}"
    )


@pytest.mark.parametrize(("seed", "bins"), [(0, 20), (3, 7)])
def test_plot_age_histogram(eda, tmp_path, seed, bins):
    df = _variants(seed)
    path = tmp_path / "ages.png"
    # bins=20 is the default: that case calls without it
    fig = eda.plot_age_histogram(df, path) if bins == 20 else eda.plot_age_histogram(df, path, bins=bins)
    assert _png_size(path) == (800, 400), f"the PNG should be 800x400 px, got {_png_size(path)}"
    assert matplotlib.image.imread(path).shape[:2] == (400, 800)
    counts, _ = np.histogram(df["Age"].dropna(), bins=bins)
    axes = fig.get_axes()
    assert len(axes) == 1, f"expected one axes, got {len(axes)}"
    heights = [bar.get_height() for bar in axes[0].patches]
    np.testing.assert_allclose(heights, counts, err_msg="histogram bars vs np.histogram of the known ages")
