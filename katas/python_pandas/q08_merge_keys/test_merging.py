"""Hidden-test style checks for python_pandas/q08: multi-key merges, unmatched keys and validate=."""

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal

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


@pytest.mark.parametrize("seed", range(3))
def test_outer_with_indicator(mg, seed):
    left, right = frames(seed)
    got = mg.outer_with_indicator(left, right, ON)
    expected = pd.merge(left, right, on=ON, how="outer", indicator=True, suffixes=("_left", "_right"))
    assert_frame_equal(got, expected, where=f"outer_with_indicator(random frames {seed})")
    counts = got["_merge"].astype(str).value_counts().to_dict()
    only_left = sum(1 for k in key_list(left) if k not in key_set(right))
    assert counts.get("left_only", 0) == only_left, (
        f"{only_left} left rows have no partner, _merge says {counts}"
    )
    assert counts.get("right_only", 0) == len(key_set(right) - key_set(left)), f"right_only rows: {counts}"


def test_lookup_merge_keeps_fact_rows(mg):
    left, right = frames(7)
    got = mg.lookup_merge(left, right.drop(columns="note"), ON)
    expected = left.merge(right.drop(columns="note"), on=ON, how="left")
    assert_frame_equal(got, expected, where="lookup_merge(facts with duplicate keys, unique lookup)")
    assert len(got) == len(left), "a lookup merge keeps exactly one row per fact"


def test_lookup_merge_rejects_duplicate_lookup_keys(mg):
    left, right = frames(8)
    dup = pd.concat([right, right.iloc[[3]]], ignore_index=True)
    with pytest.raises(pd.errors.MergeError):
        mg.lookup_merge(left, dup, ON)
    # the pair (region, year) must be unique, not each column: this lookup is valid
    fine = pd.DataFrame({"region": ["N", "N", "S"], "year": [2020, 2021, 2020], "manager": ["a", "b", "c"]})
    got = mg.lookup_merge(readme_frames()[0], fine, ON)
    assert got["manager"].tolist() == ["a", "b", "c"], f"lookup_merge(readme left, valid lookup):\n{got}"
