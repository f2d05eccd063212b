"""Near miss: unmatched_keys tests each key column with isin() on its own, not the pairs."""

from __future__ import annotations

import pandas as pd


def outer_with_indicator(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Keep every row of both sides; _merge says where each came from."""
    return pd.merge(left, right, on=on, how="outer", indicator=True, suffixes=("_left", "_right"))


def unmatched_keys(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> dict[str, pd.DataFrame]:
    """Match key *pairs*: merging the distinct key frames compares whole combinations, not columns one by one."""

    def only(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
        missing = pd.Series(False, index=a.index)
        for col in on:
            missing |= ~a[col].isin(b[col])
        return a.loc[missing, on].drop_duplicates().sort_values(on).reset_index(drop=True)

    return {"left_only": only(left, right), "right_only": only(right, left)}


def lookup_merge(facts: pd.DataFrame, lookup: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """validate= turns a silent row explosion (duplicate lookup keys) into a MergeError."""
    return facts.merge(lookup, on=on, how="left", validate="many_to_one")
