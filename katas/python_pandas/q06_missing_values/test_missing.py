"""Hidden-test style checks for python_pandas/q06: NaN strategies and missing-indicator columns."""

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal

NUMERIC = ["age", "income", "visits"]


@pytest.fixture
def miss(kata):
    return kata.module("missing")


def random_frame(seed: int, rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, rows).astype(float)
    income = rng.lognormal(10, 0.6, rows).round(2)
    age[rng.random(rows) < 0.25] = np.nan
    income[rng.random(rows) < 0.3] = np.nan
    age[0] = np.nan  # a leading gap
    income[-2:] = np.nan  # a trailing gap
    city = rng.choice(["Oslo", "Lima", "Pune"], rows).astype(object)
    city[rng.random(rows) < 0.2] = None
    return pd.DataFrame(
        {
            "age": age,
            "city": city.tolist(),
            "income": income,
            "visits": rng.integers(0, 9, rows),
            "member": rng.random(rows) < 0.5,
        },
        index=pd.Index(rng.choice(np.arange(1000, 9999), rows, replace=False), name="id"),
    )


def _ffill(values):
    out, last = values.copy(), np.nan
    for k, v in enumerate(values):
        last = v if not np.isnan(v) else last
        out[k] = last
    return out


def _interpolate(values):
    present = np.flatnonzero(~np.isnan(values))
    if present.size == 0:
        return values.copy()
    out = np.interp(np.arange(values.size), present, values[present])
    out[: present[0]] = np.nan  # leading gaps stay; np.interp already repeats the last value at the end
    return out


def reference(df, strategy, columns):
    if strategy == "drop":
        keep = [
            k for k in range(len(df)) if not any(np.isnan(df[c].to_numpy(dtype=float)[k]) for c in columns)
        ]
        return df.take(keep)
    out = df.copy()
    for c in columns:
        values = df[c].to_numpy(dtype=float)
        present = values[~np.isnan(values)]
        if strategy == "mean":
            filled = np.where(np.isnan(values), present.mean(), values)
        elif strategy == "median":
            filled = np.where(np.isnan(values), np.median(present), values)
        elif strategy == "ffill":
            filled = _ffill(values)
        else:
            filled = _interpolate(values)
        out[c] = filled.astype(df[c].dtype)
    return out


def test_readme_examples(miss):
    df = pd.DataFrame({"t": [np.nan, 1.0, np.nan, 3.0, np.nan], "city": ["a", None, "b", "c", "d"]})
    got = miss.fill_missing(df, "interpolate")["t"].tolist()
    assert np.allclose(got, [np.nan, 1.0, 2.0, 3.0, 3.0], equal_nan=True), f"interpolate gave {got}"
    assert miss.fill_missing(df, "drop").index.tolist() == [1, 3], "drop treats the numeric column t only"
    assert miss.add_missing_indicators(df).columns.tolist() == ["t", "city", "t_missing", "city_missing"]


@pytest.mark.parametrize("bad", ["mode", "MEAN", "", "bfill"])
def test_unknown_strategy_is_a_clear_error(miss, bad):
    df = random_frame(0)
    with pytest.raises(ValueError) as info:
        miss.fill_missing(df, bad)
    message = str(info.value)
    assert repr(bad) in message or f" {bad}" in message or bad == "", (
        f"the error should name {bad!r}: {message}"
    )
    assert "median" in message and "interpolate" in message, (
        f"the error should list the valid strategies: {message}"
    )


@pytest.mark.parametrize("strategy", ["drop", "mean", "median", "ffill", "interpolate"])
@pytest.mark.parametrize("seed", range(3))
def test_strategies_on_random_frames(miss, strategy, seed):
    df = random_frame(seed)
    before = df.copy(deep=True)
    got = miss.fill_missing(df, strategy)
    assert_frame_equal(
        df, before, where=f"the input after fill_missing(df, {strategy!r}) (it must not change)"
    )
    assert_frame_equal(
        got, reference(df, strategy, NUMERIC), where=f"fill_missing(random frame {seed}, {strategy!r})"
    )


@pytest.mark.parametrize("strategy", ["drop", "median", "ffill"])
def test_only_the_named_columns(miss, strategy):
    df = random_frame(5)
    before = df.copy(deep=True)
    got = miss.fill_missing(df, strategy, columns=["income"])
    assert_frame_equal(df, before, where="the input (it must not change)")
    assert_frame_equal(
        got, reference(df, strategy, ["income"]), where=f"fill_missing(df, {strategy!r}, columns=['income'])"
    )


def test_indicators_default_columns(miss):
    df = random_frame(6)
    before = df.copy(deep=True)
    got = miss.add_missing_indicators(df)
    assert_frame_equal(df, before, where="the input after add_missing_indicators (it must not change)")
    expected = df.copy()
    for col in ["age", "city", "income"]:  # the columns with gaps, in column order
        expected[f"{col}_missing"] = [bool(pd.isna(v)) for v in df[col].tolist()]
    assert_frame_equal(got, expected, where="add_missing_indicators(random frame)")


def test_indicators_named_columns_survive_filling(miss):
    df = random_frame(7)
    flagged = miss.add_missing_indicators(df, columns=["income", "visits"])
    assert flagged.columns.tolist() == [*df.columns, "income_missing", "visits_missing"], (
        flagged.columns.tolist()
    )
    assert flagged["income_missing"].dtype == bool and not flagged["visits_missing"].any()
    filled = miss.fill_missing(flagged, "median")
    assert not filled["income"].isna().any(), "median fill should leave no gap in income"
    assert filled["income_missing"].tolist() == df["income"].isna().tolist(), (
        "the indicator keeps where values were missing"
    )
