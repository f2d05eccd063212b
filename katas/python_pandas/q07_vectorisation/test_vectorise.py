"""Hidden-test style checks for python_pandas/q07: a vectorised rewrite of a row-wise .apply."""

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, numbers

BIG = 1_000_000
SLICE = 10_000  # .apply is timed on this many rows and scaled to BIG
SPEEDUP = 20


@pytest.fixture
def vec(kata):
    return kata.module("vectorise")


def score_row(row):
    """The reference, copied from the README (the learner's copy may be edited; this one is not)."""
    total = row["price"] * row["quantity"]
    if row["member"]:
        total = total * 0.9
    if total >= 1000:
        tier = "gold"
    elif total >= 100:
        tier = "silver"
    elif total > 0:
        tier = "bronze"
    else:
        tier = "none"
    return total, tier


def orders(seed: int, rows: int, shuffled_index: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = rng.permutation(rows) + 10_000 if shuffled_index else pd.RangeIndex(10_000, 10_000 + rows)
    return pd.DataFrame(
        {
            "price": rng.integers(1, 40_000, rows) / 100,
            "quantity": rng.integers(0, 40, rows),
            "member": rng.random(rows) < 0.5,
        },
        index=pd.Index(index, name="order_id"),
    )


def check_scores(got, df, where):
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert got.columns.tolist() == [*df.columns, "total", "tier"], f"{where}: columns {got.columns.tolist()}"
    assert_frame_equal(got[df.columns.tolist()], df, where=f"{where}: the original columns and index")
    pairs = df.apply(score_row, axis=1).tolist()
    expected_total = np.array([t for t, _ in pairs], dtype=float)
    expected_tier = [tier for _, tier in pairs]
    total = got["total"].to_numpy(dtype=float)
    bad = np.flatnonzero(total != expected_total)
    assert bad.size == 0, (
        f"{where}: total differs in {bad.size} rows, first at position {bad[0]}: got {total[bad[0]]!r}, score_row "
        f"gives {expected_total[bad[0]]!r} (price * quantity first, then * 0.9 for members; compared bit for bit)"
    )
    tiers = [str(t) for t in got["tier"].tolist()]
    wrong = [k for k, (a, b) in enumerate(zip(tiers, expected_tier, strict=True)) if a != b]
    assert not wrong, (
        f"{where}: tier differs in {len(wrong)} rows; first at position {wrong[0]}: total {expected_total[wrong[0]]} "
        f"gave {tiers[wrong[0]]!r}, expected {expected_tier[wrong[0]]!r}"
    )


def test_readme_example_and_boundaries(vec):
    df = pd.DataFrame(
        {
            "price": [100.0, 12.5, 30.0, 4.0, 999.99, 99.99, 0.01, 250.0, 50.0],
            "quantity": [10, 8, 3, 0, 1, 1, 1, 4, 2],
            "member": [False, False, True, True, False, False, False, False, True],
        },
        index=[7, 3, 9, 1, 2, 8, 4, 6, 5],
    )
    before = df.copy()
    got = vec.add_scores(df)
    assert_frame_equal(df, before, where="the input after add_scores (it must not change)")
    check_scores(got, df, "add_scores(boundary rows)")
    assert [str(t) for t in got["tier"]] == [
        "gold",
        "silver",
        "bronze",
        "none",
        "silver",
        "bronze",
        "bronze",
        "gold",
        "bronze",
    ], "1000 is gold and 100 is silver (>=), 0 is none"


@pytest.mark.parametrize("seed", range(3))
def test_equal_to_apply_on_random_orders(vec, seed):
    df = orders(seed, 3000)
    before = df.copy()
    got = vec.add_scores(df)
    assert_frame_equal(df, before, where="the input after add_scores (it must not change)")
    check_scores(got, df, f"add_scores(random orders, seed={seed})")


def _best_of(runs, func, *args):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - start)
    return best


def test_at_least_20x_faster_than_apply(vec):
    big = orders(42, BIG, shuffled_index=False)
    small = big.iloc[:SLICE]
    apply_small = _best_of(1, lambda d: d.apply(score_row, axis=1), small)
    # First on the slice: code that is no faster than .apply here stops now, before 10^6 rows of it.
    mine_small = _best_of(2, vec.add_scores, small)
    assert mine_small * 5 < apply_small, (
        f"on {SLICE:,} rows add_scores took {mine_small:.3f} s and .apply {apply_small:.3f} s: "
        "not even 5x faster on a slice: that is row-by-row speed, not vectorised"
    )
    mine = _best_of(2, vec.add_scores, big)
    apply_estimate = apply_small * BIG / SLICE
    assert mine * SPEEDUP <= apply_estimate, (
        f"on {BIG:,} rows add_scores took {mine:.3f} s, .apply about {apply_estimate:.1f} s "
        f"({apply_estimate / mine:.1f}x): at least {SPEEDUP}x is expected from vectorised code"
    )
    check_scores(vec.add_scores(big.iloc[-2000:]), big.iloc[-2000:], "add_scores(the last 2,000 big rows)")


ORDERS = hs.lists(
    hs.tuples(
        numbers(
            "float",
            min_value=0.0,
            max_value=1e5,
            edges=(0.01, 1000.0, 100.0, 99.99, 1000 / 9, 1e4 / 9, 250.0),
        ),
        hs.integers(0, 40),
        hs.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@kata_settings(max_examples=40)
@given(rows=ORDERS, shuffled=hs.booleans())
def test_equal_to_apply_on_edge_orders(vec, rows, shuffled):
    """Prices at and around the tier bounds, zero quantities, prices whose discount lands near a bound."""
    df = pd.DataFrame(rows, columns=["price", "quantity", "member"]).astype(
        {"quantity": "int64", "member": bool}
    )
    if shuffled:
        df.index = pd.Index(list(range(len(df)))[::-1], name="order_id")
    before = df.copy()
    got = vec.add_scores(df)
    assert_frame_equal(df, before, where="the input after add_scores (it must not change)")
    check_scores(got, df, "add_scores(the drawn orders)")
