"""Kata python_pandas/q08: merges on several keys, unmatched keys, validated lookups. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/python_pandas/q08_merge_keys/merging.py"


def outer_with_indicator(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Outer merge on `on` with a _merge column and suffixes ('_left', '_right')."""
    raise NotImplementedError(f"outer_with_indicator: write it in {FILE}")


def unmatched_keys(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> dict[str, pd.DataFrame]:
    """{'left_only': keys only in left, 'right_only': keys only in right}: distinct, sorted, index 0..n-1."""
    raise NotImplementedError(f"unmatched_keys: write it in {FILE}")


def lookup_merge(facts: pd.DataFrame, lookup: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Left merge that raises pandas.errors.MergeError when a key repeats in `lookup`."""
    raise NotImplementedError(f"lookup_merge: write it in {FILE}")
