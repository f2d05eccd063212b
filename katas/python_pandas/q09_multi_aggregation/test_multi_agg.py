"""Hidden-test style checks for python_pandas/q09: multi-function .agg, flat names, transform."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, numbers, words

FUNCS = {
    "sum": sum,
    "mean": statistics.fmean,
    "min": min,
    "max": max,
    "count": len,
    "std": lambda v: statistics.stdev(v) if len(v) > 1 else math.nan,
}


@pytest.fixture
def ma(kata):
    return kata.module("multi_agg")


def sales(seed: int, rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "region": rng.choice(["N", "S", "E", "W"], rows),
            "product": rng.choice(["tea", "jam", "oat"], rows),
            "sales": rng.integers(1, 60, rows) * 2.5,  # repeated values: ties in the ranks
            "units": rng.integers(1, 20, rows),
        },
        index=pd.Index(rng.permutation(rows) * 3 + 1, name="row_id"),
    )


def groups(df, by):
    keys = [by] if isinstance(by, str) else by
    out = {}
    for pos in range(len(df)):
        key = tuple(df[k].iloc[pos] for k in keys)
        out.setdefault(key if len(keys) > 1 else key[0], []).append(pos)
    return dict(sorted(out.items()))


def test_flatten_columns(ma):
    cols = pd.MultiIndex.from_tuples([("sales", "sum"), ("sales", "mean"), ("units", "max")])
    assert ma.flatten_columns(cols) == ["sales_sum", "sales_mean", "units_max"], (
        "flatten_columns(readme example)"
    )
    assert ma.flatten_columns(pd.Index(["a", "b"])) == ["a", "b"], "a plain index keeps its labels"
    got = ma.flatten_columns(pd.Index([1, 2.5, "x"], dtype=object))
    assert got == ["1", "2.5", "x"] and all(type(g) is str for g in got), (
        f"a plain index's labels come back as strings: flatten_columns(Index([1, 2.5, 'x'])) = {got!r}"
    )
    assert ma.flatten_columns(pd.MultiIndex.from_tuples([("x", 1), ("y", "max")])) == ["x_1", "y_max"]


@pytest.mark.parametrize(
    ("seed", "by", "spec"),
    [
        (0, "region", {"sales": ["sum", "mean"], "units": ["max"]}),
        (1, "product", {"units": ["min", "max", "count"], "sales": ["std"]}),
        (2, ["region", "product"], {"sales": ["mean", "sum"], "units": ["sum", "mean"]}),
        (3, ["product", "region"], {"units": ["count"], "sales": ["max", "min", "std"]}),
    ],
)
def test_multi_agg(ma, seed, by, spec):
    df = sales(seed)
    before = df.copy()
    got = ma.multi_agg(df, by, spec)
    assert_frame_equal(df, before, where="the input after multi_agg (it must not change)")
    names = [f"{col}_{func}" for col, funcs in spec.items() for func in funcs]
    assert isinstance(got, pd.DataFrame) and got.columns.tolist() == names, (
        f"multi_agg(..., {spec}): columns should be {names}, got {list(getattr(got, 'columns', []))}"
    )
    expected_groups = groups(df, by)
    assert got.index.tolist() == list(expected_groups), (
        f"the index should be the sorted group keys: {got.index.tolist()}"
    )
    for key, positions in expected_groups.items():
        for col, funcs in spec.items():
            values = df[col].iloc[positions].tolist()
            for func in funcs:
                want, have = FUNCS[func](values), got.loc[key, f"{col}_{func}"]
                assert (math.isnan(want) and math.isnan(have)) or math.isclose(have, want, rel_tol=1e-9), (
                    f"group {key}, {col}_{func}: expected {want}, got {have}"
                )


@pytest.mark.parametrize(("seed", "by"), [(4, "region"), (5, ["region", "product"])])
def test_add_group_relative(ma, seed, by):
    df = sales(seed)
    before = df.copy()
    got = ma.add_group_relative(df, by, "sales")
    assert_frame_equal(df, before, where="the input after add_group_relative (it must not change)")
    new = ["sales_share", "sales_vs_mean", "sales_rank"]
    assert got.columns.tolist() == [*df.columns, *new], f"columns: {got.columns.tolist()}"
    assert_frame_equal(got[df.columns.tolist()], df, where="the original columns, index and row order")
    share, vs_mean, rank = np.empty(len(df)), np.empty(len(df)), np.empty(len(df), dtype="int64")
    values = df["sales"].tolist()
    for positions in groups(df, by).values():
        group = [values[p] for p in positions]
        total, mean = sum(group), statistics.fmean(group)
        for p in positions:
            share[p] = values[p] / total
            vs_mean[p] = values[p] - mean
            rank[p] = 1 + sum(1 for v in group if v > values[p])
    assert np.allclose(got["sales_share"].to_numpy(dtype=float), share, rtol=1e-9, atol=0), (
        "sales_share differs"
    )
    assert np.allclose(got["sales_vs_mean"].to_numpy(dtype=float), vs_mean, rtol=1e-9, atol=1e-9), (
        "sales_vs_mean differs"
    )
    assert str(got["sales_rank"].dtype) == "int64", (
        f"sales_rank should be int64, got {got['sales_rank'].dtype}"
    )
    wrong = np.flatnonzero(got["sales_rank"].to_numpy() != rank)
    assert wrong.size == 0, (
        f"sales_rank differs in {wrong.size} rows; first at position {wrong[0]}: value {values[wrong[0]]}, "
        f"expected rank {rank[wrong[0]]}, got {got['sales_rank'].iloc[wrong[0]]} (1 = largest, ties share the lowest)"
    )


def test_small_groups(ma):
    """A one-row group: std is NaN and count 1; ranks and shares of a group of one."""
    df = pd.DataFrame({"g": ["a", "b", "b", "c", "c", "c"], "v": [5.0, 2.0, 2.0, 1.0, 4.0, 4.0]})
    got = ma.multi_agg(df, "g", {"v": ["count", "std", "min"]})
    assert got.columns.tolist() == ["v_count", "v_std", "v_min"] and got.index.tolist() == ["a", "b", "c"]
    assert got["v_count"].tolist() == [1, 2, 3] and math.isnan(got.loc["a", "v_std"]), (
        f"a group of one has count 1 and std NaN (sample std):\n{got}"
    )
    assert got.loc["b", "v_std"] == 0.0 and got.loc["c", "v_std"] == pytest.approx(math.sqrt(3), rel=1e-12)
    rel = ma.add_group_relative(df, "g", "v")
    assert rel["v_rank"].tolist() == [1, 1, 1, 3, 1, 1], (
        f"ranks (1 = largest, ties share the lowest): {rel['v_rank'].tolist()}"
    )
    assert rel["v_share"].tolist() == pytest.approx([1.0, 0.5, 0.5, 1 / 9, 4 / 9, 4 / 9], rel=1e-12)
    assert rel["v_vs_mean"].tolist() == pytest.approx([0.0, 0.0, 0.0, -2.0, 1.0, 1.0], rel=1e-12, abs=1e-12)


@kata_settings(max_examples=30)
@given(
    rows=hs.lists(
        hs.tuples(words(1, 3), numbers("float", min_value=0.5, max_value=1e6, edges=(1.0, 2.5))),
        min_size=1,
        max_size=12,
    )
)
def test_group_relative_properties(ma, rows):
    """Shares add up to 1 and differences from the mean to 0 in every group; ranks count the larger values."""
    df = pd.DataFrame(rows, columns=["team", "score"])
    before = df.copy()
    got = ma.add_group_relative(df, "team", "score")
    assert_frame_equal(df, before, where="the input after add_group_relative (it must not change)")
    assert got.index.equals(df.index) and got["team"].tolist() == df["team"].tolist(), "same rows, same order"
    teams, scores = df["team"].tolist(), df["score"].tolist()
    share, gap, rank = (got[f"score_{name}"].tolist() for name in ("share", "vs_mean", "rank"))
    for team in set(teams):
        rows_of = [k for k, t in enumerate(teams) if t == team]
        values = [scores[k] for k in rows_of]
        total = sum(share[k] for k in rows_of)
        assert math.isclose(total, 1.0, rel_tol=1e-9), f"group {team!r}: the shares add up to {total}"
        spread = sum(gap[k] for k in rows_of)
        assert abs(spread) <= 1e-9 * max(values) * len(values), f"group {team!r}: vs_mean adds up to {spread}"
        for k in rows_of:
            assert rank[k] == 1 + sum(v > scores[k] for v in values), (
                f"group {team!r}: the rank of {scores[k]} should be 1 + the number of larger values, got {rank[k]}"
            )
