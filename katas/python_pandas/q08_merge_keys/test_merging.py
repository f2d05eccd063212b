"""Hidden-test style checks for python_pandas/q08: multi-key merges, unmatched keys and validate=.

The expected merges are built without pandas: a brute-force join over the rows as plain dicts.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, sql_rows

ON = ["region", "year"]


@pytest.fixture
def mg(kata):
    return kata.module("merging")


def frames(seed: int):
    """Two frames sharing some (region, year) pairs (8 of 24), with duplicate keys on the left."""
    rng = np.random.default_rng(seed)
    pairs = [(r, y) for r in "NSEW" for y in range(2019, 2025)]
    order = rng.permutation(len(pairs))
    left_pairs = [pairs[k] for k in order[:16]]
    right_pairs = [pairs[k] for k in order[8:24]]
    left_rows = left_pairs + [left_pairs[k] for k in rng.integers(0, 16, 4)]  # some duplicate keys
    left = pd.DataFrame(
        {
            "region": [r for r, _ in left_rows],
            "year": [y for _, y in left_rows],
            "sales": rng.integers(10, 99, len(left_rows)),
            "note": [f"L{k}" for k in range(len(left_rows))],
        }
    )
    right = pd.DataFrame(
        {
            "year": [y for _, y in right_pairs],
            "region": [r for r, _ in right_pairs],
            "target": rng.integers(10, 99, len(right_pairs)),
            "note": [f"R{k}" for k in range(len(right_pairs))],
        }
    )
    return left.sample(frac=1, random_state=seed).reset_index(drop=True), right


def key_set(df):
    return {(r, int(y)) for r, y in zip(df["region"], df["year"], strict=True)}


def key_list(df):
    return [(r, int(y)) for r, y in zip(df["region"], df["year"], strict=True)]


def _cell(value):
    """One comparable form for a cell: None for any missing value, floats for numbers, str for the rest."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return str(value)


def _rows(frame):
    return [tuple(_cell(v) for v in row) for row in frame.astype(object).itertuples(index=False, name=None)]


def brute_outer(left, right, on):
    """Every key combination, sorted; per key, each left row with each right row, or with nothing."""
    lrec, rrec = left.to_dict("records"), right.to_dict("records")
    lcols = [c for c in left.columns if c not in on]
    rcols = [c for c in right.columns if c not in on]
    shared = set(lcols) & set(rcols)
    names = [c for c in left.columns if c in on or c in lcols]
    names = [c if c in on else (f"{c}_left" if c in shared else c) for c in names]
    names += [f"{c}_right" if c in shared else c for c in rcols] + ["_merge"]
    key = lambda r: tuple(r[k] for k in on)  # noqa: E731
    rows = []
    for k in sorted({key(r) for r in lrec} | {key(r) for r in rrec}):
        lefts = [r for r in lrec if key(r) == k] or [None]
        rights = [r for r in rrec if key(r) == k] or [None]
        for a in lefts:
            for b in rights:
                side = "both" if a and b else ("left_only" if a else "right_only")
                keyed = dict(zip(on, k, strict=True))
                values = [keyed[c] if c in on else (a[c] if a else None) for c in left.columns]
                values += [b[c] if b else None for c in rcols]
                rows.append(tuple(_cell(v) for v in values) + (side,))
    return names, rows


def brute_lookup(facts, lookup, on):
    """Each fact row in order, with the lookup row of the same key (or nothing)."""
    extra = [c for c in lookup.columns if c not in on]
    found = {tuple(r[k] for k in on): r for r in lookup.to_dict("records")}
    rows = []
    for r in facts.to_dict("records"):
        match = found.get(tuple(r[k] for k in on))
        rows.append(tuple(_cell(v) for v in [*r.values(), *((match[c] if match else None) for c in extra)]))
    return [*facts.columns, *extra], rows


def readme_frames():
    left = pd.DataFrame({"region": ["N", "N", "S"], "year": [2020, 2021, 2020], "sales": [1, 2, 3]})
    right = pd.DataFrame({"region": ["N", "S", "S"], "year": [2021, 2021, 2021], "target": [5, 6, 7]})
    return left, right


