"""Near miss: lookup_merge uses an inner merge, so facts without a lookup row disappear."""

from __future__ import annotations

import pandas as pd


def outer_with_indicator(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Keep every row of both sides; _merge says where each came from."""
    return pd.merge(left, right, on=on, how="outer", indicator=True, suffixes=("_left", "_right"))


def unmatched_keys(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> dict[str, pd.DataFrame]:
    """Match key *pairs*: merging the distinct key frames compares whole combinations, not columns one by one."""
    keys = pd.merge(
        left[on].drop_duplicates(), right[on].drop_duplicates(), on=on, how="outer", indicator=True
    )
    return {
        side: keys.loc[keys["_merge"] == side, on].sort_values(on).reset_index(drop=True)
        for side in ("left_only", "right_only")
    }


def lookup_merge(facts: pd.DataFrame, lookup: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """validate= turns a silent row explosion (duplicate lookup keys) into a MergeError."""
    return facts.merge(lookup, on=on, how="inner", validate="many_to_one")
