"""Near miss: groups the target by the categories Series itself, which pandas aligns by index label: a target
with another index than the categories is paired with the wrong rows (or none) instead of by position."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold


def add_interaction(df: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """A copy of df with the product column f"{a}_x_{b}"."""
    return df.assign(**{f"{a}_x_{b}": df[a] * df[b]})


def cyclical_encode(values: pd.Series, period: float) -> pd.DataFrame:
    """Place each value on the unit circle: the end of a period touches its start."""
    angle = 2 * np.pi * values.astype(float) / period
    return pd.DataFrame(
        {f"{values.name}_sin": np.sin(angle), f"{values.name}_cos": np.cos(angle)}, index=values.index
    )


def _encode(
    fit_categories: pd.Series, fit_target: pd.Series, categories: pd.Series, smoothing: float
) -> pd.Series:
    """Smoothed mean target learnt from (fit_categories, fit_target), applied to `categories`."""
    prior = float(fit_target.mean())
    stats = fit_target.groupby(fit_categories).agg(["sum", "count"])
    sums, counts = categories.map(stats["sum"]), categories.map(stats["count"])
    # Rare categories are pulled towards the prior; unseen ones (NaN after map) get the prior itself.
    return ((sums + smoothing * prior) / (counts + smoothing)).fillna(prior).astype(float)


def oof_target_encode(
    categories: pd.Series, target: pd.Series, n_splits: int = 5, seed: int = 0, smoothing: float = 10.0
) -> pd.Series:
    """Each row is encoded with statistics from the other folds: its own label never reaches its feature."""
    encoded = np.empty(len(categories))
    for fit_idx, apply_idx in KFold(n_splits, shuffle=True, random_state=seed).split(categories):
        values = _encode(
            categories.iloc[fit_idx], target.iloc[fit_idx], categories.iloc[apply_idx], smoothing
        )
        encoded[apply_idx] = values.to_numpy()
    return pd.Series(encoded, index=categories.index, name=f"{categories.name}_te")


def target_encode_test(
    train_categories: pd.Series, train_target: pd.Series, test_categories: pd.Series, smoothing: float = 10.0
) -> pd.Series:
    """Test rows use statistics from every training row: none of their own labels exist to leak."""
    encoded = _encode(train_categories, train_target, test_categories, smoothing)
    return encoded.rename(f"{test_categories.name}_te")