def test_unmatched_readme_example(mg):
    left, right = readme_frames()
    got = mg.unmatched_keys(left, right, ON)
    assert sorted(got) == ["left_only", "right_only"], f"keys of the result: {sorted(got)}"
    assert key_list(got["left_only"]) == [("N", 2020), ("S", 2020)], f"left_only:\n{got['left_only']}"
    assert key_list(got["right_only"]) == [("S", 2021)], f"right_only (distinct keys):\n{got['right_only']}"


@pytest.mark.parametrize("seed", range(4))
def test_unmatched_keys_random(mg, seed):
    left, right = frames(seed)
    before = left.copy(), right.copy()
    got = mg.unmatched_keys(left, right, ON)
    assert_frame_equal(left, before[0], where="left after unmatched_keys (it must not change)")
    assert_frame_equal(right, before[1], where="right after unmatched_keys (it must not change)")
    for side, expected in (
        ("left_only", sorted(key_set(left) - key_set(right))),
        ("right_only", sorted(key_set(right) - key_set(left))),
    ):
        frame = got[side]
        assert frame.columns.tolist() == ON, (
            f"{side}: columns should be exactly {ON}, got {frame.columns.tolist()}"
        )
        assert frame.index.tolist() == list(range(len(frame))), f"{side}: the index should be 0..n-1"
        assert key_list(frame) == expected, f"{side}: expected {expected}, got {key_list(frame)}"


def check_outer(got, left, right, on, where):
    names, rows = brute_outer(left, right, on)
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert got.columns.tolist() == names, f"{where}: columns should be {names}, got {got.columns.tolist()}"
    assert got.index.tolist() == list(range(len(got))), f"{where}: the index should be 0..n-1"
    have = _rows(got)
    assert len(have) == len(rows), f"{where}: {len(have)} rows, expected {len(rows)}"
    for k, (a, b) in enumerate(zip(have, rows, strict=True)):
        assert a == b, f"{where}: row {k} is {a}, expected {b} (rows sorted by the keys {on})"


@pytest.mark.parametrize("seed", range(3))
def test_outer_with_indicator(mg, seed):
    left, right = frames(seed)
    before = left.copy(), right.copy()
    got = mg.outer_with_indicator(left, right, ON)
    assert_frame_equal(left, before[0], where="left after outer_with_indicator (it must not change)")
    assert_frame_equal(right, before[1], where="right after outer_with_indicator (it must not change)")
    check_outer(got, left, right, ON, f"outer_with_indicator(random frames {seed})")
    counts = got["_merge"].astype(str).value_counts().to_dict()
    only_left = sum(1 for k in key_list(left) if k not in key_set(right))
    assert counts.get("left_only", 0) == only_left, (
        f"{only_left} left rows have no partner, _merge says {counts}"
    )
    assert counts.get("right_only", 0) == len(key_set(right) - key_set(left)), f"right_only rows: {counts}"


def test_lookup_merge_keeps_fact_rows(mg):
    left, right = frames(7)
    lookup = right.drop(columns="note")
    before = left.copy(), lookup.copy()
    got = mg.lookup_merge(left, lookup, ON)
    assert_frame_equal(left, before[0], where="facts after lookup_merge (it must not change)")
    assert_frame_equal(lookup, before[1], where="lookup after lookup_merge (it must not change)")
    assert len(got) == len(left), (
        f"a lookup merge keeps exactly one row per fact: {len(got)} rows for {len(left)}"
    )
    names, rows = brute_lookup(left, lookup, ON)
    assert got.columns.tolist() == names, (
        f"lookup_merge: columns should be {names}, got {got.columns.tolist()}"
    )
    for k, (a, b) in enumerate(zip(_rows(got), rows, strict=True)):
        assert a == b, f"lookup_merge: row {k} is {a}, expected {b} (the facts in their order, enriched)"


