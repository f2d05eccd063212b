"""Hidden-test style checks for python_pandas/q05: label versus position selection."""

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal


@pytest.fixture
def sel(kata):
    return kata.module("selection")


def random_frame(seed: int, rows: int = 30) -> pd.DataFrame:
    """Unique integer labels that are neither 0..n-1 nor sorted."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(np.arange(100, 1000), rows, replace=False)
    return pd.DataFrame(
        {
            "name": [f"p{i}" for i in range(rows)],
            "age": rng.integers(18, 80, rows),
            "score": rng.normal(50, 15, rows).round(1),
            "city": rng.choice(["Oslo", "Lima", "Pune"], rows),
        },
        index=pd.Index(labels, name="id"),
    )


def readme_frame():
    return pd.DataFrame({"name": list("abcde"), "score": [5, 9, 2, 7, 4]}, index=[40, 10, 30, 50, 20])


def test_readme_examples(sel):
    df = readme_frame()
    assert sel.rows_by_label(df, 10, 50).index.tolist() == [10, 30, 50], "rows_by_label(df, 10, 50)"
    assert sel.rows_by_position(df, 1, 3).index.tolist() == [10, 30], "rows_by_position(df, 1, 3)"
    assert sel.cell_by_label(df, 30, "score") == 2, "cell_by_label(df, 30, 'score')"
    assert sel.cell_by_position(df, -1, 0) == "e", "cell_by_position(df, -1, 0)"
    assert sel.last_rows(df, 2).index.tolist() == [50, 20], "last_rows(df, 2)"
    assert sel.filter_rows(df, "score", 4, ["score", "name"]).index.tolist() == [40, 10, 50], (
        "filter_rows(...)"
    )


@pytest.mark.parametrize("seed", range(3))
def test_label_slices_include_the_end(sel, seed):
    df = random_frame(seed)
    before = df.copy()
    rng = np.random.default_rng(100 + seed)
    labels = df.index.tolist()
    for _ in range(8):
        i, j = sorted(rng.integers(0, len(df), 2))
        got = sel.rows_by_label(df, labels[i], labels[j])
        assert_frame_equal(
            got, df.take(range(i, j + 1)), where=f"rows_by_label(df, {labels[i]}, {labels[j]})"
        )
    assert_frame_equal(df, before, where="the input frame (it must not change)")


@pytest.mark.parametrize("seed", range(3))
def test_position_slices_exclude_the_end(sel, seed):
    df = random_frame(seed)
    rng = np.random.default_rng(200 + seed)
    for _ in range(8):
        start, stop = sorted(int(x) for x in rng.integers(0, len(df) + 1, 2))
        got = sel.rows_by_position(df, start, stop)
        assert_frame_equal(got, df.take(range(start, stop)), where=f"rows_by_position(df, {start}, {stop})")


def test_text_index(sel):
    df = pd.DataFrame({"v": range(6)}, index=["mon", "tue", "wed", "thu", "fri", "sat"])
    assert sel.rows_by_label(df, "tue", "thu")["v"].tolist() == [1, 2, 3], "rows_by_label(df, 'tue', 'thu')"
    assert sel.rows_by_position(df, 1, 3)["v"].tolist() == [1, 2], "rows_by_position(df, 1, 3)"
    assert sel.cell_by_label(df, "fri", "v") == 4


@pytest.mark.parametrize("seed", range(3))
def test_cells(sel, seed):
    df = random_frame(seed)
    rng = np.random.default_rng(300 + seed)
    labels, columns = df.index.tolist(), df.columns.tolist()
    for _ in range(30):
        i, j = int(rng.integers(0, len(df))), int(rng.integers(0, len(columns)))
        expected = df[columns[j]].tolist()[i]
        assert sel.cell_by_label(df, labels[i], columns[j]) == expected, (
            f"cell_by_label(df, {labels[i]}, {columns[j]!r})"
        )
        assert sel.cell_by_position(df, i, j) == expected, f"cell_by_position(df, {i}, {j})"
        assert sel.cell_by_position(df, i - len(df), j - len(columns)) == expected, (
            f"cell_by_position(df, {i - len(df)}, {j - len(columns)}) (negative positions)"
        )


@pytest.mark.parametrize("n", [0, 1, 7, 30])
def test_last_rows(sel, n):
    df = random_frame(4)
    got = sel.last_rows(df, n)
    assert_frame_equal(got, df.take(range(len(df) - n, len(df))), where=f"last_rows(df, {n})")


@pytest.mark.parametrize("seed", range(3))
def test_filter_rows(sel, seed):
    df = random_frame(seed)
    before = df.copy()
    threshold = float(np.median(df["score"]))
    got = sel.filter_rows(df, "score", threshold, ["city", "age"])
    keep = [k for k, s in enumerate(df["score"].tolist()) if s > threshold]
    assert_frame_equal(
        got, df.take(keep)[["city", "age"]], where=f"filter_rows(df, 'score', {threshold}, ['city', 'age'])"
    )
    assert_frame_equal(df, before, where="the input frame (it must not change)")


@pytest.mark.parametrize("seed", range(3))
def test_with_value_copies(sel, seed):
    df = random_frame(seed)
    before = df.copy()
    rng = np.random.default_rng(400 + seed)
    i = int(rng.integers(0, len(df)))
    label = df.index[i]
    got = sel.with_value(df, label, "age", 123)
    expected = before.copy()
    expected.iloc[i, expected.columns.get_loc("age")] = 123
    assert_frame_equal(got, expected, where=f"with_value(df, {label}, 'age', 123)")
    assert_frame_equal(df, before, where="the input frame after with_value (it must not change)")
    got = sel.with_value(df, label, "city", "Rome")
    assert got["city"].tolist()[i] == "Rome" and got.shape == df.shape, (
        "with_value(df, label, 'city', 'Rome')"
    )
