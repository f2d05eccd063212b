"""Hidden-test style checks for python_pandas/q06: NaN strategies and missing-indicator columns.

Each filled cell is checked against what the README says it must hold (the column's mean or median, the last
present value above it, the straight line between its present neighbours), in plain Python.
"""

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, mixed_frames

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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _wanted(values: list, k: int, strategy: str, present: list[float]) -> float:
    """What the missing cell at position k must become."""
    before = [(p, values[p]) for p in range(k) if not _missing(values[p])]
    after = [(p, values[p]) for p in range(k + 1, len(values)) if not _missing(values[p])]
    if strategy == "mean":
        return statistics.fmean(present) if present else math.nan
    if strategy == "median":
        return statistics.median(present) if present else math.nan
    if not before:
        return math.nan  # a leading gap stays for ffill and interpolate
    if strategy == "ffill" or not after:
        return before[-1][1]  # the last present value above (interpolate repeats it at the end)
    (p, a), (q, b) = before[-1], after[0]
    return a + (b - a) * (k - p) / (q - p)


def check_filled(got, df, strategy, columns, where):
    """The README's rules, cell by cell."""
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert got.columns.tolist() == df.columns.tolist(), f"{where}: columns {got.columns.tolist()}"
    if strategy == "drop":
        records = df[columns].to_dict("records")
        keep = [k for k, r in enumerate(records) if not any(_missing(r[c]) for c in columns)]
        assert got.index.tolist() == [df.index[k] for k in keep], (
            f"{where}: the kept rows should be those with no gap in {columns}, in order"
        )
        assert_frame_equal(got, df.take(keep), where=where)
        return
    assert got.index.equals(df.index), f"{where}: the index should stay as it is"
    untouched = [c for c in df.columns if c not in columns]
    assert_frame_equal(got[untouched], df[untouched], where=f"{where}: the columns not treated")
    for c in columns:
        assert got[c].dtype == df[c].dtype, (
            f"{where}: column {c!r} should keep its dtype {df[c].dtype}, got {got[c].dtype}"
        )
        values, filled = df[c].tolist(), got[c].tolist()
        present = [float(v) for v in values if not _missing(v)]
        scale = max((abs(v) for v in present), default=0.0)
        for k, (v, f) in enumerate(zip(values, filled, strict=True)):
            want = v if not _missing(v) else _wanted(values, k, strategy, present)
            ok = (_missing(want) and _missing(f)) or (
                not _missing(f) and abs(f - want) <= 1e-9 * max(abs(want), scale) + 1e-300
            )
            kind = "present value (unchanged)" if not _missing(v) else f"gap filled by {strategy}"
            assert ok, f"{where}: column {c!r}, row {df.index[k]!r} ({kind}): expected {want!r}, got {f!r}"


def test_readme_examples(miss):
    df = pd.DataFrame({"t": [np.nan, 1.0, np.nan, 3.0, np.nan], "city": ["a", None, "b", "c", "d"]})
    before = df.copy(deep=True)
    got = miss.fill_missing(df, "interpolate")["t"].tolist()
    assert_frame_equal(
        df, before, where="the input after fill_missing(df, 'interpolate') (it must not change)"
    )
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
    check_filled(got, df, strategy, NUMERIC, f"fill_missing(random frame {seed}, {strategy!r})")


@pytest.mark.parametrize("strategy", ["drop", "mean", "median", "ffill", "interpolate"])
def test_only_the_named_columns(miss, strategy):
    df = random_frame(5)
    before = df.copy(deep=True)
    got = miss.fill_missing(df, strategy, columns=["income"])
    assert_frame_equal(df, before, where="the input (it must not change)")
    check_filled(got, df, strategy, ["income"], f"fill_missing(df, {strategy!r}, columns=['income'])")


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


STRATEGIES = ["drop", "mean", "median", "ffill", "interpolate"]
GAPPY = mixed_frames(
    kinds=("float", "float", "int", "str", "bool"), min_rows=1, max_rows=10, index="shuffled", magnitude=1e9
)


@kata_settings(max_examples=40)
@given(df=GAPPY, strategy=hs.sampled_from(STRATEGIES), subset=hs.booleans())
def test_fill_properties(miss, df, strategy, subset):
    """All-missing and gap-free columns, leading and trailing gaps, ties, large offsets, shuffled labels."""
    numeric = [c for c in df.columns if c.startswith(("float_", "int_"))]
    columns = numeric[:1] if subset else numeric
    before = df.copy(deep=True)
    got = miss.fill_missing(df, strategy, columns=columns if subset else None)
    assert_frame_equal(
        df, before, where=f"the input after fill_missing(df, {strategy!r}) (it must not change)"
    )
    check_filled(
        got,
        df,
        strategy,
        columns,
        f"fill_missing(df, {strategy!r}{', columns=' + str(columns) if subset else ''})",
    )


@kata_settings(max_examples=25)
@given(df=GAPPY)
def test_indicator_properties(miss, df):
    before = df.copy(deep=True)
    got = miss.add_missing_indicators(df)
    assert_frame_equal(df, before, where="the input after add_missing_indicators (it must not change)")
    gappy = [c for c in df.columns if any(_missing(v) for v in df[c].tolist())]
    assert got.columns.tolist() == [*df.columns, *(f"{c}_missing" for c in gappy)], (
        f"add_missing_indicators: one indicator per column with a gap, in column order; got {got.columns.tolist()}"
    )
    assert_frame_equal(got[df.columns.tolist()], df, where="add_missing_indicators: the original columns")
    for c in gappy:
        flags = got[f"{c}_missing"]
        assert flags.dtype == bool and flags.tolist() == [_missing(v) for v in df[c].tolist()], (
            f"{c}_missing should be a bool column, True exactly where {c!r} is missing: {flags.tolist()}"
        )