def test_lookup_merge_joins_on_the_keys_only(mg):
    facts = pd.DataFrame({"region": ["N", "S", "N"], "year": [2020, 2020, 2021], "note": ["a", "b", "c"]})
    lookup = pd.DataFrame(
        {"region": ["N", "S"], "year": [2020, 2020], "note": ["x", "y"], "manager": ["M", "P"]}
    )
    got = mg.lookup_merge(facts, lookup, ON)
    assert len(got) == 3 and got["manager"].tolist()[:2] == ["M", "P"] and pd.isna(got["manager"].iloc[2]), (
        "lookup_merge matches on the key columns `on` alone, although both frames also have a 'note' column:\n"
        f"{got}"
    )


def test_lookup_merge_rejects_duplicate_lookup_keys(mg):
    left, right = frames(8)
    dup = pd.concat([right, right.iloc[[3]]], ignore_index=True)
    with pytest.raises(pd.errors.MergeError):
        mg.lookup_merge(left, dup, ON)
    # the pair (region, year) must be unique, not each column: this lookup is valid
    fine = pd.DataFrame({"region": ["N", "N", "S"], "year": [2020, 2021, 2020], "manager": ["a", "b", "c"]})
    got = mg.lookup_merge(readme_frames()[0], fine, ON)
    assert got["manager"].tolist() == ["a", "b", "c"], f"lookup_merge(readme left, valid lookup):\n{got}"


@pytest.mark.parametrize("on", [["year", "region"], ["region"]])
def test_other_keys(mg, on):
    left, right = frames(9)
    got = mg.unmatched_keys(left, right, on)
    for side, a, b in (("left_only", left, right), ("right_only", right, left)):
        expected = sorted(
            {tuple(r[k] for k in on) for r in a.to_dict("records")}
            - {tuple(r[k] for k in on) for r in b.to_dict("records")}
        )
        frame = got[side]
        assert frame.columns.tolist() == on, (
            f"unmatched_keys(on={on}) {side}: columns {frame.columns.tolist()}"
        )
        have = [
            tuple(_cell(v) for v in row) for row in frame.astype(object).itertuples(index=False, name=None)
        ]
        assert have == [tuple(_cell(v) for v in k) for k in expected], (
            f"unmatched_keys(on={on}) {side}: expected {expected} (sorted by {on}), got {have}"
        )
    check_outer(mg.outer_with_indicator(left, right, on), left, right, on, f"outer_with_indicator(on={on})")


KEYED = sql_rows({"region": "text", "year": "int", "amount": "int"}, max_size=8, nulls=["amount"])


@kata_settings(max_examples=20)
@given(left_rows=KEYED, right_rows=KEYED, swap=hs.booleans())
def test_merge_properties(mg, left_rows, right_rows, swap):
    """Unicode and blank regions, ties and duplicates on both sides, empty sides, another key order."""
    left = pd.DataFrame(left_rows, columns=["region", "year", "amount"]).astype({"year": "int64"})
    right = pd.DataFrame(right_rows, columns=["region", "year", "amount"]).astype({"year": "int64"})
    right = right.rename(columns={"amount": "target"}).assign(amount=right["amount"])
    on = ["year", "region"] if swap else ["region", "year"]
    got = mg.unmatched_keys(left, right, on)
    keys = {
        name: {tuple(r[k] for k in on) for r in f.to_dict("records")}
        for name, f in (("l", left), ("r", right))
    }
    for side, expected in (("left_only", keys["l"] - keys["r"]), ("right_only", keys["r"] - keys["l"])):
        have = [
            tuple(_cell(v) for v in row)
            for row in got[side].astype(object).itertuples(index=False, name=None)
        ]
        want = [tuple(_cell(v) for v in k) for k in sorted(expected)]
        assert have == want, f"unmatched_keys(..., {on}) {side}: expected {want}, got {have}"
        assert got[side].index.tolist() == list(range(len(have))), f"{side}: the index should be 0..n-1"
    check_outer(mg.outer_with_indicator(left, right, on), left, right, on, f"outer_with_indicator(..., {on})")
