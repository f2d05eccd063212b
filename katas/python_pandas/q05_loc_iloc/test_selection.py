"""Hidden-test style checks for python_pandas/q05: label versus position selection."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, mixed_frames


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


def _cell(call, where, kind):
    """Call a cell getter; an IndexError or KeyError means the wrong indexer: say so."""
    try:
        return call()
    except (IndexError, KeyError) as err:
        other, read_as = (".iloc", "positions") if kind == "labels" else (".loc", "labels")
        pytest.fail(
            f"{where} raised {type(err).__name__}: {err}: the arguments are {kind}, {other} reads {read_as}"
        )


def test_readme_examples(sel):
    df = readme_frame()
    assert sel.rows_by_label(df, 10, 50).index.tolist() == [10, 30, 50], "rows_by_label(df, 10, 50)"
    assert sel.rows_by_position(df, 1, 3).index.tolist() == [10, 30], "rows_by_position(df, 1, 3)"
    label_cell = _cell(lambda: sel.cell_by_label(df, 30, "score"), "cell_by_label(df, 30, 'score')", "labels")
    assert label_cell == 2, (
        f"cell_by_label(df, 30, 'score') = {label_cell!r}, expected 2 (the row labelled 30)"
    )
    position_cell = _cell(lambda: sel.cell_by_position(df, -1, 0), "cell_by_position(df, -1, 0)", "positions")
    assert position_cell == "e", (
        f"cell_by_position(df, -1, 0) = {position_cell!r}, expected 'e' (the last row)"
    )
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
    threshold = sorted(df["score"].tolist())[len(df) // 2]  # a value in the column: rows equal to it are out
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


FRAMES = hs.one_of(
    mixed_frames(kinds=("int", "float", "str", "bool"), min_rows=1, max_rows=8, index="shuffled"),
    mixed_frames(kinds=("int", "float", "str", "bool"), min_rows=1, max_rows=8, index="text"),
)


@kata_settings(max_examples=40)
@given(df=FRAMES, picks=hs.lists(hs.integers(0, 7), min_size=4, max_size=4))
def test_selection_properties(sel, df, picks):
    """Labels that are not positions (shuffled integers or unicode text), gaps, ties, a single row."""
    before = df.copy()
    n, m = len(df), df.shape[1]
    i, j = sorted(p % n for p in picks[:2])
    start, stop = sorted(p % (n + 1) for p in picks[2:])
    labels = df.index.tolist()
    got = sel.rows_by_label(df, labels[i], labels[j])
    assert_frame_equal(
        got, df.take(range(i, j + 1)), where=f"rows_by_label(df, {labels[i]!r}, {labels[j]!r})"
    )
    got = sel.rows_by_position(df, start, stop)
    assert_frame_equal(got, df.take(range(start, stop)), where=f"rows_by_position(df, {start}, {stop})")
    got = sel.last_rows(df, stop)
    assert_frame_equal(got, df.take(range(n - stop, n)), where=f"last_rows(df, {stop})")
    column = picks[3] % m
    expected = df.iloc[:, column].tolist()[i]
    for where, value in (
        (
            f"cell_by_label(df, {labels[i]!r}, {df.columns[column]!r})",
            sel.cell_by_label(df, labels[i], df.columns[column]),
        ),
        (f"cell_by_position(df, {i}, {column})", sel.cell_by_position(df, i, column)),
        (f"cell_by_position(df, {i - n}, {column - m})", sel.cell_by_position(df, i - n, column - m)),
    ):
        assert value == expected or (pd.isna(value) and pd.isna(expected)), (
            f"{where} = {value!r}, expected {expected!r}"
        )
    assert_frame_equal(df, before, where="the input frame (it must not change)")
